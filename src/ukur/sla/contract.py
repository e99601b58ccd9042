"""The contract around the measurable promises: parties in full, clauses, procedures, rights.

An SLA is a document both parties sign; the objectives, exclusions and penalties of
:class:`~ukur.sla.agreement.Agreement` are only its measurable core. This module holds everything
else the usual anatomy of an SLA names (overview and purpose, definitions, service scope and support,
responsibilities, security and confidentiality, disaster recovery, tracking and reporting, claims and
dispute resolution, termination, review and change) as frozen values, written in the agreement file
under ``contract:`` and as extra fields of ``provider:``/``customer:`` (see ``docs/sla-contract.md``).

Every free-text clause is a :class:`Text`: a plain string, or the same clause per language
(``{id: "…", en: "…"}``), because Indonesian law (UU 24/2009 Art. 31) wants agreements involving an
Indonesian party in Bahasa Indonesia and bilingual contracts are the custom. Nothing here reads files;
parsing lives in :mod:`ukur.sla.contract_load`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ukur.sla.duration import Duration

__all__ = [
    "ANY_LANGUAGE",
    "Channel",
    "Contact",
    "Contract",
    "Definition",
    "DisasterRecovery",
    "DisputeStep",
    "Disputes",
    "Maintenance",
    "PartyDetails",
    "Reporting",
    "Security",
    "Termination",
    "TerminationRight",
    "Text",
]

ANY_LANGUAGE = ""
"""The language key of a clause written as a plain string (its language is not stated)."""


@dataclass(frozen=True, slots=True)
class Text:
    """One free-text clause: ``((lang, text), ...)``; a plain string has the single key ``""``."""

    values: tuple[tuple[str, str], ...]

    @classmethod
    def plain(cls, text: str) -> Text:
        """A clause written as a plain string."""
        return cls(((ANY_LANGUAGE, text),))

    @property
    def languages(self) -> tuple[str, ...]:
        """The stated languages (``()`` for a plain string)."""
        return tuple(k for k, _ in self.values if k != ANY_LANGUAGE)

    def get(self, lang: str, *, fallback: bool = True) -> str:
        """The clause in ``lang``; with ``fallback`` the plain text, English, or the first one written."""
        found = dict(self.values)
        if lang in found:
            return found[lang]
        if not fallback:
            return ""
        for key in (ANY_LANGUAGE, "en", "id"):
            if key in found:
                return found[key]
        return self.values[0][1] if self.values else ""

    def to_data(self) -> str | dict[str, str]:
        """The YAML form: a string, or a mapping of language to text."""
        if len(self.values) == 1 and self.values[0][0] == ANY_LANGUAGE:
            return self.values[0][1]
        return dict(self.values)


@dataclass(frozen=True, slots=True)
class Contact:
    """A person to turn to: name, role, and how to reach them."""

    name: str
    role: str = ""
    contact: str = ""

    def to_data(self) -> dict[str, str]:
        return {k: v for k, v in (("name", self.name), ("role", self.role), ("contact", self.contact)) if v}


@dataclass(frozen=True, slots=True)
class PartyDetails:
    """What a contract says about a party beyond its name: legal name, address, representative, country.

    ``department`` names the department for an internal SLA; ``country`` is an ISO 3166 code.
    """

    legal_name: str = ""
    address: str = ""
    representative: Contact | None = None
    department: str = ""
    country: str = ""

    def to_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for key in ("legal_name", "address", "department", "country"):
            if getattr(self, key):
                data[key] = getattr(self, key)
        if self.representative is not None:
            data["representative"] = self.representative.to_data()
        return data


@dataclass(frozen=True, slots=True)
class Definition:
    """A defined term and its meaning."""

    term: Text
    meaning: Text


@dataclass(frozen=True, slots=True)
class Channel:
    """A support channel (phone, e-mail, WhatsApp, portal), its address and the calendar it is staffed on."""

    name: str
    address: str = ""
    calendar: str = ""


@dataclass(frozen=True, slots=True)
class Maintenance:
    """Planned maintenance as a recurrence rule (RFC 5545 subset), expanded into an exclusion.

    ``rule`` is ``FREQ=WEEKLY;BYDAY=SU;BYHOUR=1`` or ``FREQ=MONTHLY;BYDAY=1SU;BYHOUR=22;BYMINUTE=30``
    (``DAILY`` too; ``INTERVAL`` allowed); each occurrence starts at local time in the agreement's timezone
    and lasts ``duration``. The windows between the effective dates become the exclusion ``exclusion``
    for ``objectives`` (all when empty), announced ``notice`` ahead.
    """

    rule: str
    duration: Duration
    notice: Duration | None = None
    objectives: tuple[str, ...] = ()
    exclusion: str = "planned-maintenance"
    description: Text | None = None


@dataclass(frozen=True, slots=True)
class Security:
    """Security and confidentiality: the NDA clause, data handling, standards followed."""

    confidentiality: Text | None = None
    data_handling: Text | None = None
    standards: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DisasterRecovery:
    """Disaster recovery: the procedure, the recovery time and point objectives, and objectives checking them."""

    procedure: Text | None = None
    rto: Duration | None = None
    rpo: Duration | None = None
    objectives: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Reporting:
    """Tracking and reporting: how often (``frequency``), to whom, which objectives are shown."""

    frequency: str = "month"
    recipients: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    description: Text | None = None


@dataclass(frozen=True, slots=True)
class DisputeStep:
    """One step of the claims and dispute procedure, with the time allowed for it."""

    text: Text
    within: Duration | None = None


@dataclass(frozen=True, slots=True)
class Disputes:
    """Claims and dispute resolution: the steps, escalation contacts and the venue (mediation, arbitration)."""

    steps: tuple[DisputeStep, ...] = ()
    escalation: tuple[Contact, ...] = ()
    venue: Text | None = None


@dataclass(frozen=True, slots=True)
class TerminationRight:
    """A machine-checkable right to terminate: ``objective`` missed in ``breached`` of the last ``of`` windows."""

    objective: str
    breached: int
    of: int
    party: str = "customer"


@dataclass(frozen=True, slots=True)
class Termination:
    """Termination: notice period, termination for cause, and the rights that records can trigger."""

    notice: Duration | None = None
    for_cause: Text | None = None
    rights: tuple[TerminationRight, ...] = ()


@dataclass(frozen=True)
class Contract:
    """Everything an SLA document says besides its measurable promises (all parts optional).

    ``provider``/``customer`` are the parties' details; ``responsibilities`` maps ``provider``,
    ``customer`` (or another party) to its duties; ``change_procedure`` and ``change_notice`` say how
    the agreement is changed and how long before a change takes effect (the cadence is ``review.every``).
    """

    provider: PartyDetails = PartyDetails()
    customer: PartyDetails = PartyDetails()
    overview: Text | None = None
    purpose: Text | None = None
    definitions: tuple[Definition, ...] = ()
    scope: Text | None = None
    support_calendar: str = ""
    channels: tuple[Channel, ...] = ()
    maintenance: Maintenance | None = None
    responsibilities: tuple[tuple[str, tuple[Text, ...]], ...] = ()
    security: Security | None = None
    disaster_recovery: DisasterRecovery | None = None
    reporting: Reporting | None = None
    disputes: Disputes | None = None
    termination: Termination | None = None
    change_procedure: Text | None = None
    change_notice: Duration | None = None

    def texts(self) -> tuple[tuple[str, Text], ...]:
        """Every free-text clause with a readable field name (for language checks and diffs)."""
        found: list[tuple[str, Text | None]] = [
            ("contract.overview", self.overview),
            ("contract.purpose", self.purpose),
            ("contract.scope", self.scope),
            ("contract.change.procedure", self.change_procedure),
        ]
        for d in self.definitions:
            found += [(f"contract.definitions[{d.term.get('en')}]", d.term)]
            found += [(f"contract.definitions[{d.term.get('en')}].meaning", d.meaning)]
        if self.maintenance is not None:
            found.append(("contract.maintenance.description", self.maintenance.description))
        for party, duties in self.responsibilities:
            found += [(f"contract.responsibilities.{party}[{i}]", t) for i, t in enumerate(duties)]
        if self.security is not None:
            found += [
                ("contract.security.confidentiality", self.security.confidentiality),
                ("contract.security.data_handling", self.security.data_handling),
            ]
        if self.disaster_recovery is not None:
            found.append(("contract.disaster_recovery.procedure", self.disaster_recovery.procedure))
        if self.reporting is not None:
            found.append(("contract.reporting.description", self.reporting.description))
        if self.disputes is not None:
            found += [(f"contract.disputes.steps[{i}]", s.text) for i, s in enumerate(self.disputes.steps)]
            found.append(("contract.disputes.venue", self.disputes.venue))
        if self.termination is not None:
            found.append(("contract.termination.for_cause", self.termination.for_cause))
        return tuple((name, text) for name, text in found if text is not None)
