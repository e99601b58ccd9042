"""Target suggestion: the goal quantile, its bootstrap interval, human rounding and the compliance table."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from ukur.errors import AgreementError, DataError
from ukur.sla.suggest import TargetSuggestion, format_seconds, suggest_target


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.integers(0, 10**6), min_size=1, max_size=300),
    goal=st.sampled_from([0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 1.0, 0.01]),
)
def test_quantile_is_the_smallest_target_meeting_the_goal(values: list[int], goal: float) -> None:
    x = np.array(values, dtype=float)
    got = suggest_target(x, goal=goal, samples=10).quantile_seconds
    # brute force: try every observed value as the target, keep the smallest that meets the goal
    meeting = [t for t in np.unique(x) if np.mean(x <= t) >= goal - 1e-12]
    assert got == min(meeting)


def exact_bootstrap_cdf(x: np.ndarray, goal: float) -> np.ndarray:
    """P(bootstrap quantile ≤ x_(j)) = P(Binomial(n, j/n) ≥ k), j = 1..n (x sorted, distinct)."""
    n = len(x)
    k = int(np.ceil(goal * n - 1e-9))
    return stats.binom.sf(k - 1, n, np.arange(1, n + 1) / n)


def test_replicates_follow_the_exact_bootstrap_distribution() -> None:
    rng = np.random.default_rng(3)
    x = np.sort(rng.gamma(2.0, 3600.0, 400))
    s = suggest_target(x, goal=0.9, samples=20_000, seed=11)
    exact = exact_bootstrap_cdf(x, 0.9)
    # the interval ends are the exact bootstrap distribution's 2.5% and 97.5% points, to Monte Carlo error:
    # DKW bound, sup|ECDF - CDF| > 0.015 has probability ≤ 2·exp(-2·20000·0.015²) ≈ 2.5e-4
    lo_j = np.searchsorted(x, s.interval_low)
    hi_j = np.searchsorted(x, s.interval_high)
    assert abs(exact[lo_j] - 0.025) < 0.015 + (exact[lo_j] - (exact[lo_j - 1] if lo_j else 0))
    assert abs(exact[hi_j] - 0.975) < 0.015 + (exact[hi_j] - exact[hi_j - 1])
    assert s.interval_low <= s.quantile_seconds <= s.interval_high


def test_exact_distribution_matches_a_plain_resampling_loop() -> None:
    """Independent check of the Beta/Binomial shortcut: 5,000 ordinary resamples of 60 records."""
    rng = np.random.default_rng(5)
    x = np.sort(rng.exponential(1800.0, 60))
    k = int(np.ceil(0.95 * 60))
    loop = np.array([np.sort(rng.choice(x, 60, replace=True))[k - 1] for _ in range(5000)])
    empirical = np.searchsorted(np.sort(loop), x, side="right") / 5000
    # DKW: sup deviation > 0.03 has probability ≤ 2·exp(-2·5000·0.03²) ≈ 2.5e-4
    assert np.max(np.abs(empirical - exact_bootstrap_cdf(x, 0.95))) < 0.03
    fast = suggest_target(x, goal=0.95, samples=5000, seed=1)
    replicates_cdf = exact_bootstrap_cdf(x, 0.95)
    assert replicates_cdf[np.searchsorted(x, fast.interval_high)] >= 0.95


def test_rounding_compliance_and_table() -> None:
    hours = np.array([0.5] * 50 + [1.5] * 30 + [3.2] * 15 + [5.0] * 4 + [30.0]) * 3600
    s = suggest_target(hours, goal="95%", candidates=["1h", "2h", "4h", 6 * 3600.0], seed=0)
    assert s.quantile_seconds == 3.2 * 3600  # the 95th of 100 sorted values
    assert (s.suggested_text, s.suggested_seconds, s.suggested_compliance) == ("4h", 14400.0, 0.95)
    assert s.candidates["target"].tolist() == ["1h", "2h", "4h", "6h"]
    assert s.candidates["compliance"].tolist() == [0.5, 0.8, 0.95, 0.99]
    assert s.candidates["meets_goal"].tolist() == [False, False, True, True]
    assert s.candidates["met"].tolist() == [50, 80, 95, 99] and set(s.candidates["total"]) == {100}
    assert s.safe_seconds is not None and s.safe_seconds >= s.interval_high
    assert s.goal == 0.95 and s.records == 100 and s.dropped == 0


def test_default_candidates_surround_the_quantile() -> None:
    x = np.full(200, 3 * 3600.0)
    s = suggest_target(x, goal=0.95)
    seconds = s.candidates["target_seconds"]
    assert seconds.min() <= 3 * 3600 / 4 * 1.0001 and seconds.max() >= 3 * 3600
    assert s.suggested_text == "3h" and s.suggested_compliance == 1.0
    assert s.interval_low == s.interval_high == 3 * 3600


def test_business_targets_never_use_days() -> None:
    x = np.array([20, 25, 30, 35] * 10, dtype=float) * 3600
    assert suggest_target(x, goal=0.9, business=True).suggested_text == "40h"
    assert suggest_target(x, goal=0.9, business=False).suggested_text == "2d"
    assert (
        format_seconds(5400) == "1h30m"
        and format_seconds(90000) == "1d1h"
        and format_seconds(90000, business=True) == "25h"
    )


def test_missing_values_are_dropped_and_counted() -> None:
    x = np.array([np.nan, -1.0, 60.0, 120.0, 180.0])
    s = suggest_target(x, goal=1.0)
    assert (s.records, s.dropped, s.quantile_seconds) == (3, 2, 180.0)


def test_reproducible_and_serializable() -> None:
    x = np.random.default_rng(1).lognormal(8, 1, 5000)
    a = suggest_target(x, goal=0.95, seed=42)
    b = suggest_target(x, goal=0.95, seed=42)
    assert a.to_dict() == b.to_dict()
    data = json.loads(json.dumps(a.to_dict()))
    assert data["suggested"]["target"] == a.suggested_text and data["seed"] == 42
    assert len(data["candidates"]) == len(a.candidates)
    assert isinstance(a, TargetSuggestion)
    with pytest.raises(AttributeError):
        a.goal = 0.5  # type: ignore[misc]


def test_large_input_is_fast_and_exact() -> None:
    x = np.random.default_rng(2).exponential(3600.0, 1_000_000)
    s = suggest_target(x, goal=0.95, samples=2000)
    assert s.quantile_seconds == np.quantile(x, 0.95, method="inverted_cdf")


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"goal": "95"}, AgreementError),
    ({"goal": 0.0}, DataError),
    ({"goal": 0.9, "samples": 0}, DataError),
    ({"goal": 0.9, "candidates": ["3 business days"]}, DataError),
    ({"goal": 0.9, "candidates": [-5.0]}, DataError),
])  # fmt: skip
def test_bad_arguments(kwargs: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        suggest_target(np.array([1.0, 2.0]), **kwargs)  # type: ignore[arg-type]


def test_no_records() -> None:
    with pytest.raises(DataError, match="no completed records"):
        suggest_target(np.array([np.nan]), goal=0.9)


# ----------------------------------------------------------------------------- the CLI


def _tickets(path: object, rows: list[tuple[str, str]]) -> None:
    lines = ["id,created_at,first_response_at"] + [f"{i},{a},{b}" for i, (a, b) in enumerate(rows, 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")  # type: ignore[attr-defined]


def test_cli_suggest_json_on_the_office_calendar(
    tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from ukur.cli.main import run

    # Friday 16:00 local + answers 1..20 open hours later on the office calendar (Mon-Fri 08-12,13-17, Sat 08-12)
    rows = [("2026-02-06 16:00", t) for t in ("2026-02-06 16:30", "2026-02-07 09:00", "2026-02-09 08:30")]
    rows += [
        ("2026-02-06T16:00:00+07:00", "2026-02-09T16:00:00+07:00"),
        ("2026-02-06 16:00", ""),
        ("2026-02-09 10:00", "2026-02-09 09:00"),
    ]
    file = tmp_path / "tickets.csv"  # type: ignore[operator]
    _tickets(file, rows)
    code = run(["sla", "suggest", str(file), "--start", "created_at", "--stop", "first_response_at",
                "--calendar", "office-id", "--goal", "75%", "--format", "json"])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    data = json.loads(out)
    # open hours: 0.5; Fri 1 + Sat 08-09 = 2; Fri 1 + Sat 4 + Mon 0.5 = 5.5; Fri 1 + Sat 4 + Mon 7 = 12
    assert data["records"] == 4 and data["dropped"] == 2 and data["business"] is True
    assert data["quantile_seconds"] == 5.5 * 3600  # k = ceil(0.75·4) = 3rd of [0.5, 2, 5.5, 12] h
    assert data["suggested"]["target"] == "6h"


def test_cli_suggest_text_and_yaml_calendar(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    from ukur.cli.main import run

    agreement = tmp_path / "a.yaml"  # type: ignore[operator]
    agreement.write_text(
        'timezone: Europe/Amsterdam\ncalendars:\n  shop:\n    hours: {mon-fri: "09:00-17:00"}\n'
        '  late:\n    hours: {mon-fri: "12:00-20:00"}\n',
        encoding="utf-8",
    )
    file = tmp_path / "t.csv"  # type: ignore[operator]
    _tickets(file, [("2026-03-02 09:00", "2026-03-02 10:00"), ("2026-03-02 16:00", "2026-03-03 10:00")])
    args = [
        "sla",
        "suggest",
        str(file),
        "--start",
        "created_at",
        "--stop",
        "first_response_at",
        "--goal",
        "100%",
    ]
    assert run([*args, "--calendar", f"{agreement}:shop"]) == 0
    out = capsys.readouterr().out
    assert "calendar shop (Europe/Amsterdam), open time" in out and "suggested target: 2h" in out
    assert "Compliance under candidate targets" in out
    assert run([*args, "--calendar", str(agreement)]) == 2
    assert "several calendars" in capsys.readouterr().err
    assert run([*args, "--calendar", "24x7", "--timezone", "Asia/Jakarta"]) == 0
    assert "suggested target: 1d" in capsys.readouterr().out  # 1 h and 18 h of wall time → 1d


def test_cli_suggest_errors(tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    from ukur.cli.main import run

    file = tmp_path / "t.csv"  # type: ignore[operator]
    _tickets(file, [("2026-03-02 09:00", "2026-03-02 10:00"), ("2026-03-02 9 pagi", "2026-03-03 10:00")])
    base = ["sla", "suggest", str(file), "--stop", "first_response_at"]
    assert run([*base, "--start", "opened"]) == 2
    assert "no column 'opened'" in capsys.readouterr().err
    assert run([*base, "--start", "created_at"]) == 2
    err = capsys.readouterr().err
    assert "t.csv:3:" in err and "9 pagi" in err and err.count("\n") == 1
    assert run([*base, "--start", "created_at", "--calendar", "office-xx"]) == 2
    assert "unknown calendar 'office-xx'" in capsys.readouterr().err
