"""The consistency audit: the seed study's printed tables, synthetic exact tables, and YAML errors.

Reference values are computed here by hand from the printed numbers (formulas in the module
docstring of :mod:`ukur.pls.audit`); the seed study is Rojikun (2022), Tables 1–8, copied in
examples/audit/umkm-pamulang.yaml.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from ukur.errors import SpecError
from ukur.pls.audit import audit, load_reported

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "audit" / "umkm-pamulang.yaml"
P, K, M = "Promosi di Media Sosial", "Keterlibatan Pelanggan", "Minat Beli"


@pytest.fixture(scope="module")
def seed():
    return audit(load_reported(SEED.read_text(encoding="utf-8"), source=str(SEED)))


def row(result, identity, item):
    rows = result.checks[(result.checks["identity"] == identity) & (result.checks["item"] == item)]
    assert len(rows) == 1, (identity, item)
    return rows.iloc[0]


def test_seed_study_fails_exactly_on_the_jumlah_100_totals(seed):
    failed = seed.failures[["identity", "table"]].itertuples(index=False)
    assert sorted(map(tuple, failed)) == [
        ("profile.sum_counts", "Tabel 2. Pendidikan Responden"),
        ("profile.sum_counts", "Tabel 3. Usia Responden"),
        ("profile.total_is_n", "Tabel 2. Pendidikan Responden"),
        ("profile.total_is_n", "Tabel 3. Usia Responden"),
    ]
    assert not seed.ok
    r = seed.checks[(seed.checks["identity"] == "profile.sum_counts")].set_index("table")
    assert r.loc["Tabel 2. Pendidikan Responden", "computed"] == 4 + 12 + 6 + 8
    assert r.loc["Tabel 2. Pendidikan Responden", "printed"] == 100
    assert r.loc["Tabel 1. Jenis Kelamin Responden", "holds"]


def test_seed_study_identities_reproduced_by_hand(seed):
    # R² of Keterlibatan Pelanggan (single predictor) = 0.787²
    assert row(seed, "r2.single_predictor", K)["computed"] == pytest.approx(0.787**2, abs=1e-12)
    # Minat Beli: r(P,K) = β(P->K); R² = β1² + β2² + 2β1β2 r12
    assert row(seed, "r2.implied", M)["computed"] == pytest.approx(
        0.767**2 + 0.211**2 + 2 * 0.767 * 0.211 * 0.787, abs=1e-12
    )
    assert row(seed, "r2.adjusted", K)["computed"] == pytest.approx(1 - 0.380 * 29 / 28, abs=1e-12)
    assert row(seed, "r2.adjusted", M)["computed"] == pytest.approx(1 - 0.114 * 29 / 27, abs=1e-12)
    # f²(P -> K) = R²/(1 − R²); f²(K -> M): R²excl = r(P,M)² with r(P,M) = 0.211 + 0.767·0.787
    assert row(seed, "f2", f"{P} -> {K}")["computed"] == pytest.approx(0.620 / 0.380, abs=1e-9)
    r_pm = 0.211 + 0.767 * 0.787
    assert row(seed, "f2", f"{K} -> {M}")["computed"] == pytest.approx((0.886 - r_pm**2) / 0.114, abs=1e-9)
    assert row(seed, "bootstrap.t", f"{K} -> {M}")["computed"] == pytest.approx(0.767 / 0.173, abs=1e-12)
    assert row(seed, "indirect.product", f"{P} -> {K} -> {M}")["computed"] == pytest.approx(0.787 * 0.767)
    assert row(seed, "bootstrap.p", f"{P} -> {M}")["computed"] == pytest.approx(2 * stats.norm.sf(1.090))
    lam = np.array([0.970, 0.941, 0.922, 0.908, 0.866])
    assert row(seed, "reliability.ave", P)["computed"] == pytest.approx(np.mean(lam**2))
    assert row(seed, "reliability.rho_c", P)["computed"] == pytest.approx(
        lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
    )
    assert row(seed, "profile.percent", "S1")["computed"] == pytest.approx(100 * 8 / 30)


def test_tolerance_is_propagated_rounding(seed):
    # T = O/STDEV: h_T + h·(1/STDEV) + h·O/STDEV², h = 0.0005
    r = row(seed, "bootstrap.t", f"{K} -> {M}")
    # (one-sided steps add the curvature over one rounding step, O(h²): hence rel=1e-2)
    assert r["tolerance"] == pytest.approx(0.0005 + 0.0005 / 0.173 + 0.0005 * 0.767 / 0.173**2, rel=1e-2)
    # R² = β²: h + 2|β|h
    r = row(seed, "r2.single_predictor", K)
    assert r["tolerance"] == pytest.approx(0.0005 + 2 * 0.787 * 0.0005 + 0.0005**2, rel=1e-9)


def test_p_value_uses_bootstrap_df_when_given():
    text = SEED.read_text(encoding="utf-8").replace("n: 30\n", "n: 30\nbootstrap_samples: 500\n")
    r = audit(load_reported(text))
    got = row(r, "bootstrap.p", f"{P} -> {K} -> {M}")
    assert got["computed"] == pytest.approx(2 * stats.t.sf(3.497, 499))
    assert got["holds"]  # 0.000513 rounds to the printed 0.001
    # The same row under the normal alone would be 0.00047, which prints as 0.000: B matters.
    assert round(2 * stats.norm.sf(3.497), 3) == 0.0


def test_to_dict_is_the_json_contract(seed):
    d = seed.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert d["checked"] == len(seed.checks) and d["failed"] == 4 and d["ok"] is False
    assert set(d["checks"][0]) == {
        "identity",
        "table",
        "item",
        "printed",
        "computed",
        "low",
        "high",
        "tolerance",
        "holds",
        "note",
    }


def _exact_table(beta_pk: float, beta_pm: float, beta_km: float, n: int, sd: float, digits: int) -> str:
    """A mediation model's numbers computed exactly, then rounded to ``digits`` as a paper would."""
    r2_k = beta_pk**2
    r2_m = beta_pm**2 + beta_km**2 + 2 * beta_pm * beta_km * beta_pk
    r_pm, r_km = beta_pm + beta_km * beta_pk, beta_km + beta_pm * beta_pk
    f = lambda x: f"{x:.{digits}f}"  # noqa: E731
    f2 = {
        "P -> K": r2_k / (1 - r2_k),
        "P -> M": (r2_m - r_km**2) / (1 - r2_m),
        "K -> M": (r2_m - r_pm**2) / (1 - r2_m),
    }
    t = abs(beta_pm) / sd
    lines = [
        "version: 1",
        f"n: {n}",
        "r_squared:",
        f"  K: {{r2: {f(r2_k)}, adjusted: {f(1 - (1 - r2_k) * (n - 1) / (n - 2))}}}",
        f"  M: {{r2: {f(r2_m)}, adjusted: {f(1 - (1 - r2_m) * (n - 1) / (n - 3))}}}",
        "f_squared:",
        *(f"  {k}: {f(v)}" for k, v in f2.items()),
        "bootstrap:",
        "  paths:",
        f"    P -> K: {{original: {f(beta_pk)}}}",
        f"    K -> M: {{original: {f(beta_km)}}}",
        f"    P -> M: {{original: {f(beta_pm)}, stdev: {f(sd)}, t: {f(t)}, p: {f(2 * stats.norm.sf(t))}}}",
        "  indirect:",
        f"    P -> K -> M: {{original: {f(beta_pk * beta_km)}}}",
    ]
    return "\n".join(lines) + "\n"


