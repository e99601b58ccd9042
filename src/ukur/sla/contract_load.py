"""Reading the ``contract:`` part of an agreement and what follows from it.

:func:`attach_contract` is called by :func:`ukur.sla.load.load_agreement` after the measurable part is
built: it reads ``contract:`` and the extra party fields (legal name, address, representative,
department, country) into a :class:`~ukur.sla.contract.Contract`, checks every language code and every
reference (objectives, calendars), and turns the planned-maintenance recurrence rule into an exclusion
so the maintenance the contract announces never counts against the objectives. A child agreement
inherits its parent's contract part by part (a part it writes replaces the parent's).

:func:`language_warnings` implements the UU 24/2009 Art. 31 check of ``ukur sla validate``, and
:func:`termination_status` evaluates the machine-checkable rights to terminate from a Compliance.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from ukur.sla.agreement import Agreement, Exclusion, ExclusionWindow
from ukur.sla.contract import (
    Channel,
    Contact,
    Contract,
    Definition,
    DisasterRecovery,
    Disputes,
    DisputeStep,
    Maintenance,
    PartyDetails,
    Reporting,
    Security,
    Termination,
    TerminationRight,
    Text,
)
from ukur.sla.document import Document, Path
from ukur.sla.duration import Duration, parse_duration
from ukur.sla.maintenance import expand_rule, parse_rule

__all__ = ["LANGUAGE_CODES", "attach_contract", "language_warnings", "termination_status"]

# ISO 639-1 codes: a clause in any other language key is a typo ("in" for "id", "eng" for "en").
LANGUAGE_CODES = frozenset(
    [
        "aa",
        "ab",
        "ae",
        "af",
        "ak",
        "am",
        "an",
        "ar",
        "as",
        "av",
        "ay",
        "az",
        "ba",
        "be",
        "bg",
        "bh",
        "bi",
        "bm",
        "bn",
        "bo",
        "br",
        "bs",
        "ca",
        "ce",
        "ch",
        "co",
        "cr",
        "cs",
        "cu",
        "cv",
        "cy",
        "da",
        "de",
        "dv",
        "dz",
        "ee",
        "el",
        "en",
        "eo",
        "es",
        "et",
        "eu",
        "fa",
        "ff",
        "fi",
        "fj",
        "fo",
        "fr",
        "fy",
        "ga",
        "gd",
        "gl",
        "gn",
        "gu",
        "gv",
        "ha",
        "he",
        "hi",
        "ho",
        "hr",
        "ht",
        "hu",
        "hy",
        "hz",
        "ia",
        "id",
        "ie",
        "ig",
        "ii",
        "ik",
        "io",
        "is",
        "it",
        "iu",
        "ja",
        "jv",
        "ka",
        "kg",
        "ki",
        "kj",
        "kk",
        "kl",
        "km",
        "kn",
        "ko",
        "kr",
        "ks",
        "ku",
        "kv",
        "kw",
        "ky",
        "la",
        "lb",
        "lg",
        "li",
        "ln",
        "lo",
        "lt",
        "lu",
        "lv",
        "mg",
        "mh",
        "mi",
        "mk",
        "ml",
        "mn",
        "mr",
        "ms",
        "mt",
        "my",
        "na",
        "nb",
        "nd",
        "ne",
        "ng",
        "nl",
        "nn",
        "no",
        "nr",
        "nv",
        "ny",
        "oc",
        "oj",
        "om",
        "or",
        "os",
        "pa",
        "pi",
        "pl",
        "ps",
        "pt",
        "qu",
        "rm",
        "rn",
        "ro",
        "ru",
        "rw",
        "sa",
        "sc",
        "sd",
        "se",
        "sg",
        "si",
        "sk",
        "sl",
        "sm",
        "sn",
        "so",
        "sq",
        "sr",
        "ss",
        "st",
        "su",
        "sv",
        "sw",
        "ta",
        "te",
        "tg",
        "th",
        "ti",
        "tk",
        "tl",
        "tn",
        "to",
        "tr",
        "ts",
        "tt",
        "tw",
        "ty",
        "ug",
        "uk",
        "ur",
        "uz",
        "ve",
        "vi",
        "vo",
        "wa",
        "wo",
        "xh",
        "yi",
        "yo",
        "za",
        "zh",
        "zu",
    ]
)
INDONESIAN_ZONES = frozenset({"Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura"})
_LEGAL_FORM = re.compile(r"^(PT|CV|Perum|Perumda|Persero|Koperasi|Yayasan|Firma|UD|PD)\.?\s", re.IGNORECASE)


def attach_contract(agreement: Agreement, doc: Document, parent: Agreement | None) -> Agreement:
    """The agreement with its contract (and the maintenance exclusion) from ``doc``, inheriting ``parent``'s."""
    contract = _Reader(doc, agreement).contract(parent.contract if parent is not None else None)
    if contract == Contract() and (parent is None or parent.contract is None):
        return agreement
    exclusions = agreement.exclusions
    if contract.maintenance is not None:
        if agreement.effective_from is None:
            raise doc.error(
                "planned maintenance needs the agreement's effective dates (effective: {from: YYYY-MM-DD}) "
                "to place its windows",
                ("contract", "maintenance"),
            )
        exclusion = _maintenance_exclusion(agreement, contract.maintenance)
        exclusions = (*(e for e in exclusions if e.id != exclusion.id), exclusion)
    return dataclasses.replace(agreement, contract=contract, exclusions=exclusions)


