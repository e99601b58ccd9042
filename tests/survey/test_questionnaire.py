"""Loading questionnaires: value objects, the schema, and errors that name file, line and field."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ukur.errors import SpecError
from ukur.survey.matching import header_variants, leading_number, normalize
from ukur.survey.questionnaire import load_questionnaire, parse_questionnaire

from .conftest import SMALL


def test_small_questionnaire_loads(small):
    assert small.languages == ("id", "en")
    assert small.item_codes == ("CM1", "CM2", "CM3", "MI1", "MI2", "MI3")
    assert small.likert_codes[-1] == "AC1"
    assert small.reversed_codes == ("CM3",)
    assert small.question_count == 2 + 6 + 1
    assert small.scale.values == (1, 2, 3, 4, 5) and small.scale.reverse(2) == 4
    assert small.scale.labels_for("en")[3] == "Agree"
    assert small.item("CM3").construct == "Citra Merek"
    assert small.profile[0].options[1].code == "F"
    assert small.profile[0].options[1].label.get("en") == "Female"
    assert small.title.get("fr") == "Survei kecil"  # unknown language → first language
    d = small.to_dict()
    assert d["ukur"] == "questionnaire/v1" and d["constructs"][0]["items"][2]["reversed"] is True


def test_plain_strings_are_the_first_language_and_languages_default_to_the_title():
    q = parse_questionnaire(
        "ukur: questionnaire/v1\ntitle: Judul\nscale: {points: 7, labels: {id: [a, b, c, d, e, f, g]}}\n"
        "constructs:\n  - name: X\n    items: [{code: X1, text: teks satu}, {code: X2, text: teks dua}]\n"
    )
    assert q.languages == ("id",) and q.scale.maximum == 7
    assert q.items[0].text.to_dict() == {"id": "teks satu"}


def test_load_from_file_and_missing_file(tmp_path):
    path = tmp_path / "q.yaml"
    path.write_text(SMALL, encoding="utf-8")
    assert load_questionnaire(path).source == str(path)
    with pytest.raises(SpecError, match="file not found"):
        load_questionnaire(tmp_path / "nope.yaml")


def _replace(old: str, new: str) -> str:
    assert old in SMALL
    return SMALL.replace(old, new, 1)


@pytest.mark.parametrize(
    ("text", "line", "field", "message"),
    [
        (_replace("ukur: questionnaire/v1", "ukur: questionnaire/v2"), 1, "ukur", "questionnaire/v1"),
        (_replace("  points: 5", "  points: 6"), 5, "scale.points", "[5, 7]"),
        (
            _replace(
                "[Sangat tidak setuju, Tidak setuju, Netral, Setuju, Sangat setuju]", "[STS, TS, S, SS]"
            ),
            7,
            "scale.labels.id",
            "4 labels for a 5-point scale",
        ),
        (_replace("{code: CM2,", "{code: CM1,"), 21, "constructs[0].items[1].code", "used twice"),
        (
            _replace(
                "{code: MI3, text: {id: Saya mencari informasinya",
                "{code: MI3, text: {id: Saya ingin membeli",
            ),
            27,
            "constructs[1].items[2].text",
            "reads the same",
        ),
        (_replace("expected: 4", "expected: 9"), 29, "attention_checks[0].expected", "not on the scale"),
        (
            _replace(
                "{id: Merek ini terkenal, en: This brand is well known}", "{en: This brand is well known}"
            ),
            20,
            "constructs[0].items[0].text",
            "no 'id' version",
        ),
        (
            _replace("{id: Merek ini terkenal, en:", "{id: Merek ini terkenal, fr:"),
            20,
            "constructs[0].items[0].text.fr",
            "not in languages",
        ),
        (
            _replace("  - name: Minat\n", "  - name: Citra Merek\n"),
            23,
            "constructs[1].name",
            "declared twice",
        ),
        (_replace("{code: MI1,", "{code: 1MI,"), 25, "constructs[1].items[0].code", "not allowed"),
        (
            _replace("      - {code: CM1,", "      - {kode: X, code: CM1,"),
            20,
            "constructs[0].items[0]",
            "unknown field",
        ),
        (_replace("min: 17, max: 80", "min: 80, max: 17"), 16, "profile[1].min", "greater than max"),
        (
            _replace("type: number", "type: number, options: [a, b]"),
            16,
            "profile[1].options",
            "choice questions only",
        ),
        (_replace("title:", "title: x\ntitle:"), 4, "title", "appears twice"),
    ],
)
def test_errors_name_line_and_field(text, line, field, message):
    with pytest.raises(SpecError) as err:
        parse_questionnaire(text, source="q.yaml")
    e = err.value
    assert message in e.message
    assert (e.source, e.line, e.field) == ("q.yaml", line, field)
    assert str(e).startswith(f"q.yaml:{line}:")


def test_invalid_yaml_has_a_line():
    with pytest.raises(SpecError) as err:
        parse_questionnaire("ukur: questionnaire/v1\ntitle: [unclosed\n", source="q.yaml")
    assert err.value.line is not None and "not valid YAML" in err.value.message


def test_not_a_mapping():
    with pytest.raises(SpecError, match="mapping"):
        parse_questionnaire("- a\n- b\n")


def test_normalize_examples():
    assert normalize(" Saya  SUKA, produk ini! *") == "saya suka produk ini"
    assert normalize("Ｓａｙａ") == "saya"  # full-width letters (NFKC)
    assert header_variants("Bagian 1 [Merek ini terkenal]")[-1] == "merek ini terkenal"
    assert "merek ini terkenal" in header_variants("CM1. Merek ini terkenal")
    assert "merek ini terkenal" in header_variants("3) Merek ini terkenal")
    assert leading_number("4 - Setuju") == 4.0 and leading_number("4 (Setuju)") == 4.0
    assert leading_number("Setuju") is None and leading_number("40an") is None


@given(st.text())
def test_normalize_is_idempotent_and_ignores_case_and_spacing(text):
    n = normalize(text)
    assert normalize(n) == n
    assert normalize(text.upper()) == normalize(text.lower()) or not text.isascii()
    assert normalize("  " + text + " ?! ") == n


def test_sections_place_attention_checks(small):
    pages = small.sections()
    assert [p.key for p in pages] == ["profile", "Citra Merek", "Minat"]
    # no 'after': the check goes to the middle construct's page
    assert [q.code for q in pages[1].questions] == ["CM1", "CM2", "CM3", "AC1"]
    placed = parse_questionnaire(SMALL.replace("expected: 4}", "expected: 4, after: Minat}"))
    assert [q.code for q in placed.sections()[2].questions] == ["MI1", "MI2", "MI3", "AC1"]
