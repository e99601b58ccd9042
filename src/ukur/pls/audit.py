"""Consistency audit of published PLS-SEM numbers: do a paper's tables agree with each other?

A paper prints rounded numbers that are tied by exact identities. The audit recomputes each quantity
that can be derived from other printed numbers and compares it with the printed value, allowing for the
rounding of every number involved. Nothing is estimated from data.

Identities checked (``identity`` column of :attr:`AuditResult.checks`)
-----------------------------------------------------------------------
``profile.sum_counts``      counts of a profile table add up to its printed total.
``profile.total_is_n``      a profile table's printed total equals the sample size ``n``.
``profile.percent``         each percentage equals 100·count / Σcounts.
``profile.sum_percents``    the percentages add up to the printed total percentage.
``reliability.ave``         AVE = mean(λ²) over a construct's own loadings (Fornell & Larcker 1981).
``reliability.rho_c``       ρC = (Σλ)² / ((Σλ)² + Σ(1 − λ²)) (Jöreskog 1971; Hair et al. 2022, ch. 4).
``discriminant.cross_loadings``  each item loads highest on its own construct (Chin 1998) — a claim,
                            checked exactly.
``r2.single_predictor``     R² = β² when the construct has exactly one predictor.
``r2.implied``              R² = β′ R_XX β when the correlations among the predictors are printed (the
                            Fornell–Larcker table) or follow from the printed paths (normal equations
                            r_Xy = R_XX β, applied recursively: a predictor's correlation with its
                            outcome is (R_XX β) of that outcome).
``r2.adjusted``             R²adj = 1 − (1 − R²)(n − 1)/(n − k − 1), k = number of predictors.
``fornell_larcker.diagonal``  the Fornell–Larcker diagonal equals √AVE of the reliability table.
``correlation.implied``     a printed construct correlation r_xy of a predictor x with its outcome y
                            equals (R_XX β)_x, what the printed paths imply.
``f2``                      f² = (R²incl − R²excl)/(1 − R²incl) (Cohen 1988), R²excl from the same
                            scores without the predictor (SmartPLS' convention): 0 for a single
                            predictor, else r′R⁻¹r over the remaining predictors when derivable.
``bootstrap.original``      the bootstrap table's O equals the path table's coefficient.
``bootstrap.t``             T = |O| / STDEV.
``bootstrap.p``             p = 2·P(T_df > |T|), two-tailed, df = B − 1 (B bootstrap samples). When B is
                            not given, any df ≥ 99 (from Student's t with 99 df to the normal) is accepted.
``indirect.product``        a specific indirect effect equals the product of the paths along it.
``total.sum``               a total effect equals the direct path plus the specific indirect effects.

Tolerance
---------
A number printed with d decimals lies within h = ½·10⁻ᵈ of the true value. For a computed quantity
f(x₁…x_m) the tolerance is h of the printed value plus the first-order propagation of the inputs'
rounding, Σ |∂f/∂x_i|·h_i (each term the larger change of f when x_i moves by ±h_i, which also holds at
kinks such as |O| at 0). For the p value the allowed interval
is widened by the df range when B is unknown. Counts are exact (tolerance 0).

The input (a paper's printed numbers as YAML) is read by :func:`ukur.pls.audit_input.load_reported`;
its format is described there. Errors in the file raise :class:`ukur.errors.SpecError` with the file
name and line.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from ukur.pls.audit_input import Printed, Reported, load_reported

__all__ = ["AuditResult", "Printed", "Reported", "audit", "load_reported"]

COLUMNS = ["identity", "table", "item", "printed", "computed", "low", "high", "tolerance", "holds", "note"]


@dataclass(frozen=True)
class AuditResult:
    """The outcome of :func:`audit`: one row per identity checked.

    ``checks`` columns: identity, table, item, printed, computed (from the printed inputs), low/high
    (the interval the printed value must reach), tolerance, holds (bool), note.
    """

    reported: Reported
    checks: pd.DataFrame

    @property
    def ok(self) -> bool:
        """True when every identity holds."""
        return bool(self.checks["holds"].all())

    @property
    def failures(self) -> pd.DataFrame:
        return self.checks[~self.checks["holds"]]

    def to_dict(self) -> dict[str, Any]:
        """The JSON the CLI prints with ``--format json``."""
        rows = [
            {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
            for row in self.checks.to_dict(orient="records")
        ]
        for row in rows:
            row["holds"] = bool(row["holds"])
        return {
            "study": self.reported.study,
            "source": self.reported.source,
            "checked": len(rows),
            "failed": int((~self.checks["holds"]).sum()),
            "ok": self.ok,
            "checks": rows,
        }


# --- checks ----------------------------------------------------------------------------------------------


class _Checks:
    """Collects check rows; :meth:`derived` does the rounding-aware comparison."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        identity: str,
        table: str,
        item: str,
        printed: float,
        computed: float,
        low: float,
        high: float,
        note: str = "",
    ) -> None:
        tol = max(computed - low, high - computed)
        holds = low - 1e-12 <= printed <= high + 1e-12
        self.rows.append(
            dict(
                zip(
                    COLUMNS,
                    (identity, table, item, printed, computed, low, high, tol, holds, note),
                    strict=True,
                )
            )
        )

    def derived(
        self,
        identity: str,
        table: str,
        item: str,
        printed: Printed,
        f: Callable[[np.ndarray], float],
        inputs: Sequence[Printed],
        note: str = "",
        widen: tuple[float, float] = (0.0, 0.0),
    ) -> None:
        """Compare ``printed`` with ``f(inputs)``, allowing Σ|∂f/∂x|·h plus the printed value's own h."""
        x = np.array([p.value for p in inputs], dtype=float)
        h = np.array([p.half_unit for p in inputs], dtype=float)
        value = f(x)
        spread = 0.0
        for i in range(len(x)):
            step = np.zeros_like(x)
            step[i] = h[i]
            # The larger one-sided change, not the central difference: it stays right at kinks such as
            # |O| at O = 0, where a central difference would claim the rounding does not matter.
            spread += max(abs(f(x + step) - value), abs(f(x - step) - value))
        low = value - spread - printed.half_unit - widen[0]
        high = value + spread + printed.half_unit + widen[1]
        self.add(identity, table, item, printed.value, value, low, high, note)


