"""Written results of the success analysis (ukur.report.success_written), in English and Indonesian.

The small fixture has hand-computable numbers: CSAT after met records 5 and 4 (mean 4.5), after breached
records 2 and 3 (mean 2.5), so the difference is 2.00; its Welch interval is recomputed here with scipy
(two groups of variance 0.5 each: se = √(0.5/2 + 0.5/2) = 0.707, df = 2, t₀.₉₇₅ = 4.303).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from scipy import stats

from ukur.report.success_written import QUESTION, written
from ukur.sla import load_agreement
from ukur.success import analyze

AGREEMENT = Path(__file__).resolve().parents[2] / "examples" / "sla" / "success" / "kilat-bisnis.yaml"


@pytest.fixture(scope="module")
def result():
    bisnis = load_agreement(AGREEMENT.read_text(encoding="utf-8"), source="kilat-bisnis.yaml")
    shipments = pd.DataFrame(
        [
            ("S1", "Toko A", "2026-03-02 08:00", "2026-03-02 20:00"),
            ("S2", "Toko A", "2026-03-03 08:00", "2026-03-04 14:00"),
            ("S5", "Toko B", "2026-03-02 08:00", "2026-03-02 09:00"),
            ("S6", "Toko B", "2026-03-03 08:00", "2026-03-04 14:00"),
        ],
        columns=["id", "customer", "picked_up_at", "delivered_at"],
    )
    feedback = pd.DataFrame(
        {
            "agreement": ["kilat-bisnis"] * 4,
            "record_id": ["S1", "S2", "S5", "S6"],
            "csat": [5, 2, 4, 3],
            "nps": [10, 3, 9, 6],
        }
    )
    return analyze([bisnis], {"shipments": shipments}, feedback, samples=200, seed=1, as_of="2026-04-01")


def _welch() -> tuple[float, float]:
    se = (0.5 / 2 + 0.5 / 2) ** 0.5
    t = stats.t.ppf(0.975, 2)
    return 2.0 - t * se, 2.0 + t * se


def test_english_sentences_carry_the_hand_computed_split(result):
    text = written(result, "en")
    assert text[0] == QUESTION["en"]
    split = next(p for p in text if p.startswith("Satisfaction by SLA outcome"))
    low, high = _welch()
    assert "met the SLA 4.50" in split and "breached it 2.50" in split
    assert "difference of 2.00 points" in split
    assert f"[{low:.2f}; {high:.2f}]" in split
    # NPS: met answers 10 and 9 are both promoters (100); breached 3 and 6 both detractors (−100)
    assert "Net Promoter Score is 100 after met records and -100 after breached ones" in split
    assert any(p.startswith("At risk: 0 of 2 customers") for p in text)
    assert any("linking analysis not run" in p for p in text)


def test_indonesian_uses_the_decimal_comma(result):
    text = written(result, "id")
    assert text[0] == QUESTION["id"]
    split = next(p for p in text if p.startswith("Kepuasan menurut hasil SLA"))
    low, high = _welch()
    assert "rata-rata 4,50" in split and "selisih 2,00 poin" in split
    assert f"[{low:.2f}; {high:.2f}]".replace(".", ",") in split


def test_cli_prints_the_same_sentences():
    from ukur.cli import sla_success

    assert sla_success.written is written
