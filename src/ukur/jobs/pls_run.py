"""The ``pls.run`` job: estimate a stored PLS run (and bootstrap it when asked) and store its results.

Payload ``{"run_id": N}``.  The run (see :mod:`ukur.store.pls`) names the data set and holds the model
text and options (``{"bootstrap": samples, "seed": int}``).  The job reads the data with :mod:`ukur.io`,
estimates with :func:`ukur.pls.estimate`, optionally bootstraps with progress, and stores
``PLSResult.to_dict()`` (plus ``"bootstrap"``) as the run's results — the same JSON as
``ukur pls estimate --format json``.  User errors (model syntax, unusable data) fail the run with the
error's ``to_dict()`` so the page can show it next to the model.
"""

from __future__ import annotations

import warnings
from typing import Any

from ukur.errors import ConvergenceWarning, UkurError
from ukur.io import parse_table
from ukur.jobs.base import JobRegistry, LeaseLost, Progress
from ukur.pls import Model, estimate
from ukur.pls.bootstrap import bootstrap
from ukur.store import pls as pls_store
from ukur.store.access import SYSTEM
from ukur.store.engine import SessionFactory, transaction

__all__ = ["KIND", "MAX_BOOTSTRAP", "register_pls_run"]

KIND = "pls.run"
MAX_BOOTSTRAP = 10_000


def register_pls_run(registry: JobRegistry, sessions: SessionFactory) -> None:
    """Register the ``pls.run`` job kind, reading and writing runs through ``sessions``."""

    def run(payload: dict[str, Any], progress: Progress) -> dict[str, Any]:
        run_id = int(payload["run_id"])
        try:
            return _run(sessions, run_id, progress)
        except UkurError as exc:
            _fail(sessions, run_id, exc.to_dict())
            raise
        except LeaseLost:
            raise
        except Exception:
            _fail(sessions, run_id, {"error": "InternalError", "message": "the run failed unexpectedly"})
            raise

    registry.register(KIND, run)


def _fail(sessions: SessionFactory, run_id: int, error: dict[str, Any]) -> None:
    with transaction(sessions) as session:
        pls_store.update_run(session, run_id, status="failed", error=error)


def _run(sessions: SessionFactory, run_id: int, progress: Progress) -> dict[str, Any]:
    with transaction(sessions) as session:
        run = pls_store.update_run(session, run_id, status="running", progress=0.0)
        if run.dataset_id is None:
            raise UkurError("the run's data set was deleted", field="dataset")
        dataset = pls_store.get_dataset(session, SYSTEM, run.dataset_id)
        content, filename = dataset.content, dataset.filename
        model_text, options = run.model_text, dict(run.options)
    progress(0.05, "reading data")
    model = Model.from_syntax(model_text, source="model")
    data = parse_table(content, name=filename)
    progress(0.15, "estimating")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        result = estimate(model, data, source=filename)
    document = result.to_dict()
    document["warnings"] = [str(w.message) for w in caught if issubclass(w.category, ConvergenceWarning)]
    samples = int(options.get("bootstrap") or 0)
    if samples > 0:
        samples = min(samples, MAX_BOOTSTRAP)

        def step(done: int, total: int) -> None:
            progress(0.2 + 0.75 * done / max(total, 1), f"bootstrap {done}/{total}")

        boot = bootstrap(result, samples, options.get("seed"), progress=step)
        document["bootstrap"] = boot.to_dict()
    with transaction(sessions) as session:
        pls_store.update_run(session, run_id, status="succeeded", progress=1.0, results=document)
    return {"run_id": run_id}
