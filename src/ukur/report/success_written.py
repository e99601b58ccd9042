"""The written results of the success analysis, in English or Bahasa Indonesia.

:func:`written` turns a :class:`ukur.success.Success` into paragraphs: the question it answers, the direct
answer from the linking analysis, satisfaction of met against breached records (difference with its Welch
and bootstrap intervals, NPS per group), retention, customers at risk and complaint handling, then the
PLS paragraphs of :func:`ukur.report.written.paragraphs`.  Rendering only: every number is read from the
result's tables; the CLI (``ukur sla success``) and the web app's success page print the same sentences.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from ukur.report.i18n import Lang, get_lang
from ukur.report.written import paragraphs
from ukur.success import Success

__all__ = ["QUESTION", "written"]

QUESTION = {
    "en": "Does meeting our SLA make customers more satisfied and more loyal, and by how much?",
    "id": "Apakah menepati SLA membuat pelanggan lebih puas dan lebih loyal, dan seberapa besar?",
}


def _rows(frame: pd.DataFrame, *keys: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    """The rows of ``frame`` as plain dicts keyed by the values of ``keys``."""
    return {
        tuple(row[k] for k in keys): {str(c): v for c, v in row.items()} for row in frame.to_dict("records")
    }


def _split_text(s: Success, lg: Lang) -> str:
    en = lg.code == "en"
    groups = _rows(s.split.groups, "answer", "group")
    diff = _rows(s.split.difference, "answer", "method")
    nps = _rows(s.split.nps, "group")
    if not groups.get(("csat", "breached"), {}).get("n") or not groups.get(("csat", "met"), {}).get("n"):
        return (
            "No feedback is linked to both met and breached records, so satisfaction cannot be split."
            if en
            else "Tidak ada masukan yang terhubung ke catatan yang memenuhi dan yang melanggar SLA."
        )
    met, bad = groups[("csat", "met")], groups[("csat", "breached")]
    w, b = diff[("csat", "welch")], diff[("csat", "bootstrap")]
    level = lg.num(100 * s.split.confidence, 0)
    ci_w = f"[{lg.num(w['ci_low'], 2)}; {lg.num(w['ci_high'], 2)}]"
    ci_b = f"[{lg.num(b['ci_low'], 2)}; {lg.num(b['ci_high'], 2)}]"
    nps_text = ""
    if nps:
        nps_text = (
            f" The Net Promoter Score is {lg.num(nps[('met',)]['score'], 0)} after met records and "
            f"{lg.num(nps[('breached',)]['score'], 0)} after breached ones."
            if en
            else f" Net Promoter Score {lg.num(nps[('met',)]['score'], 0)} setelah catatan yang memenuhi SLA "
            f"dan {lg.num(nps[('breached',)]['score'], 0)} setelah yang melanggar."
        )
    if en:
        return (
            f"Satisfaction by SLA outcome. Customers rated records that met the SLA {lg.num(met['mean'], 2)} "
            f"on average (CSAT 1–5, n = {int(met['n'])}) and records that breached it {lg.num(bad['mean'], 2)} "
            f"(n = {int(bad['n'])}): a difference of {lg.num(w['estimate'], 2)} points, {level} % CI {ci_w} "
            f"(Welch) and {ci_b} (bootstrap percentile, {s.split.samples} resamples).{nps_text}"
        )
    return (
        f"Kepuasan menurut hasil SLA. Pelanggan menilai catatan yang memenuhi SLA rata-rata "
        f"{lg.num(met['mean'], 2)} (CSAT 1–5, n = {int(met['n'])}) dan yang melanggar {lg.num(bad['mean'], 2)} "
        f"(n = {int(bad['n'])}): selisih {lg.num(w['estimate'], 2)} poin, IK {level} % {ci_w} (Welch) dan "
        f"{ci_b} (bootstrap persentil, {s.split.samples} sampel ulang).{nps_text}"
    )


def _answer(s: Success, lg: Lang) -> str:
    en = lg.code == "en"
    if s.linking is None:
        return " ".join(s.notes)
    eff = _rows(s.linking.effects, "label")

    def say(label: str) -> str:
        if (label,) not in eff:
            return ""
        r = eff[(label,)]
        return f"{lg.num(r['original'], 2)} [{lg.num(r['ci_low'], 2)}; {lg.num(r['ci_high'], 2)}]"

    default = {("H1",), ("H2",), ("H3",), ("H4",)} <= set(eff)
    if not default:
        listed = "; ".join(f"{key[0]}: {r['effect']} {say(str(key[0]))}" for key, r in eff.items())
        return (
            (
                f"Custom model, effects with {lg.num(100 * (1 - s.linking.boot.options.alpha), 0)} % CI: "
                if en
                else "Model sendiri, pengaruh dengan IK: "
            )
            + listed
            + "."
        )
    sat = bool(eff[("H1",)]["supported"])
    loy = bool(eff[("H2",)]["supported"] or eff[("H3",)]["supported"])
    n = len(s.linking.used)
    if en:
        verdict = "Yes." if sat and loy else "Partly." if sat or loy else "Not shown by these data."
        return (
            f"Answer: {verdict} Across {n} customers, one standard deviation more of SLA performance goes with "
            f"{say('H1')} standard deviations more satisfaction; satisfaction → loyalty {say('H2')}; the direct "
            f"effect of SLA performance on loyalty is {say('H3')} and the part carried by satisfaction "
            f"{say('H4')} (standardized paths, bootstrap confidence intervals in brackets)."
        )
    verdict = "Ya." if sat and loy else "Sebagian." if sat or loy else "Tidak terbukti oleh data ini."
    return (
        f"Jawaban: {verdict} Pada {n} pelanggan, kinerja SLA satu simpangan baku lebih tinggi disertai kepuasan "
        f"{say('H1')} simpangan baku lebih tinggi; kepuasan → loyalitas {say('H2')}; pengaruh langsung kinerja "
        f"SLA terhadap loyalitas {say('H3')} dan bagian yang melalui kepuasan {say('H4')} (jalur terstandar, "
        f"interval kepercayaan bootstrap dalam kurung)."
    )


def _retention_text(s: Success, lg: Lang) -> str:
    p = s.retention.periods
    if p.empty:
        return ""
    last = p.iloc[-1]
    rate = last["retention_rate"]
    if lg.code == "en":
        return (
            f"Retention. In {last['period']} {int(last['active'])} customers were active ({int(last['new'])} new, "
            f"{int(last['returning'])} returning, {int(last['lost'])} lost); "
            f"retention {lg.pct(100 * rate) if pd.notna(rate) else 'n/a'}; fees minus credits "
            f"{lg.num(last['net'], 0)}."
        )
    return (
        f"Retensi. Pada {last['period']} {int(last['active'])} pelanggan aktif ({int(last['new'])} baru, "
        f"{int(last['returning'])} kembali, {int(last['lost'])} hilang); retensi "
        f"{lg.pct(100 * rate) if pd.notna(rate) else 't/a'}; biaya dikurangi kredit {lg.num(last['net'], 0)}."
    )


def _risk_text(s: Success, lg: Lang) -> str:
    t = s.at_risk.customers
    risky = t[t["at_risk"]]
    top = risky["customer"].head(5).tolist()
    more = len(risky) - len(top)
    word = " and " if lg.code == "en" else " dan "
    names = (
        f"{', '.join(top)}{word}{more} {'more' if lg.code == 'en' else 'lainnya'}" if more else lg.join(top)
    )
    if lg.code == "en":
        tail = f" ({names})" if len(risky) else ""
        return (
            f"At risk: {len(risky)} of {len(t)} customers{tail} — CSAT down by at least "
            f"{lg.num(s.at_risk.rule.drop, 1)} point or {s.at_risk.rule.breaches}+ breaches above the share "
            f"the goal allows, each beyond chance (p ≤ {lg.num(s.at_risk.rule.level, 2)}), in "
            f"{s.at_risk.recent[0]}–{s.at_risk.recent[1]}."
        )
    tail = f" ({names})" if len(risky) else ""
    return (
        f"Berisiko: {len(risky)} dari {len(t)} pelanggan{tail} — CSAT turun sedikitnya "
        f"{lg.num(s.at_risk.rule.drop, 1)} poin atau {s.at_risk.rule.breaches}+ pelanggaran melebihi bagian "
        f"yang diizinkan sasaran, masing-masing di luar kebetulan (p ≤ {lg.num(s.at_risk.rule.level, 2)}), "
        f"pada {s.at_risk.recent[0]}–{s.at_risk.recent[1]}."
    )


def _complaints_text(s: Success, lg: Lang) -> str:
    if s.complaints is None:
        return ""
    parts = []
    for _, r in s.complaints.summary.iterrows():
        if r["target"] is None:
            continue
        share = lg.pct(100 * r["in_time_share"]) if pd.notna(r["in_time_share"]) else "n/a"
        step = (
            r["step"]
            if lg.code == "en"
            else {"acknowledge": "pengakuan", "resolve": "penyelesaian"}[r["step"]]
        )
        parts.append(f"{step} ≤ {r['target']}: {share} ({int(r['on_time'])}/{int(r['total'])})")
    head = "Complaints handled in time" if lg.code == "en" else "Keluhan ditangani tepat waktu"
    return f"{head} ({s.complaints.calendar}): {'; '.join(parts)}." if parts else ""


def written(s: Success, lang: str) -> list[str]:
    """The written results: the question, the answer, the split, retention, risk, complaints, then the
    PLS paragraphs of :func:`ukur.report.written.paragraphs`."""
    lg = get_lang(lang)
    out = [QUESTION[lg.code], _answer(s, lg), _split_text(s, lg), _retention_text(s, lg), _risk_text(s, lg)]
    out.append(_complaints_text(s, lg))
    if s.linking is not None:
        out += paragraphs(s.linking.result, lg, boot=s.linking.boot, hypotheses=s.linking.hypotheses)
    return [p for p in out if p]
