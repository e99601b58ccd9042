"""The PLS report as a DOCX document ready to paste into a thesis: headings, tables, figures, text.

Tables use Word's "Table Grid" style with the report's number formatting (decimal comma in Bahasa
Indonesia); marked cells are bold with a light red shading. Figures are the SVG diagrams rasterised to
PNG (:func:`ukur.report.diagram.svg_to_png`, which needs CairoSVG and the cairo library); without them
the caption is kept and a note says the figure needs CairoSVG, so the rest of the document is still
produced. A figure much wider than tall gets an A4 landscape page of its own.
"""

from __future__ import annotations

import io

import numpy as np
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from ukur.errors import UkurError
from ukur.report.diagram import svg_to_png
from ukur.report.pls_tables import PLSReport, ReportTable, cell_text

__all__ = ["render_docx"]

_TEXT_WIDTH_MM = 160
_LANDSCAPE_WIDTH_MM = 247


def _orient(doc: DocxDocument, *, landscape: bool) -> None:
    """Start a new section on a new page, A4 landscape or portrait, with the report's margins."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long, short = Mm(297), Mm(210)
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.left_margin = section.right_margin = Mm(25)


def _shade(cell: object, colour: str) -> None:
    props = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    props.append(shading)


def _table(d: DocxDocument, report: PLSReport, table: ReportTable) -> None:
    d.add_paragraph(table.title, style="Caption")
    t = d.add_table(rows=1, cols=len(table.headers))
    t.style = "Table Grid"
    for cell, header in zip(t.rows[0].cells, table.headers, strict=True):
        cell.text = header
        for run in cell.paragraphs[0].runs:
            run.bold = True
            run.font.size = Pt(8)
    columns = [str(c) for c in table.frame.columns]
    for i, row in enumerate(table.frame.itertuples(index=False, name=None)):
        cells = t.add_row().cells
        for cell, col, value in zip(cells, columns, row, strict=True):
            cell.text = cell_text(value, col, report.lang, table.digits)
            run = cell.paragraphs[0].runs[0] if cell.paragraphs[0].runs else None
            if run is not None:
                run.font.size = Pt(8)
                if isinstance(value, (float, np.floating, int, np.integer)):
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if (i, col) in table.marks:
                    run.bold = True
                    _shade(cell, "FDE2E1")
    note = table.note or (report.lang.t("note_marked") if table.marks else "")
    if note:
        p = d.add_paragraph(note)
        p.runs[0].font.size = Pt(8)


def render_docx(report: PLSReport) -> bytes:
    """The report as DOCX bytes."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    doc.styles["Normal"].font.size = Pt(10.5)
    doc.add_heading(report.title, level=0)
    doc.add_paragraph(report.subtitle)
    for s in report.sections:
        doc.add_heading(s.title, level=1)
        for f in s.figures:
            wide = f.wide
            if wide:
                _orient(doc, landscape=True)
            try:
                png = svg_to_png(f.svg, scale=2.0)
            except UkurError as exc:
                doc.add_paragraph(f"[{exc}]")
            else:
                width = _LANDSCAPE_WIDTH_MM if wide else _TEXT_WIDTH_MM
                doc.add_picture(io.BytesIO(png), width=Mm(width))
            doc.add_paragraph(f.caption, style="Caption")
            if wide:
                _orient(doc, landscape=False)
        for table in s.tables:
            _table(doc, report, table)
        for paragraph in s.paragraphs:
            doc.add_paragraph(paragraph)
    doc.add_heading(report.lang.t("sec_warnings"), level=1)
    if report.warnings:
        for message, rule in report.warnings:
            doc.add_paragraph(f"{message} — {rule}", style="List Bullet")
    else:
        doc.add_paragraph(report.lang.t("no_warnings"))
    doc.add_heading(report.lang.t("sec_references"), level=1)
    for ref in report.references:
        doc.add_paragraph(ref)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
