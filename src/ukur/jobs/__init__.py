"""Background jobs: one interface (``submit``, ``status``), state kept in the database.

See :mod:`ukur.jobs.base` for how to write and register a job kind and :mod:`ukur.jobs.local` for the
embedded in-process runner with leases and heartbeats.
"""

from ukur.jobs.base import JobFunction, JobQueue, JobRegistry, JobStatus, LeaseLost, Progress, registry
from ukur.jobs.local import ThreadJobQueue

__all__ = [
    "JobFunction",
    "JobQueue",
    "JobRegistry",
    "JobStatus",
    "LeaseLost",
    "Progress",
    "ThreadJobQueue",
    "registry",
]