@settings(max_examples=60, deadline=None)
@given(
    beta_pk=st.floats(0.2, 0.8),
    beta_km=st.floats(-0.5, 0.6),
    beta_pm=st.floats(-0.4, 0.4),
    n=st.integers(30, 500),
    sd=st.floats(0.05, 0.3),
    digits=st.integers(3, 4),
)
def test_exact_tables_always_pass(beta_pk, beta_km, beta_pm, n, sd, digits):
    r2_m = beta_pm**2 + beta_km**2 + 2 * beta_pm * beta_km * beta_pk
    if not 0.02 < r2_m < 0.95:  # outside this range the paths are not a valid correlation structure
        return
    result = audit(load_reported(_exact_table(beta_pk, beta_pm, beta_km, n, sd, digits)))
    assert result.ok, result.failures.to_dict(orient="records")
    assert set(result.checks["identity"]) >= {
        "r2.single_predictor",
        "r2.implied",
        "r2.adjusted",
        "f2",
        "bootstrap.t",
        "bootstrap.p",
        "indirect.product",
    }


@pytest.mark.parametrize(
    ("old", "new", "identity"),
    [
        ("K: {r2: 0.360", "K: {r2: 0.370", "r2.single_predictor"),
        ("adjusted: 0.357", "adjusted: 0.367", "r2.adjusted"),
        ("P -> K -> M: {original: 0.300}", "P -> K -> M: {original: 0.310}", "indirect.product"),
        ("t: 2.000", "t: 2.100", "bootstrap.t"),
    ],
)
def test_a_misprint_is_caught(old, new, identity):
    text = _exact_table(0.6, 0.2, 0.5, 200, 0.1, 3)
    assert audit(load_reported(text)).ok
    assert old in text
    bad = audit(load_reported(text.replace(old, new)))
    assert identity in set(bad.failures["identity"])


