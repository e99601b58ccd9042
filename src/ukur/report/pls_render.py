"""One entry point for every PLS report format, for the CLI and the web app alike.

``render(report, "html" | "xlsx" | "docx") -> bytes``; :data:`MEDIA_TYPES` gives the HTTP content type and
:data:`SUFFIXES` the file suffixes that choose each format.
"""

from __future__ import annotations

from ukur.errors import SpecError
from ukur.report.pls_docx import render_docx
from ukur.report.pls_html import render_html
from ukur.report.pls_tables import PLSReport
from ukur.report.pls_xlsx import render_xlsx

__all__ = ["MEDIA_TYPES", "SUFFIXES", "format_for", "render"]

MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
SUFFIXES = {".html": "html", ".htm": "html", ".xlsx": "xlsx", ".docx": "docx"}


def format_for(filename: str) -> str:
    """The report format a file name asks for; :class:`SpecError` naming the allowed suffixes otherwise."""
    dot = filename.rfind(".")
    suffix = filename[dot:].lower() if dot >= 0 else ""
    if suffix not in SUFFIXES:
        raise SpecError(
            f"unknown report format '{suffix or filename}' (use .html, .xlsx or .docx)", field="output"
        )
    return SUFFIXES[suffix]


def render(report: PLSReport, fmt: str) -> bytes:
    """The report in format ``fmt`` (``html``, ``xlsx`` or ``docx``) as bytes."""
    if fmt == "html":
        return render_html(report).encode("utf-8")
    if fmt == "xlsx":
        return render_xlsx(report)
    if fmt == "docx":
        return render_docx(report)
    raise SpecError(f"unknown report format '{fmt}' (use html, xlsx or docx)", field="format")
