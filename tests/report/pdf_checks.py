"""What the PDF tests share: the tools they need (WeasyPrint with Pango, poppler's pdftotext/pdftoppm) and
the words of each page with their boxes, read back from the PDF as a reader would see them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

__all__ = ["MM", "STRIP_MM", "Page", "assert_inside_margins", "page_words", "pdf_text", "require_pdf_tools"]

MM = 72 / 25.4
"""PDF points per millimetre."""
STRIP_MM = 8.0
"""The page margins are 14 mm; the outer 8 mm of each side must stay empty."""

Word = tuple[float, float, float, float, str]
Page = tuple[float, float, list[Word]]


def require(condition: bool, reason: str) -> None:
    """Fail under ``CI=true`` (CI installs everything with .ci/pdf.sh), else skip, when a tool is missing."""
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs {reason} (.ci/pdf.sh)")
        pytest.skip(f"needs {reason} (.ci/pdf.sh)")


def require_pdf_tools() -> None:
    """WeasyPrint (with Pango) to write PDFs, poppler-utils to read them back."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        require(False, "the weasyprint package and Pango")
    require(shutil.which("pdftotext") is not None and shutil.which("pdftoppm") is not None, "poppler-utils")


def pdf_text(path: Path) -> str:
    """The PDF's text in reading order (``pdftotext``)."""
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout


def page_words(path: Path) -> list[Page]:
    """Per page: width, height and the words with their boxes (points), from ``pdftotext -bbox``."""
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


def assert_inside_margins(pages: list[Page]) -> None:
    """Every page has words, and none is drawn in the outer :data:`STRIP_MM` or off the page."""
    for width, height, words in pages:
        assert words
        for x0, y0, x1, y1, word in words:
            assert x0 >= STRIP_MM * MM and x1 <= width - STRIP_MM * MM, word
            assert y0 >= 0 and y1 <= height, word


def watermark(words: list[Word]) -> str:
    """The letters of the rotated DRAFT mark: pdftotext sees its huge letters as separate tall words."""
    return "".join(w for x0, y0, x1, y1, w in sorted(words) if y1 - y0 > 40)
