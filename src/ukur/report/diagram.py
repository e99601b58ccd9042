"""PLS path diagrams as SVG, in the style of SmartPLS' model view.

Constructs are ellipses, indicators are boxes on the construct's free side, outer loadings (Mode A) or
weights (Mode B) sit on the measurement arrows, path coefficients (and, for a bootstrap diagram, their
p values) on the structural arrows, and R² inside each endogenous construct. Mode A arrows point from the
construct to its indicators, Mode B arrows from the indicators to the construct (Hair et al. 2022,
ch. 2). The layout (:mod:`ukur.report.layout`) reads the causal order left to right.

:func:`diagram_geometry` returns every shape, arrow and label box so tests (and the report) can check
that no two labels overlap; :func:`render_svg` draws exactly that geometry. The SVG is self-contained
(inline attributes only, no CSS classes, no external fonts) so it can be inlined in HTML or rasterised
for DOCX by :func:`svg_to_png`.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from ukur.pls.model import Mode, Model
from ukur.report.layout import (
    ASCENT,
    INDICATOR_SIZE,
    LABEL_PAD,
    LINE_HEIGHT,
    NAME_SIZE,
    Box,
    ConstructShape,
    IndicatorShape,
    place,
    text_width,
)

__all__ = [
    "Arrow",
    "DiagramValues",
    "Geometry",
    "Label",
    "diagram_geometry",
    "format_p",
    "geometry_svg",
    "render_svg",
    "svg_to_png",
]

VALUE_SIZE = 10.5
FONT = "DejaVu Sans, Arial, Helvetica, sans-serif"


@dataclass(frozen=True)
class DiagramValues:
    """Numbers to print on a diagram; every field is optional.

    ``outer`` maps indicator → loading (Mode A) or weight (Mode B); ``paths`` maps
    ``(source, target)`` → path coefficient; ``p_values`` the same keys → bootstrap p value (its
    presence makes a bootstrap diagram); ``r2`` maps endogenous construct → R².
    """

    outer: Mapping[str, float] = field(default_factory=dict)
    paths: Mapping[tuple[str, str], float] = field(default_factory=dict)
    p_values: Mapping[tuple[str, str], float] = field(default_factory=dict)
    r2: Mapping[str, float] = field(default_factory=dict)
    decimal: str = "."
    digits: int = 3


@dataclass(frozen=True, slots=True)
class Label:
    """Text drawn on the diagram: its lines, font size, kind and the box it occupies.

    ``kind`` is ``construct``, ``r2``, ``indicator``, ``outer`` or ``path``; ``owner`` names the
    construct, indicator or ``"source -> target"`` path it belongs to.
    """

    kind: str
    owner: str
    lines: tuple[str, ...]
    size: float
    box: Box

    def baselines(self) -> list[tuple[float, float, str]]:
        """``(x, y, text)`` of each line, centred horizontally, as drawn in the SVG."""
        step = LINE_HEIGHT * self.size
        return [
            (self.box.cx, self.box.y + i * step + ASCENT * self.size, t) for i, t in enumerate(self.lines)
        ]


@dataclass(frozen=True, slots=True)
class Arrow:
    """A drawn arrow: ``kind`` is ``structural`` or ``measurement``; ``points`` run tail to head."""

    kind: str
    source: str
    target: str
    points: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class Geometry:
    """The complete drawing: size, shapes, arrows and labels (all in SVG pixels)."""

    width: float
    height: float
    constructs: tuple[ConstructShape, ...]
    indicators: tuple[IndicatorShape, ...]
    arrows: tuple[Arrow, ...]
    labels: tuple[Label, ...]

    def overlapping_labels(self, pad: float = 0.0) -> list[tuple[Label, Label]]:
        """Pairs of labels whose boxes intersect (empty for a readable diagram)."""
        out = []
        for i, a in enumerate(self.labels):
            for b in self.labels[i + 1 :]:
                if a.box.overlaps(b.box, pad):
                    out.append((a, b))
        return out


def _fmt(x: float, digits: int, decimal: str) -> str:
    text = f"{x:.{digits}f}"
    if text.startswith("-") and float(text) == 0:  # no "-0.000"
        text = text[1:]
    return text.replace(".", decimal) if decimal != "." else text


def format_p(p: float, digits: int = 3, decimal: str = ".") -> str:
    """A p value as printed in tables: ``< 0.001`` below the smallest printable value."""
    floor = 10.0**-digits
    if p < floor:
        return f"< {_fmt(floor, digits, decimal)}"
    return _fmt(p, digits, decimal)


def _label(kind: str, owner: str, lines: Sequence[str], size: float, cx: float, cy: float) -> Label:
    w = max(text_width(t, size) for t in lines) + 2 * LABEL_PAD
    h = len(lines) * LINE_HEIGHT * size
    return Label(kind, owner, tuple(lines), size, Box(cx - w / 2, cy - h / 2, w, h))


def _ellipse_point(shape: ConstructShape, tx: float, ty: float) -> tuple[float, float]:
    """Where the ray from the ellipse's centre towards ``(tx, ty)`` leaves the ellipse."""
    dx, dy = tx - shape.cx, ty - shape.cy
    scale = 1.0 / math.sqrt((dx / shape.rx) ** 2 + (dy / shape.ry) ** 2)
    return shape.cx + dx * scale, shape.cy + dy * scale


