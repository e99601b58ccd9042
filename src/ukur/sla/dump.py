"""An :class:`~ukur.sla.agreement.Agreement` back to ``ukur: sla/v1`` data and YAML text.

:func:`agreement_data` is the inverse of loading: ``load_agreement(dump_agreement(a))`` equals ``a``
(apart from ``source``). Percentages are written as fractions and durations as they were spelled, so
nothing is rounded. A child agreement is written as a child: ``parent:`` plus only what differs from
the parent (the parent must be passed), since restating inherited parts is allowed but not needed.
The exclusion generated from the contract's maintenance rule is not written (loading recreates it).

The YAML written here is also the *canonical form* that :func:`ukur.sla.diff.content_hash` hashes:
keys in schema order, block style, UTF-8, no comments.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import yaml

from ukur.errors import AgreementError
from ukur.sla.agreement import (
    TWENTY_FOUR_SEVEN,
    Agreement,
    ClaimsPolicy,
    Exclusion,
    Objective,
    Penalty,
    Signature,
)
from ukur.sla.calendar import BusinessCalendar
from ukur.sla.calendar_spec import WEEKDAYS, format_hours
from ukur.sla.contract import Contract, PartyDetails, Text

__all__ = ["agreement_data", "contract_data", "dump_agreement"]


def dump_agreement(
    agreement: Agreement, *, parent: Agreement | None = None, signatures: bool = True, resolved: bool = False
) -> str:
    """The agreement as YAML text (see :func:`agreement_data`)."""
    data = agreement_data(agreement, parent=parent, signatures=signatures, resolved=resolved)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)


def agreement_data(
    agreement: Agreement, *, parent: Agreement | None = None, signatures: bool = True, resolved: bool = False
) -> dict[str, Any]:
    """The agreement as plain ``sla/v1`` data; ``signatures=False`` leaves them out (what is signed).

    ``resolved=True`` writes a child with everything it inherited (and its ``parent`` id), no parent
    needed: the canonical form of what the child promises, hashed by :func:`ukur.sla.diff.content_hash`.
    """
    a = agreement
    if resolved:
        full = agreement_data(dataclasses.replace(a, parent=None), signatures=signatures)
        if a.parent is not None:
            full = {"ukur": full.pop("ukur"), "id": full.pop("id"), "parent": a.parent, **full}
        return full
    if a.parent is not None and (parent is None or parent.id != a.parent):
        raise AgreementError(
            f"agreement {a.id!r} inherits from {a.parent!r}: pass that parent to write it", field="parent"
        )
    p = parent if a.parent is not None else None

    def changed(name: str) -> bool:
        return p is None or getattr(a, name) != getattr(p, name)

    data: dict[str, Any] = {"ukur": "sla/v1", "id": a.id}
    if changed("title"):
        data["title"] = a.title
    if changed("type"):
        data["type"] = a.type.value
    if p is not None:
        data["parent"] = p.id
    if changed("version"):
        data["version"] = a.version
    contract = a.contract or Contract()
    base = (p.contract if p is not None else None) or Contract()
    for role in ("provider", "customer"):
        details: PartyDetails = getattr(contract, role)
        if changed(role) or details != getattr(base, role):
            party = getattr(a, role)
            data[role] = {"name": party.name, **({"contact": party.contact} if party.contact else {})}
            data[role].update(details.to_data())
    if changed("effective_from") or changed("effective_to"):
        effective = {"from": a.effective_from, "to": a.effective_to}
        data["effective"] = {k: v.isoformat() for k, v in effective.items() if v is not None}
    if p is None:
        data["timezone"] = a.timezone
    if a.fee is not None and changed("fee"):
        data["fee"] = {"amount": a.fee.amount, "currency": a.fee.currency, "per": a.fee.per}
    inherited = dict(p.calendars) if p is not None else {}
    calendars = {n: _calendar(c) for n, c in a.calendars if n != TWENTY_FOUR_SEVEN and n not in inherited}
    if calendars:
        data["calendars"] = calendars
    _items(
        data,
        "services",
        a.services,
        p.services if p else (),
        lambda s: _drop({"id": s.id, "description": s.description}),
    )
    _items(data, "objectives", a.objectives, p.objectives if p else (), _objective)
    generated = contract.maintenance.exclusion if contract.maintenance is not None else None
    own = tuple(e for e in a.exclusions if e.id != generated)
    _items(data, "exclusions", own, p.exclusions if p else (), _exclusion)
    _items(data, "penalties", a.penalties, p.penalties if p else (), _penalty)
    if a.claims is not None and changed("claims"):
        data["claims"] = _claims(a.claims)
    if a.review_every is not None and changed("review_every"):
        data["review"] = {"every": a.review_every}
    if signatures and a.signatures:
        data["signatures"] = [_signature(s) for s in a.signatures]
    written = contract_data(contract, base)
    if written:
        data["contract"] = written
    return data


def _items(
    data: dict[str, Any], key: str, mine: tuple[Any, ...], theirs: tuple[Any, ...], write: Any
) -> None:
    new = [write(item) for item in mine if item not in theirs]
    if new:
        data[key] = new


def _drop(mapping: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty values (absent and empty mean the same in the format)."""
    return {k: v for k, v in mapping.items() if v not in (None, "", [], {}, ())}


