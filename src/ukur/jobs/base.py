"""The job interface every caller uses, whatever runs the jobs: ``submit`` and ``status``.

A job kind is a function ``run(payload, progress) -> result`` registered under a name::

    from ukur.jobs import registry

    @registry.register("pls.estimate")
    def estimate(payload: dict, progress: Progress) -> dict:
        progress(0.1, "reading data")
        ...
        return result.to_dict()

``payload`` and the result are JSON objects (they are stored in the database); ``progress(fraction,
message)`` stores how far the job is (0..1) and doubles as the heartbeat.  Raise a
:class:`ukur.errors.UkurError` for a problem the user must fix: its ``to_dict()`` becomes the job's
``error``.  Result keys starting with ``_`` are kept in the database but left out of the status the API
shows (a rendered file, for example: see :mod:`ukur.jobs.report_render`).  Callers only ever see :class:`JobQueue` (``submit``, ``status``), so the in-process thread pool
(:class:`ukur.jobs.local.ThreadJobQueue`) can be replaced by a queue with separate workers without
touching them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from ukur.errors import UkurError

if TYPE_CHECKING:
    from ukur.store.models import Job

__all__ = ["JobFunction", "JobQueue", "JobRegistry", "JobStatus", "LeaseLost", "Progress", "registry"]

Progress = Callable[..., None]
"""``progress(fraction: float, message: str = "")``; raises :class:`LeaseLost` when the job was taken away."""

JobFunction = Callable[[dict[str, Any], Progress], dict[str, Any]]


class LeaseLost(Exception):
    """Raised inside a job by ``progress`` when its lease expired and the job was failed or handed on."""


@dataclass(frozen=True, slots=True)
class JobStatus:
    """A snapshot of one job as its callers see it."""

    id: int
    kind: str
    state: str
    progress: float
    message: str
    result: dict[str, Any] | None
    error: dict[str, Any] | None
    attempts: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None

    @classmethod
    def of(cls, job: Job) -> JobStatus:
        """The status of a stored job row."""
        return cls(
            id=job.id,
            kind=job.kind,
            state=job.state,
            progress=job.progress,
            message=job.message,
            result=job.result,
            error=job.error,
            attempts=job.attempts,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
        )

    @property
    def done(self) -> bool:
        return self.state in {"succeeded", "failed"}

    def to_dict(self) -> dict[str, Any]:
        """The JSON the API returns for ``GET /api/v1/jobs/{id}`` (result keys starting with ``_`` left out)."""
        shown = (
            None if self.result is None else {k: v for k, v in self.result.items() if not k.startswith("_")}
        )
        return {
            "id": self.id,
            "kind": self.kind,
            "state": self.state,
            "progress": self.progress,
            "message": self.message,
            "result": shown,
            "error": self.error,
            "attempts": self.attempts,
            "created_at": self.created_at.isoformat(),
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
        }


class JobRegistry:
    """Job kinds by name.  The module-level :data:`registry` is the one the server uses."""

    def __init__(self) -> None:
        self._functions: dict[str, JobFunction] = {}

    def register(self, kind: str, function: JobFunction | None = None) -> Any:
        """Register ``function`` as ``kind``; usable as ``@registry.register("kind")``."""

        def add(fn: JobFunction) -> JobFunction:
            self._functions[kind] = fn
            return fn

        return add(function) if function is not None else add

    def get(self, kind: str) -> JobFunction:
        try:
            return self._functions[kind]
        except KeyError:
            raise UkurError(f"unknown job kind {kind!r}", field="kind") from None

    def __contains__(self, kind: object) -> bool:
        return kind in self._functions

    def kinds(self) -> list[str]:
        return sorted(self._functions)

    def copy(self) -> JobRegistry:
        """A registry with the same kinds, to which an app adds kinds bound to its own database."""
        other = JobRegistry()
        other._functions.update(self._functions)
        return other


registry = JobRegistry()


class JobQueue(Protocol):
    """What callers may use: submit a job, read its status."""

    def submit(self, kind: str, payload: dict[str, Any], *, owner_id: int | None = None) -> int:
        """Store a new job of ``kind`` and start it when a worker is free; returns its id."""
        ...

    def status(self, job_id: int) -> JobStatus:
        """The job's current state, progress, message, result and error."""
        ...