def _box_point(box: Box, tx: float, ty: float) -> tuple[float, float]:
    """Where the ray from the box's centre towards ``(tx, ty)`` leaves the box."""
    dx, dy = tx - box.cx, ty - box.cy
    sx = (box.w / 2) / abs(dx) if dx else math.inf
    sy = (box.h / 2) / abs(dy) if dy else math.inf
    s = min(sx, sy)
    return box.cx + dx * s, box.cy + dy * s


def _anchor(shape: ConstructShape, box: Box) -> tuple[float, float]:
    """A point on the ellipse for a measurement arrow, spread out so arrows do not all meet at one spot."""
    if shape.side in ("left", "right"):
        off = max(-0.7 * shape.ry, min(0.7 * shape.ry, (box.cy - shape.cy) * 0.5))
        x = shape.rx * math.sqrt(1 - (off / shape.ry) ** 2)
        return (shape.cx - x if shape.side == "left" else shape.cx + x), shape.cy + off
    off = max(-0.7 * shape.rx, min(0.7 * shape.rx, (box.cx - shape.cx) * 0.5))
    y = shape.ry * math.sqrt(1 - (off / shape.rx) ** 2)
    return shape.cx + off, (shape.cy - y if box.cy < shape.cy else shape.cy + y)


def _along(points: Sequence[tuple[float, float]], t: float) -> tuple[float, float, float]:
    """Point at fraction ``t`` of a polyline's length, and the direction angle of that segment."""
    segs = list(itertools.pairwise(points))
    lengths = [math.dist(a, b) for a, b in segs]
    target = t * sum(lengths)
    for k, ((a, b), seg) in enumerate(zip(segs, lengths, strict=True)):
        if target <= seg or k == len(segs) - 1:
            f = min(1.0, target / seg) if seg else 0.0
            return a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), math.atan2(b[1] - a[1], b[0] - a[0])
        target -= seg
    return points[-1][0], points[-1][1], 0.0


