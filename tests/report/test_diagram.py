"""Path diagram layout: labels never overlap, arrows follow the causal order, numbers are drawn.

Overlap is checked twice: on the geometry the layout returns, and on the SVG text re-parsed with
the same generous width estimate (:func:`ukur.report.layout.text_width`), so a change in rendering
that moves text away from its computed box is caught.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.report import models
from ukur.pls.model import Mode, Model
from ukur.report.diagram import DiagramValues, diagram_geometry, format_p, render_svg
from ukur.report.layout import ASCENT, LINE_HEIGHT, Box, layer_of, segment_hits_box, text_width, wrap_words

SVG = "{http://www.w3.org/2000/svg}"
MODELS: dict[str, Callable[[], Model]] = {
    "demo": models.demo,
    "mobi-M1": models.m1,
    "mobi-M3": models.m3,
    "ecsi-7": models.ecsi,
    "generated-12x60": models.generated,
}


def full_values(model: Model, seed: int = 0, *, decimal: str = ".") -> DiagramValues:
    """Every number a bootstrap diagram can show, with widths like real output (signs, 3 decimals)."""
    rng = np.random.default_rng(seed)
    keys = [(p.source, p.target) for p in model.paths]
    return DiagramValues(
        outer={i: float(rng.uniform(0.4, 0.99)) for i in model.indicators},
        paths={k: float(rng.uniform(-0.9, 0.9)) for k in keys},
        p_values={k: float(rng.choice([0.0, rng.uniform(0, 1)])) for k in keys},
        r2={n: float(rng.uniform(0, 1)) for n in model.endogenous},
        decimal=decimal,
    )


def svg_text_boxes(svg: str) -> list[tuple[str, Box]]:
    """Boxes of every <text> element, from its x/y/font-size/anchor as written in the SVG."""
    root = ET.fromstring(svg)
    out = []
    for t in root.iter(f"{SVG}text"):
        size = float(t.attrib["font-size"])
        assert t.attrib["text-anchor"] == "middle"
        w = text_width(t.text or "", size)
        x, y = float(t.attrib["x"]), float(t.attrib["y"])
        out.append((t.text or "", Box(x - w / 2, y - ASCENT * size, w, LINE_HEIGHT * size)))
    return out


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("decimal", [".", ","])
def test_no_two_labels_overlap(name: str, decimal: str) -> None:
    model = MODELS[name]()
    geometry = diagram_geometry(model, full_values(model, decimal=decimal))
    assert geometry.overlapping_labels() == []
    # Every number is there: one label per indicator value, per path, per R².
    kinds = [lab.kind for lab in geometry.labels]
    assert kinds.count("outer") == len(model.indicators)
    assert kinds.count("path") == len(model.paths)
    assert kinds.count("r2") == len(model.endogenous)


@pytest.mark.parametrize("name", MODELS)
def test_no_overlap_in_svg_text(name: str) -> None:
    model = MODELS[name]()
    svg = render_svg(model, full_values(model, seed=1))
    boxes = svg_text_boxes(svg)
    expected = sum(len(wrap_words(c)) for c in model.construct_names)
    expected += len(model.endogenous) + 2 * len(model.indicators) + len(model.paths)
    assert len(boxes) == expected
    # Coordinates are written with one decimal, so boxes may appear to share up to 0.1 px.
    clashes = [
        (a, b) for i, (a, ba) in enumerate(boxes) for b, bb in boxes[i + 1 :] if ba.overlaps(bb, pad=-0.2)
    ]
    assert clashes == []


@pytest.mark.parametrize("name", MODELS)
def test_shapes_do_not_overlap_and_values_stay_off_shapes(name: str) -> None:
    model = MODELS[name]()
    g = diagram_geometry(model, full_values(model))
    boxes = [i.box for i in g.indicators]
    for i, a in enumerate(boxes):
        assert not any(a.overlaps(b) for b in boxes[i + 1 :])
        assert not any(a.hits_ellipse(s.cx, s.cy, s.rx, s.ry) for s in g.constructs)
    for i, s in enumerate(g.constructs):
        for t in g.constructs[i + 1 :]:
            assert not Box(s.cx - s.rx, s.cy - s.ry, 2 * s.rx, 2 * s.ry).overlaps(
                Box(t.cx - t.rx, t.cy - t.ry, 2 * t.rx, 2 * t.ry)
            )
    for lab in g.labels:
        if lab.kind in ("outer", "path"):
            assert not any(lab.box.hits_ellipse(s.cx, s.cy, s.rx, s.ry) for s in g.constructs)
            assert not any(lab.box.overlaps(b) for b in boxes)
        assert lab.box.x >= 0 and lab.box.x + lab.box.w <= g.width
        assert lab.box.y >= 0 and lab.box.y + lab.box.h <= g.height


@pytest.mark.parametrize("name", MODELS)
def test_names_and_r2_fit_inside_their_ellipse(name: str) -> None:
    model = MODELS[name]()
    g = diagram_geometry(model, full_values(model))
    shapes = {s.name: s for s in g.constructs}
    for lab in g.labels:
        if lab.kind in ("construct", "r2"):
            s = shapes[lab.owner]
            corners = [(lab.box.x, lab.box.y), (lab.box.x + lab.box.w, lab.box.y + lab.box.h)]
            for x, y in corners:
                assert ((x - s.cx) / s.rx) ** 2 + ((y - s.cy) / s.ry) ** 2 <= 1.0 + 1e-9


@pytest.mark.parametrize("name", MODELS)
def test_causal_order_runs_left_to_right(name: str) -> None:
    model = MODELS[name]()
    g = diagram_geometry(model)
    layer = layer_of(model)
    x = {s.name: s.cx for s in g.constructs}
    for p in model.paths:
        assert layer[p.target] > layer[p.source]
        assert x[p.target] > x[p.source]
    for a in g.arrows:
        if a.kind == "structural":
            xs = [pt[0] for pt in a.points]
            assert xs == sorted(xs)


def test_long_paths_avoid_constructs_in_between() -> None:
    """The seed study's direct path Promosi → Minat Beli is routed around the mediator."""
    model = models.demo()
    g = diagram_geometry(model)
    shapes = {s.name: s for s in g.constructs}
    mediator = shapes[models.KETERLIBATAN]
    ellipse_box = Box(mediator.cx - mediator.rx, mediator.cy - mediator.ry, 2 * mediator.rx, 2 * mediator.ry)
    direct = next(a for a in g.arrows if (a.source, a.target) == (models.PROMOSI, models.MINAT))
    assert len(direct.points) == 3
    assert not any(
        segment_hits_box(p, q, ellipse_box) for p, q in zip(direct.points, direct.points[1:], strict=False)
    )


