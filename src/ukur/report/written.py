"""Written results: paragraphs in English or Bahasa Indonesia generated from the result's numbers.

Each paragraph states the numbers, the rule they are read against and the rule's source, in the order a
methods section reports them (Hair et al. 2022, ch. 4–7): convergent validity, internal consistency,
discriminant validity, R², f², hypotheses, mediation. Every number comes from the result's tables and
every verdict from comparing it with a threshold in :mod:`ukur.report.rules`; nothing is hard-coded.
Mediation types follow Zhao, Lynch & Chen (2010).
"""

from __future__ import annotations

import numpy as np

from ukur.pls.bootstrap_result import BootstrapResult
from ukur.pls.hypotheses import HypothesisResult
from ukur.pls.model import Mode
from ukur.pls.result import PLSResult
from ukur.report import rules
from ukur.report.i18n import Lang

ARROW = " → "
"""How effects are written in the report (``A → M → B``): lines break only at spaces, unlike ``->``."""

__all__ = ["paragraphs"]


def paragraphs(
    result: PLSResult,
    lg: Lang,
    *,
    boot: BootstrapResult | None = None,
    hypotheses: HypothesisResult | None = None,
) -> list[str]:
    """The written results, one string per paragraph, in ``lg``'s language."""
    out = [_validity(result, lg), _reliability(result, lg), _discriminant(result, lg, boot), _r2(result, lg)]
    out.append(_f2(result, lg))
    if hypotheses is not None:
        out.append(_hypotheses(hypotheses, lg))
    elif boot is not None:
        out.append(_paths(boot, lg))
    if boot is not None and not boot.indirect.empty:
        out.append(_mediation(boot, lg))
    return [p for p in out if p]


def _en(lg: Lang) -> bool:
    return lg.code == "en"


def _validity(result: PLSResult, lg: Lang) -> str:
    modes = {c.name: c.mode for c in result.model.constructs}
    outer = result.outer[[modes[c] is Mode.A for c in result.outer["construct"]]]
    rel = result.reliability
    if outer.empty:
        return ""
    low = outer[outer["loading"] < rules.LOADING_MIN]
    lo, hi = lg.num(outer["loading"].min()), lg.num(outer["loading"].max())
    k, m, thr = len(outer), len(outer) - len(low), lg.num(rules.LOADING_MIN)
    below = lg.join([f"{i} ({lg.num(v)})" for i, v in low["loading"].items()])
    weak_ave = rel[rel["ave"] < rules.AVE_MIN]
    ave_lo, ave_hi = lg.num(rel["ave"].min()), lg.num(rel["ave"].max())
    ave_list = lg.join([f"{c} ({lg.num(v)})" for c, v in weak_ave["ave"].items()])
    ave_thr = lg.num(rules.AVE_MIN, 2)
    if _en(lg):
        text = (
            f"Convergent validity. Of the {k} reflective (Mode A) indicators, {m} have an outer loading of at "
            f"least {thr} (loadings range from {lo} to {hi}), the level at which a construct explains at least "
            f"half of an indicator's variance (Hair et al., 2022)."
        )
        if len(low):
            text += f" The loadings of {below} are below this threshold."
        if weak_ave.empty:
            text += (
                f" The average variance extracted (AVE) of every construct is at least {ave_thr} "
                f"(from {ave_lo} to {ave_hi}), so convergent validity is established (Fornell & Larcker, 1981)."
            )
        else:
            text += f" The AVE of {ave_list} is below {ave_thr}, so convergent validity is not established there (Fornell & Larcker, 1981)."
        return text
    text = (
        f"Validitas konvergen. Dari {k} indikator reflektif (Mode A), {m} memiliki outer loading minimal {thr} "
        f"(loading berkisar antara {lo} dan {hi}), yaitu batas ketika konstruk menjelaskan sedikitnya separuh "
        f"varians indikator (Hair et al., 2022)."
    )
    if len(low):
        text += f" Loading {below} berada di bawah batas tersebut."
    if weak_ave.empty:
        text += (
            f" Nilai average variance extracted (AVE) setiap konstruk minimal {ave_thr} (antara {ave_lo} dan "
            f"{ave_hi}), sehingga validitas konvergen terpenuhi (Fornell & Larcker, 1981)."
        )
    else:
        text += f" AVE {ave_list} di bawah {ave_thr}, sehingga validitas konvergen konstruk tersebut belum terpenuhi (Fornell & Larcker, 1981)."
    return text


