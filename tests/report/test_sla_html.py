"""The SLA report as HTML: sections and tables in order, raw values equal to the results JSON, DRAFT mark
exactly when unsigned, and nothing that reaches outside the file (no scripts, links, images or fonts)."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser
from typing import Any

import pytest

from tests.report.test_sla_report import courier_report, evaluated
from ukur.report.sla_html import MAX_ROWS, render_html
from ukur.report.sla_report import SECTIONS, build_sla_report


class Page(HTMLParser):
    """Sections, tables (cells as ``(key, data-value, text)``), figures and attributes of a report page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.sections: list[str] = []
        self.tables: dict[str, list[list[tuple[str, str | None, str]]]] = {}
        self.figures: list[str] = []
        self.tags: list[tuple[str, dict[str, Any]]] = []
        self.draft_marks = 0
        self._table: str | None = None
        self._cell: list[Any] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if "data-section" in a:
            self.sections.append(str(a["data-section"]))
        if "data-figure" in a:
            self.figures.append(str(a["data-figure"]))
        if "data-draft-mark" in a:
            self.draft_marks += 1
        if tag == "table":
            self._table = str(a["data-table"])
            self.tables[self._table] = []
        elif tag == "tr" and self._table is not None:
            self.tables[self._table].append([])
        elif tag == "td" and self._table is not None:
            self._cell = [a.get("data-key"), a.get("data-value"), ""]

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell[2] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "td" and self._cell is not None and self._table is not None:
            self.tables[self._table][-1].append((self._cell[0], self._cell[1], self._cell[2]))
            self._cell = None
        elif tag == "table":
            self._table = None

    def column(self, table: str, key: str) -> list[tuple[str | None, str]]:
        rows = [r for r in self.tables[table] if r]
        return [(value, text) for row in rows for k, value, text in row if k == key]


def json_text(value: Any) -> str | None:
    """A results-JSON value as the page's ``data-value`` writes it."""
    if value is None or isinstance(value, str):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


@pytest.fixture(scope="module", params=["en", "id"])
def page(request) -> Page:
    return Page(render_html(courier_report(request.param)))


def test_sections_in_order_and_charts_per_objective(page):
    assert tuple(page.sections) == SECTIONS
    assert page.figures == [o["objective"] for o in evaluated().to_dict()["windows"]]
    assert list(page.tables)[:5] == ["summary", "services", "signatures", "compliance", "record_counts"]


def test_cells_carry_the_results_json(page):
    result = evaluated().to_dict()
    for key in ("compliance", "goal", "budget_remaining", "credit", "ok"):
        assert [v for v, _ in page.column("compliance", key)] == [
            json_text(w[key]) for w in result["windows"]
        ]
    for key in ("total", "met", "breached", "excluded"):
        assert [v for v, _ in page.column("record_counts", key)] == [str(w[key]) for w in result["windows"]]
    for key in ("amount", "fee", "credit_percent"):
        assert [v for v, _ in page.column("credits", key)] == [json_text(c[key]) for c in result["credits"]]
    breached = [r for r in result["records"] if r["status"] == "breached"][:MAX_ROWS]
    assert [v for v, _ in page.column("breaches", "stop")] == [r["stop"] for r in breached]
    assert [t for _, t in page.column("claims", "id")] == [c["id"] for c in result["claims"]]


def test_numbers_are_written_in_the_page_language():
    en = Page(render_html(courier_report("en")))
    ind = Page(render_html(courier_report("id")))
    assert [t for _, t in en.column("credits", "amount")] == ["IDR 500,000", "IDR 6,200,000"]
    assert [t for _, t in ind.column("credits", "amount")] == ["Rp 500.000", "Rp 6.200.000"]
    assert ind.column("compliance", "compliance")[1][1] == "93,75 %"


@pytest.mark.parametrize(("name", "draft"), [("kilat-gold", False), ("helpdesk-internal", True)])
def test_draft_mark_exactly_when_unsigned(name, draft):
    html = render_html(courier_report("id", name))
    parsed = Page(html)
    assert parsed.draft_marks == (1 if draft else 0)
    assert ('data-draft="true"' in html) is draft and ("data-draft-banner" in html) is draft
    assert ("DRAF" in html) is draft


def test_self_contained(page):
    assert not [t for t, _ in page.tags if t in {"script", "link", "img", "iframe", "object", "embed"}]
    for _, attrs in page.tags:
        for name in ("src", "href"):
            assert not str(attrs.get(name) or "").startswith(("http:", "https:", "//")), attrs
    html = render_html(courier_report("en"))
    assert "@import" not in html and "url(" not in html


def test_footer_names_the_agreement_file_without_its_folders():
    result = evaluated()
    moved = dataclasses.replace(result.agreement, source="/home/budi/private/kontrak/kilat-gold.yaml")
    html = render_html(build_sla_report(dataclasses.replace(result, agreement=moved)))
    assert "from kilat-gold.yaml." in html and "/home/budi" not in html
