"""Simulate the Google Forms export of the demo study from data.csv (the export is SIMULATED too).

``data.csv`` holds the coded answers of 30 simulated respondents (see README.md). This script writes
``google-forms-export.csv`` the way Google Forms would have delivered those answers, so that
``ukur survey import`` has something realistic to turn back into ``data.csv``:

* the header row holds the question texts of ``questionnaire.yaml`` in Indonesian, after a
  ``Stempel waktu`` (timestamp) column; the items of "Promosi di Media Sosial" form a multiple-choice
  grid, so their headers read ``Bagian 1. Promosi di media sosial [<item text>]``;
* answers are the Indonesian labels as Google Forms writes them (``Sangat Setuju`` … ``Sangat Tidak
  Setuju``), timestamps look like ``2022/11/01 9:15:32 AM GMT+7`` and increase down the file;
* the two reverse-worded items (Attention, Minat_Referensial) show the answer as ticked, i.e.
  ``6 − coded value``;
* the respondent profile (gender, education, age band) is drawn with the counts of the paper's Tables
  1–3 (20/10; 4/12/6/8; 18/10/2), shuffled with a fixed seed until no two genuine respondents share
  profile and answers (two of them answered every item with 5);
* two problems are planted for screening to find:
  - row ``STRAIGHTLINER_ROW``: an extra respondent who ticked ``Setuju`` for every item, the
    reverse-worded ones included (a straight-liner);
  - row ``DUPLICATE_ROW``: respondent ``DUPLICATE_OF`` submitted the same answers again a few
    minutes after the preceding submission (a duplicate).

Run ``python examples/umkm-pamulang/make_forms_export.py`` to rewrite the file beside this script;
with the fixed seed it is reproduced byte for byte (``tests/survey/test_demo.py`` checks this).
"""

from __future__ import annotations

import argparse
import csv
import io
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

HERE = Path(__file__).resolve().parent
SEED = 20221201
LABELS = ("Sangat Tidak Setuju", "Tidak Setuju", "Netral", "Setuju", "Sangat Setuju")
GRID_TITLE = "Bagian 1. Promosi di media sosial"
GRID_CONSTRUCT = "Promosi di Media Sosial"
PROFILE_COUNTS = {
    "gender": {"Pria": 20, "Wanita": 10},
    "education": {"SLTP/Sederajat": 4, "SLTA/Sederajat": 12, "Diploma": 6, "S1": 8},
    "age": {"20 – 30 tahun": 18, "31 – 40 tahun": 10, "Lebih dari 40 tahun": 2},
}
STRAIGHTLINER_ROW = 13
DUPLICATE_ROW = 22
DUPLICATE_OF = 7
STRAIGHTLINER_PROFILE = ("Pria", "SLTA/Sederajat", "20 – 30 tahun")


def build_export(data: pd.DataFrame, questionnaire: dict, *, seed: int = SEED) -> str:
    """The export's CSV text for ``data`` (coded answers) and the questionnaire (parsed YAML)."""
    rng = np.random.default_rng(seed)
    items = [(c["name"], item) for c in questionnaire["constructs"] for item in c["items"]]
    reversed_codes = {item["code"] for _, item in items if item.get("reversed")}
    raw = data.copy()
    for code in reversed_codes:
        raw[code] = 6 - raw[code]
    profile = _profiles(raw, rng)

    header = ["Stempel waktu"] + [q["text"]["id"] for q in questionnaire["profile"]]
    for construct, item in items:
        text = item["text"]["id"]
        header.append(f"{GRID_TITLE} [{text}]" if construct == GRID_CONSTRUCT else text)

    codes = [item["code"] for _, item in items]
    rows = [[*profile[k], *(LABELS[int(v) - 1] for v in raw.loc[k, codes])] for k in range(len(raw))]
    straight = [*STRAIGHTLINER_PROFILE, *([LABELS[3]] * len(codes))]
    rows.insert(STRAIGHTLINER_ROW - 1, straight)
    rows.insert(DUPLICATE_ROW - 1, list(rows[DUPLICATE_OF - 1]))

    stamps = _stamps(len(rows), rng)

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for stamp, row in zip(stamps, rows, strict=True):
        writer.writerow([_google_time(stamp), *row])
    return out.getvalue()


def _profiles(raw: pd.DataFrame, rng: np.random.Generator) -> list[tuple[str, str, str]]:
    """Profiles with the paper's counts, reshuffled until no two genuine rows are identical."""
    pools = {
        key: [label for label, n in counts.items() for _ in range(n)]
        for key, counts in PROFILE_COUNTS.items()
    }
    answers = [tuple(r) for r in raw.itertuples(index=False)]
    while True:
        drawn = {key: list(rng.permutation(pool)) for key, pool in pools.items()}
        profile = list(zip(drawn["gender"], drawn["education"], drawn["age"], strict=True))
        rows = {(p, a) for p, a in zip(profile, answers, strict=True)}
        straight = (STRAIGHTLINER_PROFILE, tuple([4] * raw.shape[1]))
        if len(rows) == len(answers) and straight not in rows:
            return [tuple(str(v) for v in p) for p in profile]  # type: ignore[misc]


def _stamps(n: int, rng: np.random.Generator) -> list[datetime]:
    """Submission times between 08:00 and 21:00, 25 minutes to 4 hours apart; the duplicate within minutes."""
    stamps: list[datetime] = []
    current = datetime(2022, 11, 1, 8, 0, 0)
    for row in range(1, n + 1):
        low, high = (120, 400) if row == DUPLICATE_ROW else (25 * 60, 4 * 3600)
        current += timedelta(seconds=int(rng.integers(low, high)))
        if current.hour >= 21:
            current = current.replace(hour=8, minute=0) + timedelta(
                days=1, seconds=int(rng.integers(0, 3600))
            )
        stamps.append(current)
    return stamps


def _google_time(stamp: datetime) -> str:
    """Google Forms' CSV timestamp: ``2022/11/01 9:15:32 AM GMT+7``."""
    hour = stamp.hour % 12 or 12
    return f"{stamp:%Y/%m/%d} {hour}:{stamp:%M:%S} {'AM' if stamp.hour < 12 else 'PM'} GMT+7"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--output", type=Path, default=HERE / "google-forms-export.csv")
    args = parser.parse_args()
    data = pd.read_csv(HERE / "data.csv")
    questionnaire = yaml.safe_load((HERE / "questionnaire.yaml").read_text(encoding="utf-8"))
    args.output.write_text(build_export(data, questionnaire, seed=args.seed), encoding="utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