def audit(reported: Reported) -> AuditResult:
    """Check every identity that the reported numbers allow; see the module docstring for the list."""
    out = _Checks()
    _profiles(reported, out)
    _measurement(reported, out)
    paths = dict(reported.paths) or {
        (k[0], k[1]): v["original"] for k, v in reported.bootstrap.get("paths", {}).items() if "original" in v
    }
    _structural(reported, paths, out)
    _bootstrap(reported, paths, out)
    frame = pd.DataFrame(out.rows, columns=COLUMNS)
    frame["holds"] = frame["holds"].astype(bool)
    return AuditResult(reported, frame)


def _profiles(rep: Reported, out: _Checks) -> None:
    for table in rep.profiles:
        title, rows, total = table["title"], table["rows"], table["total"]
        counts = {k: v["count"] for k, v in rows.items() if "count" in v}
        s = sum(c.value for c in counts.values())
        if "count" in total:
            out.add(
                "profile.sum_counts",
                title,
                "Σ count",
                total["count"].value,
                s,
                s,
                s,
                f"the rows add up to {s:g}, the table prints {total['count'].value:g}",
            )
        if rep.n is not None and "count" in total:
            out.add(
                "profile.total_is_n",
                title,
                "total",
                total["count"].value,
                rep.n,
                rep.n,
                rep.n,
                f"the study has n = {rep.n}",
            )
        for label, v in rows.items():
            if "percent" in v and "count" in v and s > 0:
                share = 100 * v["count"].value / s
                h = v["percent"].half_unit
                out.add(
                    "profile.percent",
                    title,
                    label,
                    v["percent"].value,
                    share,
                    share - h,
                    share + h,
                    f"100 × {v['count'].value:g} / {s:g}",
                )
        pcts = [v["percent"] for v in rows.values() if "percent" in v]
        if "percent" in total and pcts:
            ps = sum(p.value for p in pcts)
            slack = sum(p.half_unit for p in pcts) + total["percent"].half_unit
            out.add(
                "profile.sum_percents", title, "Σ percent", total["percent"].value, ps, ps - slack, ps + slack
            )


def _measurement(rep: Reported, out: _Checks) -> None:
    for construct, items in rep.constructs.items():
        own = [rep.loadings.get(i) or rep.cross_loadings.get(i, {}).get(construct) for i in items]
        if all(own) and own:
            lam = [p for p in own if p is not None]
            rel = rep.reliability.get(construct, {})
            if "ave" in rel:
                out.derived(
                    "reliability.ave",
                    "reliability",
                    construct,
                    rel["ave"],
                    lambda x: float(np.mean(x**2)),
                    lam,
                )
            if "rho_c" in rel:
                out.derived("reliability.rho_c", "reliability", construct, rel["rho_c"], _rho_c, lam)
        for item in items:
            row = rep.cross_loadings.get(item)
            if not row or construct not in row:
                continue
            best = max(row, key=lambda c: row[c].value)
            mine = row[construct].value
            out.add(
                "discriminant.cross_loadings",
                "cross-loadings",
                item,
                mine,
                row[best].value,
                row[best].value,
                row[best].value,
                f"highest on '{best}'"
                + ("" if best == construct else f", not on its own construct '{construct}'"),
            )


