"""Golden-structure tests of the PLS report: every format holds the expected tables, and the numbers in
them are the numbers of ``PLSResult.to_dict()`` / ``BootstrapResult.to_dict()`` (exactly for XLSX and
the HTML ``data-value`` attributes, to the printed decimals for DOCX text)."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from ukur.errors import SpecError
from ukur.pls import Model, estimate
from ukur.report import rules
from ukur.report.i18n import MESSAGES, get_lang
from ukur.report.pls_docx import render_docx
from ukur.report.pls_html import render_html
from ukur.report.pls_tables import build_report
from ukur.report.pls_xlsx import render_xlsx, sheet_names

EXPECTED_TABLES = [
    "profile_Gender", "items", "outer", "reliability", "fornell", "htmt", "cross", "vif_outer",
    "paths", "r2", "f2", "vif_inner", "boot_paths", "boot_indirect", "boot_total", "hypotheses",
]  # fmt: skip


@pytest.fixture(scope="module", params=["en", "id"])
def report(request, demo_result, demo_boot, demo_hypotheses, demo_data):
    return build_report(
        demo_result,
        boot=demo_boot,
        hypotheses=demo_hypotheses,
        profile=demo_data,
        profile_columns=["Gender"],
        lang=request.param,
    )


class _Tables(HTMLParser):
    """Collects ``data-table`` tables as lists of rows of ``data-value`` floats (None for text cells)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[list[float | None]]] = {}
        self.current: str | None = None
        self.figures: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.add(tag)
        if tag == "table":
            self.current = a["data-table"]
            self.tables[self.current] = []
        elif tag == "tr" and self.current:
            self.tables[self.current].append([])
        elif tag == "td" and self.current:
            v = a.get("data-value")
            self.tables[self.current][-1].append(None if v is None else float(v))
        elif tag == "figure":
            self.figures.append(a["data-figure"])

    def handle_endtag(self, tag):
        if tag == "table":
            self.current = None


def _body(rows):
    return [r for r in rows if r]  # drop the header row (no <td>)


def test_report_has_every_table_in_order(report):
    assert [t.key for t in report.tables] == EXPECTED_TABLES
    assert [f.key for f in report.figures] == ["model", "bootstrap"]


def test_html_is_self_contained_and_numbers_equal_the_json(report, demo_result, demo_boot, demo_hypotheses):
    html = render_html(report)
    assert "<script" not in html and "<link" not in html
    assert not re.search(r"(src|href)=\"https?:", html)
    parser = _Tables()
    parser.feed(html)
    assert list(parser.tables) == EXPECTED_TABLES
    assert parser.figures == ["model", "bootstrap"]
    doc = demo_result.to_dict()
    loadings = [r[2] for r in _body(parser.tables["outer"])]
    assert loadings == [o["loading"] for o in doc["outer"]]
    assert [r[2] for r in _body(parser.tables["paths"])] == [p["estimate"] for p in doc["paths"]]
    assert [r[1:] for r in _body(parser.tables["r2"])] == [[r["r2"], r["r2_adj"]] for r in doc["r2"]]
    assert [r[1:] for r in _body(parser.tables["reliability"])] == [
        [r["alpha"], r["rho_a"], r["rho_c"], r["ave"]] for r in doc["reliability"]
    ]
    assert [r[2] for r in _body(parser.tables["f2"])] == [r["f2"] for r in doc["f2"]]
    boot = demo_boot.to_dict()
    got = [(r[1], r[3], r[5]) for r in _body(parser.tables["boot_paths"])]
    assert got == [(p["original"], p["std"], p["p"]) for p in boot["paths"]]
    assert [r[1] for r in _body(parser.tables["boot_indirect"])] == [i["original"] for i in boot["indirect"]]
    hyp = demo_hypotheses.to_list()
    got = [(r[2], r[3], r[4], r[5], r[6]) for r in _body(parser.tables["hypotheses"])]
    assert got == [(h["original"], h["t"], h["p"], h["ci_low"], h["ci_high"]) for h in hyp]
    # Profile: counts add up to n and the total row says so.
    counts = [r[1] for r in _body(parser.tables["profile_Gender"])]
    assert sum(counts[:-1]) == counts[-1] == demo_result.n


