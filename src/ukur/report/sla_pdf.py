"""The SLA report as PDF: the HTML report laid out on A4 pages by WeasyPrint.

WeasyPrint (a maintained HTML/CSS-to-PDF engine, BSD licence) draws the inline SVG charts itself, honours
``@page`` (A4, margins, page numbers) and repeats the fixed ``DRAFT`` watermark on every page. It needs
Pango (Debian: ``libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0``) and a font (``fonts-dejavu-core``);
``.ci/pdf.sh`` installs them. The HTML has no external references, so nothing is fetched while rendering.
"""

from __future__ import annotations

import logging

from ukur.errors import UkurError
from ukur.report.sla_html import render_html
from ukur.report.sla_report import SLAReport

__all__ = ["render_pdf"]


def render_pdf(report: SLAReport) -> bytes:
    """The report as PDF bytes; a :class:`~ukur.errors.UkurError` when WeasyPrint or Pango is missing."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        raise UkurError(
            "PDF output needs the weasyprint package and the Pango library "
            f"(pip install weasyprint; Debian: apt-get install libpango-1.0-0 libpangoft2-1.0-0): {exc}"
        ) from None
    # WeasyPrint logs every CSS property it does not know at WARNING level; the report uses none on
    # purpose, and its messages would only clutter the command's output.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    pdf = weasyprint.HTML(string=render_html(report), base_url=None).write_pdf()
    assert pdf is not None
    return bytes(pdf)
