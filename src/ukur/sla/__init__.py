"""SLA engine: agreements as code, business-time clocks, compliance. Pure: no I/O beyond parsing.

::

    YAML ──load_agreement──▶ Agreement ──evaluate(records, as_of)──▶ Compliance ──▶ report / store / web
                                        └─explain_record(records, id)──▶ RecordExplanation

The agreement format (``ukur: sla/v1``) is documented in ``docs/sla-format.md``; its JSON Schema is
:func:`agreement_schema`.
"""

from ukur.sla.agreement import (
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
from ukur.sla.compliance import Compliance
from ukur.sla.document import agreement_schema
from ukur.sla.duration import Duration, parse_duration, parse_percent, parse_timestamps
from ukur.sla.evaluate import evaluate
from ukur.sla.explanation import RecordExplanation, explain_record
from ukur.sla.load import AgreementRegistry, load_agreement, parent_id
from ukur.sla.windows import Period, parse_period

__all__ = [
    "Agreement",
    "AgreementRegistry",
    "AgreementType",
    "BusinessCalendar",
    "ClaimsPolicy",
    "Compliance",
    "CreditTier",
    "Duration",
    "Exclusion",
    "ExclusionWindow",
    "Fee",
    "Objective",
    "ObjectiveKind",
    "Party",
    "Penalty",
    "PerRecordCompensation",
    "Period",
    "RecordExplanation",
    "Service",
    "Signature",
    "Target",
    "Window",
    "agreement_schema",
    "evaluate",
    "explain_record",
    "load_agreement",
    "parent_id",
    "parse_duration",
    "parse_percent",
    "parse_period",
    "parse_timestamps",
]
