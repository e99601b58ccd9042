"""Geometry of a PLS path diagram: layers, order within layers, shapes, arrows and label boxes.

The layout is a small Sugiyama-style layered drawing (Sugiyama, Tagawa & Toda 1981):

1. **Layers** follow the causal order left to right: a construct's layer is the length of the longest
   structural path that ends in it, so every arrow points to the right.
2. **Long paths** (spanning more than one layer) get one invisible *waypoint* per layer they cross, so
   they are routed around the constructs in between instead of through them.
3. **Order within layers** uses barycentre sweeps (each node moves to the mean position of its
   neighbours in the adjacent layer), alternating downward and upward passes; the few orderings with
   the fewest crossings are each laid out, and the one whose structural arrows pass through the fewest
   indicator boxes is kept.
4. **Indicators** go on the construct's free side: left of an exogenous construct, right of a construct
   in the last layer, otherwise in a row above or below the ellipse, on the side fewer structural
   arrows cross (split half above, half below when there are more than four, to keep columns narrow).

Text sizes come from :func:`text_width`, a deliberately generous estimate of rendered width, so the
boxes used for overlap checks enclose what any common sans-serif font draws.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ukur.pls.model import Model

__all__ = [
    "Box",
    "ConstructShape",
    "IndicatorShape",
    "Waypoint",
    "layer_of",
    "order_candidates",
    "order_layers",
    "place",
    "segment_hits_box",
    "text_width",
    "wrap_words",
]

#: Em widths used by :func:`text_width`: at least DejaVu Sans' advance widths (one of the widest common
#: sans-serif fonts; Arial and Helvetica are narrower), so estimated boxes enclose the rendered text.
_NARROW = set("iljtfr.,:;'|!()[] ")
_WIDE = set("mwMW@%=<>+~√")
_UPPER = set("ABCDEFGHKNOPQRSUVXYZ#&")

LINE_HEIGHT = 1.25
"""Line height as a multiple of the font size; label boxes are ``lines × LINE_HEIGHT × size`` high."""
ASCENT = 0.95
"""Baseline offset from the top of a line box, as a multiple of the font size."""


def text_width(text: str, size: float) -> float:
    """Estimated rendered width of ``text`` at font ``size`` (pixels), erring on the wide side."""
    em = 0.0
    for ch in text:
        if ch in _NARROW:
            em += 0.42
        elif ch in _WIDE:
            em += 1.0
        elif ch in _UPPER or ch.isupper():
            em += 0.8
        else:
            em += 0.64
    return em * size


def wrap_words(text: str, max_chars: int = 14) -> tuple[str, ...]:
    """Split a construct name into lines of at most ``max_chars`` characters at spaces or underscores.

    Long single words stay whole (they widen the ellipse instead of being cut mid-word).
    """
    words = text.replace("_", "_ ").split()
    lines: list[str] = []
    for word in words:
        if lines and len(lines[-1]) + 1 + len(word) <= max_chars:
            sep = "" if lines[-1].endswith("_") else " "
            lines[-1] = f"{lines[-1]}{sep}{word}"
        else:
            lines.append(word)
    return tuple(lines) or (text,)


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned rectangle: top-left corner ``(x, y)``, width ``w``, height ``h`` (SVG pixels)."""

    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def overlaps(self, other: Box, pad: float = 0.0) -> bool:
        """True when the rectangles share interior area (touching edges do not count)."""
        return (
            self.x < other.x + other.w + pad
            and other.x < self.x + self.w + pad
            and self.y < other.y + other.h + pad
            and other.y < self.y + self.h + pad
        )

    def hits_ellipse(self, cx: float, cy: float, rx: float, ry: float) -> bool:
        """True when the rectangle and the ellipse intersect (exact: checked in the ellipse's unit space)."""
        px = min(max(cx, self.x), self.x + self.w)
        py = min(max(cy, self.y), self.y + self.h)
        return ((px - cx) / rx) ** 2 + ((py - cy) / ry) ** 2 < 1.0


