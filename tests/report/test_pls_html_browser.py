"""The HTML report in headless chromium: the diagrams are drawn and nothing overflows the page width.

Uses Debian's chromium (the ``browser`` fixture of tests/conftest.py: a failure in CI when it is missing).
The page is opened at the width of an A4 page at 96 dpi (794 px) and at a phone width (390 px).
"""

from __future__ import annotations

import re

import pytest

from ukur.report.pls_html import render_html
from ukur.report.pls_tables import build_report

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [794, 390])
def test_diagram_drawn_and_no_horizontal_overflow(
    tmp_path, browser, demo_result, demo_boot, demo_hypotheses, demo_data, width
):
    page_file = tmp_path / "report.html"
    rep = build_report(
        demo_result,
        boot=demo_boot,
        hypotheses=demo_hypotheses,
        profile=demo_data,
        profile_columns=["Gender"],
        lang="id",
    )
    page_file.write_text(render_html(rep), encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": 1100})
    try:
        page.goto(page_file.as_uri())
        figures = page.evaluate(
            """() => [...document.querySelectorAll('figure svg')].map(s => {
                const r = s.getBoundingClientRect();
                return {w: r.width, h: r.height, ellipses: s.querySelectorAll('ellipse').length,
                        texts: s.querySelectorAll('text').length};
            })"""
        )
        assert len(figures) == 2
        for f in figures:
            assert f["w"] > 200 and f["h"] > 50
            assert f["ellipses"] == len(demo_result.model.constructs)
            assert f["texts"] > 10
        # The document never scrolls sideways; wide tables scroll inside their own wrapper.
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        overflow = page.evaluate(
            """() => [...document.querySelectorAll('body > *, section > *')]
                  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                  .map(e => e.tagName + '#' + e.id)"""
        )
        assert overflow == []
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        assert (tmp_path / "report.png").stat().st_size > 10_000
        pdf = page.pdf(prefer_css_page_size=True)
        assert pdf[:4] == b"%PDF"
        # Portrait A4 for the text; the wide path diagrams get landscape pages (@page wide).
        boxes = {
            tuple(round(float(v)) for v in m.split()) for m in re.findall(rb"/MediaBox \[([^\]]*)\]", pdf)
        }
        assert boxes == {(0, 0, 595, 842), (0, 0, 842, 595)}
    finally:
        page.close()
