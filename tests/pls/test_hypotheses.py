"""Hypotheses: parsing with line numbers, errors that name the line, decisions from the bootstrap."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.pls.reference import m4, mobi
from ukur.errors import SpecError
from ukur.pls.bootstrap import bootstrap_data
from ukur.pls.bootstrap_result import BootstrapOptions
from ukur.pls.hypotheses import hypotheses, parse_hypotheses

TEXT = """\
# study hypotheses
H1: Image -> Satisfaction
H2: Expectation -> Satisfaction   # weak

H3: Image -> Expectation -> Satisfaction
Value -> Satisfaction
"""


@pytest.fixture(scope="module")
def boot():
    return bootstrap_data(m4(), mobi(), options=BootstrapOptions(samples=1000, seed=4))


def test_parse_skips_comments_and_labels_by_position():
    parsed = parse_hypotheses(TEXT)
    assert [h.label for h in parsed] == ["H1", "H2", "H3", "H4"]
    assert [h.line for h in parsed] == [2, 3, 5, 6]
    assert parsed[2].chain == ("Image", "Expectation", "Satisfaction")


def test_table_uses_the_bootstrap_statistics(boot):
    result = hypotheses(boot, TEXT)
    t = result.table.set_index("label")
    path = boot.paths.loc[("Image", "Satisfaction")]
    for name in ("original", "std", "t", "p", "ci_low", "ci_high"):
        assert t.loc["H1", name] == pytest.approx(path[name], rel=1e-12)
    chain = boot.indirect.loc["Image -> Expectation -> Satisfaction"]
    assert t.loc["H3", "original"] == chain["original"]
    assert t.loc["H3", "kind"] == "indirect"
    assert list(t["supported"]) == list(t["p"] < 0.05)
    assert t.loc["H1", "supported"]
    listed = result.to_list()
    assert listed[2]["path"] == ["Image", "Expectation", "Satisfaction"]
    assert set(listed[0]) >= {"label", "path", "original", "t", "p", "ci_low", "ci_high", "supported"}


def test_one_tailed_halves_p_and_narrows_the_interval(boot):
    two = hypotheses(boot, ["Expectation -> Satisfaction"]).table.iloc[0]
    one = hypotheses(boot, ["Expectation -> Satisfaction"], tails=1).table.iloc[0]
    assert one["p"] == pytest.approx(two["p"] / 2, rel=1e-12)
    draws = boot.draws["paths:Expectation -> Satisfaction"].to_numpy()
    assert one["ci_low"] == pytest.approx(np.quantile(draws, 0.05), abs=1e-15)
    assert one["ci_low"] > two["ci_low"]


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("H1: Image -> Satisfaction\nH2: Imag -> Satisfaction", 2, "unknown construct 'Imag'"),
        ("\n\nH1: Value -> Image", 3, "no path Value -> Image"),
        ("H1: Image -> Value -> Satisfaction", 1, "no path Image -> Value"),
        ("# x\nH1 Image Satisfaction", 2, "names no effect"),
        ("H1: Image -> Satisfaction\nH1: Value -> Satisfaction", 2, "used twice"),
        ("H1: Image -> ", 1, "empty construct name"),
    ],
)
def test_errors_name_the_line(boot, text, line, needle):
    with pytest.raises(SpecError) as err:
        hypotheses(boot, text, source="hyp.txt")
    assert err.value.line == line
    assert needle in err.value.message
    assert str(err.value).startswith(f"hyp.txt:{line}:")


@given(
    st.lists(st.sampled_from(["A", "B", "C d", "Ü"]), min_size=2, max_size=5), st.sampled_from(["->", "→"])
)
def test_parse_round_trips_any_chain(names, arrow):
    parsed = parse_hypotheses([f"X1: {f' {arrow} '.join(names)}  # note"])
    assert parsed[0].chain == tuple(names) and parsed[0].label == "X1"