def _calendar(cal: BusinessCalendar) -> dict[str, Any]:
    hours = {day: format_hours(cal.hours[w]) for w, day in enumerate(WEEKDAYS) if cal.hours[w]}
    data: dict[str, Any] = {"hours": hours or {"mon": "closed"}}
    if cal.holiday_country is not None:
        data["holidays"] = _drop(
            {
                "country": cal.holiday_country,
                "categories": list(cal.holiday_categories),
                "subdiv": cal.holiday_subdiv,
            }
        )
    if cal.closed:
        data["closed"] = [d.isoformat() for d, _ in cal.closed]
    return data


def _condition(pairs: tuple[tuple[str, tuple[object, ...]], ...]) -> dict[str, Any]:
    return {name: list(values) for name, values in pairs}


def _objective(o: Objective) -> dict[str, Any]:
    target: Any = None
    if o.target is not None:
        if o.target.by is None and o.target.default is not None:
            target = o.target.default.text
        else:
            target = {"by": o.target.by, **{k: d.text for k, d in o.target.values}}
            if o.target.default is not None:
                target["default"] = o.target.default.text
    return _drop(
        {
            "id": o.id,
            "description": o.description,
            "service": o.service,
            "kind": o.kind.value,
            "records": o.records,
            "start": o.start,
            "stop": o.stop,
            "at": o.at,
            "pause_when": {"status": list(o.pause_when)} if o.pause_when else None,
            "good_when": _condition(o.good_when),
            "calendar": o.calendar,
            "target": target,
            "warn_at": o.warn_at,
            "goal": o.goal,
            "window": o.window.text,
        }
    )


def _exclusion(e: Exclusion) -> dict[str, Any]:
    windows = [{"from": w.start.isoformat() + "Z", "to": w.stop.isoformat() + "Z"} for w in e.windows]
    return _drop(
        {
            "id": e.id,
            "description": e.description,
            "objectives": list(e.objectives),
            "windows": windows,
            "when": _condition(e.when),
        }
    )


def _penalty(p: Penalty) -> dict[str, Any]:
    per_record = None
    if p.per_record is not None:
        per_record = _drop(
            {"compensation": p.per_record.field or p.per_record.amount, "cap": p.per_record.cap}
        )
    return _drop(
        {
            "objective": p.objective,
            "credits": [{"below": t.below, "credit": t.credit} for t in p.credits],
            "cap": p.cap,
            "per_record": per_record,
        }
    )