@dataclass(frozen=True, slots=True)
class ConstructShape:
    """A construct drawn as an ellipse centred at ``(cx, cy)``; ``side`` is where its indicators sit."""

    name: str
    layer: int
    cx: float
    cy: float
    rx: float
    ry: float
    side: str


@dataclass(frozen=True, slots=True)
class IndicatorShape:
    """An indicator drawn as a box next to its construct."""

    name: str
    construct: str
    box: Box


@dataclass(frozen=True, slots=True)
class Waypoint:
    """An invisible point a long structural path passes through in an intermediate layer."""

    source: str
    target: str
    layer: int
    x: float
    y: float


@dataclass(frozen=True)
class Placement:
    """Everything :func:`place` decides: shapes, waypoints and the drawing size."""

    constructs: Mapping[str, ConstructShape]
    indicators: Mapping[str, IndicatorShape]
    waypoints: tuple[Waypoint, ...]
    width: float
    height: float
    name_lines: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def layer_of(model: Model) -> dict[str, int]:
    """Layer of each construct: the number of arrows on the longest structural path ending in it."""
    layer: dict[str, int] = {}
    for name in model.order:
        preds = model.predecessors(name)
        layer[name] = 1 + max(layer[p] for p in preds) if preds else 0
    return layer


def _nodes_by_layer(model: Model, layer: Mapping[str, int]) -> list[list[str]]:
    """Construct names and waypoint keys (``"\\0s\\0t\\0k"``) per layer, constructs first in causal order."""
    count = max(layer.values()) + 1
    rows: list[list[str]] = [[] for _ in range(count)]
    for name in model.order:
        rows[layer[name]].append(name)
    for p in model.paths:
        for k in range(layer[p.source] + 1, layer[p.target]):
            rows[k].append(_waypoint_key(p.source, p.target, k))
    return rows


def _waypoint_key(source: str, target: str, k: int) -> str:
    return f"\0{source}\0{target}\0{k}"


def _segments(model: Model, layer: Mapping[str, int]) -> list[tuple[str, str]]:
    """Edges between adjacent layers after long paths are split at their waypoints."""
    segs: list[tuple[str, str]] = []
    for p in model.paths:
        chain = [p.source]
        chain += [_waypoint_key(p.source, p.target, k) for k in range(layer[p.source] + 1, layer[p.target])]
        chain.append(p.target)
        segs.extend(itertools.pairwise(chain))
    return segs


def _crossings(rows: Sequence[Sequence[str]], segs: Sequence[tuple[str, str]]) -> int:
    pos = {n: i for row in rows for i, n in enumerate(row)}
    total = 0
    for i, (a, b) in enumerate(segs):
        for c, d in segs[i + 1 :]:
            if (pos[a] - pos[c]) * (pos[b] - pos[d]) < 0 and _same_layer(rows, a, c):
                total += 1
    return total


def _same_layer(rows: Sequence[Sequence[str]], a: str, c: str) -> bool:
    return any(a in row and c in row for row in rows)


def order_layers(model: Model, sweeps: int = 8) -> list[list[str]]:
    """Nodes per layer (constructs and waypoint keys), ordered to reduce arrow crossings.

    Barycentre heuristic: a node's key is the mean index of its neighbours in the layer just
    swept; ties keep the current order (Python's sort is stable), so the result is deterministic.
    """
    return order_candidates(model, sweeps)[0]


