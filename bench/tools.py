"""One timing run of one PLS tool, in its own process: ``python bench/tools.py TOOL MODEL RESAMPLES REPEATS``.

``bench/run.py`` starts this script with the interpreter of the tool's environment (ukur: the project's
``.venv``; plspm, openpls-engine and seminr: ``bench/.venv-others``, which needs pandas 2.2 and numpy 1.26)
and reads one JSON line: the seconds of each repeat, the peak resident memory of the process and a path
coefficient for a sanity check.  ``RESAMPLES = 0`` times one estimation.

Models (both Mode A, path weighting):

* ``ecsi``: the ECSI model on ``mobi`` (n = 250, 24 items, 7 constructs; Tenenhaus et al. 2005);
* ``cr1``: the corporate reputation model of Hair et al. (``corp_rep_data``, n = 344, −99 = missing,
  mean replacement done here once so that every tool gets the same complete data).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _items(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i}" for i in range(1, n + 1)]


MODELS: dict[str, dict] = {
    "ecsi": {
        "file": "mobi.csv",
        "blocks": {
            "Image": _items("IMAG", 5),
            "Expectation": _items("CUEX", 3),
            "Quality": _items("PERQ", 7),
            "Value": _items("PERV", 2),
            "Satisfaction": _items("CUSA", 3),
            "Complaints": ["CUSCO"],
            "Loyalty": _items("CUSL", 3),
        },
        "paths": [
            ("Image", "Expectation"),
            ("Expectation", "Quality"),
            ("Expectation", "Value"),
            ("Quality", "Value"),
            ("Image", "Satisfaction"),
            ("Expectation", "Satisfaction"),
            ("Quality", "Satisfaction"),
            ("Value", "Satisfaction"),
            ("Satisfaction", "Complaints"),
            ("Image", "Loyalty"),
            ("Satisfaction", "Loyalty"),
            ("Complaints", "Loyalty"),
        ],
        "check": ("Satisfaction", "Loyalty"),
    },
    "cr1": {
        "file": "corp_rep_data.csv",
        "blocks": {
            "COMP": _items("comp_", 3),
            "LIKE": _items("like_", 3),
            "CUSA": ["cusa"],
            "CUSL": _items("cusl_", 3),
        },
        "paths": [("COMP", "CUSA"), ("LIKE", "CUSA"), ("COMP", "CUSL"), ("LIKE", "CUSL"), ("CUSA", "CUSL")],
        "check": ("CUSA", "CUSL"),
    },
}


def load(name: str) -> tuple[dict, pd.DataFrame]:
    """The model spec and its item data: −99 → mean replacement, then z-scores (SD with n − 1)."""
    spec = MODELS[name]
    items = [i for block in spec["blocks"].values() for i in block]
    x = pd.read_csv(DATA / spec["file"])[items].astype(float).replace(-99.0, np.nan)
    x = x.fillna(x.mean())
    return spec, (x - x.mean()) / x.std(ddof=1)


def _ukur(spec: dict, data: pd.DataFrame, resamples: int):
    from ukur.pls import Model, estimate
    from ukur.pls.bootstrap import bootstrap

    builder = Model.build()
    for name, block in spec["blocks"].items():
        builder.reflective(name, block)
    for a, b in spec["paths"]:
        builder.path(a, b)
    model = builder.model()

    def run() -> float:
        result = estimate(model, data)
        if resamples:
            bootstrap(result, resamples, seed=1)
        paths = result.paths.set_index(["from", "to"])["estimate"]
        return float(paths[spec["check"]])

    return run


def _seminr(spec: dict, data: pd.DataFrame, resamples: int):
    import seminr

    mm = seminr.constructs(
        *[seminr.composite(name, block, weights=seminr.mode_A) for name, block in spec["blocks"].items()]
    )
    sm = seminr.relationships(*[seminr.paths(from_=a, to=b) for a, b in spec["paths"]])

    def run() -> float:
        model = seminr.estimate_pls(data, mm, sm)
        if resamples:
            seminr.bootstrap_model(model, nboot=resamples, seed=1)
        coef = model.path_coef  # a NamedMatrix: rows = from, cols = to
        a, b = spec["check"]
        return float(coef.values[list(coef.rows).index(a), list(coef.cols).index(b)])

    return run


def _plspm_like(module: str, spec: dict, data: pd.DataFrame, resamples: int):
    config_mod = __import__(f"{module}.config", fromlist=["Config"])
    plspm_mod = __import__(f"{module}.plspm", fromlist=["Plspm"])
    scheme_mod = __import__(f"{module}.scheme", fromlist=["Scheme"])
    mode_mod = __import__(f"{module}.mode", fromlist=["Mode"])
    names = list(spec["blocks"])
    path = pd.DataFrame(0, index=names, columns=names)
    for a, b in spec["paths"]:
        path.loc[b, a] = 1
    config = config_mod.Config(path, scaled=False)
    for name, block in spec["blocks"].items():
        config.add_lv(name, mode_mod.Mode.A, *[config_mod.MV(i) for i in block])

    def run() -> float:
        kwargs = {"bootstrap": True, "bootstrap_iterations": resamples, "processes": 2} if resamples else {}
        model = plspm_mod.Plspm(data, config, scheme_mod.Scheme.PATH, 300, 1e-7, **kwargs)
        if resamples:
            model.bootstrap()
        table = model.path_coefficients()
        a, b = spec["check"]
        return float(table.loc[b, a])

    return run


def main() -> None:
    tool, model_name, resamples, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    spec, data = load(model_name)

    def factory(count: int):
        if tool == "ukur":
            return _ukur(spec, data, count)
        if tool == "seminr":
            return _seminr(spec, data, count)
        return _plspm_like("plspm" if tool == "plspm" else "openpls", spec, data, count)

    factory(0)()  # warm-up (imports, caches) with one estimation, not a whole bootstrap
    run = factory(resamples)
    seconds = []
    check = float("nan")
    for _ in range(repeats):
        start = time.perf_counter()
        check = run()
        seconds.append(time.perf_counter() - start)
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": peak_kb / 1024,
                "children_peak_mb": children_kb / 1024,
                "check": check,
            }
        )
    )


if __name__ == "__main__":
    main()