class _Board:
    """Labels and shapes placed so far; finds a free spot for each new edge label."""

    def __init__(self, shapes: Sequence[ConstructShape], boxes: Sequence[Box]) -> None:
        self.shapes = shapes
        self.boxes = list(boxes)
        self.labels: list[Label] = []

    def free(self, label: Label) -> bool:
        b = label.box
        return (
            not any(b.overlaps(o.box, 1.0) for o in self.labels)
            and not any(b.overlaps(o) for o in self.boxes)
            and not any(b.hits_ellipse(s.cx, s.cy, s.rx, s.ry) for s in self.shapes)
        )

    def put(self, label: Label) -> None:
        self.labels.append(label)

    def put_on(
        self, kind: str, owner: str, text: str, points: Sequence[tuple[float, float]], ts: Sequence[float]
    ) -> None:
        """Place ``text`` on the arrow through ``points``: first free spot along it, else beside it."""
        first: Label | None = None
        for shift in (0.0, 1.0, -1.0, 2.0, -2.0):
            for t in ts:
                x, y, angle = _along(points, t)
                cand = _label(kind, owner, [text], VALUE_SIZE, x, y)
                if shift:
                    nx, ny = -math.sin(angle), math.cos(angle)
                    step = shift * (cand.box.h * 0.5 + 5 + abs(nx) * cand.box.w * 0.5)
                    cand = _label(kind, owner, [text], VALUE_SIZE, x + nx * step, y + ny * step)
                if self.free(cand):
                    self.put(cand)
                    return
                first = first or cand
        if first is not None:
            self.put(first)


def diagram_geometry(model: Model, values: DiagramValues | None = None) -> Geometry:
    """Lay out ``model`` and place every label; see the module docstring for what is drawn."""
    values = values or DiagramValues()
    fmt = lambda x: _fmt(x, values.digits, values.decimal)  # noqa: E731
    endo = frozenset(n for n in model.endogenous if n in values.r2)
    placement = place(model, with_r2=endo)
    shapes = [placement.constructs[n] for n in model.construct_names]
    inds = [placement.indicators[i] for i in model.indicators]
    board = _Board(shapes, [s.box for s in inds])
    for s in shapes:
        lines = list(placement.name_lines[s.name])
        step = LINE_HEIGHT * NAME_SIZE
        top = s.cy - (len(lines) + (s.name in endo)) * step / 2
        name_w = max(text_width(t, NAME_SIZE) for t in lines) + 2 * LABEL_PAD
        board.put(
            Label(
                "construct",
                s.name,
                tuple(lines),
                NAME_SIZE,
                Box(s.cx - name_w / 2, top, name_w, len(lines) * step),
            )
        )
        if s.name in endo:
            r2 = f"R² = {fmt(values.r2[s.name])}"
            r2_w = text_width(r2, NAME_SIZE) + 2 * LABEL_PAD
            board.put(
                Label(
                    "r2", s.name, (r2,), NAME_SIZE, Box(s.cx - r2_w / 2, top + len(lines) * step, r2_w, step)
                )
            )
    for ind in inds:
        board.put(_label("indicator", ind.name, [ind.name], INDICATOR_SIZE, ind.box.cx, ind.box.cy))
    arrows: list[Arrow] = []
    modes = {c.name: c.mode for c in model.constructs}
    for ind in inds:
        shape = placement.constructs[ind.construct]
        ex, ey = _anchor(shape, ind.box)
        bx, by = _box_point(ind.box, ex, ey)
        if modes[ind.construct] is Mode.A:
            arrows.append(Arrow("measurement", ind.construct, ind.name, ((ex, ey), (bx, by))))
        else:
            arrows.append(Arrow("measurement", ind.name, ind.construct, ((bx, by), (ex, ey))))
        if ind.name in values.outer:
            # Nearer the box than the ellipse: the arrows fan apart there, so neighbours' labels don't meet.
            ts: tuple[float, ...] = (0.62, 0.7, 0.55, 0.78, 0.48, 0.4)
            ts_from_box = ts if modes[ind.construct] is Mode.A else tuple(1 - t for t in ts)
            board.put_on("outer", ind.name, fmt(values.outer[ind.name]), arrows[-1].points, ts_from_box)
    for p in model.paths:
        src, dst = placement.constructs[p.source], placement.constructs[p.target]
        via = sorted(
            (w for w in placement.waypoints if (w.source, w.target) == (p.source, p.target)),
            key=lambda w: w.layer,
        )
        mids = [(w.x, w.y) for w in via]
        first = mids[0] if mids else (dst.cx, dst.cy)
        last = mids[-1] if mids else (src.cx, src.cy)
        pts = (_ellipse_point(src, *first), *mids, _ellipse_point(dst, *last))
        arrows.append(Arrow("structural", p.source, p.target, pts))
        key = (p.source, p.target)
        if key in values.paths:
            text = fmt(values.paths[key])
            if key in values.p_values:
                text += f" (p {_p_text(values.p_values[key], values)})"
            ts_path = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82)
            board.put_on("path", f"{p.source} -> {p.target}", text, pts, ts_path)
    return Geometry(
        width=placement.width,
        height=placement.height,
        constructs=tuple(shapes),
        indicators=tuple(inds),
        arrows=tuple(arrows),
        labels=tuple(board.labels),
    )


