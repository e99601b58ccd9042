"""The SLA report as PDF (WeasyPrint): text is drawn, charts are drawn, nothing runs off the page.

Pages are checked two ways with Debian's poppler-utils (.ci/pdf.sh installs them): ``pdftotext -bbox``
gives every word's box, which must lie inside the page with the right margin left free; ``pdftoppm``
turns the pages into images whose outer 8 mm strips on the left and right must be blank paper and in
which the chart line's colour must appear. Skipped where WeasyPrint or poppler is missing; failed under
``CI=true``.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from tests.report.pdf_checks import (
    STRIP_MM,
    assert_inside_margins,
    page_words,
    pdf_text,
    require_pdf_tools,
    watermark,
)
from tests.report.test_sla_report import courier_report
from ukur.report.sla_report import SLAReport

LINE_RGB = (0x2C, 0x5D, 0x8F)  # the chart line (ukur.report.sla_chart)


@pytest.fixture(scope="module")
def render():
    require_pdf_tools()
    from ukur.report.sla_pdf import render_pdf

    return render_pdf


def _pdf(tmp_path: Path, render, report: SLAReport) -> Path:
    path = tmp_path / "report.pdf"
    path.write_bytes(render(report))
    assert path.read_bytes()[:5] == b"%PDF-"
    return path


@pytest.mark.parametrize("name", ["kilat-gold", "helpdesk-internal"])
def test_text_is_drawn_inside_the_page(tmp_path, render, name):
    report = courier_report("id", name)
    path = _pdf(tmp_path, render, report)
    text = pdf_text(path)
    assert report.agreement.id in text
    titles = [s.title for s in report.sections]
    positions = [text.find(f"{i}. {t}") for i, t in enumerate(titles, start=1)]
    assert -1 not in positions and positions == sorted(positions), titles
    assert "1 Januari 2026" in text  # the effective date, written the Indonesian way
    assert ("Rp 10.000.000" in text) is (report.agreement.fee is not None)  # the fee, likewise
    pages = page_words(path)
    assert len(pages) >= 2
    assert_inside_margins(pages)
    marks = [watermark(words) for _, _, words in pages]
    assert marks == [report.text.t("draft") if report.draft else ""] * len(pages)


def test_pages_as_images_have_blank_margins_and_drawn_charts(tmp_path, render):
    image = pytest.importorskip("PIL.Image")
    report = courier_report("en")
    path = _pdf(tmp_path, render, report)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(tmp_path / "page")], check=True)
    files = sorted(tmp_path.glob("page-*.png"))
    assert len(files) >= 2
    line_pixels = 0
    for file in files:
        with image.open(file) as img:
            rgb = np.asarray(img.convert("RGB"), dtype=np.int16)
        strip = round(STRIP_MM / 25.4 * 50)
        for side in (rgb[:, :strip], rgb[:, -strip:]):
            assert side.min() >= 250, f"{file.name}: something is drawn in the outer margin"
        line_pixels += int((np.abs(rgb - np.array(LINE_RGB)) < 40).all(axis=2).sum())
    assert line_pixels > 50 * len(report.section("compliance").charts)
