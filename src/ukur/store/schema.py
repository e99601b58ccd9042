"""All models imported together, so ``metadata`` holds every table (for migrations and tests)."""

from __future__ import annotations

from ukur.store import (
    models_cache,
    models_changes,
    models_feedback,
    models_pls,
    models_sla,
    models_survey,
)
from ukur.store.models import Base

__all__ = ["metadata"]

metadata = Base.metadata
_MODULES = (models_cache, models_changes, models_feedback, models_pls, models_sla, models_survey)