def _claims(c: ClaimsPolicy) -> dict[str, Any]:
    return _drop(
        {
            "file_within": c.file_within.text if c.file_within else None,
            "respond_within": c.respond_within.text if c.respond_within else None,
            "records": c.records,
            "from": c.from_field,
            "calendar": c.calendar,
        }
    )


def _signature(s: Signature) -> dict[str, Any]:
    data: dict[str, Any] = {"party": s.party, "name": s.name}
    if s.role:
        data["role"] = s.role
    data["signed_at"] = s.signed_at.isoformat() if s.signed_at else None
    return data


def _text(t: Text | None) -> Any:
    return None if t is None else t.to_data()


def contract_data(c: Contract, base: Contract | None = None) -> dict[str, Any]:
    """The ``contract:`` mapping of ``c``, leaving out the parts equal to ``base`` (the parent's)."""
    b = base or Contract()

    def differs(*names: str) -> bool:
        return any(getattr(c, n) != getattr(b, n) for n in names)

    data: dict[str, Any] = {}
    for key in ("overview", "purpose"):
        if differs(key):
            data[key] = _text(getattr(c, key))
    if differs("definitions"):
        data["definitions"] = [{"term": _text(d.term), "meaning": _text(d.meaning)} for d in c.definitions]
    if differs("scope"):
        data["scope"] = _text(c.scope)
    if differs("support_calendar", "channels"):
        channels = [
            _drop({"name": ch.name, "address": ch.address, "calendar": ch.calendar}) for ch in c.channels
        ]
        data["support"] = _drop({"calendar": c.support_calendar, "channels": channels})
    if differs("maintenance") and c.maintenance is not None:
        m = c.maintenance
        data["maintenance"] = _drop(
            {
                "rule": m.rule,
                "duration": m.duration.text,
                "notice": m.notice.text if m.notice else None,
                "objectives": list(m.objectives),
                "exclusion": m.exclusion,
                "description": _text(m.description),
            }
        )
    if differs("responsibilities"):
        data["responsibilities"] = {party: [_text(t) for t in items] for party, items in c.responsibilities}
    if differs("security") and c.security is not None:
        s = c.security
        data["security"] = _drop(
            {"confidentiality": _text(s.confidentiality), "data_handling": _text(s.data_handling),
             "standards": list(s.standards)}
        )  # fmt: skip
    if differs("disaster_recovery") and c.disaster_recovery is not None:
        r = c.disaster_recovery
        data["disaster_recovery"] = _drop(
            {"procedure": _text(r.procedure), "rto": r.rto.text if r.rto else None,
             "rpo": r.rpo.text if r.rpo else None, "objectives": list(r.objectives)}
        )  # fmt: skip
    if differs("reporting") and c.reporting is not None:
        g = c.reporting
        data["reporting"] = _drop(
            {"frequency": g.frequency, "recipients": list(g.recipients), "metrics": list(g.metrics),
             "description": _text(g.description)}
        )  # fmt: skip
    if differs("disputes") and c.disputes is not None:
        d = c.disputes
        steps = [
            _drop({"text": _text(s.text), "within": s.within.text if s.within else None}) for s in d.steps
        ]
        data["disputes"] = _drop(
            {"steps": steps, "escalation": [e.to_data() for e in d.escalation], "venue": _text(d.venue)}
        )
    if differs("termination") and c.termination is not None:
        t = c.termination
        rights = [
            {"objective": r.objective, "breached": r.breached, "of": r.of, "party": r.party} for r in t.rights
        ]
        data["termination"] = _drop(
            {"notice": t.notice.text if t.notice else None, "for_cause": _text(t.for_cause), "rights": rights}
        )
    if differs("change_procedure", "change_notice"):
        data["change"] = _drop(
            {
                "procedure": _text(c.change_procedure),
                "notice": c.change_notice.text if c.change_notice else None,
            }
        )
    return {k: v for k, v in data.items() if v not in (None, {}, [])}
