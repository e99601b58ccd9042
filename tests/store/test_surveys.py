"""Survey repository: ownership, invitations (hashed, one use), screening of stored responses, exclusions,
the cleaned export, the PLS project it creates, and export/erasure of one respondent's data."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import func, select

from tests.questionnaires import SMALL
from ukur.errors import SpecError, UkurError
from ukur.store import SYSTEM, ConflictError, NotFoundError, PermissionDenied, Viewer, accounts, pls, surveys
from ukur.store.engine import transaction
from ukur.store.models import AuditEntry
from ukur.store.models_survey import SurveyResponse, SurveyToken


def _people(sessions) -> tuple[Viewer, Viewer, Viewer, Viewer]:
    with transaction(sessions) as s:
        org = accounts.create_organisation(s, SYSTEM, "Toko A", "customer")
        made = [
            accounts.create_user(s, SYSTEM, email=f"{who}@x.id", password="long enough 1", role=role,
                                 organisation_id=org.id if role == "customer" else None)
            for who, role in [("r1", "researcher"), ("r2", "researcher"), ("admin", "admin"), ("c", "customer")]
        ]  # fmt: skip
        return tuple(Viewer.of(u) for u in made)  # type: ignore[return-value]


def _answers(values: list[int], gender: str = "Pria") -> dict[str, object]:
    return {"gender": gender, **dict(zip(["CM1", "CM2", "CM3", "MB1", "MB2", "MB3"], values, strict=True))}


def test_owner_sees_others_get_not_found(sessions):
    r1, r2, admin, customer = _people(sessions)
    with transaction(sessions) as s:
        survey_id = surveys.create_survey(s, r1, SMALL).id
    with transaction(sessions) as s:
        assert [x.id for x in surveys.list_surveys(s, r1)] == [survey_id]
        assert surveys.list_surveys(s, r2) == [] and surveys.list_surveys(s, customer) == []
        assert surveys.get_survey(s, admin, survey_id).title == "Survei kecil"
        for other in (r2, customer):
            with pytest.raises(NotFoundError):
                surveys.get_survey(s, other, survey_id)
        with pytest.raises(PermissionDenied):
            surveys.create_survey(s, customer, SMALL)


def test_invalid_yaml_names_the_line_and_versions_count_up(sessions):
    r1, *_ = _people(sessions)
    with transaction(sessions) as s, pytest.raises(SpecError) as err:
        surveys.create_survey(s, r1, SMALL.replace("points: 5", "points: 4"))
    assert err.value.line == 6
    with transaction(sessions) as s:
        survey = surveys.create_survey(s, r1, SMALL)
        version = surveys.add_version(s, r1, survey.id, SMALL.replace("Survei kecil", "Survei baru"))
        assert (version.number, survey.title, len(survey.versions)) == (2, "Survei baru", 2)


def test_tokens_are_hashed_and_used_once(sessions):
    r1, *_ = _people(sessions)
    with transaction(sessions) as s:
        survey = surveys.create_survey(s, r1, SMALL)
        tokens = surveys.create_tokens(s, r1, survey.id, 3)
        survey_id = survey.id
    with transaction(sessions) as s:
        stored = s.scalars(select(SurveyToken.token_hash)).all()
        assert sorted(stored) == sorted(surveys.hash_token(t) for t in tokens)
        assert not set(tokens) & set(stored)
        survey = surveys.get_survey(s, r1, survey_id)
        with pytest.raises(NotFoundError, match="personal link"):
            surveys.submit_response(s, survey, _answers([4] * 6), started_at=None)
        with pytest.raises(NotFoundError, match="not valid"):
            surveys.submit_response(s, survey, _answers([4] * 6), started_at=None, token="guess")
        surveys.submit_response(s, survey, _answers([4, 2, 4, 5, 4, 4]), started_at=None, token=tokens[0])
    with transaction(sessions) as s:
        survey = surveys.get_survey(s, r1, survey_id)
        with pytest.raises(ConflictError, match="already been used"):
            surveys.submit_response(s, survey, _answers([4] * 6), started_at=None, token=tokens[0])
        assert surveys.token_counts(s, survey) == (3, 1)


def test_the_database_refuses_a_second_response_on_one_token_even_when_the_check_raced(sessions):
    """Two requests can both pass the used_at check; the UNIQUE token_id keeps only the first."""
    r1, *_ = _people(sessions)
    with transaction(sessions) as s:
        survey = surveys.create_survey(s, r1, SMALL)
        (token,) = surveys.create_tokens(s, r1, survey.id, 1)
        surveys.submit_response(s, survey, _answers([4] * 6), started_at=None, token=token)
        s.scalars(select(SurveyToken)).one().used_at = None  # as the racing request saw it
        with pytest.raises(ConflictError, match="already been used"):
            surveys.submit_response(s, survey, _answers([5] * 6), started_at=None, token=token)
        assert s.scalar(select(func.count(SurveyResponse.id))) == 1


def _fill(sessions, owner: Viewer) -> tuple[int, list[int]]:
    now = datetime.now(UTC)  # submission is stamped now: starts are set back from it
    rows = [
        ([4, 2, 4, 5, 4, 4], 300),  # attentive
        ([5, 1, 5, 5, 5, 4], 240),
        ([3, 3, 3, 3, 3, 3], 200),  # straight-liner
        ([4, 2, 5, 4, 4, 5], 3),  # 3 s for 7 questions: too fast (2 s per question)
    ]
    with transaction(sessions) as s:
        survey = surveys.create_survey(s, owner, SMALL)
        ids = [
            surveys.submit_response(
                s, survey, _answers(values), started_at=now - timedelta(seconds=seconds)
            ).id
            for values, seconds in rows
        ]
        return survey.id, ids


def test_screening_flags_and_exclusions_with_reasons(sessions):
    r1, *_ = _people(sessions)
    survey_id, ids = _fill(sessions, r1)
    with transaction(sessions) as s:
        collected = surveys.collect(s, r1, survey_id)
        flags = collected.flags()
        assert flags == {ids[2]: "straightlining", ids[3]: "too_fast"}
        # reverse coding: CM2 ticked 2 is stored recoded as 4
        assert collected.imported is not None
        assert collected.imported.data.loc[ids[0], "CM2"] == 4
        assert surveys.exclude(s, r1, survey_id, checks=["straightlining"]) == 1
        assert surveys.exclude(s, r1, survey_id, response_ids=[ids[3]], reason="answered in 3 s") == 1
        with pytest.raises(UkurError, match="say why"):
            surveys.exclude(s, r1, survey_id, response_ids=[ids[0]])
    with transaction(sessions) as s:
        csv = pd.read_csv(io.BytesIO(surveys.cleaned_export(s, r1, survey_id, "csv")))
        assert csv["respondent"].tolist() == ids[:2]
        xlsx = pd.read_excel(io.BytesIO(surveys.cleaned_export(s, r1, survey_id, "xlsx")), sheet_name=None)
        assert xlsx["excluded"]["respondent"].tolist() == ids[2:]
        assert xlsx["excluded"]["reasons"].iloc[1] == "answered in 3 s"
        assert "codebook" in xlsx
        surveys.include(s, r1, survey_id, ids[3])
    with transaction(sessions) as s:
        csv = pd.read_csv(io.BytesIO(surveys.cleaned_export(s, r1, survey_id, "csv")))
        assert csv["respondent"].tolist() == [ids[0], ids[1], ids[3]]


def test_analyse_creates_a_pls_project_with_cleaned_data_and_model(sessions):
    r1, r2, *_ = _people(sessions)
    survey_id, ids = _fill(sessions, r1)
    with transaction(sessions) as s:
        surveys.exclude(s, r1, survey_id, response_ids=[ids[2]], reason="straight")
        project = surveys.analyse(s, r1, survey_id, ["Minat ~ Citra"])
        project_id = project.id
    with transaction(sessions) as s:
        project = pls.get_project(s, r1, project_id)
        assert "Minat ~ Citra" in project.model_text and "Citra =~ CM1 + CM2 + CM3" in project.model_text
        data = pd.read_csv(io.BytesIO(project.datasets[0].content))
        assert list(data.columns) == ["respondent", "CM1", "CM2", "CM3", "MB1", "MB2", "MB3"]
        assert data["respondent"].tolist() == [ids[0], ids[1], ids[3]]
        assert len(data) == 3
        with pytest.raises(NotFoundError):
            surveys.analyse(s, r2, survey_id, [])


def test_export_and_erase_one_respondent(sessions):
    r1, r2, *_ = _people(sessions)
    survey_id, ids = _fill(sessions, r1)
    with transaction(sessions) as s:
        with pytest.raises(NotFoundError):
            surveys.export_response(s, r2, survey_id, ids[0])
        data = surveys.export_response(s, r1, survey_id, ids[0])
        assert data["answers"] == _answers([4, 2, 4, 5, 4, 4])
        json.dumps(data)
        surveys.erase_response(s, r1, survey_id, ids[0])
    with transaction(sessions) as s:
        assert s.get(SurveyResponse, ids[0]) is None
        collected = surveys.collect(s, r1, survey_id)
        assert [r.id for r in collected.responses] == ids[1:]
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "erase")).one()
        assert entry.entity_id == str(ids[0])
        assert "answers" not in json.dumps(entry.details) and "Pria" not in json.dumps(entry.details)