def test_html_marks_each_items_highest_cross_loading(report, demo_result):
    table = next(t for t in report.tables if t.key == "cross")
    cross = demo_result.cross_loadings
    expected = {(i, str(cross.columns[k])) for i, k in enumerate(cross.to_numpy().argmax(axis=1))}
    assert table.marks == expected
    assert len(re.findall(r'class="[^"]*\bmark\b', render_html(report))) >= len(expected)


def test_xlsx_one_sheet_per_table_numbers_as_numbers(report, demo_result, demo_boot):
    wb = load_workbook(io.BytesIO(render_xlsx(report)))
    names = sheet_names(report)
    assert wb.sheetnames == ["Contents", *names, "Warnings", "Written"]
    outer = wb[names[EXPECTED_TABLES.index("outer")]]
    values = [outer.cell(row=r, column=3).value for r in range(3, 3 + len(demo_result.outer))]
    # openpyxl writes the shortest repr that Excel reads back to 15 significant digits.
    assert values == pytest.approx([o["loading"] for o in demo_result.to_dict()["outer"]], rel=1e-14, abs=0)
    assert all(isinstance(v, float) for v in values)
    assert outer.cell(row=3, column=3).number_format == "0.000"
    boot = wb[names[EXPECTED_TABLES.index("boot_paths")]]
    p = [boot.cell(row=r, column=6).value for r in range(3, 3 + len(demo_boot.paths))]
    assert p == pytest.approx([row["p"] for row in demo_boot.to_dict()["paths"]], rel=1e-14, abs=0)
    written = wb["Written"]
    assert written.max_row == sum(len(s.paragraphs) for s in report.sections)


def test_docx_tables_text_and_figures(report, demo_result):
    from docx import Document

    doc = Document(io.BytesIO(render_docx(report)))
    assert len(doc.tables) == len(EXPECTED_TABLES)
    outer = doc.tables[EXPECTED_TABLES.index("outer")]
    lg = report.lang
    assert [row.cells[2].text for row in outer.rows[1:]] == [lg.num(v) for v in demo_result.outer["loading"]]
    text = "\n".join(p.text for p in doc.paragraphs)
    for s in report.sections:
        for paragraph in s.paragraphs:
            assert paragraph in text
    pictures = doc.inline_shapes
    try:
        import cairosvg  # noqa: F401
    except (ImportError, OSError):
        assert len(pictures) == 0
    else:
        assert len(pictures) == 2


def test_written_results_state_the_numbers_and_rules(report, demo_result, demo_hypotheses):
    lg = report.lang
    text = " ".join(p for s in report.sections for p in s.paragraphs)
    for c, r in demo_result.r2.iterrows():
        assert f"R² = {lg.num(r['r2'])}" in text and str(c) in text
    for _, r in demo_result.f2.iterrows():
        assert f"f² = {lg.num(r['f2'])}" in text
    assert lg.num(demo_result.outer["loading"].min()) in text
    for cite in ("Hair et al.", "Fornell & Larcker", "Henseler et al.", "Cohen", "Zhao"):
        assert cite in text
    for label in demo_hypotheses.table["label"]:
        assert f"{label} (" in text
    decision = ("supported", "not supported") if lg.code == "en" else ("diterima", "ditolak")
    assert any(d in text for d in decision)