class _Reader:
    def __init__(self, doc: Document, agreement: Agreement) -> None:
        self.doc = doc
        self.agreement = agreement

    def text(self, path: Path, value: Any) -> Text:
        if isinstance(value, str):
            return Text.plain(value)
        for code in value:
            if code not in LANGUAGE_CODES:
                raise self.doc.error(
                    f"unknown language code {code!r} (use ISO 639-1 codes such as id for Bahasa Indonesia "
                    "and en for English)",
                    (*path, code),
                )
        return Text(tuple((str(k), str(v)) for k, v in value.items()))

    def opt_text(self, path: Path, data: dict[str, Any], key: str) -> Text | None:
        return self.text((*path, key), data[key]) if key in data else None

    def duration(self, path: Path, data: dict[str, Any], key: str) -> Duration | None:
        if key not in data:
            return None
        try:
            return parse_duration(data[key], field=self.doc.field((*path, key)))
        except Exception as exc:
            raise self.doc.error(str(getattr(exc, "message", exc)), (*path, key)) from None

    def objectives(self, path: Path, ids: list[str]) -> tuple[str, ...]:
        known = {o.id for o in self.agreement.objectives}
        for i, name in enumerate(ids):
            if name not in known:
                raise self.doc.error(
                    f"no objective {name!r} (objectives: {', '.join(sorted(known))})", (*path, i)
                )
        return tuple(ids)

    def calendar(self, path: Path, name: str) -> str:
        known = dict(self.agreement.calendars)
        if name not in known:
            raise self.doc.error(f"no calendar {name!r} (calendars: {', '.join(known)})", path)
        return name

    def party(self, role: str, inherited: PartyDetails) -> PartyDetails:
        raw = self.doc.data.get(role)
        if not isinstance(raw, dict):
            return inherited
        rep = raw.get("representative")
        return PartyDetails(
            legal_name=str(raw.get("legal_name", "")),
            address=str(raw.get("address", "")),
            representative=None if rep is None else _contact(rep),
            department=str(raw.get("department", "")),
            country=str(raw.get("country", "")),
        )

    def contract(self, inherited: Contract | None) -> Contract:
        base = inherited or Contract()
        c: dict[str, Any] = self.doc.data.get("contract", {})
        p: Path = ("contract",)
        values: dict[str, Any] = {
            "provider": self.party("provider", base.provider),
            "customer": self.party("customer", base.customer),
        }
        for key in ("overview", "purpose", "scope"):
            if key in c:
                values[key] = self.text((*p, key), c[key])
        if "definitions" in c:
            values["definitions"] = tuple(
                Definition(self.text((*p, "definitions", i, "term"), d["term"]),
                           self.text((*p, "definitions", i, "meaning"), d["meaning"]))
                for i, d in enumerate(c["definitions"])
            )  # fmt: skip
        if "support" in c:
            s = c["support"]
            sp: Path = (*p, "support")
            if "calendar" in s:
                values["support_calendar"] = self.calendar((*sp, "calendar"), s["calendar"])
            values["channels"] = tuple(
                Channel(name=ch["name"], address=ch.get("address", ""),
                        calendar=self.calendar((*sp, "channels", i, "calendar"), ch["calendar"])
                        if "calendar" in ch else "")
                for i, ch in enumerate(s.get("channels", []))
            )  # fmt: skip
        if "maintenance" in c:
            values["maintenance"] = self.maintenance((*p, "maintenance"), c["maintenance"])
        if "responsibilities" in c:
            values["responsibilities"] = tuple(
                (party, tuple(self.text((*p, "responsibilities", party, i), t) for i, t in enumerate(items)))
                for party, items in c["responsibilities"].items()
            )
        if "security" in c:
            s, sp = c["security"], (*p, "security")
            values["security"] = Security(
                confidentiality=self.opt_text(sp, s, "confidentiality"),
                data_handling=self.opt_text(sp, s, "data_handling"),
                standards=tuple(s.get("standards", [])),
            )
        if "disaster_recovery" in c:
            s, sp = c["disaster_recovery"], (*p, "disaster_recovery")
            values["disaster_recovery"] = DisasterRecovery(
                procedure=self.opt_text(sp, s, "procedure"),
                rto=self.duration(sp, s, "rto"),
                rpo=self.duration(sp, s, "rpo"),
                objectives=self.objectives((*sp, "objectives"), s.get("objectives", [])),
            )
        if "reporting" in c:
            s, sp = c["reporting"], (*p, "reporting")
            values["reporting"] = Reporting(
                frequency=s.get("frequency", "month"),
                recipients=tuple(s.get("recipients", [])),
                metrics=self.objectives((*sp, "metrics"), s.get("metrics", [])),
                description=self.opt_text(sp, s, "description"),
            )
        if "disputes" in c:
            values["disputes"] = self.disputes((*p, "disputes"), c["disputes"])
        if "termination" in c:
            values["termination"] = self.termination((*p, "termination"), c["termination"])
        if "change" in c:
            s, sp = c["change"], (*p, "change")
            values["change_procedure"] = self.opt_text(sp, s, "procedure")
            values["change_notice"] = self.duration(sp, s, "notice")
        return dataclasses.replace(base, **values)

    def maintenance(self, path: Path, m: dict[str, Any]) -> Maintenance:
        try:
            parse_rule(m["rule"])
        except ValueError as exc:
            raise self.doc.error(str(exc), (*path, "rule")) from None
        duration = self.duration(path, m, "duration")
        assert duration is not None  # required by the schema
        if duration.seconds is None:
            raise self.doc.error("a maintenance window lasts a fixed time such as '4h'", (*path, "duration"))
        return Maintenance(
            rule=m["rule"],
            duration=duration,
            notice=self.duration(path, m, "notice"),
            objectives=self.objectives((*path, "objectives"), m.get("objectives", [])),
            exclusion=m.get("exclusion", "planned-maintenance"),
            description=self.opt_text(path, m, "description"),
        )

    def disputes(self, path: Path, d: dict[str, Any]) -> Disputes:
        return Disputes(
            steps=tuple(
                DisputeStep(
                    self.text((*path, "steps", i, "text"), s["text"]),
                    self.duration((*path, "steps", i), s, "within"),
                )
                for i, s in enumerate(d.get("steps", []))
            ),
            escalation=tuple(_contact(e) for e in d.get("escalation", [])),
            venue=self.opt_text(path, d, "venue"),
        )

    def termination(self, path: Path, t: dict[str, Any]) -> Termination:
        rights = []
        for i, r in enumerate(t.get("rights", [])):
            self.objectives((*path, "rights", i, "objective"), [r["objective"]])
            if r["breached"] > r["of"]:
                raise self.doc.error(
                    f"breached ({r['breached']}) cannot exceed of ({r['of']})",
                    (*path, "rights", i, "breached"),
                )
            rights.append(TerminationRight(r["objective"], int(r["breached"]), int(r["of"]),
                                           r.get("party", "customer")))  # fmt: skip
        return Termination(
            notice=self.duration(path, t, "notice"),
            for_cause=self.opt_text(path, t, "for_cause"),
            rights=tuple(rights),
        )


