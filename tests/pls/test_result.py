"""Invariants of a PLS result, the JSON contract of ``to_dict`` and immutability."""

from __future__ import annotations

import dataclasses
import json
import warnings

import numpy as np
import pandas as pd
import pytest

from ukur.errors import ConvergenceWarning, EstimationError
from ukur.pls import Model, PLSResult, estimate

from . import reference as ref


def ecsi() -> Model:
    """The full ECSI model on mobi (7 constructs, 24 items; Tenenhaus et al. 2005)."""
    return (
        Model.build()
        .reflective("Image", ref.items("IMAG", 5))
        .reflective("Expectation", ref.items("CUEX", 3))
        .reflective("Quality", ref.items("PERQ", 7))
        .reflective("Value", ref.items("PERV", 2))
        .reflective("Satisfaction", ref.items("CUSA", 3))
        .reflective("Complaints", ["CUSCO"])
        .reflective("Loyalty", ref.items("CUSL", 3))
        .path("Image", "Expectation")
        .path("Expectation", "Quality")
        .path(["Expectation", "Quality"], "Value")
        .path(["Image", "Expectation", "Quality", "Value"], "Satisfaction")
        .path("Satisfaction", "Complaints")
        .path(["Image", "Satisfaction", "Complaints"], "Loyalty")
        .model()
    )


@pytest.fixture(scope="module", params=["path", "factorial", "centroid"])
def result(request) -> PLSResult:
    return estimate(ecsi(), ref.mobi(), scheme=request.param)


def test_scores_are_standardized(result):
    scores = result.scores
    np.testing.assert_allclose(scores.mean(), 0, atol=1e-12)
    np.testing.assert_allclose(scores.std(ddof=1), 1, atol=1e-12)


def test_loadings_are_item_score_correlations(result):
    data = result.prepared.data
    for item, row in result.outer.iterrows():
        r = np.corrcoef(data[item], result.scores[row["construct"]])[0, 1]
        assert row["loading"] == pytest.approx(r, abs=1e-12)
    cross = result.cross_loadings
    direct = pd.concat([data, result.scores], axis=1).corr().loc[cross.index, cross.columns]
    np.testing.assert_allclose(cross.to_numpy(), direct.to_numpy(), atol=1e-12)


def test_r2_is_sum_of_beta_times_r(result):
    cc = result.construct_correlations
    for outcome, row in result.r2.iterrows():
        paths = result.paths[result.paths["to"] == outcome]
        total = sum(p["estimate"] * cc.loc[p["from"], outcome] for _, p in paths.iterrows())
        assert row["r2"] == pytest.approx(total, abs=1e-12)


def test_paths_are_ols_on_the_scores(result):
    scores = result.scores.to_numpy()
    names = list(result.scores.columns)
    for outcome in result.r2.index:
        preds = list(result.paths.loc[result.paths["to"] == outcome, "from"])
        x = scores[:, [names.index(p) for p in preds]]
        beta = np.linalg.lstsq(x, scores[:, names.index(outcome)], rcond=None)[0]
        got = result.paths.set_index(["from", "to"]).loc[[(p, outcome) for p in preds], "estimate"]
        np.testing.assert_allclose(got.to_numpy(), beta, atol=1e-12)


def test_f2_formula(result):
    scores = result.scores
    for _, row in result.f2.iterrows():
        preds = list(result.paths.loc[result.paths["to"] == row["to"], "from"])
        r2_in = result.r2.loc[row["to"], "r2"]
        rest = [p for p in preds if p != row["from"]]
        if rest:
            x = scores[rest].to_numpy()
            y = scores[row["to"]].to_numpy()
            fitted = x @ np.linalg.lstsq(x, y, rcond=None)[0]
            r2_ex = 1 - np.sum((y - fitted) ** 2) / np.sum(y**2)
        else:
            r2_ex = 0.0
        assert row["f2"] == pytest.approx((r2_in - r2_ex) / (1 - r2_in), abs=1e-10)


def test_total_is_direct_plus_indirect(result):
    eff = result.effects
    np.testing.assert_allclose(eff["total"], eff["direct"] + eff["indirect"], atol=1e-15)
    pairs = set(zip(eff["from"], eff["to"], strict=True))
    assert ("Image", "Loyalty") in pairs and ("Loyalty", "Image") not in pairs
    # Expectation -> Value: direct plus the chain through Quality
    row = eff[(eff["from"] == "Expectation") & (eff["to"] == "Value")].iloc[0]
    b = result.path_matrix
    assert row["indirect"] == pytest.approx(
        b.loc["Expectation", "Quality"] * b.loc["Quality", "Value"], abs=1e-14
    )


def test_single_item_construct_is_perfectly_reliable(result):
    assert result.reliability.loc["Complaints"].tolist() == [1.0, 1.0, 1.0, 1.0]
    assert result.vif_outer.loc["CUSCO", "vif"] == 1.0