def test_written_results_follow_the_numbers(demo_data):
    """Same model, different data: the sentences change with the numbers (nothing is hard-coded)."""
    model = Model.from_syntax("A =~ a1 + a2 + a3\nB =~ b1 + b2 + b3\nB ~ A\n")
    rng = np.random.default_rng(3)
    texts = []
    for strength in (0.2, 0.9):
        f = rng.normal(size=200)
        g = strength * f + np.sqrt(1 - strength**2) * rng.normal(size=200)
        cols = {f"a{i}": f + 0.5 * rng.normal(size=200) for i in (1, 2, 3)}
        cols |= {f"b{i}": g + 0.5 * rng.normal(size=200) for i in (1, 2, 3)}
        res = estimate(model, pd.DataFrame(cols))
        rep = build_report(res, lang="en")
        texts.append(" ".join(p for s in rep.sections for p in s.paragraphs))
        assert f"R² = {get_lang('en').num(res.r2['r2'].iloc[0])}" in texts[-1]
    assert texts[0] != texts[1]
    assert "very weak" in texts[0] and "very weak" not in texts[1]


def test_warnings_name_the_rule_and_mark_the_cell():
    rng = np.random.default_rng(1)
    f = rng.normal(size=150)
    data = pd.DataFrame({"a1": f + 0.3 * rng.normal(size=150), "a2": f + 0.3 * rng.normal(size=150)})
    data["a3"] = 0.3 * f + rng.normal(size=150)  # a weak indicator
    data["b1"] = 0.5 * f + rng.normal(size=150)
    data["b2"] = data["b1"] + 0.5 * rng.normal(size=150)
    res = estimate(Model.from_syntax("A =~ a1 + a2 + a3\nB =~ b1 + b2\nB ~ A\n"), data)
    rep = build_report(res, lang="id", min_sample=500)
    rules_used = {rule for _, rule in rep.warnings}
    assert rules.rule("loading", "id") in rules_used
    assert rules.rule("sample", "id") in rules_used
    assert set(rules.RULES["loading"]) == {"en", "id"}
    outer = next(t for t in rep.tables if t.key == "outer")
    row = list(outer.frame["indicator"]).index("a3")
    assert (row, "loading") in outer.marks
    assert any(m.startswith("a3 (A): loading 0,") for m, _ in rep.warnings)


def test_languages_define_the_same_labels_and_numbers_differ_in_the_decimal_mark():
    assert set(MESSAGES["en"]) == set(MESSAGES["id"])
    assert get_lang("id").num(0.7085) == "0,709" or get_lang("id").num(0.7085) == "0,708"
    assert get_lang("en").num(-0.0001) == "0.000"
    assert get_lang("id").p(0.0002) == "< 0,001"
    assert get_lang("en").join(["a", "b", "c"]) == "a, b and c"
    with pytest.raises(SpecError):
        get_lang("fr")


@pytest.mark.slow
def test_ecsi_with_formative_and_single_item_constructs_renders_in_every_format():
    """The 7-construct ECSI model on mobi.csv (250 rows), Quality made formative, Complaints one item."""
    from pathlib import Path

    from docx import Document

    from tests.report import models
    from ukur.pls.bootstrap import bootstrap

    data = pd.read_csv(Path(__file__).resolve().parents[3] / "shared" / "data" / "mobi.csv")
    text = models.ecsi().to_syntax().replace("Quality =~", "Quality <~")
    model = Model.from_syntax(text)
    res = estimate(model, data)
    boot = bootstrap(res, samples=50, seed=2)
    rep = build_report(res, boot=boot, lang="en")
    paragraphs = [p for s in rep.sections for p in s.paragraphs]
    mediation = next(p for p in paragraphs if p.startswith("Mediation."))
    assert f"Significant specific indirect effects (of {len(boot.indirect)})" in mediation
    significant = boot.indirect[boot.indirect["p"] < boot.options.alpha]
    assert (
        mediation.count(" mediation") == len(significant) + 1
    )  # one verdict each, plus the closing sentence
    outer = next(t for t in rep.tables if t.key == "outer")
    quality = outer.frame["construct"] == "Quality"
    assert not any((i, "loading") in outer.marks for i in np.flatnonzero(quality))  # Mode B: no loading rule
    parser = _Tables()
    parser.feed(render_html(rep))
    assert len(_body(parser.tables["boot_indirect"])) == len(boot.indirect)
    wb = load_workbook(io.BytesIO(render_xlsx(rep)))
    assert len(wb.sheetnames) == len(rep.tables) + 3
    document = Document(io.BytesIO(render_docx(rep)))
    assert len(document.tables) == len(rep.tables)
    # The ECSI diagrams are wide: each gets a landscape page, and the text goes on in portrait.
    orientations = [sec.page_width > sec.page_height for sec in document.sections]
    assert orientations == [False, True, False, True, False]