def test_total_effect_adds_up():
    text = "bootstrap:\n  paths:\n    A -> B: {original: 0.30}\n    B -> C: {original: 0.50}\n    A -> C: {original: 0.20}\n"
    text += "  indirect:\n    A -> B -> C: {original: 0.15}\n  total:\n    A -> C: {original: 0.35}\n"
    r = audit(load_reported(text))
    assert row(r, "total.sum", "A -> C")["holds"]
    bad = audit(load_reported(text.replace("A -> C: {original: 0.35}", "A -> C: {original: 0.45}")))
    assert not row(bad, "total.sum", "A -> C")["holds"]


def test_cross_loading_higher_elsewhere_fails():
    text = "constructs:\n  A: [a1]\n  B: [b1]\ncross_loadings:\n  a1: {A: 0.70, B: 0.75}\n  b1: {A: 0.3, B: 0.9}\n"
    r = audit(load_reported(text))
    assert not row(r, "discriminant.cross_loadings", "a1")["holds"]
    assert row(r, "discriminant.cross_loadings", "b1")["holds"]


def test_decimal_comma_and_percent_sign_are_read():
    text = 'paths:\n  A -> B: "0,500"\nr_squared:\n  B: {r2: "0,250"}\n'
    r = audit(load_reported(text))
    assert row(r, "r2.single_predictor", "B")["holds"]
    assert row(r, "r2.single_predictor", "B")["tolerance"] == pytest.approx(
        0.0005 + 2 * 0.5 * 0.0005 + 0.0005**2
    )


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("version: 1\nstudy: x\nrsquared: {}\n", 3, "unknown section 'rsquared'"),
        ("version: 2\n", 1, "version: 1"),
        ("paths:\n  A -> B: big\n", 2, "'big' is not a number"),
        ("paths:\n  A to B: 0.5\n", 2, "must be written 'A -> B'"),
        ("r_squared:\n  B: {r2: 0.5, r2: 0.4}\n", 2, "appears twice"),
        ("r_squared:\n  B: {r3: 0.5}\n", 2, "unknown field 'r3'"),
        ("n: 30.5\n", 1, "whole number"),
        ("paths: [1, 2\n", 2, "not valid YAML"),
        ("profiles:\n  - title: x\n", 2, "needs 'rows'"),
        ("bootstrap:\n  paths:\n    A to B: {t: 1.0}\n", 3, "must be written 'A -> B'"),
        ("bootstrap:\n  indirect:\n    A: {t: 1.0}\n", 3, "must be written 'A -> M -> B'"),
    ],
)
def test_bad_yaml_names_file_and_line(text, line, message):
    with pytest.raises(SpecError) as err:
        load_reported(text, source="paper.yaml")
    assert err.value.source == "paper.yaml"
    assert err.value.line == line
    assert message in str(err.value)


def test_adjusted_r2_from_a_stated_number_of_predictors():
    text = "n: 50\nr_squared:\n  Y: {r2: 0.40, adjusted: 0.374, predictors: 2}\n"
    got = row(audit(load_reported(text)), "r2.adjusted", "Y")
    assert got["computed"] == pytest.approx(1 - 0.6 * 49 / 47)
    assert got["holds"]
    bad = row(audit(load_reported(text.replace("predictors: 2", "predictors: 5"))), "r2.adjusted", "Y")
    assert not bad["holds"]


