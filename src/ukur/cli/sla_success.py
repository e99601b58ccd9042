"""``ukur sla success AGREEMENT… --records … --feedback …``: did meeting the SLA keep customers?

Answers "does meeting our SLA make customers more satisfied and more loyal, and by how much?" with
:func:`ukur.success.analyze`: satisfaction of records that met their SLA against those that breached it,
the PLS-SEM linking analysis (SLA performance → satisfaction → loyalty, or ``--model FILE``) with its
bootstrap, retention, customers at risk and, with ``--complaints``, complaint handling on the agreement's
clock.  The sentences are written by :func:`ukur.report.success_written.written` in ``--lang``.
Files are read through :func:`ukur.io.read_table`; user mistakes exit 2 with one line.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer

from ukur.errors import UkurError
from ukur.io import read_table
from ukur.report.success_written import QUESTION, written
from ukur.success import AtRiskRule, ComplaintTargets, analyze

__all__ = ["success", "written"]


class Language(StrEnum):
    en = "en"
    id = "id"


class Format(StrEnum):
    text = "text"
    json = "json"


def _tables(values: list[str] | None, option: str) -> dict[str, pd.DataFrame]:
    """``STREAM=FILE`` options read through :func:`ukur.io.read_table`."""
    found: dict[str, pd.DataFrame] = {}
    for value in values or []:
        name, sep, file = (part.strip() for part in value.partition("="))
        if not sep or not name or not file:
            raise UkurError(f"{option} expects STREAM=FILE (e.g. shipments=shipments.csv), got {value!r}")
        if name in found:
            raise UkurError(f"{option} names stream {name!r} twice")
        found[name] = read_table(Path(file))
    return found


def success(
    agreement_files: Annotated[list[Path], typer.Argument(metavar="AGREEMENT…", help="Agreement files.")],
    records: Annotated[
        list[str] | None,
        typer.Option("--records", help="STREAM=FILE (repeatable); a 'customer' column splits by customer."),
    ] = None,
    feedback: Annotated[
        Path | None, typer.Option("--feedback", help="Feedback file (agreement, record_id, csat, nps, …).")
    ] = None,
    status_history: Annotated[
        list[str] | None, typer.Option("--status-history", help="STREAM=FILE with record_id,status,at rows.")
    ] = None,
    claims: Annotated[Path | None, typer.Option("--claims", help="Claims file.")] = None,
    complaints: Annotated[
        Path | None,
        typer.Option("--complaints", help="Complaints file (id, received_at, acknowledged_at, resolved_at)."),
    ] = None,
    acknowledge_within: Annotated[
        str | None, typer.Option("--acknowledge-within", help="Complaint acknowledgement target, e.g. 4h.")
    ] = None,
    resolve_within: Annotated[
        str | None,
        typer.Option("--resolve-within", help="Complaint resolution target, e.g. '2 business days'."),
    ] = None,
    calendar: Annotated[
        str, typer.Option("--calendar", help="Calendar of the first agreement for complaint clocks.")
    ] = "24x7",
    model: Annotated[
        Path | None,
        typer.Option("--model", help="PLS model syntax file (default: SLA → satisfaction → loyalty)."),
    ] = None,
    at_risk_months: Annotated[
        int, typer.Option("--at-risk-months", help="At-risk rule: months in each compared window.")
    ] = 3,
    at_risk_drop: Annotated[
        float, typer.Option("--at-risk-drop", help="At-risk rule: smallest CSAT fall (points) that counts.")
    ] = 0.5,
    at_risk_answers: Annotated[
        int, typer.Option("--at-risk-answers", help="At-risk rule: fewest CSAT answers in each window.")
    ] = 3,
    at_risk_breaches: Annotated[
        int, typer.Option("--at-risk-breaches", help="At-risk rule: fewest breached records in the window.")
    ] = 3,
    at_risk_level: Annotated[
        float,
        typer.Option(
            "--at-risk-level", help="At-risk rule: p value the fall or the excess breaches must reach."
        ),
    ] = 0.01,
    at_risk_allowed: Annotated[
        float | None,
        typer.Option(
            "--at-risk-allowed", help="At-risk rule: share of records allowed to breach (default 1 − goal)."
        ),
    ] = None,
    bootstrap: Annotated[int, typer.Option("--bootstrap", help="Bootstrap resamples.")] = 2000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed of the bootstraps.")] = 0,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="'Now' for open records (ISO time; local to the agreement).")
    ] = None,
    agreements: Annotated[
        Path | None, typer.Option("--agreements", help="Folder with parent agreements (<id>.yaml).")
    ] = None,
    lang: Annotated[
        Language, typer.Option("--lang", help="Language of the written results: id or en.")
    ] = Language.en,
    output_format: Annotated[Format, typer.Option("--format", help="text or json.")] = Format.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write to FILE instead of stdout.")
    ] = None,
) -> None:
    """Does meeting the SLA make customers more satisfied and more loyal? Split, PLS-SEM link, retention."""
    # Imported here: ukur.cli.sla registers this command, so importing it at module level would be circular.
    from ukur.cli.sla import load_file, write_output

    if not records:
        raise UkurError("give the record files with --records STREAM=FILE", field="records")
    if feedback is None:
        raise UkurError("give the feedback file with --feedback FILE", field="feedback")
    rule = AtRiskRule(
        months=at_risk_months,
        drop=at_risk_drop,
        min_answers=at_risk_answers,
        breaches=at_risk_breaches,
        level=at_risk_level,
        allowed_share=at_risk_allowed,
    )
    loaded = [load_file(path, agreements) for path in agreement_files]
    model_text = None
    if model is not None:
        try:
            model_text = model.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UkurError(f"cannot read the model file: {error}", source=str(model)) from None
    result = analyze(
        loaded,
        _tables(records, "--records"),
        read_table(feedback),
        status_history=_tables(status_history, "--status-history"),
        claims=read_table(claims) if claims is not None else None,
        complaints=read_table(complaints) if complaints is not None else None,
        targets=ComplaintTargets(calendar, acknowledge_within, resolve_within),
        model=model_text,
        samples=bootstrap,
        seed=seed,
        as_of=as_of,
        rule=rule,
    )
    text = written(result, lang.value)
    if output_format is Format.json:
        doc: dict[str, Any] = {"question": QUESTION[lang.value], **result.to_dict(), "written": text}
        write_output(json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n", output)
    else:
        write_output("\n\n".join(text) + "\n", output)