def test_demo_numbers_are_printed_with_the_chosen_decimal_mark() -> None:
    model = models.demo()
    values = DiagramValues(
        outer={"Absorption": 0.970},
        paths={(models.PROMOSI, models.MINAT): 0.211, (models.KETERLIBATAN, models.MINAT): 0.767},
        p_values={(models.PROMOSI, models.MINAT): 0.276, (models.KETERLIBATAN, models.MINAT): 0.00002},
        r2={models.MINAT: 0.886},
        decimal=",",
    )
    texts = {lab.lines for lab in diagram_geometry(model, values).labels}
    assert ("0,970",) in texts
    assert ("0,211 (p = 0,276)",) in texts
    assert ("0,767 (p < 0,001)",) in texts
    assert ("R² = 0,886",) in texts
    assert not any(lab.kind == "r2" for lab in diagram_geometry(model).labels)


def test_measurement_arrows_follow_the_mode() -> None:
    model = Model.build().reflective("A", ["a1", "a2"]).formative("B", ["b1", "b2"]).path("A", "B").model()
    arrows = {(a.source, a.target) for a in diagram_geometry(model).arrows if a.kind == "measurement"}
    assert arrows == {("A", "a1"), ("A", "a2"), ("b1", "B"), ("b2", "B")}
    assert model.construct("B").mode is Mode.B


def test_indicators_sit_on_the_free_side() -> None:
    g = diagram_geometry(models.demo())
    shapes = {s.name: s for s in g.constructs}
    assert shapes[models.PROMOSI].side == "left"
    assert shapes[models.MINAT].side == "right"
    assert shapes[models.KETERLIBATAN].side in ("top", "bottom")
    for ind in g.indicators:
        s = shapes[ind.construct]
        if s.side == "left":
            assert ind.box.x + ind.box.w < s.cx - s.rx
        elif s.side == "right":
            assert ind.box.x > s.cx + s.rx
        elif s.side == "top":
            assert ind.box.y + ind.box.h < s.cy - s.ry
        elif s.side == "bottom":
            assert ind.box.y > s.cy + s.ry
        else:
            assert s.side == "split"
            assert ind.box.y + ind.box.h < s.cy - s.ry or ind.box.y > s.cy + s.ry


