"""The SLA report as PDF (WeasyPrint): text is drawn, charts are drawn, nothing runs off the page.

Pages are checked two ways with Debian's poppler-utils (.ci/pdf.sh installs them): ``pdftotext -bbox``
gives every word's box, which must lie inside the page with the right margin left free; ``pdftoppm``
turns the pages into images whose outer 8 mm strips on the left and right must be blank paper and in
which the chart line's colour must appear. Skipped where WeasyPrint or poppler is missing; failed under
``CI=true``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tests.report.test_sla_report import courier_report
from ukur.report.sla_report import SLAReport

MM = 72 / 25.4  # PDF points per millimetre
STRIP_MM = 8.0  # the page margins are 14 mm; the outer 8 mm must stay empty
LINE_RGB = (0x2C, 0x5D, 0x8F)  # the chart line (ukur.report.sla_chart)


def _need(condition: bool, reason: str) -> None:
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs {reason} (.ci/pdf.sh)")
        pytest.skip(f"needs {reason} (.ci/pdf.sh)")


@pytest.fixture(scope="module")
def render():
    try:
        import weasyprint  # noqa: F401

        from ukur.report.sla_pdf import render_pdf
    except (ImportError, OSError):
        _need(False, "the weasyprint package and Pango")
    _need(shutil.which("pdftotext") is not None and shutil.which("pdftoppm") is not None, "poppler-utils")
    return render_pdf


def _pdf(tmp_path: Path, render, report: SLAReport) -> Path:
    path = tmp_path / "report.pdf"
    path.write_bytes(render(report))
    assert path.read_bytes()[:5] == b"%PDF-"
    return path


def _words(path: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """Per page: width, height and the words with their boxes, from ``pdftotext -bbox``."""
    xml = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    pages = []
    for match in re.finditer(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xml, re.S):
        words = [
            (float(a), float(b), float(c), float(d), w)
            for a, b, c, d, w in re.findall(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
                match.group(3),
            )
        ]
        pages.append((float(match.group(1)), float(match.group(2)), words))
    return pages


@pytest.mark.parametrize("name", ["kilat-gold", "helpdesk-internal"])
def test_text_is_drawn_inside_the_page(tmp_path, render, name):
    report = courier_report("id", name)
    path = _pdf(tmp_path, render, report)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    assert report.agreement.id in text
    titles = [s.title for s in report.sections]
    positions = [text.find(f"{i}. {t}") for i, t in enumerate(titles, start=1)]
    assert -1 not in positions and positions == sorted(positions), titles
    assert "1 Januari 2026" in text  # the effective date, written the Indonesian way
    assert ("Rp 10.000.000" in text) is (report.agreement.fee is not None)  # the fee, likewise
    pages = _words(path)
    assert len(pages) >= 2
    for width, height, words in pages:
        assert words
        for x0, y0, x1, y1, word in words:
            assert x0 >= STRIP_MM * MM and x1 <= width - STRIP_MM * MM, word
            assert y0 >= 0 and y1 <= height, word
    # The watermark is drawn rotated, so pdftotext sees its huge letters as separate words.
    marks = ["".join(w for x0, y0, x1, y1, w in sorted(words) if y1 - y0 > 40) for _, _, words in pages]
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
