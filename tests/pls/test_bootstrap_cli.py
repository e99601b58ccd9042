"""``ukur pls estimate --bootstrap …``: JSON, text, hypotheses and one-line errors."""

import json

import numpy as np
import pytest

from tests.pls.reference import DATA, m4, mobi
from ukur.cli.main import run
from ukur.pls.bootstrap import bootstrap_data
from ukur.pls.bootstrap_result import BootstrapOptions

MODEL = """\
Image =~ IMAG1 + IMAG2 + IMAG3 + IMAG4 + IMAG5
Expectation =~ CUEX1 + CUEX2 + CUEX3
Value =~ PERV1 + PERV2
Satisfaction =~ CUSA1 + CUSA2 + CUSA3
Satisfaction ~ Image + Expectation + Value
Expectation ~ Image
"""


@pytest.fixture
def files(tmp_path):
    model = tmp_path / "model.txt"
    model.write_text(MODEL)
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("# mediation study\nH1: Image -> Satisfaction\nH2: Image -> Expectation -> Satisfaction\n")
    return model, hyp, tmp_path


def test_json_has_bootstrap_and_hypotheses(files, capsys):
    model, hyp, _ = files
    argv = ["pls", "estimate", str(model), str(DATA / "mobi.csv"), "--format", "json"]
    code = run(
        [
            *argv,
            "--bootstrap",
            "300",
            "--seed",
            "7",
            "--one-tailed",
            "--alpha",
            "0.1",
            "--hypotheses",
            str(hyp),
        ]
    )
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    boot = out["bootstrap"]
    assert (boot["samples"], boot["seed"], boot["failed"], boot["ci"], boot["alpha"]) == (
        300,
        7,
        0,
        "percentile",
        0.1,
    )
    engine = bootstrap_data(m4(), mobi(), options=BootstrapOptions(samples=300, seed=7, alpha=0.1, tails=1))
    assert boot == json.loads(json.dumps(engine.to_dict()))
    assert [h["label"] for h in out["hypotheses"]] == ["H1", "H2"]
    assert out["hypotheses"][1]["path"] == ["Image", "Expectation", "Satisfaction"]
    assert out["hypotheses"][1]["original"] == pytest.approx(boot["indirect"][0]["original"], abs=1e-15)
    assert "paths" in out and "meta" in out  # the estimate JSON is still there


def test_text_report_has_bootstrap_tables(files, capsys):
    model, _hyp, _ = files
    code = run(
        [
            "pls",
            "estimate",
            str(model),
            str(DATA / "mobi.csv"),
            "--bootstrap",
            "100",
            "--seed",
            "1",
            "--ci",
            "bca",
        ]
    )
    assert code == 0
    out = capsys.readouterr()
    assert "Bootstrap: Path coefficients" in out.out and "Specific indirect effects" in out.out
    assert "bca 95% intervals" in out.out
    assert "bootstrap" not in out.err  # not a terminal: no progress bar


def test_without_bootstrap_the_json_is_unchanged(files, capsys):
    model, _, _ = files
    assert run(["pls", "estimate", str(model), str(DATA / "mobi.csv"), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert "bootstrap" not in out and "hypotheses" not in out


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--hypotheses", "HYP"], "--hypotheses needs a bootstrap"),
        (["--bootstrap", "50", "--alpha", "0.7"], "--alpha must be between 0 and 0.5"),
        (["--bootstrap", "50", "--hypotheses", "BAD"], "bad.txt:2: hypothesis H2: unknown construct 'Valeu'"),
        (["--bootstrap", "50", "--hypotheses", "MISSING"], "hypotheses file not found"),
    ],
)
def test_user_errors_are_one_line(files, capsys, extra, needle):
    model, hyp, tmp = files
    bad = tmp / "bad.txt"
    bad.write_text("H1: Image -> Satisfaction\nH2: Valeu -> Satisfaction\n")
    swap = {"HYP": str(hyp), "BAD": str(bad), "MISSING": str(tmp / "none.txt")}
    extra = [swap.get(a, a) for a in extra]
    code = run(["pls", "estimate", str(model), str(DATA / "mobi.csv"), *extra])
    err = capsys.readouterr().err
    assert code == 2
    assert needle in err and len(err.strip().splitlines()) == 1


def test_progress_callback_reaches_the_total():
    seen = []
    bootstrap_data(
        m4(), mobi(), options=BootstrapOptions(samples=700, seed=1), progress=lambda d, t: seen.append((d, t))
    )
    assert seen[0] == (0, 700) and seen[-1] == (700, 700)
    assert all(np.diff([d for d, _ in seen]) > 0)


def test_rich_progress_bar_when_asked(capsys):
    from ukur.cli import pls_bootstrap
    from ukur.pls import estimate

    outcome = pls_bootstrap.run(estimate(m4(), mobi()), samples=300, seed=1, show_progress=True)
    assert outcome is not None and outcome.boot.samples == 300
    assert pls_bootstrap.run(estimate(m4(), mobi()), samples=0) is None
