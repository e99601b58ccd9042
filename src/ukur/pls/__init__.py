"""PLS-SEM engine: model specification, estimation, bootstrap. Pure: NumPy/SciPy/pandas only.

::

    model = ukur.pls.Model.from_syntax(text)          # or Model.build()...model()
    result = ukur.pls.estimate(model, frame)          # PLSResult: tables + to_dict()
    boot = ukur.pls.bootstrap(result, samples=5000, seed=1)
    table = ukur.pls.hypotheses(boot, ["H1: A -> B", "H2: A -> M -> B"])
"""

from ukur.pls.bootstrap import bootstrap
from ukur.pls.bootstrap_result import BootstrapResult
from ukur.pls.estimate import estimate
from ukur.pls.hypotheses import HypothesisResult, hypotheses
from ukur.pls.model import Construct, Mode, Model, Path
from ukur.pls.options import EstimateOptions
from ukur.pls.result import PLSResult
from ukur.pls.syntax import parse_model

__all__ = [
    "BootstrapResult",
    "Construct",
    "EstimateOptions",
    "HypothesisResult",
    "Mode",
    "Model",
    "PLSResult",
    "Path",
    "bootstrap",
    "estimate",
    "hypotheses",
    "parse_model",
]
