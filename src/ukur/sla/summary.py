"""Per objective and window: counts by status, compliance against the goal, error budget and burn rate.

Definitions (duration and ratio objectives; ``decided = met + breached``, open, at-risk, excluded and
invalid records are not decided yet or do not count):

    compliance   = met / decided                                  (undefined when decided = 0)
    ok           = compliance ≥ goal
    burn_rate    = (breached / decided) / (1 − goal)              (Google SRE workbook, ch. 5: error rate
                                                                   over the rate the budget allows)
    budget_used  = breached / ((1 − goal) · decided / f)          f = elapsed fraction of the window
                 = burn_rate · f
    budget_remaining = 1 − budget_used

``budget_used`` projects the records seen so far onto the whole window: 40 % of a month gone with a burn
rate of 2 means 80 % of the month's budget is spent; at the end of the window (f = 1) it equals the burn
rate. Availability objectives read the same formulas in seconds: compliance = 1 − downtime / available,
burn_rate = (downtime / available) / (1 − goal). A goal of 100 % leaves no budget: any failure makes
``budget_used`` infinite (JSON null).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ukur.sla.agreement import Objective
from ukur.sla.fields import NONE
from ukur.sla.measure import STATUSES
from ukur.sla.windows import WindowGrid

__all__ = ["WINDOW_COLUMNS", "summarize"]

WINDOW_COLUMNS = [
    "objective", "kind", "window", "start", "end", "total", *STATUSES, "compliance", "goal", "ok",
    "budget_used", "budget_remaining", "burn_rate", "elapsed_fraction", "final",
    "available_seconds", "downtime_seconds",
]  # fmt: skip


def summarize(
    objective: Objective,
    records: pd.DataFrame,
    window_index: np.ndarray,
    grid: WindowGrid,
    *,
    as_of: np.datetime64,
    outages: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per window of ``grid`` (columns :data:`WINDOW_COLUMNS`) from the objective's record rows."""
    k, s = len(grid), len(STATUSES)
    inside = window_index >= 0
    codes = records["status"].cat.codes.to_numpy()
    counts = np.bincount(window_index[inside] * s + codes[inside], minlength=k * s).reshape(k, s)
    table = pd.DataFrame(counts, columns=list(STATUSES))
    table.insert(0, "total", counts.sum(axis=1))
    span = (grid.ends - grid.starts).astype(np.int64).astype(float)
    done = (np.minimum(grid.ends, as_of) - grid.starts).astype(np.int64).astype(float)
    fraction = np.clip(np.divide(done, span, out=np.zeros(k), where=span > 0), 0.0, 1.0)
    allowed = 1.0 - objective.goal
    with np.errstate(divide="ignore", invalid="ignore"):
        if outages is not None:
            available = outages["available_seconds"].to_numpy(dtype=float)
            downtime = outages["downtime_seconds"].to_numpy(dtype=float)
            fraction = outages["elapsed_fraction"].to_numpy(dtype=float)
            failure = np.where(available > 0, downtime / available, np.nan)
        else:
            available = np.full(k, np.nan)
            downtime = np.full(k, np.nan)
            decided = counts[:, 0] + counts[:, 1]
            failure = np.where(decided > 0, counts[:, 1] / np.maximum(decided, 1), np.nan)
        compliance = 1.0 - failure
        burn = np.where(failure > 0, failure / allowed, np.where(np.isnan(failure), np.nan, 0.0))
    used = burn * fraction
    table.insert(0, "end", grid.ends)
    table.insert(0, "start", grid.starts)
    table.insert(0, "window", grid.labels)
    table.insert(0, "kind", objective.kind.value)
    table.insert(0, "objective", objective.id)
    table["compliance"] = compliance
    table["goal"] = objective.goal
    table["ok"] = pd.array(
        np.where(np.isnan(compliance), NONE, compliance >= objective.goal - 1e-12), dtype="boolean"
    )
    table["budget_used"] = used
    table["budget_remaining"] = 1.0 - used
    table["burn_rate"] = burn
    table["elapsed_fraction"] = fraction
    table["final"] = grid.ends <= as_of
    table["available_seconds"] = available
    table["downtime_seconds"] = downtime
    return table[WINDOW_COLUMNS]
