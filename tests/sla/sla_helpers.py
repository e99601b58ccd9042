"""Small agreements and record frames for the SLA engine tests (Asia/Jakarta, UTC+7, no daylight saving)."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import pandas as pd

from ukur.sla import Agreement, load_agreement

HEADER = """\
ukur: sla/v1
id: {id}
title: Test agreement
type: customer
provider: {{name: PT Kilat Express}}
customer: {{name: Toko Batik Sari}}
timezone: Asia/Jakarta
fee: {{amount: 10000000, currency: IDR, per: month}}
calendars:
  office:
    hours: {{mon-fri: "08:00-12:00,13:00-17:00"}}
    closed: [2026-03-20]
services:
  - {{id: delivery}}
  - {{id: helpdesk}}
signatures:
  - {{party: provider, name: Budi, signed_at: 2026-01-01}}
  - {{party: customer, name: Sari, signed_at: 2026-01-02}}
"""


def make(body: str, *, id: str = "test", parents: Mapping[str, Agreement] | None = None) -> Agreement:
    """An agreement from the common header plus ``body`` (objectives, penalties, ...)."""
    text = HEADER.format(id=id) + textwrap.dedent(body)
    return load_agreement(text, source=f"{id}.yaml", parents=parents)


def frame(
    rows: list[dict[str, object]], source: str = "records.csv", columns: list[str] | None = None
) -> pd.DataFrame:
    """A record frame as ``ukur.io.read_table`` would return it (text cells, ``attrs['source']``)."""
    table = pd.DataFrame(rows, columns=columns)
    table.attrs["source"] = source
    return table


def utc(text: str) -> pd.Timestamp:
    """A Jakarta wall-clock time as naive UTC (what the engine reports)."""
    return pd.Timestamp(text).tz_localize("Asia/Jakarta").tz_convert("UTC").tz_localize(None)