def order_candidates(model: Model, sweeps: int = 8, keep: int = 4) -> list[list[list[str]]]:
    """The distinct orderings met during the barycentre sweeps, fewest crossings first (at most ``keep``)."""
    layer = layer_of(model)
    rows = _nodes_by_layer(model, layer)
    segs = _segments(model, layer)
    ups: dict[str, list[str]] = {}
    downs: dict[str, list[str]] = {}
    for a, b in segs:
        downs.setdefault(a, []).append(b)
        ups.setdefault(b, []).append(a)
    seen: dict[tuple[tuple[str, ...], ...], tuple[int, int]] = {}
    seen[tuple(map(tuple, rows))] = (_crossings(rows, segs), 0)
    for sweep in range(sweeps):
        downward = sweep % 2 == 0
        indices = range(1, len(rows)) if downward else range(len(rows) - 2, -1, -1)
        for k in indices:
            ref = rows[k - 1] if downward else rows[k + 1]
            where = {n: i for i, n in enumerate(ref)}
            links = ups if downward else downs
            current = {n: i for i, n in enumerate(rows[k])}

            def key(n: str, where: dict[str, int] = where, links: dict = links, cur: dict = current) -> float:
                neigh = [where[m] for m in links.get(n, []) if m in where]
                return sum(neigh) / len(neigh) if neigh else float(cur[n])

            rows[k] = sorted(rows[k], key=key)
        seen.setdefault(tuple(map(tuple, rows)), (_crossings(rows, segs), sweep + 1))
    ranked = sorted(seen, key=lambda r: seen[r])
    return [[list(row) for row in r] for r in ranked[:keep]]


# --- sizes (SVG pixels) ------------------------------------------------------------------------------
NAME_SIZE = 13.0
INDICATOR_SIZE = 11.0
BOX_H = 22.0
BOX_PAD = 7.0
STACK_PITCH = 32.0
SIDE_GAP = 72.0
ROW_GAP = 62.0
ROW_SPACING = 12.0
SLOT_GAP = 46.0
COLUMN_GAP = 130.0
WAYPOINT_H = 34.0
MARGIN = 24.0
ROW_OVERHANG = 0.4 * COLUMN_GAP
SPLIT_AT = 4
"""A construct between other constructs with more indicators than this has them half above, half below."""
LABEL_PAD = 2.0
"""Horizontal padding on each side of a label's text inside its box."""
R2_SAMPLE = "R² = -0.000"
"""The widest R² line an ellipse must hold (3 decimals, sign)."""


def _ellipse_size(lines: Sequence[str], extra: Sequence[str]) -> tuple[float, float]:
    """Radii of an ellipse that holds the name ``lines`` plus ``extra`` lines (such as R²) inside it."""
    w = max(text_width(line, NAME_SIZE) for line in (*lines, *extra)) + 2 * LABEL_PAD
    h = (len(lines) + len(extra)) * LINE_HEIGHT * NAME_SIZE
    # A w×h rectangle fits inside the ellipse when (w/2rx)² + (h/2ry)² ≤ 1. Scaling both half-sides by √2
    # gives exactly 1; a minimum radius on one axis only makes the fit looser.
    return max(48.0, w / 2 * math.sqrt(2) + 6), max(28.0, h / 2 * math.sqrt(2) + 4)


def _box_w(name: str) -> float:
    return text_width(name, INDICATOR_SIZE) + 2 * BOX_PAD


def place(model: Model, with_r2: frozenset[str] = frozenset()) -> Placement:
    """Decide where every construct, indicator and waypoint goes.

    ``with_r2`` names the constructs whose ellipse must hold an extra line for R². Indicators go left
    of exogenous constructs and right of constructs in the last layer; any other construct first gets its indicator row on the side with fewer neighbours
    in its layer; then, for up to three rounds, a row is moved to the other side when fewer structural
    arrows would cross it there.
    """
    lines = {c.name: wrap_words(c.name) for c in model.constructs}
    radii = {n: _ellipse_size(lines[n], (R2_SAMPLE,) if n in with_r2 else ()) for n in model.construct_names}
    best: tuple[int, int] | None = None
    chosen: Placement | None = None
    for rank, rows in enumerate(order_candidates(model)):
        placement = _place_rows(model, rows, radii, lines)
        boxes = [i.box for i in placement.indicators.values()]
        cost = (_hits(_routes(model, placement), boxes), rank)
        if best is None or cost < best:
            best, chosen = cost, placement
    if chosen is None:  # order_candidates always returns at least the initial ordering
        raise ValueError("no layer ordering")
    return chosen


