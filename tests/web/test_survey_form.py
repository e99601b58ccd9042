"""The respondent form's answer parser: any posted form gives answers on the scale and a list of the
questions still to answer, never an exception (hypothesis), and a complete form gives no errors."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from tests.questionnaires import SMALL
from ukur.survey import parse_questionnaire
from ukur.web.routes.respond import read_answers

Q = parse_questionnaire(
    SMALL.replace("options: [Pria, Wanita]}", "options: [Pria, Wanita], other: true}").replace(
        "profile:\n", "profile:\n  - {code: age, type: number, text: Usia, required: false}\n"
    )
)
FIELDS = [f"a.{code}" for code, _, _ in Q.questions()] + ["a.gender.other", "csrf_token"]


@given(st.dictionaries(st.sampled_from(FIELDS), st.text(max_size=30)))
def test_any_form_gives_valid_answers_or_marked_questions(form):
    answers, errors = read_answers(Q, form)
    codes = {code for code, _, _ in Q.questions()}
    assert errors <= codes and set(answers) <= codes
    assert not set(answers) & {c for c in errors if c in Q.likert_codes}
    for code in Q.likert_codes:
        assert code in errors or answers[code] in Q.scale.values
    assert "age" not in answers or math.isfinite(answers["age"])
    assert set(answers) | errors >= set(Q.likert_codes)


def test_complete_form_has_no_errors_and_other_keeps_the_text():
    form = {f"a.{c}": "3" for c in Q.likert_codes} | {"a.gender": "__other__", "a.gender.other": " Lainnya "}
    answers, errors = read_answers(Q, form)
    assert errors == set() and "age" not in answers  # optional
    assert read_answers(Q, form | {"a.age": "inf"})[1] == {"age"}
    assert read_answers(Q, form | {"a.age": "25,0"})[0]["age"] == 25
    assert answers["gender"] == "Lainnya" and answers["CM1"] == 3


def test_off_scale_and_unknown_options_are_marked():
    form = {f"a.{c}": "3" for c in Q.likert_codes} | {"a.CM1": "6", "a.gender": "Robot"}
    _, errors = read_answers(Q, form)
    assert errors == {"CM1", "gender"}
