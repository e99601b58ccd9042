"""The linking analysis: does meeting the SLA make customers more satisfied and more loyal?

One row per customer joins the customer's SLA experience (:func:`ukur.success.experience.experience`:
share of records on time, breaches, credits received, claims handled in time) with the mean of each of
the customer's feedback answers (per-record CSAT, effort and NPS, and items of periodic surveys such as
``loy1``, ``loy2``).  A PLS-SEM model is estimated on these rows with :func:`ukur.pls.estimate` and
bootstrapped (:func:`ukur.pls.bootstrap.bootstrap`); its hypotheses are tested on the bootstrap
(:func:`ukur.pls.hypotheses.hypotheses`).

The default model (:func:`default_model`), SLA performance → satisfaction → loyalty::

    SLA =~ on_time_share
    Satisfaction =~ csat + effort         # and every sat* column (items of a survey questionnaire)
    Loyalty =~ nps + loy1 + loy2          # every loy* column present; nps alone when there is none
    Satisfaction ~ SLA
    Loyalty ~ SLA + Satisfaction
    H1: SLA -> Satisfaction
    H2: Satisfaction -> Loyalty
    H3: SLA -> Loyalty
    H4: SLA -> Satisfaction -> Loyalty

Answers no customer gave are left out of the default model (a questionnaire linked for feedback may
lack effort or NPS), so its items flow in by name: ``sat*`` into Satisfaction, ``loy*`` into Loyalty.

H4 is the mediation: the part of the SLA's effect on loyalty that runs through satisfaction (Zhao,
Lynch & Chen 2010, J. Consumer Research 37, 197–206; Hair et al. 2022, ch. 7).  Customers lacking a
value of any indicator of the model are left out (listwise), and how many is reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ukur.errors import DataError
from ukur.pls import Model, PLSResult, estimate
from ukur.pls.bootstrap import bootstrap
from ukur.pls.bootstrap_result import BootstrapResult
from ukur.pls.hypotheses import HypothesisResult, hypotheses
from ukur.pls.syntax import parse_model
from ukur.sla.compliance import frame_records

__all__ = ["DEFAULT_HYPOTHESES", "Linking", "customer_rows", "default_model", "link"]

DEFAULT_HYPOTHESES = (
    "H1: SLA -> Satisfaction",
    "H2: Satisfaction -> Loyalty",
    "H3: SLA -> Loyalty",
    "H4: SLA -> Satisfaction -> Loyalty",
)
_NOT_ANSWERS = {"agreement", "record_id", "customer", "respondent", "submitted_at", "comment"}


def default_model(columns: Sequence[str]) -> str:
    """The default model's syntax for the columns of the customer rows (see the module docstring).

    ``columns`` are the columns holding values: CSAT and effort measure Satisfaction with every ``sat*``
    column (items of a survey questionnaire named so), NPS measures Loyalty with every ``loy*`` column; an
    answer no customer gave is left out (a questionnaire linked for feedback may lack effort, say).
    """
    names = [str(c) for c in columns]

    def measured_by(built_in: Sequence[str], prefix: str) -> list[str]:
        found = [c for c in built_in if c in names]
        found += sorted(c for c in names if c.lower().startswith(prefix) and c not in built_in)
        return found or list(built_in[:1])

    satisfaction = measured_by(("csat", "effort"), "sat")
    loyalty = measured_by(("nps",), "loy")
    lines = [
        "SLA =~ on_time_share",
        f"Satisfaction =~ {' + '.join(satisfaction)}",
        f"Loyalty =~ {' + '.join(loyalty)}",
        "Satisfaction ~ SLA",
        "Loyalty ~ SLA + Satisfaction",
    ]
    return "\n".join(lines) + "\n"


def customer_rows(experience: pd.DataFrame, feedback: pd.DataFrame) -> pd.DataFrame:
    """One row per customer: the experience columns, ``answers`` (feedback rows) and the mean of every
    numeric answer column of ``feedback`` (rows without a customer are ignored).  Index ``customer``."""
    answers = [
        c
        for c in feedback.columns
        if c not in _NOT_ANSWERS and pd.api.types.is_numeric_dtype(feedback[c]) and c not in experience
    ]
    fb = feedback[feedback["customer"].notna()]
    means = fb.groupby(fb["customer"].astype(str))[answers].mean()
    counts = fb.groupby(fb["customer"].astype(str)).size().rename("answers")
    rows = experience.join(counts, how="left").join(means, how="left")
    rows["answers"] = rows["answers"].fillna(0).astype(np.int64)
    rows.index.name = "customer"
    return rows


@dataclass(frozen=True)
class Linking:
    """The linking analysis: the customer rows, the model, the estimate, the bootstrap and hypotheses.

    ``rows``: :func:`customer_rows` (every customer); ``used``: the customers estimated on; ``effects``:
    one row per hypothesis (``label, effect, kind, original, ci_low, ci_high, p, supported``) — the
    answer to "by how much?" in standardized units (a path of 0.5: one standard deviation more of the
    cause goes with half a standard deviation more of the effect, the others held equal).
    """

    rows: pd.DataFrame
    used: tuple[str, ...]
    syntax: str
    model: Model
    result: PLSResult
    boot: BootstrapResult
    hypotheses: HypothesisResult
    dropped: tuple[str, ...] = field(default=())

    @property
    def effects(self) -> pd.DataFrame:
        cols = ["label", "effect", "kind", "original", "ci_low", "ci_high", "p", "supported"]
        return self.hypotheses.table[cols].reset_index(drop=True)

    def to_dict(self) -> dict[str, Any]:
        """The ``linking`` object of ``ukur sla success --format json``."""
        return {
            "model": self.syntax,
            "n": len(self.used),
            "dropped": list(self.dropped),
            "rows": frame_records(self.rows.reset_index()),
            "effects": frame_records(self.effects),
            "hypotheses": self.hypotheses.to_list(),
            "r2": frame_records(self.result.r2.reset_index()),
            "reliability": frame_records(self.result.reliability.reset_index()),
            "bootstrap": self.boot.to_dict(),
        }


def link(
    rows: pd.DataFrame,
    *,
    model: str | None = None,
    hypotheses_text: str | Sequence[str] | None = None,
    samples: int = 2000,
    seed: int = 0,
    alpha: float = 0.05,
) -> Linking:
    """Estimate ``model`` (syntax text; :func:`default_model` when ``None``) on the customer ``rows``.

    Hypotheses: ``hypotheses_text`` or the ``H…:`` lines of a given model, else
    :data:`DEFAULT_HYPOTHESES` for the default model; a custom model without hypotheses tests each of
    its paths.  Raises :class:`~ukur.errors.DataError` when fewer than 10 customers have every indicator.
    """
    answered = [c for c in rows.columns if rows[c].notna().any()]
    syntax = model if model is not None else default_model(answered)
    hyp_lines = [ln for ln in syntax.splitlines() if _is_hypothesis(ln)]
    body = "\n".join(ln for ln in syntax.splitlines() if not _is_hypothesis(ln))
    parsed = parse_model(body, source="model")
    indicators = [i for c in parsed.constructs for i in c.indicators]
    missing = [i for i in indicators if i not in rows.columns]
    if missing:
        raise DataError(
            f"the customer rows have no column {missing[0]!r} (columns: {', '.join(map(str, rows.columns))})",
            source="model",
            field=missing[0],
        )
    values = rows[indicators].apply(pd.to_numeric, errors="coerce").astype(float)
    complete = np.isfinite(values.to_numpy()).all(axis=1)
    if int(complete.sum()) < 10:
        raise DataError(
            f"only {int(complete.sum())} customers have every indicator of the model; at least 10 are needed",
            field="customers",
        )
    data = values[complete]
    result = estimate(parsed, data)
    boot = bootstrap(result, samples=samples, seed=seed, alpha=alpha)
    if hypotheses_text is not None:
        spec: str | Sequence[str] = hypotheses_text
    elif hyp_lines:
        spec = hyp_lines
    elif model is None:
        spec = list(DEFAULT_HYPOTHESES)
    else:
        spec = [f"{p.source} -> {p.target}" for p in parsed.paths]
    tested = hypotheses(boot, spec)
    used = tuple(str(c) for c in rows.index[complete])
    dropped = tuple(str(c) for c in rows.index[~complete])
    return Linking(
        rows=rows,
        used=used,
        syntax=syntax,
        model=parsed,
        result=result,
        boot=boot,
        hypotheses=tested,
        dropped=dropped,
    )


def _is_hypothesis(line: str) -> bool:
    head = line.split("#", 1)[0]
    return ":" in head and "->" in head and "=~" not in head and "~" not in head.replace("->", "")