def test_to_dict_is_the_issue_json(result):
    doc = result.to_dict()
    assert list(doc) == [
        "meta", "constructs", "paths", "outer", "cross_loadings", "r2", "f2", "effects",
        "reliability", "htmt", "fornell_larcker", "vif_outer", "vif_inner", "items",
    ]  # fmt: skip
    for key in ("n", "n_used", "iterations", "converged", "scheme", "version"):
        assert key in doc["meta"]
    assert doc["constructs"][0] == {"name": "Image", "mode": "A", "indicators": ref.items("IMAG", 5)}
    assert set(doc["paths"][0]) == {"from", "to", "estimate"}
    assert set(doc["outer"][0]) == {"construct", "indicator", "weight", "loading"}
    assert set(doc["cross_loadings"][0]) == {"indicator", "construct", "value"}
    assert set(doc["r2"][0]) == {"construct", "r2", "r2_adj"}
    assert set(doc["f2"][0]) == {"from", "to", "f2"}
    assert set(doc["effects"][0]) == {"from", "to", "direct", "indirect", "total"}
    assert set(doc["reliability"][0]) == {"construct", "alpha", "rho_a", "rho_c", "ave"}
    assert set(doc["htmt"][0]) == {"a", "b", "value"} and len(doc["htmt"]) == 21
    assert set(doc["fornell_larcker"][0]) == {"a", "b", "value"} and len(doc["fornell_larcker"]) == 28
    assert set(doc["vif_outer"][0]) == {"construct", "indicator", "vif"}
    assert set(doc["vif_inner"][0]) == {"from", "to", "vif"}
    assert set(doc["items"][0]) == {
        "indicator", "mean", "median", "min", "max", "sd", "kurtosis", "skewness", "missing",
    }  # fmt: skip
    text = json.dumps(doc, allow_nan=False)  # plain floats only, no NaN
    assert json.loads(text) == doc
    assert type(doc["items"][0]["missing"]) is int and type(doc["paths"][0]["estimate"]) is float


def test_nan_becomes_null():
    result = estimate(ref.m2(), ref.mobi())
    doc = result.to_dict()
    assert doc["meta"]["converged"] is True
    fl = {(r["a"], r["b"]): r["value"] for r in doc["fornell_larcker"]}
    assert fl[("Satisfaction", "Image")] is not None
    assert np.isnan(result.htmt.iloc[0, 0])  # the diagonal is NaN in the table but not in the JSON
    assert all(r["value"] is not None for r in doc["htmt"])
    from ukur.pls.result import _plain

    assert _plain(float("nan")) is None and _plain(np.float64(np.inf)) is None
    assert _plain(np.int64(3)) == 3 and type(_plain(np.float32(0.5))) is float


def test_result_is_immutable():
    result = estimate(ref.m2(), ref.mobi())
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.iterations = 3  # type: ignore[misc]
    with pytest.raises(ValueError):
        result.weights[0] = 1.0


def test_non_convergence_warns_and_is_recorded():
    with pytest.warns(ConvergenceWarning, match="did not converge in 2 iterations"):
        result = estimate(ref.m1(), ref.mobi(), max_iter=2)
    assert result.converged is False and result.iterations == 2
    assert result.meta["converged"] is False and len(result.warnings) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        estimate(ref.m1(), ref.mobi())  # a converging run warns nothing


def test_singular_mode_b_block_is_an_estimation_error():
    data = ref.mobi()
    data["PERV3"] = data["PERV1"] * 2 + 1  # collinear with PERV1
    model = (
        Model.build()
        .reflective("Image", ref.items("IMAG", 5))
        .formative("Value", ["PERV1", "PERV2", "PERV3"])
        .path("Image", "Value")
        .model()
    )
    with pytest.raises(EstimationError, match="'Value' are perfectly collinear"):
        estimate(model, data)


@pytest.mark.parametrize(
    ("option", "value", "field"),
    [("scheme", "pca", "scheme"), ("f2", "cohen", "f2"), ("tol", -1.0, "tol"), ("max_iter", 0, "max_iter")],
)
def test_bad_options_name_the_field(option, value, field):
    with pytest.raises(EstimationError) as info:
        estimate(ref.m2(), ref.mobi(), **{option: value})
    assert info.value.field == field


def test_ecsi_estimation_takes_milliseconds():
    import time

    model, data = ecsi(), ref.mobi()
    estimate(model, data)
    best = min(_timed(time, model, data) for _ in range(5))
    assert best < 0.05  # typically ~2 ms; generous for shared CI machines


def _timed(time, model, data) -> float:
    start = time.perf_counter()
    estimate(model, data)
    return time.perf_counter() - start


def test_measurement_only_model_uses_the_first_principal_component():
    # a one-construct model has no inner proxy; its own score serves, i.e. power iteration on R_kk
    model = Model.build().reflective("Image", ref.items("IMAG", 5)).model()
    result = estimate(model, ref.mobi())
    x = ref.mobi()[ref.items("IMAG", 5)].to_numpy(dtype=float)
    corr = np.corrcoef(x, rowvar=False)
    vectors = np.linalg.eigh(corr)[1]
    first = vectors[:, -1] * np.sign(vectors[:, -1].sum())
    np.testing.assert_allclose(result.outer_weights, first / np.sqrt(first @ corr @ first), atol=1e-7)
    doc = result.to_dict()
    assert doc["paths"] == [] and doc["r2"] == [] and doc["f2"] == [] and doc["effects"] == []
    assert doc["vif_inner"] == [] and doc["htmt"] == [] and len(doc["fornell_larcker"]) == 1