def _contact(raw: dict[str, Any]) -> Contact:
    return Contact(name=raw["name"], role=raw.get("role", ""), contact=raw.get("contact", ""))


def _maintenance_exclusion(agreement: Agreement, m: Maintenance) -> Exclusion:
    """The maintenance windows between the effective dates (two years from the start when it has no end).

    Deterministic on purpose: the windows depend on the agreement alone, never on today's date.
    """
    first = agreement.effective_from
    assert first is not None  # checked by attach_contract
    last = agreement.effective_to or date(first.year + 2, 1, 1) + (
        first - date(first.year, 1, 1)
    ) - timedelta(days=1)
    starts = expand_rule(m.rule, first, last, timezone=agreement.timezone)
    assert m.duration.seconds is not None
    stops = starts + np.timedelta64(int(m.duration.seconds), "s")
    windows = tuple(
        ExclusionWindow(pd.Timestamp(a).to_pydatetime(), pd.Timestamp(b).to_pydatetime())
        for a, b in zip(starts, stops, strict=True)
    )
    text = m.description.get("en") if m.description is not None else f"Planned maintenance ({m.rule})"
    return Exclusion(id=m.exclusion, windows=windows, objectives=m.objectives, description=text)


def involves_indonesian_party(agreement: Agreement) -> bool:
    """A party is Indonesian by its country code, its legal form (PT, CV, ...), or the agreement's time zone."""
    c = agreement.contract or Contract()
    names = (agreement.provider.name, agreement.customer.name, c.provider.legal_name, c.customer.legal_name)
    return (
        "ID" in (c.provider.country, c.customer.country)
        or any(_LEGAL_FORM.match(n) for n in names if n)
        or agreement.timezone in INDONESIAN_ZONES
    )


