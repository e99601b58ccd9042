"""Simulate the demo data set: 30 respondents answering 12 five-point Likert items.

The data are SIMULATED. They imitate the questionnaire of Rojikun (2022), "Dampak promosi pada media
sosial terhadap keterlibatan pelanggan dan minat beli pada UMKM" (30 MSMEs in Pamulang, South Tangerang;
analysed with SmartPLS 3), whose raw answers were never published. The population model uses the
paper's own estimates:

* structural model (Table 7, standardized path coefficients)::

      KP = 0.787·PMS + ζ1                    (R² = 0.787² = 0.619; paper: 0.620)
      MB = 0.211·PMS + 0.767·KP + ζ2         (R² = 0.887; paper: 0.886)

  PMS = "Promosi di Media Sosial", KP = "Keterlibatan Pelanggan", MB = "Minat Beli". The constructs
  are standard normal and the disturbances ζ are normal with the variances that make every construct's
  variance one: Var(ζ1) = 1 − 0.787², Var(ζ2) = 1 − R²(MB) with
  R²(MB) = β1² + β2² + 2·β1·β2·0.787.
* measurement model (common factors, Table 4: each indicator's loading on its own construct)::

      x = λ·construct + √(1 − λ²)·ε,  ε ~ N(0, 1)

* answers: every standardized x is cut into the five categories 1..5 at the normal quantiles
  ``CUTS`` (about 2 %, 7 %, 25 %, 38 % and 27 % of answers), the agreement-heavy shape typical of
  such surveys.

Discretization to five points and the small sample lower the loadings a PLS analysis of ``data.csv``
finds somewhat below λ; paths and R² are close to the published ones but not equal.

Run ``python examples/umkm-pamulang/generate.py`` to rewrite ``data.csv`` beside this file; with the
fixed seed the file is reproduced byte for byte (a test checks this).
"""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

import numpy as np

SEED = 20221130
N_RESPONDENTS = 30
PMS, KP, MB = "Promosi di Media Sosial", "Keterlibatan Pelanggan", "Minat Beli"

# Table 4 (cross loadings): each indicator's loading on its own construct.
LOADINGS: dict[str, dict[str, float]] = {
    PMS: {
        "Enthusiasm": 0.922,
        "Attention": 0.941,
        "Absorption": 0.970,
        "Interaction": 0.866,
        "Identification": 0.908,
    },
    KP: {"Faktor_Pribadi": 0.873, "Faktor_Produk": 0.934, "Faktor_Situasi": 0.915},
    MB: {
        "Minat_Transaksional": 0.966,
        "Minat_Referensial": 0.950,
        "Minat_Preferensial": 0.978,
        "Minat_eksploratif": 0.965,
    },
}
# Table 7 (path coefficients, original sample).
PATHS = {(PMS, KP): 0.787, (PMS, MB): 0.211, (KP, MB): 0.767}
# Standard-normal cut points between the answer categories 1|2, 2|3, 3|4, 4|5.
CUTS = np.array([-2.0, -1.4, -0.4, 0.6])


def simulate(seed: int = SEED, n: int = N_RESPONDENTS) -> tuple[list[str], np.ndarray]:
    """Column names and an ``n × 12`` integer array of answers in 1..5 (see the module docstring)."""
    rng = np.random.default_rng(seed)
    b_kp = PATHS[(PMS, KP)]
    b1, b2 = PATHS[(PMS, MB)], PATHS[(KP, MB)]
    r2_mb = b1**2 + b2**2 + 2 * b1 * b2 * b_kp
    pms = rng.standard_normal(n)
    kp = b_kp * pms + np.sqrt(1 - b_kp**2) * rng.standard_normal(n)
    mb = b1 * pms + b2 * kp + np.sqrt(1 - r2_mb) * rng.standard_normal(n)
    scores = {PMS: pms, KP: kp, MB: mb}
    names = [item for block in LOADINGS.values() for item in block]
    lam = np.array([v for block in LOADINGS.values() for v in block.values()])
    factor = np.column_stack([scores[c] for c, block in LOADINGS.items() for _ in block])
    x = lam * factor + np.sqrt(1 - lam**2) * rng.standard_normal((n, lam.size))
    answers = 1 + np.searchsorted(CUTS, x)
    return names, answers.astype(int)


def render(names: list[str], answers: np.ndarray) -> str:
    """The CSV text: comma-separated, a header line, one line per respondent, ``\\n`` line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    writer.writerows(answers.tolist())
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=Path(__file__).with_name("data.csv"))
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    args.output.write_text(render(*simulate(args.seed)), encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
