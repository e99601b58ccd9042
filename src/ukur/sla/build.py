"""Giving a schema-valid agreement document its meaning, and applying the parent agreement.

The JSON Schema has already checked shapes and spellings; :class:`Builder` parses durations,
percentages, dates and calendars, checks that the parts refer to each other (objectives to services,
calendars and streams; penalties and exclusions to objectives), and merges the document onto its parent
(see :mod:`ukur.sla.load` for the inheritance rules). Every error is located in the child's own file.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any, TypeVar

import pandas as pd

from ukur.errors import AgreementError
from ukur.sla.agreement import (
    TWENTY_FOUR_SEVEN,
    Agreement,
    AgreementType,
    ClaimsPolicy,
    CreditTier,
    Exclusion,
    ExclusionWindow,
    Fee,
    Objective,
    ObjectiveKind,
    Party,
    Penalty,
    PerRecordCompensation,
    Service,
    Signature,
    Target,
    Window,
)
from ukur.sla.calendar import BusinessCalendar
from ukur.sla.document import Document, Path
from ukur.sla.duration import Duration, parse_duration, parse_percent
from ukur.sla.tighten import check_claims, check_objective, check_penalty

__all__ = ["Builder"]

T = TypeVar("T")

# Fields of an inherited objective that a child may restate only with the same value.
FIXED_FIELDS = (
    "service",
    "kind",
    "records",
    "start",
    "stop",
    "at",
    "calendar",
    "pause_when",
    "good_when",
    "window",
)


class Builder:
    """Builds one :class:`Agreement` from a :class:`Document` and an optional parent agreement."""

    def __init__(self, doc: Document, parent: Agreement | None) -> None:
        self.doc = doc
        self.data = doc.data
        self.parent = parent

    # ------------------------------------------------------------------ helpers
    def error(self, message: str, path: Path) -> AgreementError:
        return self.doc.error(message, path)

    def located(self, path: Path, parse: Callable[[], T]) -> T:
        """Run ``parse``; an AgreementError it raises without a location gets the line of ``path``."""
        try:
            return parse()
        except AgreementError as exc:
            if exc.line is not None:
                raise
            inner = self.doc.path_of(exc.field) if exc.field else None
            if inner is not None and inner[: len(path)] == path:
                raise AgreementError(
                    f"{exc.field}: {exc.message}",
                    source=self.doc.source,
                    line=self.doc.line(inner),
                    field=exc.field,
                ) from None
            raise self.error(exc.message, path) from None

    def failer(self, path: Path) -> Callable[[str, Path], AgreementError]:
        """An error builder for checks that name fields relative to ``path``."""
        return lambda message, field: self.error(message, (*path, *field))

    def duration(self, path: Path, value: Any) -> Duration:
        return self.located(path, lambda: parse_duration(value, field=self.doc.field(path)))

    def percent(self, path: Path, value: Any) -> float:
        return self.located(path, lambda: parse_percent(value, field=self.doc.field(path)))

    def day(self, path: Path, value: Any) -> date:
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise self.error(f"{value!r} is not a date (YYYY-MM-DD)", path) from None

    def instant(self, path: Path, value: Any, timezone: str) -> datetime:
        """A timestamp written in the agreement → naive UTC (local to the agreement without an offset)."""
        try:
            stamp = pd.Timestamp(str(value))
        except ValueError:
            raise self.error(f"{value!r} is not a date and time (YYYY-MM-DDTHH:MM)", path) from None
        if stamp.tzinfo is None:
            stamp = stamp.tz_localize(timezone, ambiguous=True, nonexistent="shift_forward")
        utc: datetime = stamp.tz_convert("UTC").tz_localize(None).to_pydatetime()
        return utc

    # ------------------------------------------------------------------ the agreement
    def agreement(self) -> Agreement:
        d, parent = self.data, self.parent
        timezone = self.timezone()
        calendars = self.calendars(timezone)
        services = self.services()
        objectives = self.objectives(dict(calendars), services)
        exclusions = self.exclusions(objectives, timezone)
        penalties = self.penalties(objectives)
        effective = d.get("effective", {})
        eff_from = self.day(("effective", "from"), effective["from"]) if "from" in effective else None
        eff_to = self.day(("effective", "to"), effective["to"]) if "to" in effective else None
        if parent is not None and "effective" not in d:
            eff_from, eff_to = parent.effective_from, parent.effective_to
        if eff_from is not None and eff_to is not None and eff_to < eff_from:
            raise self.error(f"ends ({eff_to}) before it starts ({eff_from})", ("effective", "to"))
        fee = parent.fee if parent is not None else None
        if "fee" in d:
            fee = Fee(amount=float(d["fee"]["amount"]), currency=d["fee"].get("currency", "IDR"),
                      per=d["fee"].get("per", "month"))  # fmt: skip
        version = d.get("version", parent.version if parent else "1")
        kind = d.get("type", parent.type if parent else AgreementType.CUSTOMER)
        return Agreement(
            id=d["id"],
            title=d.get("title", parent.title if parent else d["id"]),
            type=AgreementType(kind),
            version=str(version),
            provider=self.party("provider"),
            customer=self.party("customer"),
            timezone=timezone,
            objectives=objectives,
            calendars=tuple(calendars.items()),
            services=services,
            exclusions=exclusions,
            penalties=penalties,
            claims=self.claims(objectives, penalties, calendars),
            signatures=self.signatures(),
            effective_from=eff_from,
            effective_to=eff_to,
            fee=fee,
            review_every=d.get("review", {}).get("every", parent.review_every if parent else None),
            parent=parent.id if parent is not None else None,
            parents=(parent.id, *parent.parents) if parent is not None else (),
            source=self.doc.source,
        )

    def timezone(self) -> str:
        parent = self.parent
        tz = self.data.get("timezone", parent.timezone if parent else "UTC")
        if parent is not None and tz != parent.timezone:
            raise self.error(
                f"a child agreement keeps its parent's timezone ({parent.timezone})", ("timezone",)
            )
        self.located(("timezone",), lambda: BusinessCalendar.always_open(tz))
        return str(tz)

    def party(self, role: str) -> Party:
        if role in self.data:
            raw = self.data[role]
            return Party(name=raw["name"], contact=raw.get("contact"))
        if self.parent is not None:
            found: Party = getattr(self.parent, role)
            return found
        raise self.error(f"missing {role}", ())

    def calendars(self, timezone: str) -> dict[str, BusinessCalendar]:
        result: dict[str, BusinessCalendar] = {TWENTY_FOUR_SEVEN: BusinessCalendar.always_open(timezone)}
        if self.parent is not None:
            result.update(self.parent.calendars)
        for name, spec in self.data.get("calendars", {}).items():
            path: Path = ("calendars", name)
            inherited = self.parent is not None and name in dict(self.parent.calendars)
            if inherited and self.calendar(path, name, spec, timezone) == result[name]:
                continue
            if name in result:
                raise self.error(
                    f"calendar {name!r} is inherited from {self.parent.id if self.parent else ''!r} and cannot "
                    "be redefined (give the child's calendar its own name)",
                    path,
                )
            result[name] = self.calendar(path, name, spec, timezone)
        return result

    def calendar(self, path: Path, name: str, spec: Mapping[str, Any], timezone: str) -> BusinessCalendar:
        return self.located(path, lambda: BusinessCalendar.from_spec(name, spec, timezone=timezone))

    def services(self) -> tuple[Service, ...]:
        found: dict[str, Service] = {s.id: s for s in self.parent.services} if self.parent else {}
        inherited = set(found)
        own: set[str] = set()
        for i, raw in enumerate(self.data.get("services", [])):
            if raw["id"] in own:
                raise self.error(f"service {raw['id']!r} is declared twice", ("services", i, "id"))
            own.add(raw["id"])
            base = found.get(raw["id"]) if raw["id"] in inherited else None
            found[raw["id"]] = Service(
                id=raw["id"], description=raw.get("description", base.description if base else "")
            )
        return tuple(found.values())

    # ------------------------------------------------------------------ objectives
    def objectives(
        self, calendars: Mapping[str, BusinessCalendar], services: tuple[Service, ...]
    ) -> tuple[Objective, ...]:
        inherited = {o.id: o for o in self.parent.objectives} if self.parent else {}
        result: dict[str, Objective] = dict(inherited)
        own: dict[str, int] = {}
        for i, raw in enumerate(self.data.get("objectives", [])):
            path: Path = ("objectives", i)
            if raw["id"] in own:
                raise self.error(f"objective {raw['id']!r} is declared twice", (*path, "id"))
            own[raw["id"]] = i
            result[raw["id"]] = self.objective(path, raw, inherited.get(raw["id"]), calendars, services)
        if not result:
            raise self.error("an agreement needs at least one objective", ("objectives",))
        return self.place_ratio_records(tuple(result.values()), own)

    def objective(
        self,
        path: Path,
        raw: Mapping[str, Any],
        base: Objective | None,
        calendars: Mapping[str, BusinessCalendar],
        services: tuple[Service, ...],
    ) -> Objective:
        kind_text = raw.get("kind", base.kind if base else None)
        if kind_text is None:
            raise self.error("missing kind (duration, ratio or availability)", path)
        kind = ObjectiveKind(kind_text)
        fields: dict[str, Any] = {
            "service": raw.get("service", base.service if base else None),
            "kind": kind,
            "records": raw.get("records", base.records if base else None),
            "start": raw.get("start", base.start if base else None),
            "stop": raw.get("stop", base.stop if base else None),
            "at": raw.get("at", base.at if base else None),
            "calendar": raw.get("calendar", base.calendar if base else TWENTY_FOUR_SEVEN),
            "pause_when": tuple(raw["pause_when"]["status"])
            if "pause_when" in raw
            else (base.pause_when if base else ()),
            "good_when": _condition(raw["good_when"])
            if "good_when" in raw
            else (base.good_when if base else ()),
            "window": _window(raw["window"]) if "window" in raw else (base.window if base else None),
        }
        for name in ("service", "records", "window"):
            if fields[name] is None:
                raise self.error(f"missing {name}", path)
        if base is not None:
            for name in FIXED_FIELDS:
                if name in raw and fields[name] != getattr(base, name):
                    raise self.error(
                        f"objective {base.id!r} is inherited from {self.parent.id if self.parent else ''!r}: "
                        f"{name} cannot change (a child may only tighten target and goal)",
                        (*path, name),
                    )
        if services and fields["service"] not in {s.id for s in services}:
            known = ", ".join(s.id for s in services)
            raise self.error(f"unknown service {fields['service']!r} (declared: {known})", (*path, "service"))
        if fields["calendar"] not in calendars:
            known = ", ".join(calendars)
            raise self.error(
                f"unknown calendar {fields['calendar']!r} (declared: {known})", (*path, "calendar")
            )
        required = {"duration": ("start", "stop"), "availability": ("start", "stop"), "ratio": ()}[kind.value]
        for name in required:
            if not fields[name]:
                raise self.error(f"a {kind.value} objective needs {name}", path)
        if kind is ObjectiveKind.RATIO and not fields["good_when"]:
            raise self.error("a ratio objective needs good_when", path)
        target = (
            self.target((*path, "target"), raw["target"])
            if "target" in raw
            else (base.target if base else None)
        )
        if kind is ObjectiveKind.DURATION and target is None:
            raise self.error("a duration objective needs a target", path)
        if "goal" in raw:
            goal = self.percent((*path, "goal"), raw["goal"])
        elif base is not None:
            goal = base.goal
        else:
            raise self.error("missing goal", path)
        warn_at = (
            self.percent((*path, "warn_at"), raw["warn_at"])
            if "warn_at" in raw
            else (base.warn_at if base else None)
        )
        objective = Objective(
            id=raw["id"],
            target=target,
            goal=goal,
            warn_at=warn_at,
            description=raw.get("description", base.description if base else ""),
            **fields,
        )
        if base is not None and self.parent is not None:
            check_objective(objective, base, self.parent.id, lambda m, f: self.error(m, (*path, *f)))
        return objective

    def target(self, path: Path, raw: Any) -> Target:
        if isinstance(raw, str):
            return Target(default=self.duration(path, raw))
        values = tuple(
            (str(key), self.duration((*path, key), value))
            for key, value in raw.items()
            if key not in ("by", "default")
        )
        default = self.duration((*path, "default"), raw["default"]) if "default" in raw else None
        return Target(default=default, by=raw["by"], values=values)

    def place_ratio_records(
        self, objectives: tuple[Objective, ...], own: Mapping[str, int]
    ) -> tuple[Objective, ...]:
        """A ratio objective without ``at`` is placed in windows by the start field of the first objective
        with a start on the same stream (shipments of the on-time objective are counted in the month
        they were picked up)."""
        result = []
        for obj in objectives:
            if obj.placed_by is None:
                found = next((o.start for o in objectives if o.records == obj.records and o.start), None)
                if found is None:
                    raise self.error(
                        f"objective {obj.id!r} needs `at:` (the time field that places a record in a window)",
                        ("objectives", own.get(obj.id, 0)),
                    )
                obj = dataclasses.replace(obj, at=found)
            result.append(obj)
        return tuple(result)

    # ------------------------------------------------------------------ exclusions, penalties, claims
    def exclusions(self, objectives: tuple[Objective, ...], timezone: str) -> tuple[Exclusion, ...]:
        inherited = list(self.parent.exclusions) if self.parent else []
        parent_objectives = {o.id for o in self.parent.objectives} if self.parent else set()
        ids = {o.id for o in objectives}
        seen = {e.id for e in inherited}
        result = list(inherited)
        for i, raw in enumerate(self.data.get("exclusions", [])):
            path: Path = ("exclusions", i)
            restated = raw["id"] in {e.id for e in inherited}
            if raw["id"] in seen and not restated:
                raise self.error(f"exclusion {raw['id']!r} is declared twice", (*path, "id"))
            seen.add(raw["id"])
            covers = tuple(raw.get("objectives", ()))
            for j, name in enumerate(covers):
                if name not in ids:
                    raise self.error(f"unknown objective {name!r}", (*path, "objectives", j))
            exclusion = self.exclusion(path, raw, covers, timezone)
            if restated:
                base = next(e for e in inherited if e.id == raw["id"])
                if (exclusion.windows, exclusion.when, exclusion.objectives) != (
                    base.windows,
                    base.when,
                    base.objectives,
                ):
                    raise self.error(
                        f"exclusion {raw['id']!r} is inherited; a child may restate it only unchanged", path
                    )
                continue
            if self.parent is not None and (not covers or set(covers) & parent_objectives):
                raise self.error(
                    "a child agreement may not add exclusions to inherited objectives (that would loosen "
                    "them); list only the child's own objectives under `objectives:`",
                    path,
                )
            result.append(exclusion)
        return tuple(result)

    def exclusion(
        self, path: Path, raw: Mapping[str, Any], covers: tuple[str, ...], timezone: str
    ) -> Exclusion:
        windows = []
        for j, w in enumerate(raw.get("windows", [])):
            lo = self.instant((*path, "windows", j, "from"), w["from"], timezone)
            hi = self.instant((*path, "windows", j, "to"), w["to"], timezone)
            if hi <= lo:
                raise self.error("the window ends before it starts", (*path, "windows", j, "to"))
            windows.append(ExclusionWindow(start=lo, stop=hi))
        return Exclusion(
            id=raw["id"],
            windows=tuple(windows),
            when=_condition(raw.get("when", {})),
            objectives=covers,
            description=raw.get("description", ""),
        )

    def penalties(self, objectives: tuple[Objective, ...]) -> tuple[Penalty, ...]:
        ids = {o.id for o in objectives}
        inherited = {p.objective: p for p in self.parent.penalties} if self.parent else {}
        result = dict(inherited)
        own: set[str] = set()
        for i, raw in enumerate(self.data.get("penalties", [])):
            path: Path = ("penalties", i)
            name = raw["objective"]
            if name not in ids:
                raise self.error(f"unknown objective {name!r}", (*path, "objective"))
            if name in own:
                raise self.error(f"objective {name!r} has two penalties; write one with all its tiers", path)
            own.add(name)
            tiers: list[CreditTier] = []
            for j, tier in enumerate(raw.get("credits", [])):
                below = self.percent((*path, "credits", j, "below"), tier["below"])
                credit = self.percent((*path, "credits", j, "credit"), tier["credit"])
                if any(t.below == below for t in tiers):
                    raise self.error(f"two tiers below {below:.4g}", (*path, "credits", j, "below"))
                tiers.append(CreditTier(below=below, credit=credit))
            cap = self.percent((*path, "cap"), raw["cap"]) if "cap" in raw else None
            per_record = None
            if "per_record" in raw:
                comp = raw["per_record"]["compensation"]
                per_record = PerRecordCompensation(
                    field=comp if isinstance(comp, str) else None,
                    amount=None if isinstance(comp, str) else float(comp),
                    cap=float(raw["per_record"]["cap"]) if "cap" in raw["per_record"] else None,
                )
            penalty = Penalty(
                objective=name,
                credits=tuple(sorted(tiers, key=lambda t: -t.below)),
                cap=cap,
                per_record=per_record,
            )
            if name in inherited and self.parent is not None:
                check_penalty(penalty, inherited[name], self.parent.id, self.failer(path))
            result[name] = penalty
        return tuple(result.values())

    def claims(
        self,
        objectives: tuple[Objective, ...],
        penalties: tuple[Penalty, ...],
        calendars: Mapping[str, BusinessCalendar],
    ) -> ClaimsPolicy | None:
        base = self.parent.claims if self.parent else None
        raw = self.data.get("claims")
        if raw is None:
            return base
        path: Path = ("claims",)
        compensated = [p.objective for p in penalties if p.per_record is not None]
        first = next((o for o in objectives if o.id in compensated), objectives[0])
        records = raw.get("records", base.records if base else first.records)
        if records not in {o.records for o in objectives}:
            raise self.error(f"no objective reads the stream {records!r}", (*path, "records"))
        on_stream = [o for o in objectives if o.records == records]
        default_from = next((o.stop for o in on_stream if o.stop), None) or on_stream[0].placed_by
        business = [name for name in calendars if name != TWENTY_FOUR_SEVEN]
        calendar = raw.get(
            "calendar", base.calendar if base else (business[0] if business else TWENTY_FOUR_SEVEN)
        )
        if calendar not in calendars:
            raise self.error(f"unknown calendar {calendar!r}", (*path, "calendar"))
        policy = ClaimsPolicy(
            file_within=self.duration((*path, "file_within"), raw["file_within"])
            if "file_within" in raw
            else (base.file_within if base else None),
            respond_within=self.duration((*path, "respond_within"), raw["respond_within"])
            if "respond_within" in raw
            else (base.respond_within if base else None),
            records=records,
            from_field=raw.get("from", base.from_field if base else default_from),
            calendar=calendar,
        )
        if base is not None and self.parent is not None:
            check_claims(policy, base, self.parent.id, lambda m, f: self.error(m, (*path, *f)))
        return policy

    def signatures(self) -> tuple[Signature, ...]:
        result = []
        for i, raw in enumerate(self.data.get("signatures", [])):
            signed = raw.get("signed_at")
            result.append(
                Signature(
                    party=raw["party"],
                    name=raw["name"],
                    role=raw.get("role", ""),
                    signed_at=None if signed is None else self.day(("signatures", i, "signed_at"), signed),
                )
            )
        return tuple(result)


def _condition(raw: Mapping[str, Any]) -> tuple[tuple[str, tuple[object, ...]], ...]:
    """``{damaged: false, cause: [flood, earthquake]}`` → ``(("damaged", (False,)), ("cause", ("flood", ...)))``."""
    return tuple((key, tuple(value) if isinstance(value, list) else (value,)) for key, value in raw.items())


def _window(text: str) -> Window:
    words = text.split()
    if words[0] == "rolling":
        return Window(unit="rolling", days=int(words[1].rstrip("d")))
    return Window(unit=words[0])
