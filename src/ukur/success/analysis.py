"""One call for the whole success analysis: what ``ukur sla success`` and the web app's success page show.

:func:`analyze` evaluates every customer's records (:func:`~ukur.success.experience.evaluate_customers`),
validates the feedback, links each feedback row to its customer (through its record, else the
agreement's customer), and computes the met-versus-breached split, retention, customers at risk,
complaint handling (a complaints stream, else the claims of type ``complaint``: filed = received,
responded = resolved, on the claims policy's calendar with its ``respond_within`` as the resolution
target unless one is given) and the PLS-SEM linking analysis (when at least 10
customers have every indicator of the model; otherwise a note says why it is missing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from ukur.errors import DataError
from ukur.sla import Agreement, BusinessCalendar
from ukur.sla.compliance import frame_records
from ukur.success.at_risk import AtRisk, AtRiskRule, allowed_shares, at_risk
from ukur.success.complaints import ComplaintHandling, complaint_handling, complaints_from_claims
from ukur.success.experience import (
    CustomerCompliance,
    customer_credits,
    evaluate_customers,
    experience,
    record_outcomes,
)
from ukur.success.feedback import FEEDBACK_COLUMNS, validate_feedback
from ukur.success.linking import Linking, customer_rows, link
from ukur.success.retention import Retention, monthly_fee, retention
from ukur.success.split import SplitResult, satisfaction_split

__all__ = ["ComplaintTargets", "Success", "analyze"]

DEFAULT_RULE = AtRiskRule()


@dataclass(frozen=True, slots=True)
class ComplaintTargets:
    """How complaints are measured: the calendar (a name of the first agreement's calendars) and targets."""

    calendar: str = "24x7"
    acknowledge_within: str | None = None
    resolve_within: str | None = None


@dataclass(frozen=True)
class Success:
    """Everything the success analysis found (see the module docstring); ``to_dict()`` is the JSON."""

    agreements: tuple[Agreement, ...]
    as_of: pd.Timestamp
    evaluated: tuple[CustomerCompliance, ...]
    outcomes: pd.DataFrame
    experience: pd.DataFrame
    feedback: pd.DataFrame
    split: SplitResult
    retention: Retention
    at_risk: AtRisk
    linking: Linking | None
    complaints: ComplaintHandling | None
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The JSON of ``ukur sla success --format json`` (without the written text)."""
        return {
            "agreements": [a.id for a in self.agreements],
            "as_of": str(np.datetime_as_string(self.as_of.to_datetime64(), unit="s")) + "Z",
            "customers": len(self.experience),
            "feedback": len(self.feedback),
            "experience": frame_records(self.experience.reset_index()),
            "split": self.split.to_dict(),
            "retention": self.retention.to_dict(),
            "at_risk": self.at_risk.to_dict(),
            "complaints": None if self.complaints is None else self.complaints.to_dict(),
            "linking": None if self.linking is None else self.linking.to_dict(),
            "notes": list(self.notes),
        }


def _customers(feedback: pd.DataFrame, outcomes: pd.DataFrame, agreements: Sequence[Agreement]) -> pd.Series:
    """The customer of each feedback row: given, else its record's, else its agreement's customer."""
    by_record = outcomes.drop_duplicates(["agreement", "record_id"]).set_index(["agreement", "record_id"])
    keys = pd.MultiIndex.from_arrays([feedback["agreement"], feedback["record_id"].astype(str)])
    from_record = pd.Series(by_record["customer"].reindex(keys).to_numpy(dtype=object), index=feedback.index)
    own = {a.id: a.customer.name for a in agreements}
    from_agreement = feedback["agreement"].map(own)
    return feedback["customer"].fillna(from_record).fillna(from_agreement)


def _spans(agreements: Sequence[Agreement]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer": [a.customer.name for a in agreements],
            "start": [a.effective_from for a in agreements],
            "end": [a.effective_to for a in agreements],
        }
    )


def _last_month(agreements: Sequence[Agreement], now: pd.Timestamp) -> str:
    """The month the at-risk rule ends with: ``as_of``'s month, or the last month any agreement is in
    effect when all of them have ended before ``as_of``."""
    tz = agreements[0].timezone
    month = now.tz_localize("UTC").tz_convert(tz).tz_localize(None).to_period("M")
    ends = [a.effective_to for a in agreements]
    if ends and all(e is not None for e in ends):
        month = min(month, max(pd.Period(e, "M") for e in ends))
    return str(month)


def analyze(
    agreements: Sequence[Agreement],
    records: Mapping[str, pd.DataFrame],
    feedback: pd.DataFrame,
    *,
    status_history: Mapping[str, pd.DataFrame] | None = None,
    claims: pd.DataFrame | None = None,
    complaints: pd.DataFrame | None = None,
    targets: ComplaintTargets = ComplaintTargets(),
    model: str | None = None,
    hypotheses: str | None = None,
    samples: int = 2000,
    seed: int = 0,
    as_of: datetime | str | pd.Timestamp | None = None,
    customer_column: str = "customer",
    rule: AtRiskRule = DEFAULT_RULE,
) -> Success:
    """Run the success analysis; ``feedback`` is a raw feedback frame (validated here).

    Every feedback column beyond :data:`~ukur.success.feedback.FEEDBACK_COLUMNS` is an answer item
    (e.g. ``loy1``) and must hold numbers.  ``samples`` and ``seed`` drive both bootstraps (split and
    PLS).
    """
    if not agreements:
        raise DataError("give at least one agreement", field="agreement")
    first = agreements[0]
    tz = first.timezone
    calendar: BusinessCalendar | None = None
    if complaints is not None:
        try:
            calendar = first.calendar(targets.calendar)
        except KeyError:
            names = ", ".join(name for name, _ in first.calendars)
            raise DataError(
                f"agreement {first.id!r} has no calendar {targets.calendar!r} (it has {names})",
                field="calendar",
            ) from None
    evaluated = evaluate_customers(
        agreements,
        records,
        customer_column=customer_column,
        status_history=status_history,
        claims=claims,
        as_of=as_of,
    )
    now = evaluated[0].compliance.as_of if evaluated else pd.Timestamp.now("UTC").tz_localize(None)
    outcomes = record_outcomes(evaluated)
    # feedback may name any record of the streams the agreement reads, also one outside the evaluated dates
    known = {
        a.id: np.concatenate(
            [
                np.strings.strip(records[s]["id"].astype(str).to_numpy(dtype=str))
                for s in a.streams
                if s in records
            ]
            or [np.array([], dtype=str)]
        )
        for a in agreements
    }
    items = [c for c in feedback.columns if c not in FEEDBACK_COLUMNS]
    fb = validate_feedback(
        feedback, agreements=[a.id for a in agreements], records=known, items=items, timezone=tz
    )
    fb["customer"] = _customers(fb, outcomes, agreements)
    notes: list[str] = []
    split = satisfaction_split(outcomes, fb, samples=samples, seed=seed)
    exp = experience(evaluated, outcomes)  # record_outcomes is costly: computed once, above
    fees = {c.customer: monthly_fee(c.agreement.fee) for c in evaluated}
    split_by_customer = any(customer_column in f.columns for f in records.values())
    kept = retention(
        outcomes[["customer", "at"]],
        spans=None if split_by_customer else _spans(agreements),
        fees=fees,
        credits=customer_credits(evaluated),
        timezone=tz,
    )
    risky = at_risk(
        fb,
        outcomes,
        rule=rule,
        timezone=tz,
        last=_last_month(agreements, now),
        allowed=allowed_shares(agreements),
    )
    handled = None
    if complaints is None:
        from_claims = [
            complaints_from_claims(c.compliance.claims, customer=c.customer)
            for c in evaluated
            if len(c.compliance.claims)
        ]
        if from_claims and sum(len(f) for f in from_claims):
            complaints = pd.concat(from_claims, ignore_index=True)
            policy = first.claims
            calendar = first.calendar(policy.calendar if policy is not None else "24x7")
            if targets.resolve_within is None and policy is not None and policy.respond_within is not None:
                targets = ComplaintTargets(
                    calendar.name, targets.acknowledge_within, policy.respond_within.text
                )
            notes.append("complaints are the claims of type 'complaint', measured on the claims calendar")
    if complaints is not None and calendar is not None:
        handled = complaint_handling(
            complaints,
            calendar,
            acknowledge_within=targets.acknowledge_within,
            resolve_within=targets.resolve_within,
            as_of=now.tz_localize("UTC"),
        )
    linking = None
    rows = customer_rows(exp, fb)
    try:
        linking = link(rows, model=model, hypotheses_text=hypotheses, samples=samples, seed=seed)
    except DataError as error:
        if model is not None:
            raise
        notes.append(f"linking analysis not run: {error.message}")
    return Success(
        agreements=tuple(agreements),
        as_of=now,
        evaluated=evaluated,
        outcomes=outcomes,
        experience=exp,
        feedback=fb,
        split=split,
        retention=kept,
        at_risk=risky,
        linking=linking,
        complaints=handled,
        notes=tuple(notes),
    )