def test_profile_table_orders_categories_and_adds_up():
    from ukur.report.pls_tables import profile_table

    lg = get_lang("id")
    data = pd.DataFrame({"edu": pd.Categorical(["SLTA", "S1", "SLTP", "SLTA", None], ["SLTP", "SLTA", "S1"])})
    t = profile_table(data, "edu", lg)
    assert list(t.frame["category"]) == ["SLTP", "SLTA", "S1", "—", "Jumlah"]
    assert list(t.frame["count"]) == [1, 2, 1, 1, 5]
    assert t.frame["percent"].iloc[:-1].sum() == pytest.approx(100.0)
    ages = profile_table(pd.DataFrame({"age": [10, 9, 10, 2]}), "age", lg)
    assert list(ages.frame["category"]) == ["2", "9", "10", "Jumlah"]


def test_render_dispatches_by_format_and_suffix(report):
    from ukur.report.pls_render import MEDIA_TYPES, format_for, render

    assert (
        format_for("Laporan.HTML") == "html"
        and format_for("r.xlsx") == "xlsx"
        and format_for("r.docx") == "docx"
    )
    with pytest.raises(SpecError, match=r"unknown report format '\.pdf'"):
        format_for("r.pdf")
    with pytest.raises(SpecError):
        format_for("report")
    assert render(report, "html").startswith(b"<!DOCTYPE html>")
    assert render(report, "xlsx")[:2] == b"PK" and render(report, "docx")[:2] == b"PK"
    assert set(MEDIA_TYPES) == {"html", "xlsx", "docx"}
    with pytest.raises(SpecError):
        render(report, "pdf")


def test_fornell_larcker_marks_every_construct_that_fails(demo_result):
    """Construct pairs whose correlation exceeds √AVE of either one mark both diagonal cells."""
    rep = build_report(demo_result, lang="en")
    table = next(t for t in rep.tables if t.key == "fornell")
    fl = demo_result.fornell_larcker.to_numpy()
    full = np.where(np.isnan(fl), fl.T, fl)
    expected = {
        (j, str(c))
        for j, c in enumerate(demo_result.fornell_larcker.columns)
        if np.max(np.abs(np.delete(full[j], j))) > full[j, j]
    }
    assert table.marks == expected
    assert {m.split(":")[0] for m, r in rep.warnings if r == rules.rule("fornell_larcker", "en")} == {
        c for _, c in expected
    }


def test_fornell_larcker_failure_of_the_last_construct_is_marked():
    """B is declared last, so its correlation with A sits in B's row, left of the diagonal."""
    rng = np.random.default_rng(5)
    f = rng.normal(size=300)
    data = pd.DataFrame({f"a{i}": f + 0.3 * rng.normal(size=300) for i in (1, 2, 3)})
    data["b1"] = f + 0.5 * rng.normal(size=300)
    data["b2"] = f + 0.5 * rng.normal(size=300)
    data["b3"] = 0.2 * f + rng.normal(size=300)
    res = estimate(Model.from_syntax("A =~ a1 + a2 + a3\nB =~ b1 + b2 + b3\nB ~ A\n"), data)
    fl = res.fornell_larcker.to_numpy()
    assert abs(fl[1, 0]) > fl[1, 1] and abs(fl[1, 0]) < fl[0, 0]  # the data do what the test needs
    table = next(t for t in build_report(res, lang="en").tables if t.key == "fornell")
    assert table.marks == {(1, "B")}
