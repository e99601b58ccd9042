"""Did the SLA work? Satisfaction, complaints and retention beside compliance, and the analysis linking them.

Pure analysis on top of the engines (:mod:`ukur.sla`, :mod:`ukur.pls`, :mod:`ukur.survey`): no file I/O
except the built-in questionnaire shipped as package data.  Flow::

    agreements + records ──evaluate_customers──▶ CustomerCompliance per customer
        ├─record_outcomes──▶ met / breached per record ──satisfaction_split(outcomes, feedback)──▶ SplitResult
        ├─experience──▶ SLA experience per customer ──customer_rows(+feedback)──▶ link(rows)──▶ Linking
        └─customer_credits──▶ credits per customer and window ──retention(activity, …)──▶ Retention
    feedback frame ──validate_feedback──▶ tidy feedback           at_risk(feedback, outcomes) ──▶ AtRisk
    complaints frame ──complaint_handling(calendar, targets)──▶ ComplaintHandling

``analyze(agreements, records, feedback, …) → Success`` runs all of it (the CLI and the web app call it).
Every result is frozen, holds pandas DataFrames and has ``to_dict()`` (the JSON of ``ukur sla success``).
"""

from ukur.success.analysis import ComplaintTargets, Success, analyze
from ukur.success.at_risk import AtRisk, AtRiskRule, at_risk
from ukur.success.complaints import ComplaintHandling, complaint_handling, complaints_from_claims
from ukur.success.experience import (
    CustomerCompliance,
    customer_credits,
    evaluate_customers,
    experience,
    record_outcomes,
)
from ukur.success.feedback import feedback_answer, feedback_questionnaire, nps_score, validate_feedback
from ukur.success.linking import DEFAULT_HYPOTHESES, Linking, customer_rows, default_model, link
from ukur.success.retention import Retention, monthly_fee, retention
from ukur.success.split import SplitResult, satisfaction_split, welch_interval

__all__ = [
    "DEFAULT_HYPOTHESES",
    "AtRisk",
    "AtRiskRule",
    "ComplaintHandling",
    "ComplaintTargets",
    "CustomerCompliance",
    "Linking",
    "Retention",
    "SplitResult",
    "Success",
    "analyze",
    "at_risk",
    "complaint_handling",
    "complaints_from_claims",
    "customer_credits",
    "customer_rows",
    "default_model",
    "evaluate_customers",
    "experience",
    "feedback_answer",
    "feedback_questionnaire",
    "link",
    "monthly_fee",
    "nps_score",
    "record_outcomes",
    "retention",
    "satisfaction_split",
    "validate_feedback",
    "welch_interval",
]
