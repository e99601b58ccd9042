"""What changed between two versions of an agreement, and the content hash a signature refers to.

:func:`diff_agreements` compares two loaded agreements part by part and says, for every measurable
promise, whether the change *tightens* it (better for the customer: a higher goal, a shorter target,
higher credits, more time to file a claim, a shorter response time, an exclusion removed) or *loosens*
it; other changes (a clause reworded, a contact changed) are ``changed``, ``added`` or ``removed``.
Tighter and looser are judged exactly as in multilevel inheritance (:mod:`ukur.sla.tighten`). When the
new agreement is a child of the old one, any loosening is an :class:`~ukur.errors.AgreementError`.

:func:`content_hash` is the SHA-256 of the canonical YAML of the resolved agreement (every inherited
part included, signatures left out so that signing does not change what was signed); two files that
differ only in comments, spacing, key order or the spelling ``95%`` versus ``0.95`` hash the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
import yaml

from ukur.errors import AgreementError
from ukur.sla.agreement import TWENTY_FOUR_SEVEN, Agreement, ClaimsPolicy, Objective, Penalty
from ukur.sla.dump import agreement_data, contract_data
from ukur.sla.load import load_agreement
from ukur.sla.tighten import credit_at, duration_measure

__all__ = ["CHANGE_COLUMNS", "AgreementDiff", "canonical_yaml", "content_hash", "diff_agreements"]

CHANGE_COLUMNS = ["part", "item", "field", "old", "new", "direction"]
"""Columns of :attr:`AgreementDiff.changes`; ``direction`` is tightened/loosened/changed/added/removed."""


def canonical_yaml(agreement: Agreement) -> str:
    """The canonical YAML of the resolved agreement without signatures (the text :func:`content_hash` hashes)."""
    data = agreement_data(agreement, signatures=False, resolved=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)


def content_hash(
    agreement: Agreement | str,
    *,
    parents: Mapping[str, Agreement] | Callable[[str], Agreement] | None = None,
) -> str:
    """SHA-256 (hex) of :func:`canonical_yaml`; text is loaded first (``parents`` resolves a child's parent)."""
    if isinstance(agreement, str):
        agreement = load_agreement(agreement, parents=parents)
    return hashlib.sha256(canonical_yaml(agreement).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AgreementDiff:
    """The changes from ``old`` to ``new``: one row per change (:data:`CHANGE_COLUMNS`)."""

    old: Agreement
    new: Agreement
    changes: pd.DataFrame

    @property
    def loosened(self) -> bool:
        """Whether any measurable promise got weaker for the customer."""
        return bool((self.changes["direction"] == "loosened").any())

    def to_dict(self) -> dict[str, Any]:
        """JSON of ``ukur sla diff --format json``: both versions (id, version, hash) and the changes."""

        def side(a: Agreement) -> dict[str, Any]:
            return {"id": a.id, "version": a.version, "parent": a.parent, "hash": content_hash(a)}

        return {
            "old": side(self.old),
            "new": side(self.new),
            "loosened": self.loosened,
            "changes": [
                {
                    k: (None if v is None or (isinstance(v, float) and pd.isna(v)) else v)
                    for k, v in row.items()
                }
                for row in self.changes.to_dict(orient="records")
            ],
        }


def diff_agreements(old: Agreement, new: Agreement) -> AgreementDiff:
    """Compare two agreements (see the module docstring); raise when a child loosens its parent."""
    rows: list[dict[str, Any]] = []

    def add(part: str, item: str, field: str, a: Any, b: Any, direction: str) -> None:
        rows.append({"part": part, "item": item, "field": field, "old": _show(a), "new": _show(b),
                     "direction": direction})  # fmt: skip

    for name in ("title", "type", "version", "timezone", "review_every", "effective_from", "effective_to"):
        a, b = getattr(old, name), getattr(new, name)
        if a != b:
            add("agreement", old.id, name, a, b, "changed")
    for role in ("provider", "customer"):
        if getattr(old, role) != getattr(new, role):
            add("parties", role, "name/contact", getattr(old, role).name, getattr(new, role).name, "changed")
    if old.fee != new.fee:
        add("fee", "fee", "amount", _fee(old), _fee(new), "changed")
    _keyed(add, "calendars", dict(old.calendars), dict(new.calendars), lambda n, a, b: add(
        "calendars", n, "hours/holidays/closed", _show(a.to_dict()), _show(b.to_dict()), "changed"))  # fmt: skip
    _keyed(add, "services", {s.id: s for s in old.services}, {s.id: s for s in new.services},
           lambda n, a, b: add("services", n, "description", a.description, b.description, "changed"))  # fmt: skip
    _keyed(add, "objectives", {o.id: o for o in old.objectives}, {o.id: o for o in new.objectives},
           lambda n, a, b: _objective(add, n, a, b))  # fmt: skip
    old_ex, new_ex = {e.id: e for e in old.exclusions}, {e.id: e for e in new.exclusions}
    for name in old_ex.keys() - new_ex.keys():
        add("exclusions", name, "", name, None, "tightened")
    for name in new_ex.keys() - old_ex.keys():
        add("exclusions", name, "", None, name, "loosened")
    for name in old_ex.keys() & new_ex.keys():
        if old_ex[name] != new_ex[name]:
            add(
                "exclusions",
                name,
                "windows/when",
                len(old_ex[name].windows),
                len(new_ex[name].windows),
                "changed",
            )
    _keyed(add, "penalties", {p.objective: p for p in old.penalties}, {p.objective: p for p in new.penalties},
           lambda n, a, b: _penalty(add, n, a, b), added="tightened", removed="loosened")  # fmt: skip
    _claims(add, old.claims, new.claims)
    _contract(add, old, new)
    if _signers(old) != _signers(new):
        add("signatures", "signatures", "", _signers(old), _signers(new), "changed")
    result = AgreementDiff(old=old, new=new, changes=pd.DataFrame(rows, columns=CHANGE_COLUMNS))
    if new.parent is not None and new.parent == old.id and result.loosened:
        first = result.changes[result.changes["direction"] == "loosened"].iloc[0]
        raise AgreementError(
            f"{new.id!r} is a child of {old.id!r} and loosens it: {first['part']} {first['item']} "
            f"{first['field']} {first['old']} → {first['new']} (a child may only tighten its parent)",
            source=new.source,
            field=f"{first['part']}[{first['item']}]",
        )
    return result


def _keyed(
    add: Callable[..., None],
    part: str,
    old: dict[str, Any],
    new: dict[str, Any],
    compare: Callable[[str, Any, Any], None],
    *,
    added: str = "added",
    removed: str = "removed",
) -> None:
    for name in old:
        if name not in new:
            add(part, name, "", name, None, removed)
        elif old[name] != new[name]:
            compare(name, old[name], new[name])
    for name in new:
        if name not in old:
            add(part, name, "", None, name, added)


def _objective(add: Callable[..., None], name: str, a: Objective, b: Objective) -> None:
    if a.goal != b.goal:
        add("objectives", name, "goal", a.goal, b.goal, "tightened" if b.goal > a.goal else "loosened")
    if a.warn_at != b.warn_at:
        add("objectives", name, "warn_at", a.warn_at, b.warn_at, "changed")
    if a.target != b.target:
        keys = {k for k, _ in (a.target.items() if a.target else ())} | {
            k for k, _ in (b.target.items() if b.target else ())
        }
        always = b.calendar == TWENTY_FOUR_SEVEN
        for key in sorted(keys, key=lambda k: (k is None, str(k))):
            da = (
                a.target.for_key(key)
                if a.target is not None and key is not None
                else (a.target.default if a.target else None)
            )
            db = (
                b.target.for_key(key)
                if b.target is not None and key is not None
                else (b.target.default if b.target else None)
            )
            if da == db:
                continue
            field = f"target[{key}]" if key is not None else "target"
            if da is None or db is None:
                add("objectives", name, field, da.text if da else None, db.text if db else None,
                    "tightened" if db is not None else "loosened")  # fmt: skip
                continue
            ma, mb = duration_measure(da, always_open=always), duration_measure(db, always_open=always)
            direction = "changed" if ma[0] != mb[0] else ("tightened" if mb[1] < ma[1] else "loosened")
            add("objectives", name, field, da.text, db.text, direction if ma != mb else "changed")
    for field in ("service", "kind", "records", "start", "stop", "at", "calendar", "pause_when", "good_when"):
        if getattr(a, field) != getattr(b, field):
            add("objectives", name, field, getattr(a, field), getattr(b, field), "changed")
    if a.window != b.window:
        add("objectives", name, "window", a.window.text, b.window.text, "changed")
    if a.description != b.description:
        add("objectives", name, "description", a.description, b.description, "changed")


def _penalty(add: Callable[..., None], name: str, a: Penalty, b: Penalty) -> None:
    levels = sorted({0.0} | {max(t.below - 1e-9, 0.0) for t in (*a.credits, *b.credits)})
    more = any(credit_at(b, x) > credit_at(a, x) + 1e-12 for x in levels)
    less = any(credit_at(b, x) < credit_at(a, x) - 1e-12 for x in levels)
    if a.credits != b.credits or a.cap != b.cap:
        direction = "changed" if more and less else "tightened" if more else "loosened" if less else "changed"
        add("penalties", name, "credits", _tiers(a), _tiers(b), direction)
    if a.per_record != b.per_record:
        ca = a.per_record.cap if a.per_record and a.per_record.cap is not None else float("inf")
        cb = b.per_record.cap if b.per_record and b.per_record.cap is not None else float("inf")
        same_basis = (
            a.per_record is not None and b.per_record is not None and a.per_record.field == b.per_record.field
        )
        direction = (
            "loosened" if b.per_record is None
            else "tightened" if a.per_record is None or (same_basis and cb > ca)
            else "loosened" if same_basis and cb < ca else "changed"
        )  # fmt: skip
        add("penalties", name, "per_record", _per_record(a), _per_record(b), direction)


def _claims(add: Callable[..., None], a: ClaimsPolicy | None, b: ClaimsPolicy | None) -> None:
    if a == b:
        return
    if a is None or b is None:
        add(
            "claims", "claims", "", a is not None, b is not None, "tightened" if b is not None else "loosened"
        )
        return
    always = b.calendar == TWENTY_FOUR_SEVEN
    for field, longer_is_better in (("file_within", True), ("respond_within", False)):
        da, db = getattr(a, field), getattr(b, field)
        if da == db:
            continue
        if da is None or db is None:
            add("claims", "claims", field, da.text if da else None, db.text if db else None, "changed")
            continue
        ma, mb = duration_measure(da, always_open=always), duration_measure(db, always_open=always)
        direction = "changed"
        if ma[0] == mb[0] and ma[1] != mb[1]:
            direction = "tightened" if (mb[1] > ma[1]) == longer_is_better else "loosened"
        add("claims", "claims", field, da.text, db.text, direction)
    for field in ("records", "from_field", "calendar"):
        if getattr(a, field) != getattr(b, field):
            add("claims", "claims", field, getattr(a, field), getattr(b, field), "changed")


def _contract(add: Callable[..., None], old: Agreement, new: Agreement) -> None:
    """Clauses compared as flattened ``contract:`` data: every leaf that differs is one change."""
    a = _flatten(contract_data(old.contract) if old.contract else {})
    b = _flatten(contract_data(new.contract) if new.contract else {})
    for key in sorted(a.keys() | b.keys()):
        if a.get(key) != b.get(key):
            direction = "added" if key not in a else "removed" if key not in b else "changed"
            part, _, field = key.partition(".")
            add("contract", part, field, a.get(key), b.get(key), direction)


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(data, list):
        out = {}
        for i, v in enumerate(data):
            out.update(_flatten(v, f"{prefix}[{i}]"))
        return out
    return {prefix: data}


def _tiers(p: Penalty) -> str:
    tiers = ", ".join(f"<{t.below:.4g}→{t.credit:.4g}" for t in p.credits)
    return tiers + (f" cap {p.cap:.4g}" if p.cap is not None else "")


def _fee(a: Agreement) -> str | None:
    return None if a.fee is None else f"{a.fee.amount:,.2f} {a.fee.currency}/{a.fee.per}".replace(".00 ", " ")


def _per_record(p: Penalty) -> str | None:
    r = p.per_record
    if r is None:
        return None
    basis = r.field if r.field else f"{r.amount:,.2f}".replace(".00", "")
    return basis + (f", cap {r.cap:,.2f}".replace(".00", "") if r.cap is not None else "")


def _signers(a: Agreement) -> str:
    return "; ".join(
        f"{s.party}: {s.name} {s.signed_at.isoformat() if s.signed_at else '(not signed)'}"
        for s in a.signatures
    )


def _show(value: Any) -> Any:
    """A JSON-friendly value: numbers and strings as they are, everything else as text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return ", ".join(value)
    return str(value)