def _three_predictors(digits: int = 3) -> tuple[str, dict]:
    """Y on X1, X2, X3 with printed predictor correlations (a Fornell–Larcker table), exact then rounded.

    R_XX and β are chosen; r_Xy = R_XX β, R² = β′R_XX β, and f² of X1 drops X1 from the regression
    (R²excl = r′R⁻¹r over X2, X3), all computed here with numpy as the reference.
    """
    names = ["X1", "X2", "X3"]
    rxx = np.array([[1.0, 0.42, 0.31], [0.42, 1.0, 0.55], [0.31, 0.55, 1.0]])
    beta = np.array([0.35, 0.22, 0.18])
    rxy = rxx @ beta
    r2 = float(beta @ rxy)
    rest = [1, 2]
    excl = float(rxy[rest] @ np.linalg.solve(rxx[np.ix_(rest, rest)], rxy[rest]))
    ave = {"X1": 0.61, "X2": 0.70, "X3": 0.55, "Y": 0.66}
    f = lambda v: f"{v:.{digits}f}"  # noqa: E731
    lines = ["version: 1", "n: 120", "paths:"]
    lines += [f"  {x} -> Y: {f(b)}" for x, b in zip(names, beta, strict=True)]
    lines += ["r_squared:", f"  Y: {{r2: {f(r2)}}}", "f_squared:", f"  X1 -> Y: {f((r2 - excl) / (1 - r2))}"]
    lines += ["reliability:"] + [f"  {c}: {{ave: {f(a)}}}" for c, a in ave.items()]
    lines += ["fornell_larcker:"]
    everything = [*names, "Y"]
    full = np.eye(4)
    full[:3, :3] = rxx
    full[:3, 3] = full[3, :3] = rxy
    for i, a in enumerate(everything):
        cells = [
            f"{b}: {f(np.sqrt(ave[a]) if i == j else full[i, j])}" for j, b in enumerate(everything[: i + 1])
        ]
        lines.append(f"  {a}: {{{', '.join(cells)}}}")
    return "\n".join(lines) + "\n", {"r2": r2, "rxy": rxy, "excl": excl}


def test_printed_correlations_make_r2_f2_and_correlations_derivable():
    text, ref = _three_predictors()
    r = audit(load_reported(text))
    assert r.ok, r.failures.to_dict(orient="records")
    assert row(r, "r2.implied", "Y")["computed"] == pytest.approx(ref["r2"], abs=2e-3)
    assert row(r, "correlation.implied", "X1 – Y")["computed"] == pytest.approx(ref["rxy"][0], abs=2e-3)
    assert row(r, "fornell_larcker.diagonal", "X1")["computed"] == pytest.approx(np.sqrt(0.61))
    assert len(r.checks[r.checks["identity"] == "fornell_larcker.diagonal"]) == 4
    assert row(r, "f2", "X1 -> Y")["holds"]


def test_a_misprinted_correlation_or_diagonal_is_caught():
    text, _ = _three_predictors()
    bad_diag = text.replace(f"X1: {{X1: {np.sqrt(0.61):.3f}}}", "X1: {X1: 0.801}")
    assert bad_diag != text
    assert not row(audit(load_reported(bad_diag)), "fornell_larcker.diagonal", "X1")["holds"]
    line = next(ln for ln in text.splitlines() if ln.startswith("  Y: {X1:"))
    value = line.split("X1: ")[1].split(",")[0]
    bad = text.replace(line, line.replace(f"X1: {value}", f"X1: {float(value) + 0.05:.3f}"))
    failed = set(audit(load_reported(bad)).failures["identity"])
    assert "correlation.implied" in failed


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 400), min_size=1, max_size=8).filter(lambda c: sum(c) > 0), st.integers(0, 2))
def test_profile_tables_rounded_honestly_always_pass(counts, digits):
    n = sum(counts)
    rows = "\n".join(
        f"      c{i}: {{count: {c}, percent: {100 * c / n:.{digits}f}%}}" for i, c in enumerate(counts)
    )
    text = f"n: {n}\nprofiles:\n  - title: t\n    rows:\n{rows}\n    total: {{count: {n}, percent: 100%}}\n"
    result = audit(load_reported(text))
    assert result.ok, result.failures.to_dict(orient="records")
    wrong = audit(load_reported(text.replace(f"total: {{count: {n},", f"total: {{count: {n + 1},")))
    assert set(wrong.failures["identity"]) == {"profile.sum_counts", "profile.total_is_n"}
