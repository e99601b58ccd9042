"""The ``report.render`` job: render a report file in the background and keep it for download.

Used for the slow formats of the web app's reports (a PLS run's DOCX, an agreement's PDF: seconds of
layout and rasterising that should not hold a request).  The payload says which report, in which format
and language, and for whom (``user_id``: the job renders with that person's access rights, checked again
when it runs, so a job cannot show more than its owner may see)::

    {"report": "sla", "agreement_id": 3, "period": "2026-01", "format": "pdf", "lang": "en", "user_id": 5}
    {"report": "pls", "project_id": 1, "run_id": 7, "format": "docx", "profile": [], "lang": "id", "user_id": 2}

How a report is made is not this module's business: :func:`register_report_render` takes a ``render``
function (the web app passes the one its download routes use, so a background file equals the inline
one).  That keeps :mod:`ukur.jobs` free of web imports while ``ukur worker`` — which builds its job kinds
from the app factory — runs the same kind.

Where the file goes: into the job's result, base64-encoded under :data:`CONTENT_KEY`, next to its name,
media type and size.  The ``jobs`` row already lives exactly as long as anyone can ask for the job, is
readable from every web process and worker, and is covered by backups; a separate table of files would
add a migration for the same lifetime.  Keys starting with ``_`` are kept out of the job status the API
shows (:meth:`ukur.jobs.base.JobStatus.to_dict`), so polling a finished job does not send the file.
Reports are megabytes at most; the upload limit bounds the data they are made from.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ukur.errors import UkurError
from ukur.jobs.base import JobRegistry, JobStatus, Progress
from ukur.store.access import Viewer
from ukur.store.engine import SessionFactory
from ukur.store.models import User

__all__ = ["CONTENT_KEY", "KIND", "ReportFile", "ReportRenderer", "register_report_render", "stored_file"]

KIND = "report.render"
CONTENT_KEY = "_content_base64"


@dataclass(frozen=True, slots=True)
class ReportFile:
    """A rendered report: its bytes, media type and download file name."""

    content: bytes
    media_type: str
    filename: str


ReportRenderer = Callable[[Session, Viewer, Mapping[str, Any], Progress], ReportFile]
"""``render(session, viewer, payload, progress)``: the report the payload asks for, as ``viewer`` sees it."""


def register_report_render(registry: JobRegistry, sessions: SessionFactory, render: ReportRenderer) -> None:
    """Register ``report.render``, reading through ``sessions`` and making files with ``render``."""

    def run(payload: dict[str, Any], progress: Progress) -> dict[str, Any]:
        try:
            user_id = int(payload["user_id"])
        except (KeyError, TypeError, ValueError):
            raise UkurError("a report job needs the id of the user it is made for", field="user_id") from None
        progress(0.02, "starting")
        with sessions() as session:
            user = session.get(User, user_id)
            if user is None or not user.active:
                raise UkurError("the user this report was asked for no longer exists", field="user_id")
            made = render(session, Viewer.of(user), payload, progress)
        progress(0.98, "storing the file")
        return {
            "report": str(payload.get("report", "")),
            "filename": made.filename,
            "media_type": made.media_type,
            "size": len(made.content),
            CONTENT_KEY: base64.b64encode(made.content).decode("ascii"),
        }

    registry.register(KIND, run)


def stored_file(status: JobStatus) -> ReportFile:
    """The file a finished ``report.render`` job stored (a :class:`UkurError` if it has none)."""
    result = status.result or {}
    if status.kind != KIND or status.state != "succeeded" or CONTENT_KEY not in result:
        raise UkurError(f"job {status.id} holds no finished report", field="job")
    return ReportFile(
        content=base64.b64decode(result[CONTENT_KEY]),
        media_type=str(result["media_type"]),
        filename=str(result["filename"]),
    )