def _rho_c(lam: np.ndarray) -> float:
    s = lam.sum() ** 2
    return float(s / (s + (1 - lam**2).sum()))


def _predictors(paths: Mapping[tuple[str, str], Printed]) -> dict[str, list[str]]:
    preds: dict[str, list[str]] = {}
    for s, t in paths:
        preds.setdefault(t, []).append(s)
    return preds


def _printed_correlations(rep: Reported) -> dict[frozenset[str], Printed]:
    """Off-diagonal entries of the Fornell–Larcker table: construct correlations as printed."""
    out: dict[frozenset[str], Printed] = {}
    for a, row in rep.fornell_larcker.items():
        for c, v in row.items():
            if a != c:
                out[frozenset((a, c))] = v
    return out


def _implied(
    keys: Sequence[tuple[str, str]], x: np.ndarray, ckeys: Sequence[frozenset[str]] = ()
) -> tuple[dict[frozenset[str], float], dict[str, float]]:
    """Correlations and R² that follow from standardized paths (``x[:len(keys)]``) and the printed
    correlations ``ckeys`` (``x[len(keys):]``): normal equations r_Xy = R_XX β, applied recursively."""
    b = dict(zip(keys, x[: len(keys)], strict=True))
    preds = _predictors(dict.fromkeys(keys))  # type: ignore[arg-type]
    corr: dict[frozenset[str], float] = dict(zip(ckeys, (float(v) for v in x[len(keys) :]), strict=True))
    r2: dict[str, float] = {}
    progress = True
    while progress:
        progress = False
        for y, xs in preds.items():
            if y in r2 or not all(a == c or frozenset((a, c)) in corr for a in xs for c in xs):
                continue
            rxx = np.array([[1.0 if a == c else corr[frozenset((a, c))] for c in xs] for a in xs])
            by = np.array([b[(x_, y)] for x_ in xs])
            rxy = rxx @ by
            r2[y] = float(by @ rxy)
            corr.update({frozenset((x_, y)): float(r) for x_, r in zip(xs, rxy, strict=True)})
            progress = True
    return corr, r2


def _structural(rep: Reported, paths: Mapping[tuple[str, str], Printed], out: _Checks) -> None:
    keys = list(paths)
    printed_corr = _printed_correlations(rep)
    ckeys = list(printed_corr)
    inputs = [paths[k] for k in keys] + [printed_corr[k] for k in ckeys]
    x0 = np.array([p.value for p in inputs])
    preds = _predictors(paths)
    _, r2_known = _implied(keys, x0, ckeys)
    _fornell_larcker(rep, out)
    for y, xs in preds.items():
        for x_ in xs:
            pair = frozenset((x_, y))
            if pair not in printed_corr:
                continue
            others = [k for k in ckeys if k != pair]
            # Derive r_xy from the paths and every *other* printed correlation.
            sub = [paths[k] for k in keys] + [printed_corr[k] for k in others]

            def implied_r(v: np.ndarray, pair: frozenset[str] = pair, others: list = others) -> float:
                return _implied(keys, v, others)[0].get(pair, math.nan)

            if math.isfinite(implied_r(np.array([p.value for p in sub]))):
                note = f"(R_XX β) of {y} for predictor {x_}"
                out.derived(
                    "correlation.implied",
                    "Fornell–Larcker",
                    f"{x_} – {y}",
                    printed_corr[pair],
                    implied_r,
                    sub,
                    note,
                )
    for y, row in rep.r_squared.items():
        xs = preds.get(y, [])
        if "r2" in row and len(xs) == 1:
            k = keys.index((xs[0], y))

            def square(x: np.ndarray, k: int = k) -> float:
                return float(x[k] ** 2)

            out.derived("r2.single_predictor", "R²", y, row["r2"], square, inputs, f"β({xs[0]} -> {y})²")
        elif "r2" in row and y in r2_known:

            def implied_r2(x: np.ndarray, y: str = y) -> float:
                return _implied(keys, x, ckeys)[1][y]

            note = "β′R_XX β with R_XX printed or implied by the printed paths"
            out.derived("r2.implied", "R²", y, row["r2"], implied_r2, inputs, note)
        k_given = row.get("predictors")
        if "adjusted" in row and "r2" in row and rep.n is not None and (xs or k_given):
            n, k = rep.n, int(k_given.value) if k_given else len(xs)

            def adjusted(x: np.ndarray, n: int = n, k: int = k) -> float:
                return float(1 - (1 - x[0]) * (n - 1) / (n - k - 1))

            out.derived("r2.adjusted", "R²", y, row["adjusted"], adjusted, [row["r2"]], f"n = {n}, k = {k}")
    corr0, _ = _implied(keys, x0, ckeys)
    for (s, y), printed in rep.f_squared.items():
        incl = rep.r_squared.get(y, {}).get("r2")
        xs = preds.get(y, [])
        if incl is None or s not in xs:
            continue
        rest = [x for x in xs if x != s]

        def f2(x: np.ndarray, y: str = y, rest: list[str] = rest) -> float:
            r_incl = x[0]
            corr, _ = _implied(keys, x[1:], ckeys)
            if not rest:
                excl = 0.0
            else:
                rxx = np.array([[1.0 if a == c else corr[frozenset((a, c))] for c in rest] for a in rest])
                rxy = np.array([corr[frozenset((a, y))] for a in rest])
                excl = float(rxy @ np.linalg.solve(rxx, rxy))
            return (r_incl - excl) / (1 - r_incl)

        derivable = all(frozenset((a, y)) in corr0 for a in rest) and all(
            a == c or frozenset((a, c)) in corr0 for a in rest for c in rest
        )
        if derivable:
            note = (
                "R²excl = 0 (single predictor)" if not rest else "R²excl from printed or implied correlations"
            )
            out.derived("f2", "f²", f"{s} -> {y}", printed, f2, [incl, *inputs], note)


