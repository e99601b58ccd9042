"""``ukur sla diff OLD.yaml NEW.yaml [--format text|json]``: what a change to an agreement does.

Both files are loaded (parents found as for ``validate``; a NEW that names OLD's id as its parent gets
OLD itself). The text form lists the changes grouped by direction, loosened first since those are what a
customer must agree to; the JSON form is :meth:`ukur.sla.diff.AgreementDiff.to_dict`. A child that
loosens its parent is an error (exit 2), as is any file that does not load.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from ukur.cli.options import AgreementsDir
from ukur.errors import AgreementError
from ukur.sla.diff import AgreementDiff, content_hash, diff_agreements

__all__ = ["diff", "diff_text"]

ORDER = ("loosened", "tightened", "changed", "added", "removed")
PERCENT_FIELDS = ("goal", "warn_at")


class Format(StrEnum):
    text = "text"
    json = "json"


def _value(field: str, value: Any) -> str:
    if value is None:
        return "—"
    if field in PERCENT_FIELDS and isinstance(value, float):
        return f"{value * 100:g} %"
    return str(value)


def diff_text(result: AgreementDiff) -> str:
    """The diff as readable lines: a header with both versions and hashes, then one line per change."""
    old, new = result.old, result.new
    lines = [
        f"{old.id} v{old.version} ({content_hash(old)[:12]}) → {new.id} v{new.version} ({content_hash(new)[:12]})"
    ]
    if result.changes.empty:
        lines.append("no changes")
    for direction in ORDER:
        rows = result.changes[result.changes["direction"] == direction]
        if rows.empty:
            continue
        lines.append(f"{direction} ({len(rows)}):")
        for row in rows.to_dict(orient="records"):
            field = str(row["field"])
            where = " ".join(str(p) for p in (row["part"], row["item"], field) if p)
            lines.append(f"  {where}: {_value(field, row['old'])} → {_value(field, row['new'])}")
    return "\n".join(lines) + "\n"


def diff(
    old_file: Annotated[
        Path, typer.Argument(metavar="OLD.yaml", help="The earlier version (or the parent).")
    ],
    new_file: Annotated[Path, typer.Argument(metavar="NEW.yaml", help="The later version (or the child).")],
    output_format: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
    agreements: AgreementsDir = None,
) -> None:
    """Show what changed between two versions: objectives tightened or loosened, clauses changed."""
    from ukur.cli.sla import load_file, registry_for  # ukur.cli.sla registers this command: import late

    old = load_file(old_file, agreements)
    registry = registry_for(new_file, agreements)
    registry.add(old)
    try:
        text = new_file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise AgreementError("the agreement is not UTF-8 text", source=str(new_file)) from None
    new = registry.load(text, source=str(new_file))
    result = diff_agreements(old, new)
    if output_format is Format.json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        typer.echo(diff_text(result), nl=False)