def test_many_indicators_between_constructs_are_split_above_and_below() -> None:
    g = diagram_geometry(models.ecsi())
    quality = next(s for s in g.constructs if s.name == "Quality")
    assert quality.side == "split"
    ys = [i.box.cy for i in g.indicators if i.construct == "Quality"]
    assert sum(y < quality.cy for y in ys) == 4 and sum(y > quality.cy for y in ys) == 3


def test_wrapping_construct_names() -> None:
    assert wrap_words("Promosi di Media Sosial") == ("Promosi di", "Media Sosial")
    assert wrap_words("Keterlibatan Pelanggan") == ("Keterlibatan", "Pelanggan")
    assert wrap_words("Image") == ("Image",)
    assert wrap_words("Kepuasan_Pelanggan_Online") == ("Kepuasan_", "Pelanggan_", "Online")
    assert wrap_words("Pertanggungjawaban") == ("Pertanggungjawaban",)


def test_format_p() -> None:
    assert format_p(0.0) == "< 0.001"
    assert format_p(0.0004, decimal=",") == "< 0,001"
    assert format_p(0.276) == "0.276"
    assert format_p(0.001) == "0.001"
    model = Model.build().reflective("A", ["a"]).reflective("B", ["b"]).path("A", "B").model()
    labels = diagram_geometry(model, DiagramValues(paths={("A", "B"): -0.0001})).labels
    assert ("0.000",) in {lab.lines for lab in labels}  # never "-0.000"


def test_segment_hits_box() -> None:
    box = Box(0, 0, 10, 10)
    assert segment_hits_box((-5, 5), (15, 5), box)
    assert not segment_hits_box((-5, -1), (15, -1), box)
    assert not segment_hits_box((-5, 0), (15, 0), box)  # along an edge: not the interior
    assert segment_hits_box((5, 5), (6, 6), box)
    assert not segment_hits_box((-5, -5), (-1, 20), box)


@st.composite
def random_models(draw: st.DrawFn) -> Model:
    """Random acyclic models of 2–12 constructs with 1–7 indicators each and random modes."""
    n = draw(st.integers(2, 12))
    names = [
        draw(st.sampled_from(["Kualitas Layanan", "Citra", "Nilai Pelanggan Online", "X", "Loyalitas"]))
        + f" {k}"
        for k in range(n)
    ]
    edges = set()
    for k in range(1, n):
        srcs = draw(st.lists(st.integers(0, k - 1), min_size=1, max_size=min(3, k), unique=True))
        edges.update((s, k) for s in srcs)
    b = Model.build()
    for k, name in enumerate(names):
        m = draw(st.integers(1, 7))
        items = [f"{'Q' if j % 2 else 'Item_'}{k}_{j}" for j in range(m)]
        (b.formative if draw(st.booleans()) else b.reflective)(name, items)
    for s, t in sorted(edges):
        b.path(names[s], names[t])
    return b.model()


@settings(max_examples=30, deadline=None)
@given(random_models(), st.integers(0, 2**16))
def test_random_models_never_overlap(model: Model, seed: int) -> None:
    g = diagram_geometry(model, full_values(model, seed))
    assert g.overlapping_labels() == []
    boxes = [i.box for i in g.indicators]
    assert not any(a.overlaps(b) for k, a in enumerate(boxes) for b in boxes[k + 1 :])
    assert not any(b.hits_ellipse(s.cx, s.cy, s.rx, s.ry) for b in boxes for s in g.constructs)
    for lab in g.labels:
        if lab.kind in ("outer", "path"):
            assert not any(lab.box.hits_ellipse(s.cx, s.cy, s.rx, s.ry) for s in g.constructs)
            assert not any(lab.box.overlaps(b) for b in boxes)
        assert lab.box.x >= 0 and lab.box.x + lab.box.w <= g.width
        assert lab.box.y >= 0 and lab.box.y + lab.box.h <= g.height


def test_png_for_docx() -> None:
    cairosvg = pytest.importorskip("cairosvg")
    from ukur.report.diagram import svg_to_png

    png = svg_to_png(render_svg(models.demo(), full_values(models.demo())), scale=1.0)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png[16:20], "big")
    assert width == int(np.ceil(diagram_geometry(models.demo(), full_values(models.demo())).width))
    assert cairosvg is not None
