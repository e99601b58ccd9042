"""Property tests for the questionnaire parser: any valid file round-trips; garbage gives SpecError only."""

from __future__ import annotations

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ukur.errors import SpecError
from ukur.survey.matching import normalize
from ukur.survey.questionnaire import parse_questionnaire, to_yaml

WORDS = (
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzÀéü ", min_size=1, max_size=20).map(str.strip).filter(bool)
)


@st.composite
def questionnaires(draw):
    langs = draw(st.sampled_from([["id"], ["id", "en"], ["en", "id"]]))
    points = draw(st.sampled_from([5, 7]))
    n_items = draw(st.integers(min_value=2, max_value=9))
    texts = draw(st.lists(WORDS, min_size=n_items + 2, max_size=n_items + 2, unique_by=normalize))
    labels = draw(st.lists(WORDS, min_size=points, max_size=points, unique_by=normalize))
    n_constructs = draw(st.integers(min_value=1, max_value=min(3, n_items)))
    names = draw(st.lists(WORDS, min_size=n_constructs, max_size=n_constructs, unique=True))
    cuts = sorted(
        draw(
            st.lists(
                st.integers(1, n_items - 1), min_size=n_constructs - 1, max_size=n_constructs - 1, unique=True
            )
        )
    )
    bounds = [0, *cuts, n_items]
    constructs = []
    for k, name in enumerate(names):
        items = [
            {"code": f"X{j}", "text": texts[j], **({"reversed": True} if draw(st.booleans()) else {})}
            for j in range(bounds[k], bounds[k + 1])
        ]
        constructs.append({"name": name, "items": items})
    doc = {
        "ukur": "questionnaire/v1",
        "languages": langs,
        "title": {lang: f"judul {lang}" for lang in langs},
        "scale": {"points": points, "labels": {langs[0]: labels}},
        "constructs": constructs,
    }
    if draw(st.booleans()):
        doc["profile"] = [
            {
                "code": "p1",
                "type": "choice",
                "text": texts[-1],
                "options": ["satu", "dua"],
                "required": False,
            },
            {"code": "p2", "type": "number", "text": texts[-2], "min": 0, "max": draw(st.integers(1, 99))},
        ]
    if draw(st.booleans()):
        doc["attention_checks"] = [
            {
                "code": "AC",
                "text": "pilih satu jawaban ini",
                "expected": draw(st.integers(1, points)),
                "after": names[0],
            }
        ]
    return doc


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(questionnaires())
def test_valid_files_parse_and_round_trip(doc):
    q = parse_questionnaire(yaml.safe_dump(doc, allow_unicode=True), source="gen.yaml")
    assert len(q.items) == sum(len(c["items"]) for c in doc["constructs"])
    again = parse_questionnaire(to_yaml(q), source="gen.yaml")
    assert again == q


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
@example("=")  # a YAML value tag PyYAML composes but cannot construct
@example("!!python/object:os.system x")
@example("a: &x 1\nb: *y")
def test_garbage_raises_spec_error_only(text):
    try:
        parse_questionnaire(text, source="junk.yaml")
    except SpecError as exc:
        assert exc.source == "junk.yaml"


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
                    max_leaves=12))  # fmt: skip
def test_wrong_shapes_under_a_valid_header_raise_spec_error(value):
    doc = {"ukur": "questionnaire/v1", "title": "t", "scale": {"points": 5, "labels": {"id": list("abcde")}},
           "constructs": value}  # fmt: skip
    try:
        parse_questionnaire(yaml.safe_dump(doc), source="shape.yaml")
    except SpecError as exc:
        assert exc.line is not None