def _fornell_larcker(rep: Reported, out: _Checks) -> None:
    for c, row in rep.fornell_larcker.items():
        ave = rep.reliability.get(c, {}).get("ave")
        if c in row and ave is not None:
            out.derived(
                "fornell_larcker.diagonal",
                "Fornell–Larcker",
                c,
                row[c],
                lambda x: float(np.sqrt(x[0])),
                [ave],
                "√AVE",
            )


def _bootstrap(rep: Reported, paths: Mapping[tuple[str, str], Printed], out: _Checks) -> None:
    b = rep.bootstrap_samples
    for kind, table in rep.bootstrap.items():
        for chain, row in table.items():
            item = " -> ".join(chain)
            o, sd, t, p = row.get("original"), row.get("stdev"), row.get("t"), row.get("p")
            if kind == "paths" and o is not None and len(chain) == 2 and (chain[0], chain[1]) in rep.paths:
                q = rep.paths[(chain[0], chain[1])]
                out.derived("bootstrap.original", f"bootstrap {kind}", item, o, lambda x: float(x[0]), [q])
            if o is not None and sd is not None and t is not None and sd.value > 0:
                out.derived(
                    "bootstrap.t",
                    f"bootstrap {kind}",
                    item,
                    t,
                    lambda x: abs(x[0]) / x[1],
                    [o, sd],
                    "|O| / STDEV",
                )
            if t is not None and p is not None:
                _p_check(out, f"bootstrap {kind}", item, t, p, b)
            if kind == "indirect" and o is not None:
                links = list(itertools.pairwise(chain))
                if all(link in paths for link in links):
                    out.derived(
                        "indirect.product",
                        f"bootstrap {kind}",
                        item,
                        o,
                        lambda x: float(np.prod(x)),
                        [paths[link] for link in links],
                        " × ".join(f"β({a} -> {c})" for a, c in links),
                    )
            if kind == "total" and o is not None and len(chain) == 2:
                _total_check(out, rep, chain, o, paths)


def _p_check(out: _Checks, table: str, item: str, t: Printed, p: Printed, b: int | None) -> None:
    if b is not None:
        df = b - 1
        out.derived(
            "bootstrap.p",
            table,
            item,
            p,
            lambda x: float(2 * stats.t.sf(abs(x[0]), df)),
            [t],
            f"two-tailed, t with df = B − 1 = {df}",
        )
        return
    # B unknown: any df from 99 (B = 100) to infinity (the normal) is plausible.
    normal = float(2 * stats.norm.sf(abs(t.value)))
    heavy = float(2 * stats.t.sf(abs(t.value), 99))
    out.derived(
        "bootstrap.p",
        table,
        item,
        p,
        lambda x: float(2 * stats.norm.sf(abs(x[0]))),
        [t],
        f"two-tailed; B not given, so df from 99 to ∞ (p from {heavy:.4f} to {normal:.4f})",
        widen=(0.0, heavy - normal),
    )


def _total_check(
    out: _Checks, rep: Reported, chain: tuple[str, ...], o: Printed, paths: Mapping[tuple[str, str], Printed]
) -> None:
    src, dst = chain
    parts: list[Printed] = []
    if (src, dst) in paths:
        parts.append(paths[(src, dst)])
    for ind_chain, row in rep.bootstrap.get("indirect", {}).items():
        if ind_chain[0] == src and ind_chain[-1] == dst and "original" in row:
            parts.append(row["original"])
    if parts:
        out.derived(
            "total.sum",
            "bootstrap total",
            f"{src} -> {dst}",
            o,
            lambda x: float(np.sum(x)),
            parts,
            "direct + specific indirect effects",
        )
