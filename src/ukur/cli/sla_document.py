"""``ukur sla document AGREEMENT.yaml [--lang id|en|bilingual] --output agreement.docx|.pdf|.html``.

Writes the agreement as a contract document (see :mod:`ukur.report.sla_document`): numbered sections,
objectives as sentences and as a table, the business calendar in words, credit tiers with a worked
example, the claims procedure as steps, the signature block, DRAFT until both parties have signed, and a
footer with the agreement id, version and content hash on every page. The format follows the output's
suffix; the file is written atomically and only when everything succeeded. User errors exit with code 2.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ukur.cli.files import renderer_for, write_atomic
from ukur.cli.options import AgreementsDir
from ukur.errors import UkurError
from ukur.report.sla_document import (
    ContractDocument,
    build_document,
    render_document_html,
    render_document_pdf,
)
from ukur.report.sla_document_docx import render_document_docx

__all__ = ["RENDERERS", "document"]


class Language(StrEnum):
    id = "id"
    en = "en"
    bilingual = "bilingual"


def _html(doc: ContractDocument) -> bytes:
    return render_document_html(doc).encode("utf-8")


RENDERERS: dict[str, Callable[[ContractDocument], bytes]] = {
    ".html": _html,
    ".htm": _html,
    ".pdf": render_document_pdf,
    ".docx": render_document_docx,
}
"""Output suffix → renderer of the document as bytes."""


def document(
    agreement_file: Annotated[Path, typer.Argument(metavar="AGREEMENT.yaml", help="The agreement.")],
    output: Annotated[
        Path, typer.Option("--output", "-o", help="agreement.docx, agreement.pdf or agreement.html.")
    ],
    lang: Annotated[
        Language, typer.Option("--lang", help="id, en or bilingual (side by side).")
    ] = Language.id,
    agreements: AgreementsDir = None,
) -> None:
    """Write the agreement as a contract document to sign (DOCX, PDF or HTML)."""
    from ukur.cli.sla import registry_for  # ukur.cli.sla registers this command: import late

    render = renderer_for(output, RENDERERS, "document")
    try:
        text = agreement_file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise UkurError("the agreement is not UTF-8 text", source=str(agreement_file)) from None
    registry = registry_for(agreement_file, agreements)
    agreement = registry.load(text, source=str(agreement_file))
    parent = registry.get(agreement.parent) if agreement.parent is not None else None
    payload = render(build_document(agreement, lang=lang.value, parent=parent))
    write_atomic(output, payload)
    typer.echo(f"wrote {output}", err=True)
