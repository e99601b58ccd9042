"""Write the cross-check fixtures: plspm, seminr (Python port) and openpls-engine on the cases of cases.py.

Run from anywhere with any Python ≥ 3.11::

    python tests/pls/cross/generate.py [--venv /tmp/ukur-cross-venv]

The three programs do not run in ukur's environment (plspm needs pandas 2.2 and NumPy 1.26; ukur uses
pandas 3), so the script builds its own virtual environment **outside the repository** on first use,
installs the pinned versions below with pip, and re-runs itself there.  The test suite never imports
these packages: it reads the CSV files this script writes into ``fixtures/`` (see README.md there for
what each file holds and the settings behind it).

How each program is called (the reasons are in ../cross/README.md):

* plspm 0.5.7: ``scaled=False`` on data that we mean-replace and standardize per column with divisor
  n ourselves (plspm's ``scaled=True`` divides every column by one pooled SD, which is not per-column
  standardization), stop rule Σ(|w_old| − |w_new|)² < 1e-24 within 5,000 iterations, so that the
  result is the fixed point to machine precision; a second run ``plspm_default`` keeps plspm's own
  default stop rule (1e-6, at most 100 iterations) to show what that rule costs.
* seminr 0.2.1: ``composite(..., weights=mode_A | mode_B)`` (``reflective()`` would switch to PLSc),
  raw data with ``missing_value`` and ``mean_replacement``, default stop rule (Σ|Δw| < 1e-7, 300
  iterations), which is ukur's default, so no tolerance is lost.
* openpls-engine 1.13.0: called as plspm (it is a fork of it), same data and stop rule, for the
  criteria plspm lacks (f², VIF, HTMT, ρA).

Each output file ``fixtures/<case>-<scheme>-<tool>.csv`` is a tidy table ``quantity,a,b,value``.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
PINS = ("pandas==2.2.3", "numpy==1.26.4", "plspm==0.5.7", "seminr==0.2.1", "openpls-engine==1.13.0")
TIGHT_TOL = 1e-24
TIGHT_ITER = 5000


def _ensure_environment(venv: Path) -> None:
    """Re-run this script inside ``venv`` (created and filled on first use) unless plspm imports here."""
    try:
        import openpls  # noqa: F401
        import plspm  # noqa: F401
        import seminr  # noqa: F401

        return
    except ImportError:
        pass
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PINS], check=True)
    os.execv(str(python), [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])


# --------------------------------------------------------------------------- data


def _load(case):
    """The raw indicator columns of ``case`` with its missing-value markers turned into NaN."""
    import numpy as np
    import pandas as pd

    frame = pd.read_csv(case.data, index_col=0 if case.index_col else None)
    raw = frame.loc[:, list(case.indicators)].astype(float)
    for marker in case.na_values:
        raw = raw.mask(raw == marker, np.nan)
    if case.missing == "casewise":
        raw = raw.dropna()
    return frame, raw


def _standardized(raw):
    """Mean replacement, then per-column standardization with divisor n (plspm's own scaling, per column)."""
    filled = raw.fillna(raw.mean())
    centred = filled - filled.mean()
    return centred / centred.std(ddof=0)


class _Table:
    """Collects ``quantity, a, b, value`` rows."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str, float]] = []

    def add(self, quantity: str, a: object, b: object, value: Any) -> None:
        self.rows.append((quantity, str(a), "" if b is None else str(b), float(value)))

    def frame(self):
        import pandas as pd

        return pd.DataFrame(self.rows, columns=["quantity", "a", "b", "value"])


def _add_scores(table: _Table, case, scores) -> None:
    """Construct scores as ``score, <row position among the rows used>, <construct>``."""
    names = [c[0] for c in case.constructs]
    for row in range(scores.shape[0]):
        for k, name in enumerate(names):
            table.add("score", row, name, scores[row, k])


# --------------------------------------------------------------------------- plspm and openpls


def _plspm_config(module, case):
    """A plspm/openpls Config (``module`` is the package) with a lower-triangular path matrix."""
    import pandas as pd

    config_mod = __import__(f"{module}.config", fromlist=["Config"])
    mode_mod = __import__(f"{module}.mode", fromlist=["Mode"])
    structure = config_mod.Structure()
    for source, target in case.paths:
        structure.add_path([source], [target])
    # Structure.path() orders the constructs topologically (lower-triangular matrix, as plspm wants);
    # it may be called only once (its topological sort consumes its state).
    path = structure.path()
    assert isinstance(path, pd.DataFrame)
    config = config_mod.Config(path, scaled=False)
    for name, mode, block in case.constructs:
        config.add_lv(
            name, mode_mod.Mode.A if mode == "A" else mode_mod.Mode.B, *[config_mod.MV(i) for i in block]
        )
    return config


def _scheme(module, scheme: str):
    scheme_mod = __import__(f"{module}.scheme", fromlist=["Scheme"])
    return {
        "path": scheme_mod.Scheme.PATH,
        "factorial": scheme_mod.Scheme.FACTORIAL,
        "centroid": scheme_mod.Scheme.CENTROID,
    }[scheme]


def _plspm_common(table: _Table, case, fit) -> None:
    """Weights, loadings, cross-loadings, paths, R² and effects."""
    outer = fit.outer_model()
    for name, _, block in case.constructs:
        for indicator in block:
            table.add("weight", name, indicator, outer.loc[indicator, "weight"])
            table.add("loading", name, indicator, outer.loc[indicator, "loading"])
    cross = fit.crossloadings()
    for indicator in case.indicators:
        for name, _, _ in case.constructs:
            table.add("cross_loading", indicator, name, cross.loc[indicator, name])
    coefficients = fit.path_coefficients()
    for source, target in case.paths:
        table.add("path", source, target, coefficients.loc[target, source])
    summary = fit.inner_summary()
    for name, mode, _ in case.constructs:
        if summary.loc[name, "type"] == "Endogenous":
            table.add("r2", name, None, summary.loc[name, "r_squared"])
            table.add("r2_adj", name, None, summary.loc[name, "r_squared_adj"])
        if mode == "A":
            table.add("ave", name, None, summary.loc[name, "ave"])
    for _, row in fit.effects().iterrows():
        table.add("effect_indirect", row["from"], row["to"], row["indirect"])
        table.add("effect_total", row["from"], row["to"], row["total"])


@contextlib.contextmanager
def _count_updates() -> Iterator[list[int]]:
    """Count the outer-weight updates of plspm's last weight calculation (plspm does not report them).

    plspm runs its whole weight calculation twice when the model has no higher-order construct (the
    second run repeats the first), so the count restarts whenever a calculation object is created.
    """
    from plspm import weights

    start, iterate = weights._MetricWeights.__init__, weights._MetricWeights.iterate
    count = [0]

    def started(self, *args):
        count[0] = 0
        start(self, *args)

    def counted(self, scheme):
        count[0] += 1
        return iterate(self, scheme)

    weights._MetricWeights.__init__, weights._MetricWeights.iterate = started, counted
    try:
        yield count
    finally:
        weights._MetricWeights.__init__, weights._MetricWeights.iterate = start, iterate


def _run_plspm(case, scheme: str, raw, *, tight: bool):
    from plspm.plspm import Plspm

    data = _standardized(raw)
    kwargs = {"iterations": TIGHT_ITER, "tolerance": TIGHT_TOL} if tight else {}
    with _count_updates() as updates:
        fit = Plspm(data, _plspm_config("plspm", case), _scheme("plspm", scheme), **kwargs)
    table = _Table()
    table.add("iterations", "", None, updates[0])
    _plspm_common(table, case, fit)
    if case.scores and tight:
        _add_scores(table, case, fit.scores()[[c[0] for c in case.constructs]].to_numpy())
    uni = fit.unidimensionality()
    for name, mode, block in case.constructs:
        if mode == "A" and len(block) > 1:
            table.add("alpha", name, None, uni.loc[name, "cronbach_alpha"])
            table.add("dg_rho_pca", name, None, uni.loc[name, "dillon_goldstein_rho"])
    return table.frame()


def _run_openpls(case, scheme: str, raw):
    import numpy as np
    from openpls.plspm import Plspm

    data = _standardized(raw)
    fit = Plspm(
        data,
        _plspm_config("openpls", case),
        _scheme("openpls", scheme),
        iterations=TIGHT_ITER,
        tolerance=TIGHT_TOL,
    )
    table = _Table()
    _plspm_common(table, case, fit)
    for _, row in fit.f_squared().table().iterrows():
        table.add("f2", row["from"], row["to"], row["f_squared"])
    vif = fit.vif()
    for _, row in vif.items().iterrows():
        table.add("vif_outer", row["lv"], row["indicator"], row["vif"])
    for target, frame in vif.inner().items():
        for _, row in frame.iterrows():
            table.add("vif_inner", row["predictor"], target, row["vif"])
    htmt = fit.htmt().matrix()
    names = [c[0] for c in case.constructs]
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if np.isfinite(htmt.loc[a, b]):
                table.add("htmt", a, b, htmt.loc[a, b])
    rho_a = fit.plsc().rho_a()
    for name, mode, block in case.constructs:
        if mode == "A" and len(block) > 1:
            table.add("rho_a", name, None, rho_a.loc[name])
    return table.frame()


# --------------------------------------------------------------------------- seminr


def _run_seminr(case, scheme: str, frame):
    import numpy as np
    import seminr as sm

    measurement = sm.constructs(
        *[
            sm.composite(name, list(block), weights=sm.mode_A if mode == "A" else sm.mode_B)
            for name, mode, block in case.constructs
        ]
    )
    structural = sm.relationships(*[sm.paths(from_=s, to=t) for s, t in case.paths])
    data = frame.loc[:, list(case.indicators)].astype(float)
    fit = sm.estimate_pls(
        data,
        measurement,
        structural,
        inner_weights=sm.path_weighting if scheme == "path" else sm.path_factorial,
        missing=sm.mean_replacement if case.missing == "mean" else sm.na_omit,
        missing_value=case.na_values[0] if case.na_values else None,
    )
    summary = sm.summarize(fit)
    table = _Table()
    table.add("iterations", "", None, summary.iterations)
    if case.scores:
        scores = fit.construct_scores
        order = [list(scores.cols).index(c[0]) for c in case.constructs]
        _add_scores(table, case, scores.values[:, order])

    def cell(matrix, row: str, col: str) -> float:
        return float(matrix.get(row, col))

    for name, _, block in case.constructs:
        for indicator in block:
            table.add("weight", name, indicator, cell(summary.weights, indicator, name))
            table.add("loading", name, indicator, cell(summary.loadings, indicator, name))
    paths = summary.paths
    for source, target in case.paths:
        table.add("path", source, target, cell(paths, source, target))
    for target in dict.fromkeys(t for _, t in case.paths):
        table.add("r2", target, None, cell(paths, "R^2", target))
        table.add("r2_adj", target, None, cell(paths, "AdjR^2", target))
    names = [c[0] for c in case.constructs]
    for a in names:
        for b in names:
            total = cell(summary.total_effects, a, b)
            if a != b and total != 0:
                table.add("effect_total", a, b, total)
                table.add("effect_indirect", a, b, cell(summary.total_indirect_effects, a, b))
    for source, target in case.paths:
        table.add("f2", source, target, cell(summary.f_square, source, target))
    for name in names:
        for column, quantity in (("alpha", "alpha"), ("rhoA", "rho_a"), ("rhoC", "rho_c"), ("AVE", "ave")):
            table.add(quantity, name, None, cell(summary.reliability, name, column))
    htmt = summary.validity.htmt
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            value = cell(htmt, b, a)
            if not np.isfinite(value):
                value = cell(htmt, a, b)
            table.add("htmt", a, b, value)
    fl = summary.validity.fl_criteria
    for i, a in enumerate(names):
        table.add("fornell_larcker", a, a, cell(fl, a, a))
        for b in names[i + 1 :]:
            table.add("fornell_larcker", b, a, cell(fl, b, a))
    cross = summary.validity.cross_loadings
    for indicator in case.indicators:
        for name in names:
            table.add("cross_loading", indicator, name, cell(cross, indicator, name))
    for name, vifs in summary.validity.vif_items.items():
        for indicator, value in vifs.items():
            table.add("vif_outer", name, indicator, value)
    for target, vifs in summary.vif_antecedents.items():
        for source, value in vifs.items():
            table.add("vif_inner", source, target, value)
    stats = summary.descriptives.statistics.items
    for indicator in case.indicators:
        for column, quantity in (
            ("Missing", "missing"),
            ("Mean", "mean"),
            ("Median", "median"),
            ("Min", "min"),
            ("Max", "max"),
            ("Std.Dev.", "sd"),
            ("Kurtosis", "kurtosis"),
            ("Skewness", "skewness"),
        ):
            table.add(quantity, indicator, None, cell(stats, indicator, column))
    return table.frame()


def run_case(case, scheme: str) -> dict:
    """Every tool's table for one case and scheme (seminr has no centroid scheme)."""
    frame, raw = _load(case)
    out = {
        "plspm": _run_plspm(case, scheme, raw, tight=True),
        "plspm_default": _run_plspm(case, scheme, raw, tight=False),
        "openpls": _run_openpls(case, scheme, raw),
    }
    if scheme != "centroid":
        out["seminr"] = _run_seminr(case, scheme, frame)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--venv", type=Path, default=Path("/tmp/ukur-cross-venv"))
    parser.add_argument("cases", nargs="*", help="case names (default: all)")
    args = parser.parse_args()
    if args.venv.resolve().is_relative_to(HERE.parents[2]):
        parser.error("the virtual environment must live outside the repository")
    _ensure_environment(args.venv)
    sys.path.insert(0, str(HERE))
    from cases import CASES

    FIXTURES.mkdir(exist_ok=True)
    chosen = [c for c in CASES if not args.cases or c.name in args.cases]
    for case in chosen:
        for scheme in case.schemes:
            for tool, table in run_case(case, scheme).items():
                path = FIXTURES / f"{case.name}-{scheme}-{tool}.csv"
                table.to_csv(path, index=False, float_format="%.17g")
                print(f"{path.name}: {len(table)} values")
    _write_versions()


def _write_versions() -> None:
    from importlib.metadata import version

    lines = [f"{name}=={version(name)}" for name in ("plspm", "seminr", "openpls-engine", "pandas", "numpy")]
    lines.append(f"python=={sys.version.split()[0]}")
    lines.append(f"generated=={dt.date.today().isoformat()}")
    (FIXTURES / "VERSIONS.txt").write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
