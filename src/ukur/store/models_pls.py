"""SQLAlchemy models of the PLS side: projects, their data sets (file blobs), model texts and runs.

A run snapshots the model text and names the data set it used, so its results stay reproducible after
the project's model is edited.  ``results`` is exactly the engine's ``to_dict()`` JSON.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ukur.store.models import Base
from ukur.store.types import utcnow

__all__ = ["PlsDataset", "PlsProject", "PlsRun"]


class PlsProject(Base):
    """A research project: its owner, its current model text and its data sets and runs."""

    __tablename__ = "pls_projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    model_text: Mapped[str] = mapped_column(Text, default="")
    model_updated_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    datasets: Mapped[list[PlsDataset]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="PlsDataset.id"
    )
    runs: Mapped[list[PlsRun]] = relationship(
        back_populates="project", cascade="all, delete-orphan", order_by="PlsRun.id"
    )


class PlsDataset(Base):
    """An uploaded data file stored as bytes (CSV or XLSX) with its name, size and SHA-256."""

    __tablename__ = "pls_datasets"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("pls_projects.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100), default="text/csv")
    content: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    project: Mapped[PlsProject] = relationship(back_populates="datasets")


class PlsRun(Base):
    """One estimation (and optional bootstrap) run: inputs snapshot, job, status, progress, results JSON."""

    __tablename__ = "pls_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("pls_projects.id", ondelete="CASCADE"), index=True)
    dataset_id: Mapped[int | None] = mapped_column(ForeignKey("pls_datasets.id", ondelete="SET NULL"))
    model_text: Mapped[str] = mapped_column(Text)
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="queued")
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    results: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    error: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    project: Mapped[PlsProject] = relationship(back_populates="runs")
