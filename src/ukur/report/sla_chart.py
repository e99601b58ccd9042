"""The compliance chart of one objective as inline SVG: its last windows as a line, the goal as a dashed line.

Compliance sits near the top of the scale (95–100 %), so the vertical axis starts below the lowest value
or goal at a round step (1–2–2.5–5 × 10ᵏ) instead of at zero; the axis is labelled, so the cut is visible.
Points that meet the goal are drawn as filled green circles, points below it as red squares (so the two
differ without colour too); the report's period is drawn larger with a bold label; windows with no
decided record leave a gap. The SVG has a ``viewBox`` and scales to the width of its container, which
keeps it inside the page in browsers and in WeasyPrint's PDF alike.
"""

from __future__ import annotations

import math
from html import escape

from ukur.report.sla_messages import SLAText
from ukur.report.sla_report import ChartSeries

__all__ = ["axis_range", "compliance_svg"]

_WIDTH, _HEIGHT = 680, 200
_LEFT, _RIGHT, _TOP, _BOTTOM = 58, 12, 22, 26
_MIN_SPAN = 0.002  # the axis shows at least 0.2 percentage points, even when everything is at 100 %
_GOOD, _BAD, _GOAL, _LINE, _GRID = "#1b7f3b", "#c0392b", "#b7410e", "#2c5d8f", "#d9d9d9"


def axis_range(values: list[float], goal: float) -> tuple[float, float, float]:
    """``(low, high, step)`` of the vertical axis: from a round step below min(values, goal) to 100 %
    (at least :data:`_MIN_SPAN` tall, so a month at 100 % does not collapse the axis)."""
    low = min([*values, goal, 1.0 - _MIN_SPAN])
    raw = (1.0 - low) / 4.0
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * power >= raw - 1e-15)
    bottom = max(0.0, math.floor((low - 0.5 * step) / step + 1e-9) * step)
    return bottom, 1.0, step


def _tick_digits(step: float) -> int:
    """Decimals needed to write percentage ticks ``step`` apart (0.0025 → 0.25 % → 2)."""
    percent = 100.0 * step
    for digits in range(4):
        if abs(round(percent, digits) - percent) < 1e-9:
            return digits
    return 4


def compliance_svg(series: ChartSeries, text: SLAText) -> str:
    """The chart as an ``<svg>`` element (UTF-8 text, no external references)."""
    finite = [v for v in series.values if v is not None and math.isfinite(v)]
    low, high, step = axis_range(finite, series.goal)
    plot_w = _WIDTH - _LEFT - _RIGHT
    plot_h = _HEIGHT - _TOP - _BOTTOM
    n = max(len(series.labels), 1)
    slot = plot_w / n

    def x(i: int) -> float:
        return _LEFT + (i + 0.5) * slot

    def y(v: float) -> float:
        return _TOP + (high - v) / (high - low) * plot_h

    title = escape(series.title)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {_HEIGHT}" class="chart" role="img" '
        f'data-chart="{escape(series.objective)}" aria-label="{title}" '
        f'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" font-size="11">',
        f"<title>{title}</title>",
        f'<rect x="{_LEFT}" y="{_TOP}" width="{plot_w}" height="{plot_h}" fill="#ffffff" stroke="#999999"/>',
    ]
    digits = _tick_digits(step)
    k = 0
    while low + k * step <= high + 1e-12:
        tick = low + k * step
        yy = y(tick)
        out.append(f'<line x1="{_LEFT}" y1="{yy:.1f}" x2="{_LEFT + plot_w}" y2="{yy:.1f}" stroke="{_GRID}"/>')
        out.append(
            f'<text x="{_LEFT - 6}" y="{yy + 4:.1f}" text-anchor="end" fill="#333333">'
            f"{escape(text.pct(tick, digits))}</text>"
        )
        k += 1
    gy = y(series.goal)
    out.append(
        f'<line class="goal" data-goal="{series.goal!r}" x1="{_LEFT}" y1="{gy:.1f}" x2="{_LEFT + plot_w}" '
        f'y2="{gy:.1f}" stroke="{_GOAL}" stroke-width="1.5" stroke-dasharray="6 4"/>'
    )
    legend_x = _LEFT + plot_w
    out.append(
        f'<line x1="{legend_x - 150}" y1="{_TOP - 9}" x2="{legend_x - 126}" y2="{_TOP - 9}" stroke="{_GOAL}" '
        f'stroke-width="1.5" stroke-dasharray="6 4"/>'
    )
    out.append(
        f'<text x="{legend_x - 120}" y="{_TOP - 5}" fill="{_GOAL}" font-size="10">'
        f"{escape(text.t('chart_goal'))} {escape(text.goal(series.goal))}</text>"
    )
    path: list[str] = []
    for i, point in enumerate(series.values):
        if point is None or not math.isfinite(point):
            path.append("")
            continue
        path.append(f"{'L' if path and path[-1] else 'M'}{x(i):.1f},{y(point):.1f}")
    segments = " ".join(p for p in path if p)
    if segments:
        out.append(f'<path class="series" d="{segments}" fill="none" stroke="{_LINE}" stroke-width="2"/>')
    label_size = 10 if slot >= 52 else 8
    for i, (label, v) in enumerate(zip(series.labels, series.values, strict=True)):
        current = label in series.current
        weight = ' font-weight="bold"' if current else ""
        out.append(
            f'<text class="xlabel" x="{x(i):.1f}" y="{_TOP + plot_h + 16}" text-anchor="middle" '
            f'font-size="{label_size}"{weight}>{escape(label)}</text>'
        )
        if v is None or not math.isfinite(v):
            out.append(
                f'<text class="gap" x="{x(i):.1f}" y="{_TOP + plot_h - 6}" text-anchor="middle" font-size="9" '
                f'fill="#777777">–</text>'
            )
            continue
        ok = v >= series.goal - 1e-12
        r = 5.5 if current else 4.0
        common = f'class="point" data-window="{escape(label)}" data-value="{v!r}" data-ok="{str(ok).lower()}"'
        if ok:
            out.append(f'<circle {common} cx="{x(i):.1f}" cy="{y(v):.1f}" r="{r}" fill="{_GOOD}"/>')
        else:
            out.append(
                f'<rect {common} x="{x(i) - r:.1f}" y="{y(v) - r:.1f}" width="{2 * r}" height="{2 * r}" '
                f'fill="{_BAD}"/>'
            )
        above = y(v) - 9 if y(v) - 9 > _TOP + 8 else y(v) + 16
        out.append(
            f'<text class="value" x="{x(i):.1f}" y="{above:.1f}" text-anchor="middle" font-size="{label_size - 1}"'
            f"{weight}>{escape(text.pct(v, 2))}</text>"
        )
    out.append("</svg>")
    return "\n".join(out)
