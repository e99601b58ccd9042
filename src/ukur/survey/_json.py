"""Turning result tables into the plain JSON values that ``to_dict()`` returns."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["plain", "records"]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready records of ``frame`` (its index is not included; reset it first if it matters)."""
    return [{str(k): plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def plain(value: object) -> Any:
    """NaN/NA/NaT → None, NumPy scalars → Python numbers, timestamps → ISO 8601 text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else float(value)
    return value
