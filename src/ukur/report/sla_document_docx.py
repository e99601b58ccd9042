"""The contract document as DOCX (python-docx), for parties who edit and sign in a word processor.

The same :class:`~ukur.report.sla_document.ContractDocument` as the HTML: numbered headings, paragraphs,
bullet and numbered lists, tables; for a bilingual document every section is a two-column table with
Bahasa Indonesia on the left and English on the right. The page footer (every page) carries the
agreement id, version and content hash; the page header says DRAFT while the agreement is unsigned.
"""

from __future__ import annotations

import io

from docx import Document
from docx.document import Document as DocxDocument
from docx.shared import Mm, Pt
from docx.table import _Cell

from ukur.report.sla_document import Block, ContractDocument

__all__ = ["render_document_docx"]


def render_document_docx(document: ContractDocument) -> bytes:
    """The document as DOCX bytes (A4)."""
    doc: DocxDocument = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(18))
    doc.styles["Normal"].font.size = Pt(10)
    footer = section.footer.paragraphs[0]
    footer.text = document.footer
    footer.runs[0].font.size = Pt(7)
    if document.draft:
        header = section.header.paragraphs[0]
        header.text = document.draft_mark
        header.runs[0].font.bold = True
        doc.add_paragraph().add_run(document.draft_mark).bold = True
    doc.add_heading(document.titles[0], level=0)
    for sections in zip(*document.versions, strict=True):
        doc.add_heading(f"{sections[0].number}. " + " / ".join(s.title for s in sections), level=1)
        if len(sections) == 1:
            for block in sections[0].blocks:
                _block(doc, block)
            continue
        table = doc.add_table(rows=0, cols=len(sections))
        for blocks in zip(*(s.blocks for s in sections), strict=True):
            cells = table.add_row().cells
            for cell, block in zip(cells, blocks, strict=True):
                _block(cell, block)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _block(parent: DocxDocument | _Cell, block: Block) -> None:
    """Add one block to the document body or to a table cell."""
    first_paragraph = (
        parent.paragraphs[0] if isinstance(parent, _Cell) and not parent.paragraphs[0].text else None
    )

    def paragraph(text: str, style: str | None = None) -> None:
        nonlocal first_paragraph
        if first_paragraph is not None:
            first_paragraph.text = text
            if style:
                first_paragraph.style = style
            first_paragraph = None
        else:
            parent.add_paragraph(text, style=style)

    if block.kind == "p":
        paragraph(block.text)
    elif block.kind in ("list", "steps"):
        style = "List Bullet" if block.kind == "list" else "List Number"
        for item in block.items:
            paragraph(item, style)
    elif block.kind in ("table", "kv"):
        width = len(block.header or block.rows[0])
        table = parent.add_table(rows=0, cols=width)
        table.style = "Table Grid"
        if block.header:
            for cell, text in zip(table.add_row().cells, block.header, strict=True):
                cell.text = text
                cell.paragraphs[0].runs[0].bold = True
        for row in block.rows:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text
