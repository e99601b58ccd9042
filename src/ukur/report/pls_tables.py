"""The PLS report as a format-neutral document: sections of tables, figures, warnings and paragraphs.

:func:`build_report` arranges the tables an estimation (:class:`ukur.pls.PLSResult`), a bootstrap
(:class:`ukur.pls.bootstrap.BootstrapResult`) and a hypothesis test already hold, in the order a
thesis or SmartPLS report uses, marks the cells that break a rule of thumb and lists those rules as
warnings. It computes no statistic: every number comes from the result's tables, so HTML, XLSX and
DOCX (:mod:`ukur.report.pls_html`, :mod:`~ukur.report.pls_xlsx`, :mod:`~ukur.report.pls_docx`) show the
same numbers as ``to_dict()``. Thresholds and their sources live in :mod:`ukur.report.rules`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ukur.pls.bootstrap_result import BootstrapResult
from ukur.pls.hypotheses import HypothesisResult
from ukur.pls.model import Mode
from ukur.pls.result import PLSResult
from ukur.report import rules, written
from ukur.report.diagram import DiagramValues, diagram_geometry, geometry_svg
from ukur.report.i18n import MESSAGES, Lang, get_lang
from ukur.report.written import ARROW

__all__ = [
    "Figure",
    "PLSReport",
    "ReportTable",
    "Section",
    "build_report",
    "cell_text",
    "profile_table",
    "sig_mark",
]


@dataclass(frozen=True)
class ReportTable:
    """One table: ``frame`` holds raw values (floats unrounded), ``headers`` its display names.

    ``marks`` are ``(row position, column name)`` cells to highlight; ``digits`` the decimals shown
    for floats; ``key`` a short identifier (XLSX sheet name, HTML anchor).
    """

    key: str
    title: str
    frame: pd.DataFrame
    headers: tuple[str, ...]
    marks: frozenset[tuple[int, str]] = frozenset()
    note: str = ""
    digits: int = 3


WIDE_RATIO = 2.6
"""Figures with a larger width-to-height ratio get a landscape page in print (HTML and DOCX)."""


@dataclass(frozen=True)
class Figure:
    """A diagram: its SVG text and its natural size in pixels (renderers scale it to the page)."""

    key: str
    caption: str
    svg: str
    width: float = 0.0
    height: float = 0.0

    @property
    def wide(self) -> bool:
        """Much wider than tall (``width / height > WIDE_RATIO``): printed on a landscape page."""
        return self.height > 0 and self.width / self.height > WIDE_RATIO


def _figure(key: str, caption: str, result: PLSResult, values: DiagramValues) -> Figure:
    g = diagram_geometry(result.model, values)
    return Figure(key, caption, geometry_svg(g, title=caption), g.width, g.height)


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    tables: tuple[ReportTable, ...] = ()
    figures: tuple[Figure, ...] = ()
    paragraphs: tuple[str, ...] = ()


@dataclass(frozen=True)
class PLSReport:
    """Everything a renderer draws, in order; ``warnings`` are ``(message, rule)`` pairs."""

    title: str
    lang: Lang
    subtitle: str
    sections: tuple[Section, ...]
    warnings: tuple[tuple[str, str], ...] = ()
    references: tuple[str, ...] = field(default=rules.REFERENCES)

    @property
    def tables(self) -> list[ReportTable]:
        return [t for s in self.sections for t in s.tables]

    @property
    def figures(self) -> list[Figure]:
        return [f for s in self.sections for f in s.figures]


def sig_mark(p: float) -> str:
    """``***`` p < 0.001, ``**`` p < 0.01, ``*`` p < 0.05, else empty."""
    if not np.isfinite(p):
        return ""
    return "***" if p < 0.001 else "**" if p < 0.01 else "*" if p < 0.05 else ""


def profile_table(data: pd.DataFrame, column: str, lang: Lang) -> ReportTable:
    """Counts and percentages of a categorical column, with a total row that adds up (missing shown).

    Categories keep the order of a pandas ``Categorical`` column; otherwise numbers sort numerically
    and text alphabetically; missing answers ("—") come last.
    """
    col = data[column]
    if isinstance(col.dtype, pd.CategoricalDtype):
        order = [str(c) for c in col.cat.categories]
    else:
        values = col.dropna().unique().tolist()
        numeric = all(isinstance(v, (int, float, np.integer, np.floating)) for v in values)
        order = [str(v) for v in (sorted(values) if numeric else sorted(values, key=str))]
    labels = col.map(lambda v: v if pd.isna(v) else str(v)).astype("string").fillna("—")
    counts = labels.value_counts(sort=False).reindex([*order, "—"]).dropna().astype(int)
    counts = counts[counts > 0]
    total = int(counts.sum())
    frame = pd.DataFrame(
        {
            "category": [*map(str, counts.index), lang.t("col_total")],
            "count": [*map(int, counts.to_numpy()), total],
            "percent": [*(100.0 * counts.to_numpy() / total), 100.0],
        }
    )
    headers = (lang.t("col_category"), lang.t("col_count"), lang.t("col_percent"))
    return ReportTable(
        f"profile_{column}"[:31], lang.t("tab_profile", column=column), frame, headers, digits=1
    )


def _table(key: str, lang: Lang, frame: pd.DataFrame, columns: Sequence[str], **kw: Any) -> ReportTable:
    headers = tuple(lang.t(f"col_{c}") if f"col_{c}" in MESSAGES[lang.code] else c for c in columns)
    return ReportTable(key, lang.t(f"tab_{key}"), frame.reset_index(drop=True), headers, **kw)


def _matrix(key: str, lang: Lang, m: pd.DataFrame, marks: set[tuple[int, str]] | None = None) -> ReportTable:
    frame = m.copy()
    frame.insert(0, "construct", [str(i) for i in m.index])
    frame.columns = [str(c) for c in frame.columns]
    headers = (lang.t("col_construct"), *map(str, m.columns))
    return ReportTable(
        key, lang.t(f"tab_{key}"), frame.reset_index(drop=True), headers, frozenset(marks or ())
    )


def build_report(
    result: PLSResult,
    *,
    boot: BootstrapResult | None = None,
    hypotheses: HypothesisResult | None = None,
    profile: pd.DataFrame | None = None,
    profile_columns: Sequence[str] = (),
    lang: str = "en",
    min_sample: int | None = None,
    title: str | None = None,
) -> PLSReport:
    """Arrange ``result`` (and optionally its bootstrap and hypothesis tests) into a report.

    ``profile`` is the raw data frame whose ``profile_columns`` are tabulated as respondent profile;
    ``min_sample`` the minimum sample size of the inverse square root method (Kock & Hadaya 2018) for
    the smallest path, computed by the caller, used for the sample-size warning.
    """
    lg = get_lang(lang)
    warn: list[tuple[str, str]] = []
    sections: list[Section] = []
    if profile is not None and profile_columns:
        sections.append(
            Section(
                "profile", lg.t("sec_profile"), tuple(profile_table(profile, c, lg) for c in profile_columns)
            )
        )
    items = result.items.copy()
    items.insert(0, "indicator", items.index.astype(str))
    cols = ["indicator", "mean", "median", "min", "max", "sd", "kurtosis", "skewness", "missing"]
    sections.append(Section("items", lg.t("sec_items"), (_table("items", lg, items[cols], cols),)))
    sections.append(_measurement(result, boot, lg, warn))
    sections.append(_structural(result, lg, warn, min_sample))
    if boot is not None:
        sections.append(_bootstrap(result, boot, lg))
    if hypotheses is not None:
        sections.append(_hypotheses(hypotheses, lg))
    for message in result.warnings:
        warn.append((message, rules.rule("convergence", lg.code)))
    paragraphs = written.paragraphs(result, lg, boot=boot, hypotheses=hypotheses)
    sections.append(Section("written", lg.t("sec_written"), paragraphs=tuple(paragraphs)))
    subtitle = lg.t("generated_by", version=result.version or "", n=result.n, n_used=result.n_used)
    return PLSReport(title or lg.t("report_title"), lg, subtitle, tuple(sections), tuple(warn))


def _measurement(
    result: PLSResult, boot: BootstrapResult | None, lg: Lang, warn: list[tuple[str, str]]
) -> Section:
    outer = result.outer.reset_index()
    modes = {c.name: c.mode for c in result.model.constructs}
    recs = outer.to_dict(orient="records")
    low = [
        i for i, r in enumerate(recs) if modes[r["construct"]] is Mode.A and r["loading"] < rules.LOADING_MIN
    ]
    for i in low:
        r = recs[i]
        warn.append(
            (
                f"{r['indicator']} ({r['construct']}): loading {lg.num(r['loading'])}",
                rules.rule("loading", lg.code),
            )
        )
    cols = ["construct", "indicator", "loading", "weight"]
    t_outer = _table("outer", lg, outer[cols], cols, marks=frozenset((i, "loading") for i in low))
    rel = result.reliability.reset_index()
    marks: set[tuple[int, str]] = set()
    for i, r in enumerate(rel.to_dict(orient="records")):
        if r["ave"] < rules.AVE_MIN:
            marks.add((i, "ave"))
            warn.append((f"{r['construct']}: AVE {lg.num(r['ave'])}", rules.rule("ave", lg.code)))
        if len(result.model.construct(r["construct"]).indicators) > 1 and not (
            rules.RHO_C_MIN <= r["rho_c"] <= rules.RHO_C_MAX
        ):
            marks.add((i, "rho_c"))
            warn.append((f"{r['construct']}: rho_C {lg.num(r['rho_c'])}", rules.rule("rho_c", lg.code)))
    rcols = ["construct", "alpha", "rho_a", "rho_c", "ave"]
    t_rel = _table("reliability", lg, rel[rcols], rcols, marks=frozenset(marks))
    fl = result.fornell_larcker
    fl_arr = fl.to_numpy(dtype=float)
    fl_marks = set()
    for j, c in enumerate(fl.columns):
        # Construct j's correlations: row j left of the diagonal and column j below it.
        others = np.concatenate([fl_arr[j, :j], fl_arr[j + 1 :, j]])
        if others.size and np.nanmax(np.abs(others)) > fl_arr[j, j]:
            fl_marks.add((j, str(c)))
            warn.append((f"{c}: √AVE {lg.num(fl_arr[j, j])}", rules.rule("fornell_larcker", lg.code)))
    ht = result.htmt
    ht_arr = ht.to_numpy(dtype=float)
    ht_marks = set()
    ht_ci = _htmt_ci(boot)
    for i, a in enumerate(ht.index):
        for j, b in enumerate(ht.columns):
            if j <= i:
                continue
            v = float(ht_arr[i, j])
            upper = ht_ci.get((str(a), str(b)), ht_ci.get((str(b), str(a))))
            if v > rules.HTMT_MAX or (upper is not None and upper >= 1.0):
                ht_marks.add((i, str(b)))
                extra = f", {lg.t('ci_upper')} {lg.num(upper)}" if upper is not None else ""
                warn.append((f"HTMT {a} – {b}: {lg.num(v)}{extra}", rules.rule("htmt", lg.code)))
    ht_lower = ht.where(np.triu(np.ones(ht.shape, dtype=bool), 1))
    cross = result.cross_loadings
    best = cross.to_numpy().argmax(axis=1)
    cross_marks = {(i, str(cross.columns[k])) for i, k in enumerate(best)}
    own = result.outer["construct"].to_numpy()
    for i, k in enumerate(best):
        if cross.columns[k] != own[i]:
            warn.append(
                (f"{cross.index[i]}: {lg.t('highest_on')} {cross.columns[k]}", rules.rule("cross", lg.code))
            )
    cross_frame = cross.copy()
    cross_frame.insert(0, "indicator", [str(i) for i in cross.index])
    cross_frame.columns = [str(c) for c in cross_frame.columns]
    t_cross = ReportTable(
        "cross",
        lg.t("tab_cross"),
        cross_frame.reset_index(drop=True),
        (lg.t("col_indicator"), *map(str, cross.columns)),
        frozenset(cross_marks),
        lg.t("note_cross"),
    )
    vo = result.vif_outer.reset_index()
    vo_marks = {(i, "vif") for i, v in enumerate(vo["vif"].to_numpy()) if v > rules.VIF_MAX}
    for i, _ in vo_marks:
        warn.append(
            (f"{vo['indicator'].iloc[i]}: VIF {lg.num(float(vo['vif'].iloc[i]))}", rules.rule("vif", lg.code))
        )
    vcols = ["construct", "indicator", "vif"]
    return Section(
        "measurement",
        lg.t("sec_measurement"),
        (
            t_outer,
            t_rel,
            _matrix("fornell", lg, fl, fl_marks),
            _matrix("htmt", lg, ht_lower, ht_marks),
            t_cross,
            _table("vif_outer", lg, vo[vcols], vcols, marks=frozenset(vo_marks)),
        ),
    )


def _htmt_ci(boot: BootstrapResult | None) -> dict[tuple[str, str], float]:
    if boot is None or boot.htmt.empty:
        return {}
    return {_pair(k): float(v) for k, v in boot.htmt["ci_high"].items()}


def _pair(key: Any) -> tuple[str, str]:
    """A (from, to) MultiIndex key as two strings."""
    a, b = key
    return str(a), str(b)


def _structural(result: PLSResult, lg: Lang, warn: list[tuple[str, str]], min_sample: int | None) -> Section:
    paths = result.paths
    r2 = result.r2.reset_index()
    f2 = result.f2
    vi = result.vif_inner
    vi_marks = {(i, "vif") for i, v in enumerate(vi["vif"].to_numpy()) if v > rules.VIF_MAX}
    for i, _ in vi_marks:
        warn.append(
            (
                f"{vi['from'].iloc[i]}{ARROW}{vi['to'].iloc[i]}: VIF {lg.num(float(vi['vif'].iloc[i]))}",
                rules.rule("vif", lg.code),
            )
        )
    if min_sample is not None and result.n_used < min_sample:
        warn.append((f"n = {result.n_used} < {min_sample}", rules.rule("sample", lg.code)))
    values = DiagramValues(
        outer={
            str(i): float(r["weight"] if _mode(result, r["construct"]) is Mode.B else r["loading"])
            for i, r in result.outer.iterrows()
        },
        paths={(r["from"], r["to"]): float(r["estimate"]) for _, r in paths.iterrows()},
        r2={str(c): float(v) for c, v in result.r2["r2"].items()},
        decimal=lg.decimal,
    )
    figure = _figure("model", lg.t("fig_model", k=1), result, values)
    return Section(
        "structural",
        lg.t("sec_structural"),
        (
            _table("paths", lg, paths, ["from", "to", "estimate"]),
            _table("r2", lg, r2, ["construct", "r2", "r2_adj"]),
            _table("f2", lg, f2, ["from", "to", "f2"]),
            _table("vif_inner", lg, vi, ["from", "to", "vif"], marks=frozenset(vi_marks)),
        ),
        (figure,),
    )


def _mode(result: PLSResult, construct: str) -> Mode:
    return result.model.construct(construct).mode


_BOOT_COLS = ["original", "mean", "std", "t", "p", "ci_low", "ci_high"]


def _boot_frame(frame: pd.DataFrame, effect: pd.Series | list[str]) -> pd.DataFrame:
    out = frame[_BOOT_COLS].reset_index(drop=True)
    out.insert(0, "effect", list(effect))
    out["sig"] = [sig_mark(p) for p in out["p"]]
    return out


def _bootstrap(result: PLSResult, boot: BootstrapResult, lg: Lang) -> Section:
    heads = ["effect", "original", "boot_mean", "std", "t", "p", "ci_low", "ci_high", "sig"]
    note = lg.t("note_sig", samples=boot.samples, seed=boot.seed)
    names = lambda f: [ARROW.join(map(str, k)) for k in f.index]  # noqa: E731
    tables = [_table("boot_paths", lg, _boot_frame(boot.paths, names(boot.paths)), heads, note=note)]
    if not boot.indirect.empty:
        chains = [ARROW.join(map(str, c)) for c in boot.indirect["chain"]]
        tables.append(_table("boot_indirect", lg, _boot_frame(boot.indirect, chains), heads, note=note))
    if not boot.total_effects.empty:
        tables.append(
            _table(
                "boot_total", lg, _boot_frame(boot.total_effects, names(boot.total_effects)), heads, note=note
            )
        )
    values = DiagramValues(
        paths={_pair(k): float(v) for k, v in boot.paths["original"].items()},
        p_values={_pair(k): float(v) for k, v in boot.paths["p"].items()},
        r2={str(c): float(v) for c, v in result.r2["r2"].items()},
        decimal=lg.decimal,
    )
    fig = _figure("bootstrap", lg.t("fig_bootstrap", k=2), result, values)
    return Section("bootstrap", lg.t("sec_bootstrap"), tuple(tables), (fig,))


def _hypotheses(h: HypothesisResult, lg: Lang) -> Section:
    t = h.table
    frame = pd.DataFrame(
        {
            "label": t["label"].astype(str),
            "effect": [ARROW.join(c) for c in t["chain"]],
            "original": t["original"],
            "t": t["t"],
            "p": t["p"],
            "ci_low": t["ci_low"],
            "ci_high": t["ci_high"],
            "sig": [sig_mark(p) for p in t["p"]],
            "decision": [lg.t("supported") if s else lg.t("not_supported") for s in t["supported"]],
        }
    )
    cols = ["label", "effect", "original", "t", "p", "ci_low", "ci_high", "sig", "decision"]
    return Section("hypotheses", lg.t("sec_hypotheses"), (_table("hypotheses", lg, frame, cols),))


def cell_text(value: Any, column: str, lg: Lang, digits: int = 3) -> str:
    """How a table cell is printed: p values with ``< 0.001``, floats with ``digits`` decimals in the
    language's decimal mark, whole numbers as they are, missing values blank."""
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return ""
    if isinstance(value, (bool, np.bool_)):
        return lg.t("yes") if value else lg.t("no")
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return lg.p(float(value), digits) if column == "p" else lg.num(float(value), digits)
    return str(value)
