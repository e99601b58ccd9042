"""``python bench/records.py [--records N] [--skip-sqlite | --skip-postgres]``: import and evaluation rates for big streams.

Stages, each in its own process so that the peak resident memory printed is that stage's own:

* ``sqlite-import``: ``import_records`` into a fresh SQLite file (one prepared ``INSERT ... ON CONFLICT``
  through ``executemany``);
* ``postgres-import``: the same call on PostgreSQL (127.0.0.1:5432, a throw-away database), which takes
  the ``COPY`` path of :mod:`ukur.store.copy_import`;
* ``evaluate``: :func:`ukur.store.compliance_windows.evaluate_by_period` month by month on the
  PostgreSQL stream (SQLite when PostgreSQL is skipped): memory bounded by the largest month.

Records are the seeded shipments of ``tests/faults/_import_child.py`` spread over 12 months of 2026
(id, picked_up_at, delivered_at, weight_kg), imported in uploads of 200,000 (one transaction each).
Defaults to 1,000,000 records; ``--records 10000000`` for the 10M figure of docs/operations.md.
The machine's load average (1 minute) at the end of each stage is printed with it: on a shared machine the
rates are only comparable at similar load.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
UPLOAD = 200_000
MONTHS = [f"2026-{m:02d}" for m in range(1, 13)]
AGREEMENT = (
    "ukur: sla/v1\nid: bench\ntitle: bench\ntype: customer\nprovider: {name: PT Kilat}\n"
    "customer: {name: Toko A}\ntimezone: Asia/Jakarta\nservices: [{id: delivery, description: d}]\n"
    "objectives:\n  - {id: on-time, service: delivery, kind: duration, records: shipments, start: picked_up_at,"
    " stop: delivered_at, calendar: 24x7, target: 48h, goal: 95%, window: month}\n"
)


def _uploads(total: int):  # type: ignore[no-untyped-def]
    """Uploads of UPLOAD records: distinct ids, times spread over the year (seeded, vectorized)."""
    import numpy as np
    from tests.faults._import_child import rows

    base = rows(min(UPLOAD, total))
    rng = np.random.default_rng(1)
    for start in range(0, total, UPLOAD):
        count = min(UPLOAD, total - start)
        months = rng.integers(0, 12, count)
        batch = []
        for i, (row, month) in enumerate(zip(base[:count], months, strict=True)):
            shifted = dict(row)
            shifted["id"] = f"KX{start + i:08d}"
            for field in ("picked_up_at", "delivered_at"):
                stamp = np.datetime64(row[field][:19]) + np.timedelta64(int(month) * 30, "D")
                shifted[field] = f"{stamp}+07:00"
            batch.append(shifted)
        yield batch


def _setup(url: str) -> int:
    from ukur.store import make_engine, make_session_factory, migrate, transaction
    from ukur.store.access import SYSTEM
    from ukur.store.accounts import create_organisation
    from ukur.store.agreements import upload_agreement

    engine = make_engine(url)
    migrate.upgrade(engine)
    with transaction(make_session_factory(engine)) as session:
        create_organisation(session, SYSTEM, "PT Kilat", "provider")
        customer = create_organisation(session, SYSTEM, "Toko A", "customer")
        upload_agreement(session, SYSTEM, AGREEMENT)
    engine.dispose()
    return customer.id


def stage_import(url: str, total: int) -> dict:
    from ukur.store import make_engine, make_session_factory, transaction
    from ukur.store.access import SYSTEM
    from ukur.store.records import import_records, stream_for

    customer = _setup(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    seconds = 0.0
    for batch in _uploads(total):
        began = time.perf_counter()
        with transaction(sessions) as session:
            import_records(session, SYSTEM, stream_for(session, SYSTEM, customer, "shipments"), batch)
        seconds += time.perf_counter() - began
    engine.dispose()
    return {"records": total, "seconds": seconds, "rate": total / seconds}


def stage_evaluate(url: str, total: int) -> dict:
    from ukur.store import make_engine, make_session_factory
    from ukur.store.access import SYSTEM
    from ukur.store.compliance_windows import evaluate_by_period

    engine = make_engine(url)
    counted = 0
    began = time.perf_counter()
    with make_session_factory(engine)() as session:
        for _, compliance in evaluate_by_period(session, SYSTEM, 1, MONTHS, as_of="2027-01-01"):
            counted += int(compliance.windows["total"].sum())
    seconds = time.perf_counter() - began
    engine.dispose()
    return {"records": counted, "seconds": seconds, "rate": counted / seconds}


def _child(stage: str, url: str, total: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--stage", stage, "--url", url, "--records", str(total)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--skip-postgres", action="store_true")
    group.add_argument("--skip-sqlite", action="store_true", help="PostgreSQL import and evaluation only")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        result = (stage_import if args.stage == "import" else stage_evaluate)(args.url, args.records)
        result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result["load"] = os.getloadavg()[0]
        print(json.dumps(result))
        return
    print(f"{args.records:,} records")
    results: list[tuple[str, dict]] = []
    with tempfile.TemporaryDirectory() as tmp:
        sqlite_url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        if not args.skip_sqlite:
            results.append(("sqlite import", _child("import", sqlite_url, args.records)))
        evaluate_url = sqlite_url
        if not args.skip_postgres:
            import psycopg

            name = f"ukur_bench_{secrets.token_hex(4)}"
            with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            pg_url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
            try:
                results.append(("postgres import (COPY)", _child("import", pg_url, args.records)))
                results.append(("evaluate by month (PostgreSQL)", _child("evaluate", pg_url, args.records)))
            finally:
                with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        else:
            results.append(("evaluate by month (SQLite)", _child("evaluate", evaluate_url, args.records)))
    print(f"{'stage':<32} {'records':>12} {'seconds':>9} {'records/s':>11} {'peak MB':>9} {'load':>5}")
    for label, r in results:
        print(
            f"{label:<32} {r['records']:>12,} {r['seconds']:>9.1f} {r['rate']:>11,.0f} {r['peak_mb']:>9.0f}"
            f" {r['load']:>5.1f}"
        )


if __name__ == "__main__":
    main()