def _reliability(result: PLSResult, lg: Lang) -> str:
    multi = [c.name for c in result.model.constructs if len(c.indicators) > 1]
    rel = result.reliability.loc[multi]
    if rel.empty:
        return ""
    lo, hi = lg.num(rel["rho_c"].min()), lg.num(rel["rho_c"].max())
    alo, ahi = lg.num(rel["alpha"].min()), lg.num(rel["alpha"].max())
    bad = rel[(rel["rho_c"] < rules.RHO_C_MIN) | (rel["rho_c"] > rules.RHO_C_MAX)]
    bad_list = lg.join([f"{c} ({lg.num(v)})" for c, v in bad["rho_c"].items()])
    a, b = lg.num(rules.RHO_C_MIN, 2), lg.num(rules.RHO_C_MAX, 2)
    if _en(lg):
        text = (
            f"Internal consistency reliability. Composite reliability (rho_C) ranges from {lo} to {hi} and "
            f"Cronbach's alpha from {alo} to {ahi}; values between {a} and {b} indicate satisfactory reliability "
            f"without redundant items (Hair et al., 2022)."
        )
        if len(bad):
            text += f" The composite reliability of {bad_list} lies outside this range."
        return text
    text = (
        f"Reliabilitas konsistensi internal. Reliabilitas komposit (rho_C) berkisar antara {lo} dan {hi}, dan "
        f"Cronbach's alpha antara {alo} dan {ahi}; nilai antara {a} dan {b} menunjukkan reliabilitas yang memadai "
        f"tanpa item yang redundan (Hair et al., 2022)."
    )
    if len(bad):
        text += f" Reliabilitas komposit {bad_list} berada di luar rentang tersebut."
    return text


def _discriminant(result: PLSResult, lg: Lang, boot: BootstrapResult | None) -> str:
    fl = result.fornell_larcker.to_numpy()
    names = list(result.fornell_larcker.columns)
    failing = [
        names[j]
        for j in range(len(names))
        if np.nanmax(np.abs(np.concatenate([fl[j + 1 :, j], fl[j, :j]])), initial=0.0) > fl[j, j]
    ]
    # pandas 3's stack() keeps missing cells: drop them, so an undefined HTMT never becomes "the largest".
    ht = result.htmt.where(np.triu(np.ones(result.htmt.shape, dtype=bool), 1)).stack().dropna()
    thr = lg.num(rules.HTMT_MAX, 2)
    if _en(lg):
        text = "Discriminant validity. "
        text += (
            "For every construct the square root of the AVE exceeds its correlations with the other constructs "
            "(Fornell & Larcker, 1981)."
            if not failing
            else f"The square root of the AVE of {lg.join(failing)} does not exceed all its correlations with "
            "other constructs (Fornell & Larcker, 1981)."
        )
    else:
        text = "Validitas diskriminan. "
        text += (
            "Akar kuadrat AVE setiap konstruk lebih besar daripada korelasinya dengan konstruk lain "
            "(Fornell & Larcker, 1981)."
            if not failing
            else f"Akar kuadrat AVE {lg.join(failing)} tidak melebihi semua korelasinya dengan konstruk lain "
            "(Fornell & Larcker, 1981)."
        )
    if ht.empty:
        return text
    a, b = (str(x) for x in ht.idxmax())  # type: ignore[union-attr]
    top = float(ht.to_numpy(dtype=float).max())
    ok = top < rules.HTMT_MAX
    ci = ""
    if boot is not None and not boot.htmt.empty and (a, b) in boot.htmt.index:
        upper = float(boot.htmt["ci_high"].to_dict()[(a, b)])
        ci = (
            f" (upper bound of its confidence interval {lg.num(upper)})"
            if _en(lg)
            else f" (batas atas interval kepercayaannya {lg.num(upper)})"
        )
    if _en(lg):
        verdict = "below" if ok else "above"
        return (
            text
            + f" The largest HTMT is {lg.num(top)} ({a}–{b}){ci}, {verdict} the threshold of {thr} (Henseler et al., 2015)."
        )
    verdict = "di bawah" if ok else "di atas"
    return (
        text
        + f" HTMT terbesar adalah {lg.num(top)} ({a}–{b}){ci}, {verdict} batas {thr} (Henseler et al., 2015)."
    )


