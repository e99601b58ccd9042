"""Rules of thumb the PLS report reads results against, each with the source it comes from.

The thresholds are the ones of Hair, Hult, Ringle & Sarstedt (2022), *A Primer on Partial Least
Squares Structural Equation Modeling (PLS-SEM)*, 3rd ed., ch. 4–6, unless stated otherwise. Each
:data:`RULES` text (English or Indonesian) is shown next to a warning so the reader sees which rule was applied.
"""

from __future__ import annotations

__all__ = [
    "AVE_MIN",
    "F2_LEVELS",
    "HTMT_MAX",
    "LOADING_MIN",
    "R2_LEVELS",
    "REFERENCES",
    "RHO_C_MAX",
    "RHO_C_MIN",
    "RULES",
    "VIF_MAX",
    "rule",
]

LOADING_MIN = 0.708
"""Indicator reliability: a loading of √0.5 ≈ 0.708 means the construct explains half the item's variance."""
AVE_MIN = 0.50
"""Convergent validity: AVE ≥ 0.50 (Fornell & Larcker 1981)."""
RHO_C_MIN, RHO_C_MAX = 0.70, 0.95
"""Internal consistency: composite reliability between 0.70 and 0.95 (above 0.95 suggests redundant items)."""
HTMT_MAX = 0.90
"""Discriminant validity: HTMT below 0.90 (0.85 for conceptually distinct constructs; Henseler et al. 2015)."""
VIF_MAX = 5.0
"""Collinearity: VIF above 5 is critical (values from 3 may already matter)."""
R2_LEVELS = (0.25, 0.50, 0.75)
"""R² of 0.25, 0.50, 0.75: weak, moderate, substantial (Hair et al. 2011; 2022, ch. 6)."""
F2_LEVELS = (0.02, 0.15, 0.35)
"""f² of 0.02, 0.15, 0.35: small, medium, large effect (Cohen 1988)."""

RULES: dict[str, dict[str, str]] = {
    "loading": {
        "en": "loading ≥ 0.708 (Hair et al. 2022, ch. 4)",
        "id": "loading ≥ 0,708 (Hair et al. 2022, bab 4)",
    },
    "ave": {
        "en": "AVE ≥ 0.50 (Fornell & Larcker 1981; Hair et al. 2022, ch. 4)",
        "id": "AVE ≥ 0,50 (Fornell & Larcker 1981; Hair et al. 2022, bab 4)",
    },
    "rho_c": {
        "en": "0.70 ≤ rho_C ≤ 0.95 (Hair et al. 2022, ch. 4)",
        "id": "0,70 ≤ rho_C ≤ 0,95 (Hair et al. 2022, bab 4)",
    },
    "fornell_larcker": {
        "en": "√AVE above every correlation with another construct (Fornell & Larcker 1981)",
        "id": "√AVE lebih besar daripada setiap korelasi dengan konstruk lain (Fornell & Larcker 1981)",
    },
    "htmt": {
        "en": "HTMT < 0.90 and its bootstrap confidence interval below 1 (Henseler et al. 2015)",
        "id": "HTMT < 0,90 dan interval kepercayaan bootstrap-nya di bawah 1 (Henseler et al. 2015)",
    },
    "cross": {
        "en": "each item loads highest on its own construct (Chin 1998; Hair et al. 2022, ch. 4)",
        "id": "setiap item memiliki loading tertinggi pada konstruknya sendiri (Chin 1998; Hair et al. 2022, bab 4)",
    },
    "vif": {
        "en": "VIF ≤ 5 (Hair et al. 2022, ch. 5–6)",
        "id": "VIF ≤ 5 (Hair et al. 2022, bab 5–6)",
    },
    "sample": {
        "en": "n at least the inverse square root minimum for the smallest path (Kock & Hadaya 2018)",
        "id": "n minimal sebesar batas metode inverse square root untuk jalur terkecil (Kock & Hadaya 2018)",
    },
    "convergence": {
        "en": "the PLS algorithm must converge before its results are read (Hair et al. 2022, ch. 3)",
        "id": "algoritma PLS harus konvergen sebelum hasilnya dibaca (Hair et al. 2022, bab 3)",
    },
}
"""Each rule a warning can cite, in English and Bahasa Indonesia."""


def rule(key: str, lang: str) -> str:
    """The text of rule ``key`` (a key of :data:`RULES`) in language ``lang``."""
    return RULES[key][lang]


REFERENCES = (
    "Chin, W. W. (1998). The partial least squares approach to structural equation modeling. In G. A. "
    "Marcoulides (Ed.), Modern Methods for Business Research (pp. 295–336). Erlbaum.",
    "Cohen, J. (1988). Statistical Power Analysis for the Behavioral Sciences (2nd ed.). Erlbaum.",
    "Fornell, C., & Larcker, D. F. (1981). Evaluating structural equation models with unobservable variables "
    "and measurement error. Journal of Marketing Research, 18(1), 39–50.",
    "Hair, J. F., Hult, G. T. M., Ringle, C. M., & Sarstedt, M. (2022). A Primer on Partial Least Squares "
    "Structural Equation Modeling (PLS-SEM) (3rd ed.). Sage.",
    "Hair, J. F., Ringle, C. M., & Sarstedt, M. (2011). PLS-SEM: Indeed a silver bullet. Journal of "
    "Marketing Theory and Practice, 19(2), 139–152.",
    "Henseler, J., Ringle, C. M., & Sarstedt, M. (2015). A new criterion for assessing discriminant validity "
    "in variance-based structural equation modeling. Journal of the Academy of Marketing Science, 43(1), "
    "115–135.",
    "Kock, N., & Hadaya, P. (2018). Minimum sample size estimation in PLS-SEM: The inverse square root and "
    "gamma-exponential methods. Information Systems Journal, 28(1), 227–261.",
    "Zhao, X., Lynch, J. G., & Chen, Q. (2010). Reconsidering Baron and Kenny: Myths and truths about "
    "mediation analysis. Journal of Consumer Research, 37(2), 197–206.",
)
