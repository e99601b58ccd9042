"""Child process of the kill tests: import the 200,000-row stream in one transaction, then say "done".

``python -m tests.faults._import_child URL ROWS`` prints ``start`` when the rows are built and the
import begins, so the parent can kill it at a random moment of the import itself.
"""

from __future__ import annotations

import sys

import numpy as np

from ukur.store import make_engine, make_session_factory, transaction
from ukur.store.access import SYSTEM
from ukur.store.records import import_records, stream_for

ORGANISATION = 1
STREAM = "shipments"


def rows(count: int) -> list[dict[str, object]]:
    """``count`` shipments, the same every time (seeded): id, pick-up and delivery time, weight."""
    rng = np.random.default_rng(20261123)
    start = np.datetime64("2026-01-01T00:00:00") + rng.integers(0, 30 * 86400, count).astype("timedelta64[s]")
    stop = start + rng.integers(600, 3 * 86400, count).astype("timedelta64[s]")
    weight = np.round(rng.gamma(2.0, 1.5, count), 3)
    return [
        {
            "id": f"KX{i:07d}",
            "picked_up_at": f"{a}+07:00",
            "delivered_at": f"{b}+07:00",
            "weight_kg": float(w),
        }
        for i, (a, b, w) in enumerate(zip(start.astype(str), stop.astype(str), weight, strict=True))
    ]


def main(url: str, count: int) -> None:
    data = rows(count)
    engine = make_engine(url)
    print("start", flush=True)
    with transaction(make_session_factory(engine)) as session:
        stream = stream_for(session, SYSTEM, ORGANISATION, STREAM)
        import_records(session, SYSTEM, stream, data)
    engine.dispose()
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