def _place_rows(
    model: Model,
    rows: Sequence[Sequence[str]],
    radii: Mapping[str, tuple[float, float]],
    lines: Mapping[str, tuple[str, ...]],
) -> Placement:
    """Placement for one ordering: initial indicator sides, then up to three rounds of row flips."""
    side: dict[str, str] = {}
    for row in rows:
        for i, n in enumerate(row):
            if n.startswith("\0"):
                continue
            if not model.predecessors(n):
                side[n] = "left"
            elif not model.successors(n) and n in rows[-1]:
                side[n] = "right"
            else:
                many = len(model.construct(n).indicators) > SPLIT_AT
                side[n] = "split" if many else "top" if i <= (len(row) - 1) / 2 else "bottom"
    placement = _arrange(model, rows, side, radii, lines)
    for _ in range(3):
        routes = _routes(model, placement)
        flips = [
            n
            for n, where in side.items()
            if where in ("top", "bottom")
            and _hits(routes, _mirrored(placement, n)) < _hits(routes, _row(placement, n))
        ]
        if not flips:
            break
        for n in flips:
            side[n] = "bottom" if side[n] == "top" else "top"
        placement = _arrange(model, rows, side, radii, lines)
    return placement


def _row(placement: Placement, name: str) -> list[Box]:
    return [i.box for i in placement.indicators.values() if i.construct == name]


def _mirrored(placement: Placement, name: str) -> list[Box]:
    """The construct's indicator row reflected to the other side of its ellipse."""
    cy = placement.constructs[name].cy
    return [Box(b.x, 2 * cy - b.y - b.h, b.w, b.h) for b in _row(placement, name)]


def _routes(model: Model, placement: Placement) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Centre-to-centre segments of every structural path, through its waypoints."""
    segs: list[tuple[tuple[float, float], tuple[float, float]]] = []
    for p in model.paths:
        a, b = placement.constructs[p.source], placement.constructs[p.target]
        via = sorted(
            (w for w in placement.waypoints if (w.source, w.target) == (p.source, p.target)),
            key=lambda w: w.layer,
        )
        pts = [(a.cx, a.cy), *((w.x, w.y) for w in via), (b.cx, b.cy)]
        segs.extend(itertools.pairwise(pts))
    return segs


def _hits(segs: Sequence[tuple[tuple[float, float], tuple[float, float]]], boxes: Sequence[Box]) -> int:
    return sum(segment_hits_box(p, q, box) for p, q in segs for box in boxes)


def segment_hits_box(p: tuple[float, float], q: tuple[float, float], box: Box) -> bool:
    """True when the segment ``p``–``q`` passes through the box's interior (Liang–Barsky clipping)."""
    dx, dy = q[0] - p[0], q[1] - p[1]
    lo, hi = 0.0, 1.0
    for d, near, far in ((dx, box.x - p[0], box.x + box.w - p[0]), (dy, box.y - p[1], box.y + box.h - p[1])):
        if d == 0:
            if near >= 0 or far <= 0:
                return False
            continue
        t1, t2 = sorted((near / d, far / d))
        lo, hi = max(lo, t1), min(hi, t2)
        if lo >= hi:
            return False
    return True


