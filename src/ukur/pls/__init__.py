"""PLS-SEM engine: model specification, estimation, bootstrap. Pure: NumPy/SciPy/pandas only."""

from ukur.pls.estimate import estimate
from ukur.pls.model import Construct, Mode, Model, Path
from ukur.pls.options import EstimateOptions
from ukur.pls.result import PLSResult

__all__ = ["Construct", "EstimateOptions", "Mode", "Model", "PLSResult", "Path", "estimate"]
