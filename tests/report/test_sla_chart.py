"""The compliance chart: a well-formed SVG whose points sit where their values say, with the goal line,
a gap for windows without decided records, and labels that do not overlap for 12 windows.

Label widths are estimated as 0.6 × font size per character (DejaVu Sans averages about 0.55–0.6 em
for digits, letters and '-'); two labels overlap when their estimated boxes do.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ukur.report.sla_chart import axis_range, compliance_svg
from ukur.report.sla_messages import sla_text
from ukur.report.sla_report import ChartSeries

SVG = "{http://www.w3.org/2000/svg}"
LABELS = {
    "month": [f"2025-{m:02d}" for m in range(11, 13)] + [f"2026-{m:02d}" for m in range(1, 11)],
    "week": [f"2026-W{w:02d}" for w in range(30, 42)],
    "day": [f"2026-10-{d:02d}" for d in range(1, 13)],
}


def series(labels: list[str], values: list[float | None], goal: float = 0.95) -> ChartSeries:
    return ChartSeries("on-time", "On time", tuple(labels), tuple(values), goal, frozenset({labels[-1]}))


def boxes(root: ET.Element, cls: str) -> list[tuple[float, float, float, float]]:
    out = []
    for t in root.iter(f"{SVG}text"):
        if t.get("class") != cls:
            continue
        size = float(t.get("font-size", "11"))
        width = 0.6 * size * len(t.text or "")
        x, y = float(t.get("x", "0")), float(t.get("y", "0"))
        out.append((x - width / 2, y - size, x + width / 2, y))
    return out


def overlapping(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("unit", sorted(LABELS))
@pytest.mark.parametrize("lang", ["en", "id"])
def test_twelve_windows_are_readable(unit, lang):
    values: list[float | None] = [0.91 + 0.007 * i for i in range(12)]
    values[3] = None  # a window without decided records
    root = ET.fromstring(compliance_svg(series(LABELS[unit], values), sla_text(lang)))
    points = [e for e in root.iter() if e.get("class") == "point"]
    assert len(points) == 11 and [p.get("data-window") for p in points] == LABELS[unit][:3] + LABELS[unit][4:]
    assert len([t for t in root.iter(f"{SVG}text") if t.get("class") == "gap"]) == 1
    for cls in ("xlabel", "value"):
        found = boxes(root, cls)
        assert all(not overlapping(a, b) for i, a in enumerate(found) for b in found[i + 1 :]), cls
        width = float(root.get("viewBox", "0 0 0 0").split()[2])
        assert all(b[0] >= 0 and b[2] <= width for b in found), cls
    path = next(e for e in root.iter(f"{SVG}path") if e.get("class") == "series")
    assert path.get("d", "").count("M") == 2  # the line breaks at the gap


def test_points_and_goal_sit_at_their_values():
    root = ET.fromstring(compliance_svg(series(LABELS["month"][:3], [0.99, 0.93, 0.97]), sla_text("en")))
    goal = next(e for e in root.iter(f"{SVG}line") if e.get("class") == "goal")
    y_goal = float(goal.get("y1", "nan"))
    ys = {}
    for e in root.iter():
        if e.get("class") == "point":
            y = float(e.get("cy") or float(e.get("y", "nan")) + float(e.get("height", "0")) / 2)
            ys[float(e.get("data-value", "nan"))] = y
            assert (e.get("data-ok") == "true") is (float(e.get("data-value", "nan")) >= 0.95)
    assert ys[0.99] < ys[0.97] < y_goal < ys[0.93]  # SVG y grows downwards
    # Linear scale: equal steps in compliance are equal steps on the page.
    assert (ys[0.93] - ys[0.97]) / 0.04 == pytest.approx((ys[0.97] - ys[0.99]) / 0.02, rel=1e-2)


@given(
    st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=0, max_size=12),
    st.floats(min_value=0.5, max_value=1.0),
)
def test_axis_covers_values_and_goal_with_a_few_round_ticks(values, goal):
    low, high, step = axis_range(values, goal)
    assert high == 1.0 and 0.0 <= low <= min([*values, goal]) + 1e-12
    ticks = (high - low) / step
    assert 2 <= ticks <= 11 and abs(ticks - round(ticks)) < 1e-6
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(abs(mantissa - m) < 1e-9 for m in (1.0, 2.0, 2.5, 5.0, 10.0))


@pytest.mark.parametrize("values", [[1.0, 1.0], [], [0.99995]])
def test_axis_never_collapses_at_the_top(values):
    low, high, step = axis_range(values, 1.0)
    assert high - low >= 0.002 and 2 <= round((high - low) / step) <= 8