def _arrange(
    model: Model,
    rows: Sequence[Sequence[str]],
    side: Mapping[str, str],
    radii: Mapping[str, tuple[float, float]],
    lines: Mapping[str, tuple[str, ...]],
) -> Placement:
    """Coordinates for a fixed order and fixed indicator sides: columns left to right, slots top down."""
    layer = layer_of(model)

    def block(n: str) -> tuple[float, float, float, float]:
        """Extents (left, right, up, down) of a node's slot around its centre."""
        if n.startswith("\0"):
            return 0.0, 0.0, WAYPOINT_H / 2, WAYPOINT_H / 2
        rx, ry = radii[n]
        inds = model.construct(n).indicators
        widths = [_box_w(i) for i in inds]
        if side[n] in ("left", "right"):
            half = max(ry, (len(inds) * STACK_PITCH - (STACK_PITCH - BOX_H)) / 2)
            reach = rx + SIDE_GAP + max(widths)
            return (reach, rx, half, half) if side[n] == "left" else (rx, reach, half, half)
        reach = ry + ROW_GAP + BOX_H
        # A row sits above or below the ellipse, clear of the arrows between columns, so it may reach
        # into the column gaps by up to ROW_OVERHANG on each side.
        if side[n] == "split":
            upper, lower = _halves(widths)
            half_w = max(rx, max(_row_width(upper), _row_width(lower)) / 2 - ROW_OVERHANG)
            return half_w, half_w, reach, reach
        half_w = max(rx, _row_width(widths) / 2 - ROW_OVERHANG)
        return (half_w, half_w, reach, ry) if side[n] == "top" else (half_w, half_w, ry, reach)

    extents = {n: block(n) for row in rows for n in row}
    xs: list[float] = []
    right_edge = MARGIN
    for row in rows:
        left = max(extents[n][0] for n in row)
        right = max(extents[n][1] for n in row)
        cx = right_edge + (COLUMN_GAP if xs else 0.0) + left
        xs.append(cx)
        right_edge = cx + right
    # Slots top to bottom within each column, each column centred on the tallest.
    heights = [sum(extents[n][2] + extents[n][3] for n in row) + SLOT_GAP * (len(row) - 1) for row in rows]
    tallest = max(heights)
    centre: dict[str, tuple[float, float]] = {}
    for k, row in enumerate(rows):
        y = MARGIN + (tallest - heights[k]) / 2
        for n in row:
            _, _, up, down = extents[n]
            centre[n] = (xs[k], y + up)
            y += up + down + SLOT_GAP
    constructs = {
        n: ConstructShape(n, layer[n], *centre[n], *radii[n], side[n]) for n in model.construct_names
    }
    indicators: dict[str, IndicatorShape] = {}
    for c in model.constructs:
        indicators.update(_indicator_boxes(constructs[c.name], c.indicators))
    waypoints = tuple(
        Waypoint(n.split("\0")[1], n.split("\0")[2], int(n.split("\0")[3]), *centre[n])
        for row in rows
        for n in row
        if n.startswith("\0")
    )
    return Placement(
        constructs=constructs,
        indicators=indicators,
        waypoints=waypoints,
        width=right_edge + MARGIN,
        height=tallest + 2 * MARGIN,
        name_lines=lines,
    )


def _indicator_boxes(shape: ConstructShape, names: Sequence[str]) -> dict[str, IndicatorShape]:
    out: dict[str, IndicatorShape] = {}
    widths = [_box_w(i) for i in names]
    if shape.side in ("left", "right"):
        stack_w = max(widths)
        top = shape.cy - (len(names) * STACK_PITCH - (STACK_PITCH - BOX_H)) / 2
        for k, (name, w) in enumerate(zip(names, widths, strict=True)):
            if shape.side == "left":
                x = shape.cx - shape.rx - SIDE_GAP - stack_w + (stack_w - w)
            else:
                x = shape.cx + shape.rx + SIDE_GAP
            out[name] = IndicatorShape(name, shape.name, Box(x, top + k * STACK_PITCH, w, BOX_H))
        return out
    above = shape.cy - shape.ry - ROW_GAP - BOX_H
    below = shape.cy + shape.ry + ROW_GAP
    if shape.side == "split":
        upper, _ = _halves(names)
        rows = [(list(names[: len(upper)]), above), (list(names[len(upper) :]), below)]
    else:
        rows = [(list(names), above if shape.side == "top" else below)]
    for row, y in rows:
        row_widths = [_box_w(i) for i in row]
        x = shape.cx - _row_width(row_widths) / 2
        for name, w in zip(row, row_widths, strict=True):
            out[name] = IndicatorShape(name, shape.name, Box(x, y, w, BOX_H))
            x += w + ROW_SPACING
    return out


def _row_width(widths: Sequence[float]) -> float:
    return sum(widths) + ROW_SPACING * (len(widths) - 1) if widths else 0.0


def _halves(items: Sequence[Any]) -> tuple[Sequence[Any], Sequence[Any]]:
    """First ⌈n/2⌉ items (drawn above a construct) and the rest (below)."""
    k = (len(items) + 1) // 2
    return items[:k], items[k:]
