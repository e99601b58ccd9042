"""The contract document as PDF (WeasyPrint): sections in order, footer with the hash on every page, DRAFT on
every page exactly when unsigned, text drawn and nothing off the page.

Pages are read with Debian's poppler-utils (.ci/pdf.sh installs them): ``pdftotext -bbox`` gives every
word's box, which must lie inside the page clear of the outer 8 mm; ``pdftoppm`` turns every page into a
grey image in which text must be drawn (dark pixels) and the outer 8 mm strips must be blank paper.
Skipped where WeasyPrint or poppler is missing; failed under ``CI=true``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import yaml

from ukur.report.sla_document import SECTION_KEYS, build_document
from ukur.report.sla_document_text import LABELS
from ukur.sla import load_agreement
from ukur.sla.diff import content_hash
from ukur.sla.template import render_template

MM = 72 / 25.4
STRIP_MM = 8.0
DPI = 50


def _need(condition: bool, reason: str) -> None:
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs {reason} (.ci/pdf.sh)")
        pytest.skip(f"needs {reason} (.ci/pdf.sh)")


@pytest.fixture(scope="module")
def render():
    try:
        import weasyprint  # noqa: F401

        from ukur.report.sla_document import render_document_pdf
    except (ImportError, OSError):
        _need(False, "the weasyprint package and Pango")
    _need(shutil.which("pdftotext") is not None and shutil.which("pdftoppm") is not None, "poppler-utils")
    return render_document_pdf


def _text(name: str, signed: bool) -> str:
    text = render_template(name, type="customer", lang="id", effective_from=date(2027, 1, 1))
    return text.replace("signed_at: null", "signed_at: 2026-12-20") if signed else text


def _pages(path: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
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
    plain = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
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
    pages = _pages(path)
    digest = content_hash(text)
    for width, height, words in pages:
        assert words
        # The footer carries the whole hash on every page.
        assert digest in {w for *_, w in words}
        for x0, y0, x1, y1, word in words:
            assert x0 >= STRIP_MM * MM and x1 <= width - STRIP_MM * MM, word
            assert y0 >= 0 and y1 <= height, word
        # The watermark's huge rotated letters: on every page of a draft, on none of a signed agreement.
        big = "".join(w for x0, y0, x1, y1, w in sorted(words) if y1 - y0 > 40)
        assert bool(big) is not signed
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", str(path), str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.pgm"))
    assert len(images) == len(pages) >= 2
    strip = round(STRIP_MM / 25.4 * DPI)
    for image in images:
        grey = _pgm(image)
        assert (grey < 100).sum() > 100, f"{image.name}: no text drawn"
        for side in (grey[:, :strip], grey[:, -strip:], grey[:strip, :], grey[-strip:, :]):
            assert side.min() >= 250, f"{image.name}: something runs into the outer margin"
