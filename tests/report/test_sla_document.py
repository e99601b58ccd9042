"""The contract document as HTML and DOCX, in id, en and bilingual: sections in order, numbers equal to the
YAML (read back from the document, not re-formatted), DRAFT exactly when unsigned, footer hash."""

from __future__ import annotations

import html
import io
import re
from datetime import date
from pathlib import Path

import docx
import pytest
import yaml

from ukur.report.sla_document import SECTION_KEYS, build_document, render_document_html
from ukur.report.sla_document_docx import render_document_docx
from ukur.report.sla_document_text import LABELS
from ukur.sla import load_agreement
from ukur.sla.diff import content_hash
from ukur.sla.template import render_template

EXAMPLES = Path(__file__).parents[2] / "examples" / "sla"
LANGS = ("id", "en", "bilingual")
SIGNED = {"signed_at: null": "signed_at: 2027-01-02"}


def template_text(name: str, *, signed: bool = False) -> str:
    text = render_template(name, type="customer", lang="en", effective_from=date(2027, 1, 1))
    return text.replace("signed_at: null", "signed_at: 2026-12-20") if signed else text


def titles(lang: str) -> list[str]:
    langs = ("id", "en") if lang == "bilingual" else (lang,)
    return [f"{i}. " + " / ".join(LABELS[k][0 if code == "id" else 1] for code in langs)
            for i, k in enumerate(SECTION_KEYS, start=1)]  # fmt: skip


def html_text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def number(text: str) -> float:
    """A formatted number back to a float (either decimal mark)."""
    cleaned = text.replace(" ", "").replace("%", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    return float(cleaned.replace(",", ""))


def all_cells(table) -> list:
    """Every cell of a DOCX table, nested tables included (the bilingual columns hold tables)."""
    found = []
    for row in table.rows:
        for cell in row.cells:
            found.append(cell)
            for inner in cell.tables:
                found += all_cells(inner)
    return found


def yaml_percent(value: object) -> float:
    return float(str(value).rstrip("%")) if isinstance(value, str) else float(value) * 100  # type: ignore[arg-type]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ["courier", "cloud", "call-center"])
def test_html_sections_in_order_numbers_from_the_yaml_and_hash(name, lang):
    text = template_text(name)
    agreement = load_agreement(text)
    page = render_document_html(build_document(agreement, lang=lang))
    headings = [html.unescape(h) for h in re.findall(r"<h2>(.*?)</h2>", page)]
    assert headings == titles(lang)
    raw = yaml.safe_load(text)
    # The objectives table: the goal column read back equals the YAML's goal, row by row.
    section = page[page.index('id="section-objectives"') : page.index('id="section-security"')]
    tables = re.findall(r"<table><thead>.*?</table>", section, re.S)
    for table in tables:
        rows = [re.findall(r"<td>(.*?)</td>", r) for r in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]]
        goals = {r[0]: number(r[4]) for r in rows}
        assert goals == {o["id"]: yaml_percent(o["goal"]) for o in raw["objectives"]}
    # Credit tiers: every threshold and credit of the YAML appears as a row of the tiers table.
    penalties = html_text(page[page.index('id="section-penalties"') : page.index('id="section-claims"')])
    for p in raw.get("penalties", []):
        for tier in p.get("credits", []):
            below, credit = yaml_percent(tier["below"]), yaml_percent(tier["credit"])
            found = re.findall(r"<\s*([\d.,]+)\s*%\s+([\d.,]+)\s*%", penalties)
            assert (below, credit) in {(number(a), number(b)) for a, b in found}
    fee = re.search(r"(?:IDR |Rp)([\d.,]+)", penalties)
    assert fee is not None and number(fee.group(1).replace(".", "").replace(",", "")) == raw["fee"]["amount"]
    assert content_hash(text) in page
    assert f"version {agreement.version}" in page or f"versi {agreement.version}" in page


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("signed", [False, True])
def test_draft_mark_exactly_when_unsigned(lang, signed):
    agreement = load_agreement(template_text("cloud", signed=signed))
    assert agreement.signed is signed
    page = html_text(render_document_html(build_document(agreement, lang=lang)))
    assert ("DRAFT" in page or "DRAF" in page) is not signed
    signatures = page[page.rindex(titles(lang)[-1]) :]
    assert ("_____" in signatures) is not signed
    if signed:
        assert "2026-12-20" in signatures and "Dewi Lestari" in signatures


def test_worked_example_and_calendar_in_words():
    agreement = load_agreement(template_text("courier"))
    page = html_text(render_document_html(build_document(agreement, lang="en")))
    # Tiers 95/90/80 %: the example sits halfway between the two highest (92.5 %), where 5 % is owed.
    assert (
        "if on-time reaches 92.5 % in a calendar month, the credit is 5 % of the fee IDR 5,000,000 = IDR 250,000"
        in page
    )
    assert "Monday–Friday 08:00–17:00; Saturday 08:00–12:00 (Asia/Jakarta); closed on Sunday" in page
    assert "95 % of shipments in each calendar month are delivered within" in page
    cloud = html_text(render_document_html(build_document(load_agreement(template_text("cloud")), lang="en")))
    assert "The first Sunday of every month at 01:00, 4 hours each" in cloud
    assert "Recovery time objective (RTO) 4 hours" in re.sub(r"\s+", " ", cloud)


def test_child_cites_its_parent_and_what_it_inherits():
    parent = load_agreement((EXAMPLES / "kilat-corporate.yaml").read_text(encoding="utf-8"))
    child = load_agreement(
        (EXAMPLES / "kilat-gold.yaml").read_text(encoding="utf-8"), parents={parent.id: parent}
    )
    page = html_text(render_document_html(build_document(child, lang="en", parent=parent)))
    assert "child of agreement kilat-corporate" in page
    inherited = page[page.index("inherited unchanged:") :].split(".")[0]
    assert "calendar office" in inherited and "force-majeure" in inherited
    assert "objective on-time" not in inherited  # restated (tightened), so not inherited unchanged


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("signed", [False, True])
def test_docx_headings_footer_hash_and_draft(lang, signed):
    text = template_text("courier", signed=signed)
    agreement = load_agreement(text)
    data = render_document_docx(build_document(agreement, lang=lang))
    document = docx.Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings == titles(lang)
    section = document.sections[0]
    assert content_hash(text) in section.footer.paragraphs[0].text
    assert ("DRAF" in section.header.paragraphs[0].text) is not signed
    body = "\n".join(p.text for p in document.paragraphs)
    assert ("DRAF" in body) is not signed
    cells = [c.text for t in document.tables for c in all_cells(t)]
    goals = {number(m) for c in cells for m in re.findall(r"^([\d.,]+ %)$", c)}
    assert {yaml_percent(o["goal"]) for o in yaml.safe_load(text)["objectives"]} <= goals


def test_unknown_language_is_an_error():
    from ukur.errors import UkurError

    with pytest.raises(UkurError, match="bilingual"):
        build_document(load_agreement(template_text("cloud")), lang="fr")