def _level(value: float, levels: tuple[float, float, float], lg: Lang, kind: str) -> str:
    words = {
        ("en", "r2"): ("very weak", "weak", "moderate", "substantial"),
        ("id", "r2"): ("sangat lemah", "lemah", "moderat", "substansial"),
        ("en", "f2"): ("no", "a small", "a medium", "a large"),
        ("id", "f2"): ("tidak ada", "kecil", "sedang", "besar"),
    }[(lg.code, kind)]
    return words[int(np.searchsorted(levels, value, side="right"))]


def _r2(result: PLSResult, lg: Lang) -> str:
    parts = []
    for c, r in result.r2.iterrows():
        level = _level(float(r["r2"]), rules.R2_LEVELS, lg, "r2")
        share = lg.pct(100 * float(r["r2"]))
        if _en(lg):
            parts.append(
                f"{share} of the variance of {c} (R² = {lg.num(r['r2'])}, adjusted {lg.num(r['r2_adj'])}; {level})"
            )
        else:
            parts.append(
                f"{share} varians {c} (R² = {lg.num(r['r2'])}, adjusted {lg.num(r['r2_adj'])}; {level})"
            )
    if _en(lg):
        return (
            f"Explanatory power. The model explains {lg.join(parts)}. R² values of {_levels(rules.R2_LEVELS, lg)} are read "
            "as weak, moderate and substantial (Hair et al., 2011, 2022)."
        )
    return (
        f"Koefisien determinasi. Model menjelaskan {lg.join(parts)}. Nilai R² {_levels(rules.R2_LEVELS, lg)} dibaca sebagai "
        "lemah, moderat dan substansial (Hair et al., 2011, 2022)."
    )


def _f2(result: PLSResult, lg: Lang) -> str:
    parts = []
    for _, r in result.f2.iterrows():
        level = _level(float(r["f2"]), rules.F2_LEVELS, lg, "f2")
        if _en(lg):
            parts.append(f"{r['from']} on {r['to']} has {level} effect (f² = {lg.num(r['f2'])})")
        else:
            parts.append(f"{r['from']} terhadap {r['to']} berefek {level} (f² = {lg.num(r['f2'])})")
    if _en(lg):
        return (
            f"Effect sizes. {lg.join(parts)}; {_levels(rules.F2_LEVELS, lg)} mark small, medium and large "
            "effects (Cohen, 1988)."
        )
    return (
        f"Ukuran efek. {lg.join(parts)}; {_levels(rules.F2_LEVELS, lg)} menandai efek kecil, sedang dan besar "
        "(Cohen, 1988)."
    )


def _levels(levels: tuple[float, ...], lg: Lang) -> str:
    return lg.join([lg.num(v, 2) for v in levels])


def _stat(lg: Lang, o: float, t: float, p: float) -> str:
    ptext = lg.p(p)
    ptext = f"p {ptext}" if ptext.startswith("<") else f"p = {ptext}"
    return f"β = {lg.num(o)}, t = {lg.num(t, 2)}, {ptext}"


def _hypotheses(h: HypothesisResult, lg: Lang) -> str:
    alpha = lg.num(h.alpha, 2)
    parts = []
    for _, r in h.table.iterrows():
        stat = _stat(lg, float(r["original"]), float(r["t"]), float(r["p"]))
        if _en(lg):
            verdict = "supported" if r["supported"] else "not supported"
        else:
            verdict = "diterima" if r["supported"] else "ditolak"
        parts.append(f"{r['label']} ({ARROW.join(r['chain'])}: {stat}) {verdict}")
    if _en(lg):
        return f"Hypotheses. With a significance level of {alpha} ({h.tails}-tailed bootstrap test; Hair et al., 2022): {'; '.join(parts)}."
    return f"Hipotesis. Pada taraf signifikansi {alpha} (uji bootstrap {h.tails} sisi; Hair et al., 2022): {'; '.join(parts)}."


