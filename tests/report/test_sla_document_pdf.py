"""The contract document as PDF (WeasyPrint): sections in order, footer with the hash on every page, DRAFT on
every page exactly when unsigned, text drawn and nothing off the page.

Pages are read with Debian's poppler-utils (.ci/pdf.sh installs them): ``pdftotext -bbox`` gives every
word's box, which must lie inside the page clear of the outer 8 mm; ``pdftoppm`` turns every page into a
grey image in which text must be drawn (dark pixels) and the outer 8 mm strips must be blank paper.
Skipped where WeasyPrint or poppler is missing; failed under ``CI=true``.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import yaml

from tests.report.pdf_checks import (
    STRIP_MM,
    assert_inside_margins,
    page_words,
    pdf_text,
    require_pdf_tools,
    watermark,
)
from ukur.report.sla_document import SECTION_KEYS, build_document
from ukur.report.sla_document_text import LABELS
from ukur.sla import load_agreement
from ukur.sla.diff import content_hash
from ukur.sla.template import render_template

DPI = 50


@pytest.fixture(scope="module")
def render():
    require_pdf_tools()
    from ukur.report.sla_document import render_document_pdf

    return render_document_pdf


def _text(name: str, signed: bool) -> str:
    text = render_template(name, type="customer", lang="id", effective_from=date(2027, 1, 1))
    return text.replace("signed_at: null", "signed_at: 2026-12-20") if signed else text


def _pgm(path: Path) -> np.ndarray:
    """A binary PGM (P5, 8 bit) as an array of grey levels."""
    data = path.read_bytes()
    magic, width, height, depth, rest = re.match(rb"(P5)\s+(\d+)\s+(\d+)\s+(\d+)\s(.*)", data, re.S).groups()  # type: ignore[union-attr]
    assert magic == b"P5" and int(depth) == 255
    return np.frombuffer(rest[: int(width) * int(height)], dtype=np.uint8).reshape(int(height), int(width))


@pytest.mark.parametrize("lang", ["id", "en", "bilingual"])
@pytest.mark.parametrize("signed", [False, True])
def test_pdf_sections_footer_draft_and_layout(tmp_path, render, lang, signed):
    text = _text("cloud", signed)
    agreement = load_agreement(text)
    path = tmp_path / "agreement.pdf"
    path.write_bytes(render(build_document(agreement, lang=lang)))
    assert path.read_bytes()[:5] == b"%PDF-"
    plain = pdf_text(path)
    flat = re.sub(r"\s+", " ", plain)
    code = 1 if lang == "en" else 0
    positions = [flat.find(f"{i}. {LABELS[k][code]}") for i, k in enumerate(SECTION_KEYS, start=1)]
    assert -1 not in positions and positions == sorted(positions)
    # Every goal, credit threshold and credit of the YAML is printed (read back from the PDF's text).
    printed = {float(n.replace(".", "").replace(",", ".")) if lang != "en" else float(n.replace(",", ""))
               for n in re.findall(r"([\d.,]+) %", flat)}  # fmt: skip
    raw = yaml.safe_load(text)
    shares = [o["goal"] for o in raw["objectives"]]
    shares += [v for p in raw["penalties"] for t in p["credits"] for v in (t["below"], t["credit"])]
    assert {float(str(v).rstrip("%")) for v in shares} <= printed
    pages = page_words(path)
    digest = content_hash(text)
    assert_inside_margins(pages)
    for _, _, words in pages:
        # The footer carries the whole hash on every page.
        assert digest in {w for *_, w in words}
        # The watermark's huge rotated letters: on every page of a draft, on none of a signed agreement.
        assert bool(watermark(words)) is not signed
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", str(path), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.pgm"))
    assert len(images) == len(pages) >= 2
    strip = round(STRIP_MM / 25.4 * DPI)
    for image in images:
        grey = _pgm(image)
        assert (grey < 100).sum() > 100, f"{image.name}: no text drawn"
        for side in (grey[:, :strip], grey[:, -strip:], grey[:strip, :], grey[-strip:, :]):
            assert side.min() >= 250, f"{image.name}: something runs into the outer margin"
