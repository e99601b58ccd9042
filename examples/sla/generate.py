"""Regenerate the simulated records of the SLA examples (seeded: the same files every time).

    python examples/sla/generate.py            # writes the CSV files next to this script
    python examples/sla/generate.py --seed 7 --out /tmp/sla --months 6

Kilat Express, a courier in Jabodetabek, from 2026-01-01 for ``--months`` months (Asia/Jakarta):

* ``shipments.csv``: id, picked_up_at, delivered_at (empty while in transit), destination, damaged,
  declared_value (IDR), cause (flood days in February are force majeure);
* ``claims.csv``: id, record_id, filed_at, type, amount, status, responded_at (empty while unanswered);
* ``tickets.csv``: the customer help desk: id, created_at, first_response_at, resolved_at, priority,
  channel, cause;
* ``ticket_history.csv``: record_id, status, at (new → open → waiting_customer → open → resolved);
* ``outages.csv``: id, started_at, ended_at, cause (the tracking web site's outages).

Times are written in local time without an offset, as most exports do; a few carry ``+07:00`` to show
that both forms are read. A handful of records are deliberately broken (a delivery before its pick-up,
an unreadable time) so that the examples show invalid records too.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np
import pandas as pd

START = pd.Timestamp("2026-01-01")
FLOOD_DAYS = (pd.Timestamp("2026-02-09"), pd.Timestamp("2026-02-11"))


def _fmt(t: pd.Timestamp | None, offset: bool = False) -> str:
    if t is None or pd.isna(t):
        return ""
    return t.strftime("%Y-%m-%dT%H:%M:%S+07:00") if offset else t.strftime("%Y-%m-%d %H:%M")


def shipments(rng: np.random.Generator, end: pd.Timestamp, as_of: pd.Timestamp) -> list[dict[str, object]]:
    days = pd.date_range(START, end - pd.Timedelta(days=1), freq="D")
    rows: list[dict[str, object]] = []
    for day in days:
        count = int(rng.poisson(14 if day.day_of_week < 5 else 8 if day.day_of_week == 5 else 3))
        for _ in range(count):
            picked = day + pd.Timedelta(minutes=int(rng.integers(7 * 60, 19 * 60)))
            if picked > as_of:
                continue
            flood = FLOOD_DAYS[0] <= day <= FLOOD_DAYS[1]
            hours = float(rng.lognormal(np.log(9.0), 0.55)) * (2.5 if flood else 1.0)
            delivered = picked + pd.Timedelta(minutes=round(hours * 60))
            damaged = bool(rng.random() < 0.012)
            rows.append(
                {
                    "id": f"KX{len(rows) + 1:06d}",
                    "picked_up_at": picked,
                    "delivered_at": delivered if delivered <= as_of else None,
                    "destination": rng.choice(["Jakarta", "Bogor", "Depok", "Tangerang", "Bekasi"]),
                    "damaged": "true" if damaged else "false",
                    "declared_value": int(
                        rng.choice([75_000, 150_000, 350_000, 1_200_000, 4_500_000, 8_000_000])
                    ),
                    "cause": "flood" if flood and rng.random() < 0.8 else "",
                }
            )
    pickup = rows[10]["picked_up_at"]
    assert isinstance(pickup, pd.Timestamp)
    rows[10]["delivered_at"] = pickup - pd.Timedelta(hours=2)  # a data-entry error
    return rows


def claims(
    rng: np.random.Generator, rows: list[dict[str, object]], as_of: pd.Timestamp
) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for row in rows:
        delivered = row["delivered_at"]
        if delivered is None:
            continue
        assert isinstance(delivered, pd.Timestamp)
        damaged = row["damaged"] == "true"
        picked = row["picked_up_at"]
        assert isinstance(picked, pd.Timestamp)
        late = (delivered - picked) > pd.Timedelta(hours=30)
        if not (damaged or (late and rng.random() < 0.3)):
            continue
        filed = delivered + pd.Timedelta(hours=float(rng.uniform(2, 24 * (12 if rng.random() < 0.1 else 6))))
        answered = filed + pd.Timedelta(hours=float(rng.uniform(3, 24 * 6)))
        out.append(
            {
                "id": f"CL{len(out) + 1:04d}",
                "record_id": row["id"],
                "filed_at": filed,
                "type": "damage" if damaged else "late",
                "amount": row["declared_value"] if damaged else 25_000,
                "status": "pending" if answered > as_of else rng.choice(["approved", "approved", "rejected"]),
                "responded_at": answered if answered <= as_of else None,
            }
        )
    return out


def tickets(
    rng: np.random.Generator, end: pd.Timestamp, as_of: pd.Timestamp
) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    rows: list[dict[str, object]] = []
    history: list[dict[str, object]] = []
    for day in pd.date_range(START, end - pd.Timedelta(days=1), freq="D"):
        for _ in range(int(rng.poisson(9 if day.day_of_week < 5 else 3))):
            created = day + pd.Timedelta(minutes=int(rng.integers(6 * 60, 22 * 60)))
            if created > as_of:
                continue
            priority = str(rng.choice(["P1", "P2", "P3"], p=[0.1, 0.3, 0.6]))
            scale = {"P1": 0.6, "P2": 2.5, "P3": 6.0}[priority]
            first = created + pd.Timedelta(hours=float(rng.exponential(scale)) + 0.1)
            waiting = rng.random() < 0.3
            resolved = first + pd.Timedelta(hours=float(rng.exponential(scale * 4)) + 0.5)
            rid = f"T{len(rows) + 1:05d}"
            events = [("new", created), ("open", first)]
            if waiting:
                ask = first + pd.Timedelta(minutes=int(rng.integers(5, 120)))
                back = ask + pd.Timedelta(hours=float(rng.exponential(20)))
                events += [("waiting_customer", ask), ("open", back)]
                resolved = max(resolved, back + pd.Timedelta(hours=1))
            events.append(("resolved", resolved))
            history += [{"record_id": rid, "status": s, "at": t} for s, t in events if t <= as_of]
            rows.append(
                {
                    "id": rid,
                    "created_at": created,
                    "first_response_at": first if first <= as_of else None,
                    "resolved_at": resolved if resolved <= as_of else None,
                    "priority": priority,
                    "channel": rng.choice(["whatsapp", "email", "phone"]),
                    "cause": "",
                }
            )
    rows[5]["first_response_at"] = "kemarin sore"  # an unreadable time typed by hand
    return rows, history


def outages(rng: np.random.Generator, end: pd.Timestamp) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    t = START + pd.Timedelta(hours=float(rng.exponential(24 * 12)))
    while t < end:
        length = pd.Timedelta(minutes=float(rng.lognormal(np.log(25), 0.8)))
        out.append(
            {"id": f"O{len(out) + 1:03d}", "started_at": t, "ended_at": t + length, "cause": "hosting"}
        )
        t += pd.Timedelta(hours=float(rng.exponential(24 * 12)))
    out.append({"id": f"O{len(out) + 1:03d}", "started_at": pd.Timestamp("2026-02-01 22:30"),
                "ended_at": pd.Timestamp("2026-02-02 01:00"), "cause": "maintenance"})  # fmt: skip
    return out


def write(path: Path, rows: list[dict[str, object]], fields: list[str], offset_every: int = 0) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for i, row in enumerate(rows):
            use_offset = bool(offset_every) and i % offset_every == 0
            writer.writerow(
                {
                    k: _fmt(v, use_offset) if isinstance(v, pd.Timestamp) else ("" if v is None else v)
                    for k, v in row.items()
                }
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    end = START + pd.DateOffset(months=args.months)
    as_of = end - pd.Timedelta(hours=6)
    args.out.mkdir(parents=True, exist_ok=True)
    ship = shipments(rng, end, as_of)
    write(args.out / "shipments.csv", ship, list(ship[0]), offset_every=97)
    claim_rows = claims(rng, ship, as_of)
    write(args.out / "claims.csv", claim_rows, list(claim_rows[0]))
    ticket_rows, history = tickets(rng, end, as_of)
    write(args.out / "tickets.csv", ticket_rows, list(ticket_rows[0]))
    write(args.out / "ticket_history.csv", history, ["record_id", "status", "at"])
    outage_rows = outages(rng, end)
    write(args.out / "outages.csv", outage_rows, list(outage_rows[0]))


if __name__ == "__main__":
    main()
