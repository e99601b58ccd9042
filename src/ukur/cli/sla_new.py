"""``ukur sla new --template courier --type customer --lang id --output FILE``: start from a template.

The template (see :mod:`ukur.sla.template`) is rendered for the type and language, effective for one year
from the first day of next month (``--from`` to choose), loaded and validated like any agreement, and only
then written. An existing file is kept unless ``--force`` is given, so a signed agreement is never
overwritten by accident. User errors exit with code 2 and write nothing.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ukur.errors import UkurError
from ukur.sla import load_agreement
from ukur.sla.template import render_template

__all__ = ["new"]


class AgreementType(StrEnum):
    customer = "customer"
    internal = "internal"
    multilevel = "multilevel"


class Language(StrEnum):
    id = "id"
    en = "en"


def next_month(today: date) -> date:
    """The first day of the month after ``today``."""
    return date(today.year + (today.month == 12), today.month % 12 + 1, 1)


def new(
    template: Annotated[
        str, typer.Option("--template", "-t", help="courier, helpdesk, it-service, cloud or call-center.")
    ],
    output: Annotated[Path, typer.Option("--output", "-o", help="The agreement file to write (YAML).")],
    agreement_type: Annotated[
        AgreementType, typer.Option("--type", help="customer, internal or multilevel.")
    ] = AgreementType.customer,
    lang: Annotated[
        Language, typer.Option("--lang", help="Language of comments and titles: id or en.")
    ] = Language.id,
    start: Annotated[
        str | None,
        typer.Option("--from", help="Effective from (YYYY-MM-DD); default: the 1st of next month."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a complete, valid agreement from a template, with comments explaining each choice."""
    from ukur.cli.sla import write_output  # ukur.cli.sla registers this command: import late

    try:
        effective = date.fromisoformat(start) if start is not None else next_month(date.today())
    except ValueError:
        raise UkurError(f"--from expects a date such as 2027-01-01, got {start!r}", field="from") from None
    text = render_template(template, type=agreement_type.value, lang=lang.value, effective_from=effective)
    load_agreement(text, source=str(output))
    if output.exists() and not force:
        raise UkurError(f"{output} exists; choose another --output or add --force", source=str(output))
    if not output.resolve().parent.is_dir():
        raise UkurError("the output folder does not exist", source=str(output.parent))
    write_output(text, output)
    typer.echo(f"wrote {output} ({template}, {agreement_type.value}, {lang.value})", err=True)
