"""Period-by-period evaluation of a stored stream equals evaluating the whole stream for that period.

Three months of shipments (times stored with +07:00 offsets, some records on month boundaries in UTC vs
local time); for each month the windows and credits of :func:`evaluate_by_period` (reading one month's
records) must equal those of :func:`evaluate_agreement` (reading every record) — exactly, except the
note counting the records left out.
"""

from __future__ import annotations

import numpy as np

from tests.conftest import sla_yaml
from tests.faults._import_child import rows
from ukur.store import transaction
from ukur.store.access import SYSTEM
from ukur.store.accounts import create_organisation
from ukur.store.agreements import upload_agreement
from ukur.store.compliance import evaluate_agreement
from ukur.store.compliance_windows import evaluate_by_period
from ukur.store.records import import_records, stream_for

PERIODS = ["2025-12", "2026-01", "2026-02"]


def test_each_period_equals_the_whole_stream_evaluated_for_that_period(sessions) -> None:
    data = rows(3000)
    # spread the seeded January shipments over three months, keeping each one's duration
    shift = np.random.default_rng(5).integers(-31, 31, len(data))
    for row, days in zip(data, shift, strict=True):
        for field in ("picked_up_at", "delivered_at"):
            stamp = np.datetime64(row[field][:19]) + np.timedelta64(int(days), "D")
            row[field] = f"{stamp}+07:00"
    with transaction(sessions) as session:
        create_organisation(session, SYSTEM, "PT Kilat", "provider")
        customer = create_organisation(session, SYSTEM, "Toko A", "customer")
        agreement_id = upload_agreement(session, SYSTEM, sla_yaml("kilat", "Toko A")).agreement_id
        import_records(session, SYSTEM, stream_for(session, SYSTEM, customer.id, "shipments"), data)
    with sessions() as session:
        chunked = dict(evaluate_by_period(session, SYSTEM, agreement_id, PERIODS, as_of="2026-04-01"))
        for period in PERIODS:
            whole = evaluate_agreement(session, SYSTEM, agreement_id, period=period, as_of="2026-04-01")
            mine, reference = chunked[period].to_dict(), whole.to_dict()
            # the only difference allowed: how many records outside the period were left out (a note)
            mine.pop("notes"), reference.pop("notes")
            assert mine == reference, period
            assert whole.windows["total"].sum() > 500  # every month really has records