def language_warnings(agreement: Agreement) -> tuple[str, ...]:
    """Clauses without Bahasa Indonesia text in an agreement involving an Indonesian party (UU 24/2009 Art. 31).

    A plain-string clause states no language and is reported too: the law asks for the Indonesian text,
    so write it as ``{id: "…", en: "…"}``.
    """
    if agreement.contract is None or not involves_indonesian_party(agreement):
        return ()
    missing = [name for name, text in agreement.contract.texts() if "id" not in text.languages]
    if not missing:
        return ()
    shown = ", ".join(missing[:3]) + (f" and {len(missing) - 3} more" if len(missing) > 3 else "")
    return (
        f"{agreement.id}: the agreement involves an Indonesian party but {len(missing)} clause(s) have no "
        f"Bahasa Indonesia text ({shown}); UU 24/2009 Art. 31 requires it (write {{id: '…', en: '…'}})",
    )


def termination_status(agreement: Agreement, windows: pd.DataFrame) -> pd.DataFrame:
    """Whether each right to terminate is triggered, from a Compliance's ``windows`` table.

    For a right "``objective`` breached in ``breached`` of ``of`` windows" the last ``of`` *final* windows of
    the objective are read (a window still running cannot yet be breached for good); the right is
    triggered when at least ``breached`` of them missed the goal (``ok`` is false).

    Columns: ``objective``, ``party``, ``breached``, ``of``, ``windows`` (how many final windows were
    read), ``missed``, ``missed_windows`` (their labels, oldest first), ``triggered``.
    """
    columns = ["objective", "party", "breached", "of", "windows", "missed", "missed_windows", "triggered"]
    rows = []
    rights = (
        agreement.contract.termination.rights if agreement.contract and agreement.contract.termination else ()
    )
    for right in rights:
        mine = windows[(windows["objective"] == right.objective) & windows["final"].astype(bool)]
        last = mine.sort_values("start").tail(right.of)
        ok = last["ok"].to_numpy()
        missed = last["window"].to_numpy()[ok == False]  # noqa: E712 (NaN-free boolean column)
        rows.append(
            {
                "objective": right.objective,
                "party": right.party,
                "breached": right.breached,
                "of": right.of,
                "windows": len(last),
                "missed": len(missed),
                "missed_windows": [str(w) for w in missed],
                "triggered": len(missed) >= right.breached,
            }
        )
    return pd.DataFrame(rows, columns=columns)
