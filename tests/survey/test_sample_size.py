"""Minimum sample sizes against the numbers printed in Kock & Hadaya (2018).

Source: Kock, N. & Hadaya, P. (2018). Minimum sample size estimation in PLS-SEM: the inverse square root
and gamma-exponential methods. Information Systems Journal 28(1), 227–261. All at α = .05 (one-tailed,
z(.95) = 1.645) and power .8 (z(.8) = 0.842), as in the paper:

* Table 3 (first Monte Carlo experiment, |β|min = .397): inverse square root 40, gamma-exponential 26;
  the same pair is shown in Appendix B, Figure B.1 (their spreadsheet).
* Table 4 (second experiment, |β|min = .147): 287 and 273.
* Table 5 (third experiment, |β|min = .1): 619 and 605.
* Section "Minimum sample size estimation before data collection": |β|min = .197 gives 160 (inverse
  square root) and 146 (gamma-exponential).
* Section "... after data collection": .237 → 111, .286 → 76, .253 → 97; and .35 → 51 (inverse square
  root only).

Sample sizes are integers, so they must match exactly (no tolerance).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ukur.errors import SpecError
from ukur.survey.sample_size import (
    critical_sum,
    gamma_exponential,
    inverse_square_root,
    plan_sample_size,
    ten_times_rule,
)

PUBLISHED_BOTH = [(0.397, 40, 26), (0.147, 287, 273), (0.1, 619, 605), (0.197, 160, 146)]
PUBLISHED_ISR = [(0.237, 111), (0.286, 76), (0.253, 97), (0.35, 51)]


@pytest.mark.parametrize(("beta", "isr", "gamma_exp"), PUBLISHED_BOTH)
def test_published_tables(beta, isr, gamma_exp):
    assert inverse_square_root(beta) == isr
    assert gamma_exponential(beta) == gamma_exp


@pytest.mark.parametrize(("beta", "isr"), PUBLISHED_ISR)
def test_published_inverse_square_root_examples(beta, isr):
    assert inverse_square_root(beta) == isr


def test_critical_sum_is_the_papers_2486():
    assert critical_sum() == pytest.approx(1.6448536 + 0.8416212, abs=1e-6)
    assert round(critical_sum(), 3) == 2.486


def test_two_tailed_and_stricter_settings_need_more_respondents():
    base = inverse_square_root(0.2)
    assert inverse_square_root(0.2, two_tailed=True) > base
    assert inverse_square_root(0.2, alpha=0.01) > base
    assert inverse_square_root(0.2, power=0.9) > base
    # two-tailed at .05 uses z(.975) = 1.960: (1.960 + 0.842)² / .2² = 196.2 → 197
    assert inverse_square_root(0.2, two_tailed=True) == 197


@given(st.floats(min_value=0.02, max_value=0.95))
def test_inverse_square_root_is_the_smallest_integer_above_the_bound(beta):
    n = inverse_square_root(beta)
    bound = (critical_sum() / beta) ** 2
    assert n > bound >= n - 1


def _eq7(beta, n):
    return beta * math.sqrt(n) * math.exp(math.e * beta / math.sqrt(n))


def _gamma(beta, n):
    c4 = math.sqrt(2 / (n - 1)) * math.gamma(n / 2) / math.gamma((n - 1) / 2)
    return beta * math.sqrt(n) * c4


@given(st.floats(min_value=0.02, max_value=0.95))
def test_gamma_exponential_is_the_smallest_n_meeting_its_condition(beta):
    n = gamma_exponential(beta)
    target = critical_sum()
    if n <= 10:
        assert _gamma(beta, n) > target
        assert n == 2 or _gamma(beta, n - 1) <= target
    else:
        assert all(_gamma(beta, k) <= target for k in range(2, 11))
        assert _eq7(beta, n) > target
        assert n == 11 or _eq7(beta, n - 1) <= target
        assert n <= max(inverse_square_root(beta), 11)


@given(st.floats(min_value=0.02, max_value=0.9), st.floats(min_value=0.02, max_value=0.9))
def test_larger_paths_never_need_more_respondents(a, b):
    small, large = sorted((a, b))
    assert inverse_square_root(large) <= inverse_square_root(small)
    assert gamma_exponential(large) <= gamma_exponential(small)


def test_sign_of_the_path_does_not_matter():
    assert inverse_square_root(-0.3) == inverse_square_root(0.3)


def test_ten_times_rule_and_plan():
    assert ten_times_rule(2) == 20
    plan = plan_sample_size(0.147, max_arrows=2)
    d = plan.to_dict()
    assert [m["minimum_n"] for m in d["methods"]] == [287, 273, 20]
    assert d["recommended"] == 287 and "10-times" in d["ten_times_note"]
    assert plan_sample_size(0.3).to_dict()["methods"][2]["minimum_n"] is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"min_path": 0.0}, "min_path"),
        ({"min_path": 1.2}, "min_path"),
        ({"min_path": float("nan")}, "min_path"),
        ({"min_path": 0.2, "alpha": 0.7}, "alpha"),
        ({"min_path": 0.2, "power": 1.0}, "power"),
        ({"min_path": 0.2, "max_arrows": 0}, "max_arrows"),
    ],
)
def test_invalid_input_names_the_field(kwargs, field):
    with pytest.raises(SpecError) as err:
        plan_sample_size(**kwargs)
    assert err.value.field == field
