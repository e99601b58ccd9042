"""The service level agreement as an immutable value: parties, services, objectives, exclusions, penalties.

An :class:`Agreement` is what :func:`ukur.sla.load.load_agreement` builds from a ``ukur: sla/v1`` YAML
file (the format is documented in ``docs/sla-format.md``). Every part is a frozen dataclass so that an
agreement can be shared between threads, cached, hashed and compared; nothing here reads files or clocks.

The vocabulary follows the usual anatomy of an SLA: the *parties* (provider and customer, or two
departments for an internal SLA), the *services* delivered, the *service level objectives* measured on
records of the service (duration, ratio and availability objectives), *exclusions* agreed in advance,
*penalties* (service credits in tiers and per-record compensation), the *claims* procedure, the
*review* cycle and the *signatures* without which the agreement is only a draft.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from ukur.errors import AgreementError
from ukur.sla.calendar import BusinessCalendar
from ukur.sla.contract import Contract
from ukur.sla.duration import Duration

__all__ = [
    "TWENTY_FOUR_SEVEN",
    "Agreement",
    "AgreementType",
    "ClaimsPolicy",
    "CreditTier",
    "Exclusion",
    "ExclusionWindow",
    "Fee",
    "Objective",
    "ObjectiveKind",
    "Party",
    "Penalty",
    "PerRecordCompensation",
    "Service",
    "Signature",
    "Target",
    "Window",
]

TWENTY_FOUR_SEVEN = "24x7"
"""The name of the calendar that is always open; every agreement has it without declaring it."""


class AgreementType(StrEnum):
    """Customer SLA (one provider, one customer), internal SLA (between departments), multilevel SLA."""

    CUSTOMER = "customer"
    INTERNAL = "internal"
    MULTILEVEL = "multilevel"


class ObjectiveKind(StrEnum):
    """What an objective measures.

    ``duration``: the business time from ``start`` to ``stop`` of each record must stay within a target.
    ``ratio``: the share of records satisfying ``good_when``. ``availability``: one minus the downtime of
    outage records over the open time of the window.
    """

    DURATION = "duration"
    RATIO = "ratio"
    AVAILABILITY = "availability"


@dataclass(frozen=True, slots=True)
class Party:
    """A party to the agreement (a company, or a department for an internal SLA)."""

    name: str
    contact: str | None = None


@dataclass(frozen=True, slots=True)
class Fee:
    """The service fee that credits are a percentage of: ``amount`` per ``per`` (day/week/month/quarter/year)."""

    amount: float
    currency: str = "IDR"
    per: str = "month"


@dataclass(frozen=True, slots=True)
class Service:
    """A service the provider delivers; objectives refer to it by ``id``."""

    id: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Target:
    """The time allowed for one record: one duration, or one per value of a record field (``by``).

    ``Target(by="priority", values=(("P1", 1h), ("P2", 4h)), default=1d)`` gives P1 tickets an hour, P2
    tickets four hours and every other ticket one day. Without ``default`` a record whose key has no
    target is invalid.
    """

    default: Duration | None
    by: str | None = None
    values: tuple[tuple[str, Duration], ...] = ()

    def for_key(self, key: object) -> Duration | None:
        """The target for a record whose ``by`` field is ``key`` (``default`` when it has none)."""
        for name, duration in self.values:
            if name == str(key):
                return duration
        return self.default

    def items(self) -> tuple[tuple[str | None, Duration], ...]:
        """Every declared target as ``(key, duration)``; the default has key ``None``."""
        rest: tuple[tuple[str | None, Duration], ...] = tuple(self.values)
        return (*rest, (None, self.default)) if self.default is not None else rest


@dataclass(frozen=True, slots=True)
class Window:
    """The period over which an objective's goal is judged.

    ``unit`` is ``day``, ``week`` (ISO, Monday first), ``month``, ``quarter`` or ``rolling``; a rolling
    window covers the ``days`` days that end at the evaluation's end (``as_of`` or the period's end).
    """

    unit: str
    days: int | None = None

    @property
    def text(self) -> str:
        """The window as written in the agreement: ``month`` or ``rolling 30d``."""
        return f"rolling {self.days}d" if self.unit == "rolling" else self.unit


@dataclass(frozen=True, slots=True)
class Objective:
    """One service level objective.

    ``records`` names the record stream it reads; ``start``/``stop`` name timestamp fields; ``at`` names
    the field whose time places a record in a window (defaults to ``start``). ``pause_when`` lists the
    statuses (from the stream's status history) during which the clock stops. ``good_when`` maps fields
    to the values that make a record good (ratio objectives). ``goal`` and ``warn_at`` are fractions.
    """

    id: str
    service: str
    kind: ObjectiveKind
    records: str
    goal: float
    window: Window
    start: str | None = None
    stop: str | None = None
    at: str | None = None
    calendar: str = TWENTY_FOUR_SEVEN
    target: Target | None = None
    warn_at: float | None = None
    pause_when: tuple[str, ...] = ()
    good_when: tuple[tuple[str, tuple[object, ...]], ...] = ()
    description: str = ""

    def clock(self) -> tuple[str, str]:
        """``(start, stop)`` field names of a duration or availability objective.

        Objectives built in Python rather than loaded from YAML may lack them; that is reported as an
        :class:`~ukur.errors.AgreementError` naming the objective instead of failing later.
        """
        if not self.start or not self.stop:
            raise AgreementError(
                f"objective {self.id!r}: a {self.kind.value} objective needs start and stop",
                field=f"objectives[{self.id}]",
            )
        return self.start, self.stop

    @property
    def placed_by(self) -> str | None:
        """The field that places a record in a window: ``at``, else ``start``."""
        return self.at or self.start


@dataclass(frozen=True, slots=True)
class ExclusionWindow:
    """A time span (UTC, naive ``datetime64`` semantics) that does not count against the objectives."""

    start: datetime
    stop: datetime


@dataclass(frozen=True, slots=True)
class Exclusion:
    """Agreed exclusions: time windows (maintenance) and/or record conditions (``when``: force majeure).

    ``objectives`` limits the exclusion to some objectives; empty means all of them.
    """

    id: str
    windows: tuple[ExclusionWindow, ...] = ()
    when: tuple[tuple[str, tuple[object, ...]], ...] = ()
    objectives: tuple[str, ...] = ()
    description: str = ""

    def applies_to(self, objective: str) -> bool:
        """Whether the exclusion covers ``objective``."""
        return not self.objectives or objective in self.objectives


@dataclass(frozen=True, slots=True)
class CreditTier:
    """A service credit of ``credit`` (fraction of the fee) owed when compliance is below ``below``."""

    below: float
    credit: float


@dataclass(frozen=True, slots=True)
class PerRecordCompensation:
    """Compensation for each failed record: a record field (``declared_value``) or a fixed amount, capped."""

    field: str | None = None
    amount: float | None = None
    cap: float | None = None


@dataclass(frozen=True, slots=True)
class Penalty:
    """What the provider owes when an objective is missed: credit tiers (capped) and/or per-record compensation."""

    objective: str
    credits: tuple[CreditTier, ...] = ()
    cap: float | None = None
    per_record: PerRecordCompensation | None = None

    def tier_for(self, compliance: float) -> CreditTier | None:
        """The tier that applies: of the tiers whose threshold compliance is below, the lowest threshold."""
        reached = [t for t in self.credits if compliance < t.below]
        return min(reached, key=lambda t: t.below) if reached else None


@dataclass(frozen=True, slots=True)
class ClaimsPolicy:
    """How claims are handled: filed within ``file_within`` of the record's ``from_field`` time, answered
    within ``respond_within`` of filing, both on ``calendar``. ``records`` is the stream claims refer to."""

    file_within: Duration | None
    respond_within: Duration | None
    records: str | None = None
    from_field: str | None = None
    calendar: str = TWENTY_FOUR_SEVEN


@dataclass(frozen=True, slots=True)
class Signature:
    """A signature: which party, who, in which role, when (``None``: not signed yet)."""

    party: str
    name: str
    role: str = ""
    signed_at: date | None = None


@dataclass(frozen=True)
class Agreement:
    """A validated service level agreement (inheritance from its parent already applied).

    ``calendars`` always contains ``24x7``. ``source`` is the file it came from; ``parents`` lists the
    chain of parent ids, nearest first. ``contract`` holds the clauses of the contract document
    (:mod:`ukur.sla.contract`), ``None`` when the file has none.
    """

    id: str
    title: str
    type: AgreementType
    version: str
    provider: Party
    customer: Party
    timezone: str
    objectives: tuple[Objective, ...]
    calendars: tuple[tuple[str, BusinessCalendar], ...]
    services: tuple[Service, ...] = ()
    exclusions: tuple[Exclusion, ...] = ()
    penalties: tuple[Penalty, ...] = ()
    claims: ClaimsPolicy | None = None
    signatures: tuple[Signature, ...] = ()
    effective_from: date | None = None
    effective_to: date | None = None
    fee: Fee | None = None
    review_every: str | None = None
    parent: str | None = None
    parents: tuple[str, ...] = ()
    source: str | None = None
    contract: Contract | None = None

    @property
    def signed(self) -> bool:
        """Signed by both parties (a dated provider and a dated customer signature)."""
        parties = {s.party for s in self.signatures if s.signed_at is not None}
        return {"provider", "customer"} <= parties

    @property
    def draft(self) -> bool:
        """An agreement not signed by both parties is a draft."""
        return not self.signed

    def calendar(self, name: str) -> BusinessCalendar:
        """The calendar called ``name`` (``24x7`` always exists)."""
        for key, cal in self.calendars:
            if key == name:
                return cal
        raise KeyError(name)

    def objective(self, objective_id: str) -> Objective:
        """The objective with this id."""
        for obj in self.objectives:
            if obj.id == objective_id:
                return obj
        raise KeyError(objective_id)

    def penalties_for(self, objective_id: str) -> tuple[Penalty, ...]:
        """The penalties attached to an objective."""
        return tuple(p for p in self.penalties if p.objective == objective_id)

    def exclusions_for(self, objective_id: str) -> tuple[Exclusion, ...]:
        """The exclusions that cover an objective."""
        return tuple(e for e in self.exclusions if e.applies_to(objective_id))

    def to_dict(self) -> dict[str, Any]:
        """The resolved agreement (inheritance applied) as JSON: what the web app shows and stores next to
        an evaluation, so that a report always says which promises it checked."""

        def duration(d: Duration | None) -> str | None:
            return d.text if d is not None else None

        def condition(pairs: tuple[tuple[str, tuple[object, ...]], ...]) -> dict[str, list[object]]:
            return {name: list(values) for name, values in pairs}

        return {
            "ukur": "sla/v1",
            "id": self.id,
            "title": self.title,
            "type": self.type.value,
            "version": self.version,
            "parent": self.parent,
            "parents": list(self.parents),
            "signed": self.signed,
            "draft": self.draft,
            "provider": {"name": self.provider.name, "contact": self.provider.contact},
            "customer": {"name": self.customer.name, "contact": self.customer.contact},
            "timezone": self.timezone,
            "effective": {
                "from": self.effective_from.isoformat() if self.effective_from else None,
                "to": self.effective_to.isoformat() if self.effective_to else None,
            },
            "fee": None
            if self.fee is None
            else {"amount": self.fee.amount, "currency": self.fee.currency, "per": self.fee.per},
            "calendars": {name: cal.to_dict() for name, cal in self.calendars},
            "services": [{"id": s.id, "description": s.description} for s in self.services],
            "objectives": [
                {
                    "id": o.id,
                    "service": o.service,
                    "kind": o.kind.value,
                    "records": o.records,
                    "start": o.start,
                    "stop": o.stop,
                    "at": o.at,
                    "calendar": o.calendar,
                    "pause_when": list(o.pause_when),
                    "good_when": condition(o.good_when),
                    "goal": o.goal,
                    "warn_at": o.warn_at,
                    "window": o.window.text,
                    "description": o.description,
                    "target": None
                    if o.target is None
                    else {
                        "by": o.target.by,
                        "default": duration(o.target.default),
                        "values": {k: d.text for k, d in o.target.values},
                    },
                }
                for o in self.objectives
            ],
            "exclusions": [
                {
                    "id": e.id,
                    "windows": [
                        {"from": w.start.isoformat() + "Z", "to": w.stop.isoformat() + "Z"} for w in e.windows
                    ],
                    "when": condition(e.when),
                    "objectives": list(e.objectives),
                    "description": e.description,
                }
                for e in self.exclusions
            ],
            "penalties": [
                {
                    "objective": p.objective,
                    "credits": [{"below": t.below, "credit": t.credit} for t in p.credits],
                    "cap": p.cap,
                    "per_record": None
                    if p.per_record is None
                    else {
                        "compensation": p.per_record.field or p.per_record.amount,
                        "cap": p.per_record.cap,
                    },
                }
                for p in self.penalties
            ],
            "claims": None
            if self.claims is None
            else {
                "file_within": duration(self.claims.file_within),
                "respond_within": duration(self.claims.respond_within),
                "records": self.claims.records,
                "from": self.claims.from_field,
                "calendar": self.claims.calendar,
            },
            "review": {"every": self.review_every},
            "signatures": [
                {
                    "party": g.party,
                    "name": g.name,
                    "role": g.role,
                    "signed_at": g.signed_at.isoformat() if g.signed_at else None,
                }
                for g in self.signatures
            ],
        }

    @property
    def streams(self) -> tuple[str, ...]:
        """The record streams the objectives read, in order of first use."""
        return tuple(dict.fromkeys(o.records for o in self.objectives))