def _p_text(p: float, values: DiagramValues) -> str:
    text = format_p(p, values.digits, values.decimal)
    return text if text.startswith("<") else f"= {text}"


def render_svg(model: Model, values: DiagramValues | None = None, *, title: str | None = None) -> str:
    """The diagram of ``model`` as a standalone SVG document (UTF-8 text)."""
    return geometry_svg(diagram_geometry(model, values), title=title)


def geometry_svg(g: Geometry, *, title: str | None = None) -> str:
    """Draw a :class:`Geometry` (from :func:`diagram_geometry`) as a standalone SVG document."""
    w, h = math.ceil(g.width), math.ceil(g.height)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" '
        f'font-family="{FONT}" role="img">',
        f"<title>{escape(title or 'PLS path model')}</title>",
        "<defs>"
        '<marker id="ukur-head" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>',
        f'<rect x="0" y="0" width="{w}" height="{h}" fill="#ffffff"/>',
    ]
    for a in g.arrows:
        d = " ".join(f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(a.points))
        colour, width = ("#333", 1.6) if a.kind == "structural" else ("#777", 1.0)
        out.append(
            f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{width}" '
            f'marker-end="url(#ukur-head)" data-kind="{a.kind}"/>'
        )
    for s in g.constructs:
        out.append(
            f'<ellipse cx="{s.cx:.1f}" cy="{s.cy:.1f}" rx="{s.rx:.1f}" ry="{s.ry:.1f}" '
            f'fill="#dbe8f6" stroke="#2f5d8a" stroke-width="1.5" data-construct="{escape(s.name)}"/>'
        )
    for i in g.indicators:
        b = i.box
        out.append(
            f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" rx="2" '
            f'fill="#fff7d6" stroke="#9a7b17" stroke-width="1" data-indicator="{escape(i.name)}"/>'
        )
    for lab in g.labels:
        if lab.kind in ("outer", "path"):
            b = lab.box
            out.append(
                f'<rect x="{b.x:.1f}" y="{b.y:.1f}" width="{b.w:.1f}" height="{b.h:.1f}" fill="#ffffff" '
                f'fill-opacity="0.9"/>'
            )
        for x, y, text in lab.baselines():
            out.append(
                f'<text x="{x:.1f}" y="{y:.1f}" font-size="{lab.size}" text-anchor="middle" '
                f'data-kind="{lab.kind}">{escape(text)}</text>'
            )
    out.append("</svg>")
    return "\n".join(out)


def svg_to_png(svg: str, *, scale: float = 2.0) -> bytes:
    """Rasterise an SVG document to PNG with CairoSVG (needs the system cairo library, ``libcairo2``).

    Raises :class:`ukur.errors.UkurError` with an installation hint when CairoSVG or cairo is missing.
    """
    from ukur.errors import UkurError

    try:
        import cairosvg  # type: ignore[import-not-found,unused-ignore]
    except (ImportError, OSError) as exc:
        raise UkurError(
            "PNG output needs the 'cairosvg' package and the cairo library (Debian: apt-get install libcairo2)"
        ) from exc
    png = cairosvg.svg2png(bytestring=svg.encode("utf-8"), scale=scale)
    return bytes(png)