def _paths(boot: BootstrapResult, lg: Lang) -> str:
    alpha = float(boot.options.alpha)
    parts = []
    for key, r in boot.paths.iterrows():
        a, b = (str(x) for x in key)  # type: ignore[attr-defined]
        stat = _stat(lg, float(r["original"]), float(r["t"]), float(r["p"]))
        sig = r["p"] < alpha
        word = (
            ("significant" if sig else "not significant")
            if _en(lg)
            else ("signifikan" if sig else "tidak signifikan")
        )
        parts.append(f"{a}{ARROW}{b} ({stat}) {word}")
    if _en(lg):
        return f"Path coefficients. At a significance level of {lg.num(alpha, 2)} (Hair et al., 2022): {'; '.join(parts)}."
    return f"Koefisien jalur. Pada taraf signifikansi {lg.num(alpha, 2)} (Hair et al., 2022): {'; '.join(parts)}."


MEDIATION_LIST_ALL = 4
"""Up to this many specific indirect effects are all described; beyond it only the significant ones."""


def _mediation(boot: BootstrapResult, lg: Lang) -> str:
    alpha = float(boot.options.alpha)
    parts = []
    quiet = 0
    list_all = len(boot.indirect) <= MEDIATION_LIST_ALL
    for _, r in boot.indirect.iterrows():
        chain = r["chain"]
        direct = boot.paths.loc[(chain[0], chain[-1])] if (chain[0], chain[-1]) in boot.paths.index else None
        ind_sig = r["p"] < alpha
        dir_sig = direct is not None and direct["p"] < alpha
        if not ind_sig:
            kind = "no mediation" if _en(lg) else "tidak ada mediasi"
        elif not dir_sig:
            kind = "full (indirect-only) mediation" if _en(lg) else "mediasi penuh (indirect-only)"
        elif np.sign(direct["original"]) == np.sign(r["original"]):  # type: ignore[index]
            kind = "complementary partial mediation" if _en(lg) else "mediasi parsial komplementer"
        else:
            kind = "competitive partial mediation" if _en(lg) else "mediasi parsial kompetitif"
        if not ind_sig and not list_all:
            quiet += 1
            continue
        stat = _stat(lg, float(r["original"]), float(r["t"]), float(r["p"]))
        ci = f"CI [{lg.num(r['ci_low'])}; {lg.num(r['ci_high'])}]"
        parts.append(f"{ARROW.join(chain)} ({stat}, {ci}): {kind}")
    total = len(boot.indirect)
    if _en(lg):
        listed = f"{'; '.join(parts)}." if parts else "none is significant."
        rest = (
            f" The other {quiet} of the {total} specific indirect effects are not significant."
            if quiet and parts
            else ""
        )
        head = (
            "Specific indirect effects" if list_all else f"Significant specific indirect effects (of {total})"
        )
        return (
            f"Mediation. {head}, read with Zhao, Lynch & Chen (2010): {listed}{rest} An indirect effect is "
            "significant when its bootstrap p value is below the significance level; the direct path then "
            "decides between full and partial mediation."
        )
    listed = f"{'; '.join(parts)}." if parts else "tidak ada yang signifikan."
    rest = (
        f" {quiet} dari {total} pengaruh tidak langsung spesifik lainnya tidak signifikan."
        if quiet and parts
        else ""
    )
    head = (
        "Pengaruh tidak langsung spesifik"
        if list_all
        else f"Pengaruh tidak langsung spesifik yang signifikan (dari {total})"
    )
    return (
        f"Mediasi. {head}, dibaca menurut Zhao, Lynch & Chen (2010): {listed}{rest} Pengaruh tidak langsung "
        "signifikan bila nilai p bootstrap di bawah taraf signifikansi; jalur langsung kemudian menentukan "
        "mediasi penuh atau parsial."
    )
