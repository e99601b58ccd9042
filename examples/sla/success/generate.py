"""Simulate the Kilat Bisnis success demo: customers, shipments, feedback, complaints, claims (seeded).

    python examples/sla/success/generate.py                 # rewrites the CSV files next to this script
    python examples/sla/success/generate.py --seed 7 --customers 300 --out /tmp/success

THE DATA ARE SIMULATED from the population model below; no real customer is in them.

Population model (one row per customer c; every latent variable has mean 0 and variance 1):

* service conditions ξ ~ N(0, 1); a shipment is on time (delivered within 24 h) with probability
  p = 1 / (1 + exp(−(2.4 + 0.8 ξ)));
* S = the customer's realised share of shipments on time, standardised over customers (this is exactly
  what the SLA engine measures, so the model below holds for the measured variable);
* Satisfaction = 0.6 · S + 0.8 · ζ₁                              (β SLA→Satisfaction = 0.6)
* Loyalty = 0.5 · Satisfaction + 0.2 · S + √0.59 · ζ₂            (β Satisfaction→Loyalty = 0.5,
                                                                  β SLA→Loyalty = 0.2, indirect 0.30)
  with ζ₁, ζ₂ ~ N(0, 1) independent;
* answers (rounded to whole numbers and clipped to the scale), b = 1 for a breached shipment and b̄ the
  customer's share of breached shipments among those it answered about (so the customer's mean is
  untouched by the within-customer effect of a breach):
  per-shipment feedback (45 % of shipments) csat = 3.6 + 0.6 · Satisfaction − 1.2 · (b − b̄) + N(0, 0.5²),
  effort = 3.5 + 0.55 · Satisfaction − 0.8 · (b − b̄) + N(0, 0.5²) on 1–5, and
  nps = 6.8 + 1.3 · Loyalty − 1.5 · (b − b̄) + N(0, 1) on 0–10;
  a quarterly survey of the customer: loy1 = 3.5 + 0.75 · Loyalty + N(0, 0.45²),
  loy2 = 3.4 + 0.7 · Loyalty + N(0, 0.45²) on 1–5;
* retention: 100 customers from January, 50 more joining in February–September; an active customer
  leaves in a month with probability 1 / (1 + exp(3.4 + 0.9 L*)), where L* is Loyalty computed with ξ in
  place of S (the decision to stay cannot wait for the year's share); a customer who left comes back in
  a month with probability 0.08; an active month has 1 + Poisson(7) shipments;
* complaints: a quarter of breached shipments bring a complaint (acknowledged after 0.5–6 open hours,
  resolved after 2–30 further hours; a few still open); a tenth bring a claim of type ``late``.

Files: ``shipments.csv`` (id, customer, picked_up_at, delivered_at), ``feedback.csv`` (agreement,
record_id, customer, respondent, submitted_at, csat, effort, nps, loy1, loy2, comment),
``complaints.csv`` (id, customer, record_id, received_at, acknowledged_at, resolved_at) and
``claims.csv`` (id, record_id, filed_at, type, amount, status, responded_at). Times are local
(Asia/Jakarta) without an offset.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

AGREEMENT = "kilat-bisnis"
YEAR_START = pd.Timestamp("2026-01-01")
MONTHS = 12
BETA_SAT, BETA_LOY, BETA_DIRECT = 0.6, 0.5, 0.2
PREFIXES = ("Toko", "CV", "UD", "Butik", "Kedai", "Warung", "Rumah")
WORDS = ("Batik", "Maju", "Sari", "Jaya", "Makmur", "Sentosa", "Berkah", "Lestari", "Mandiri", "Abadi")
COMMENTS = (
    "Kurirnya ramah",
    "Paket datang terlambat",
    "Cepat, terima kasih",
    "Tolong kabari kalau ada keterlambatan",
    "",
)


def _fmt(values: pd.Series) -> pd.Series:
    return values.dt.strftime("%Y-%m-%d %H:%M").fillna("")


def _round_clip(x: np.ndarray, lo: int, hi: int) -> np.ndarray:
    return np.clip(np.rint(x), lo, hi).astype(int)


def simulate(seed: int = 2026, customers: int = 150) -> dict[str, pd.DataFrame]:
    """Draw the demo data from the population model of the module docstring."""
    rng = np.random.default_rng(seed)
    n = customers
    names = [f"{PREFIXES[i % len(PREFIXES)]} {WORDS[(i // 7) % len(WORDS)]} {i + 1:03d}" for i in range(n)]
    xi, z1, z2 = rng.standard_normal((3, n))
    p_on_time = 1 / (1 + np.exp(-(2.4 + 0.8 * xi)))
    loyal_star = BETA_LOY * (BETA_SAT * xi + 0.8 * z1) + BETA_DIRECT * xi + np.sqrt(0.59) * z2
    join = np.where(np.arange(n) < round(n * 2 / 3), 0, rng.integers(1, 9, n))
    leave_p = 1 / (1 + np.exp(3.4 + 0.9 * loyal_star))
    active = np.zeros((n, MONTHS), bool)
    state = np.zeros(n, bool)
    for m in range(MONTHS):
        joining = join == m
        stays = state & (rng.random(n) >= leave_p)
        comes_back = ~state & (join < m) & (rng.random(n) < 0.08)
        state = joining | stays | comes_back
        active[:, m] = state
    counts = np.where(active, 1 + rng.poisson(7, active.shape), 0)
    cust = np.repeat(np.repeat(np.arange(n), MONTHS), counts.ravel())
    month = np.repeat(np.tile(np.arange(MONTHS), n), counts.ravel())
    starts = pd.DatetimeIndex([YEAR_START + pd.DateOffset(months=int(k)) for k in range(MONTHS + 1)])
    days = (starts[1:] - starts[:-1]).days.to_numpy()
    picked = (
        starts[month].to_numpy()
        + (rng.integers(0, days[month]) * 86400 + rng.integers(7 * 3600, 19 * 3600, month.size)).astype(
            "timedelta64[s]"
        )
    ).astype("datetime64[s]")
    on_time = rng.random(cust.size) < p_on_time[cust]
    hours = np.where(on_time, rng.uniform(3, 23.5, cust.size), rng.uniform(24.5, 40, cust.size))
    delivered = picked + np.round(hours * 3600).astype("timedelta64[s]")
    order = np.lexsort((picked, cust))
    cust, picked, delivered, on_time = cust[order], picked[order], delivered[order], on_time[order]
    ids = np.array([f"KB{i + 1:06d}" for i in range(cust.size)])
    share = np.bincount(cust, weights=on_time, minlength=n) / np.maximum(np.bincount(cust, minlength=n), 1)
    served = np.bincount(cust, minlength=n) > 0
    s = np.zeros(n)
    s[served] = (share[served] - share[served].mean()) / share[served].std()
    sat = BETA_SAT * s + 0.8 * z1
    loy = BETA_LOY * sat + BETA_DIRECT * s + np.sqrt(0.59) * z2
    shipments = pd.DataFrame(
        {
            "id": ids,
            "customer": np.array(names)[cust],
            "picked_up_at": _fmt(pd.Series(picked.astype("datetime64[ns]"))),
            "delivered_at": _fmt(pd.Series(delivered.astype("datetime64[ns]"))),
        }
    )
    asked = rng.random(cust.size) < 0.45
    fc, breach = cust[asked], (~on_time[asked]).astype(float)
    b_bar = np.bincount(fc, weights=breach, minlength=n) / np.maximum(np.bincount(fc, minlength=n), 1)
    within = breach - b_bar[fc]
    k = fc.size
    csat = _round_clip(3.6 + 0.6 * sat[fc] - 1.2 * within + rng.normal(0, 0.5, k), 1, 5)
    effort = _round_clip(3.5 + 0.55 * sat[fc] - 0.8 * within + rng.normal(0, 0.5, k), 1, 5)
    nps = _round_clip(6.8 + 1.3 * loy[fc] - 1.5 * within + rng.normal(0, 1.0, k), 0, 10)
    submitted = delivered[asked] + rng.integers(1800, 3 * 86400, k).astype("timedelta64[s]")
    comment = np.where(rng.random(k) < 0.1, rng.choice(COMMENTS, k), "")
    per_record = pd.DataFrame(
        {
            "agreement": AGREEMENT,
            "record_id": ids[asked],
            "customer": np.array(names)[fc],
            "respondent": "",
            "submitted_at": _fmt(pd.Series(submitted.astype("datetime64[ns]"))),
            "csat": csat,
            "effort": effort,
            "nps": nps,
            "loy1": "",
            "loy2": "",
            "comment": comment,
        }
    )
    quarter_end = np.array([2, 5, 8, 11])
    qc, qm = np.nonzero(active[:, quarter_end])
    q = qc.size
    surveys = pd.DataFrame(
        {
            "agreement": AGREEMENT,
            "record_id": "",
            "customer": np.array(names)[qc],
            "respondent": [f"owner-{c + 1:03d}" for c in qc],
            "submitted_at": _fmt(
                pd.Series(starts[quarter_end[qm] + 1] - pd.Timedelta(days=1) + pd.Timedelta(hours=10))
            ),
            "csat": "",
            "effort": "",
            "nps": "",
            "loy1": _round_clip(3.5 + 0.75 * loy[qc] + rng.normal(0, 0.45, q), 1, 5),
            "loy2": _round_clip(3.4 + 0.7 * loy[qc] + rng.normal(0, 0.45, q), 1, 5),
            "comment": "",
        }
    )
    feedback = pd.concat([per_record, surveys], ignore_index=True)
    late = np.flatnonzero(~on_time)
    complained = late[rng.random(late.size) < 0.25]
    received = delivered[complained] + rng.integers(1800, 20 * 3600, complained.size).astype("timedelta64[s]")
    ack = received + rng.integers(1800, 6 * 3600, complained.size).astype("timedelta64[s]")
    resolved = ack + rng.integers(2 * 3600, 30 * 3600, complained.size).astype("timedelta64[s]")
    still_open = rng.random(complained.size) < 0.05
    complaints = pd.DataFrame(
        {
            "id": [f"CP{i + 1:04d}" for i in range(complained.size)],
            "customer": np.array(names)[cust[complained]],
            "record_id": ids[complained],
            "received_at": _fmt(pd.Series(received.astype("datetime64[ns]"))),
            "acknowledged_at": _fmt(pd.Series(ack.astype("datetime64[ns]"))),
            "resolved_at": _fmt(
                pd.Series(np.where(still_open, np.datetime64("NaT"), resolved)).astype("datetime64[ns]")
            ),
        }
    )
    claimed = late[rng.random(late.size) < 0.10]
    filed = delivered[claimed] + rng.integers(3600, 5 * 86400, claimed.size).astype("timedelta64[s]")
    answered = filed + rng.integers(3600, 5 * 86400, claimed.size).astype("timedelta64[s]")
    claims = pd.DataFrame(
        {
            "id": [f"CL{i + 1:04d}" for i in range(claimed.size)],
            "record_id": ids[claimed],
            "filed_at": _fmt(pd.Series(filed.astype("datetime64[ns]"))),
            "type": "late",
            "amount": 25000,
            "status": rng.choice(["approved", "rejected"], claimed.size),
            "responded_at": _fmt(pd.Series(answered.astype("datetime64[ns]"))),
        }
    )
    return {"shipments": shipments, "feedback": feedback, "complaints": complaints, "claims": claims}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--customers", type=int, default=150)
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, frame in simulate(args.seed, args.customers).items():
        frame.to_csv(args.out / f"{name}.csv", index=False)


if __name__ == "__main__":
    main()
