"""The public names of ukur.sla, pinned: the web app and reports build on them."""

import ukur.sla


def test_public_names_are_pinned():
    assert sorted(ukur.sla.__all__) == sorted([
        "Agreement", "AgreementRegistry", "AgreementType", "BusinessCalendar", "ClaimsPolicy", "Compliance",
        "CreditTier", "Duration", "Exclusion", "ExclusionWindow", "Fee", "Objective", "ObjectiveKind", "Party",
        "Penalty", "PerRecordCompensation", "Period", "RecordExplanation", "Service", "Signature", "Target",
        "Window", "agreement_schema", "evaluate", "explain_record", "load_agreement", "parent_id",
        "parse_duration", "parse_percent", "parse_period", "parse_timestamps",
    ])  # fmt: skip
    for name in ukur.sla.__all__:
        assert getattr(ukur.sla, name) is not None
