"""Questionnaires in the database: versions, invitations, responses, screening, exclusions, personal data.

Access follows the PLS rule: a researcher sees and changes only the questionnaires it owns, an admin sees
all, every other role sees none (404, as if they did not exist).  Respondents have no account: the
public form reaches a questionnaire by its random ``public_key`` through :func:`get_public` and stores
answers with :func:`submit_response`, which sees nothing else.

Responses go through the same path as a form tool's export (:func:`ukur.survey.import_responses` on a
frame whose columns are the question codes plus ``started`` and ``submitted``), so screening, the
codebook and the PLS model are the CLI's.  The respondent number of a stored response is its id, so
numbers stay the same when other responses are erased.

Personal data (Indonesia's UU 27/2022 on personal data protection): :func:`export_response` gives one
respondent's answers as JSON and :func:`erase_response` deletes them; the audit log records the erasure
with the response id only, never the answers.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd
from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ukur.errors import UkurError
from ukur.store import audit, pls
from ukur.store.access import SYSTEM, Viewer, not_found
from ukur.store.errors import ConflictError, NotFoundError, PermissionDenied
from ukur.store.models_pls import PlsProject
from ukur.store.models_survey import Survey, SurveyExclusion, SurveyResponse, SurveyToken, SurveyVersion
from ukur.store.types import utcnow
from ukur.survey import (
    ImportResult,
    Questionnaire,
    Screening,
    ScreeningOptions,
    export_bytes,
    import_responses,
    model_syntax,
    parse_checks,
    parse_questionnaire,
    screen,
)

__all__ = [
    "MAX_TOKENS",
    "Collected",
    "add_version",
    "analyse",
    "cleaned_export",
    "collect",
    "create_survey",
    "create_tokens",
    "erase_response",
    "exclude",
    "export_response",
    "get_public",
    "get_response",
    "get_survey",
    "hash_token",
    "include",
    "list_surveys",
    "questionnaire_of",
    "response_count",
    "set_state",
    "submit_response",
    "token_counts",
    "use_token",
]

MAX_YAML_CHARS = 200_000
MAX_TOKENS = 1000
ROLES = frozenset({"researcher", "admin"})


def ensure_can_use_surveys(viewer: Viewer) -> None:
    """Questionnaires are for researchers and admins."""
    if viewer.role not in ROLES:
        raise PermissionDenied("questionnaires are for researchers")


def hash_token(token: str) -> str:
    """SHA-256 of an invitation token: the only form in which the database keeps it."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _parse(text: str, source: str) -> Questionnaire:
    if len(text) > MAX_YAML_CHARS:
        raise UkurError("the questionnaire is too long", source=source, field="yaml")
    return parse_questionnaire(text.replace("\r\n", "\n"), source=source)


def questionnaire_of(survey: Survey) -> Questionnaire:
    """The newest version of the survey's questionnaire (validated when it was stored)."""
    return parse_questionnaire(survey.current.yaml_text, source=f"survey-{survey.id}.yaml")


# --- questionnaires --------------------------------------------------------------------------------


def create_survey(session: Session, viewer: Viewer, yaml_text: str) -> Survey:
    """A new questionnaire from its YAML text (validated: errors carry line and column)."""
    ensure_can_use_surveys(viewer)
    q = _parse(yaml_text, "questionnaire.yaml")
    survey = Survey(title=q.title.get()[:200], owner_id=viewer.user_id, public_key=secrets.token_urlsafe(12))
    survey.versions.append(
        SurveyVersion(number=1, yaml_text=yaml_text.replace("\r\n", "\n"), author_id=viewer.user_id)
    )
    session.add(survey)
    session.flush()
    audit.log(session, viewer, "create", "survey", survey.id, title=survey.title)
    return survey


def _visible(viewer: Viewer) -> Select[Survey]:
    query = select(Survey)
    if not viewer.is_admin:
        query = query.where(Survey.owner_id == viewer.user_id)
    return query


def list_surveys(session: Session, viewer: Viewer) -> list[Survey]:
    """The viewer's questionnaires (all for admins), newest first; none for other roles."""
    if viewer.role not in ROLES:
        return []
    return list(session.scalars(_visible(viewer).order_by(Survey.id.desc())))


def get_survey(session: Session, viewer: Viewer, survey_id: int) -> Survey:
    survey = session.scalar(_visible(viewer).where(Survey.id == survey_id))
    if survey is None or viewer.role not in ROLES:
        raise not_found("survey", survey_id)
    return survey


def add_version(session: Session, viewer: Viewer, survey_id: int, yaml_text: str) -> SurveyVersion:
    """Store an edited questionnaire as the next version; the form shows it from now on."""
    survey = get_survey(session, viewer, survey_id)
    q = _parse(yaml_text, "questionnaire.yaml")
    version = SurveyVersion(
        number=survey.current.number + 1, yaml_text=yaml_text.replace("\r\n", "\n"), author_id=viewer.user_id
    )
    survey.versions.append(version)
    survey.title = q.title.get()[:200]
    session.flush()
    audit.log(session, viewer, "update", "survey", survey.id, version=version.number)
    return version


def set_state(session: Session, viewer: Viewer, survey_id: int, *, is_open: bool) -> Survey:
    """Open or close the public form."""
    survey = get_survey(session, viewer, survey_id)
    survey.is_open = is_open
    audit.log(session, viewer, "update", "survey", survey.id, is_open=is_open)
    return survey


# --- invitations -----------------------------------------------------------------------------------


def create_tokens(session: Session, viewer: Viewer, survey_id: int, count: int) -> list[str]:
    """``count`` new invitation tokens, returned once in clear; from now on the form needs one."""
    survey = get_survey(session, viewer, survey_id)
    if not 1 <= count <= MAX_TOKENS:
        raise UkurError(f"make between 1 and {MAX_TOKENS} invitations at a time", field="count")
    tokens = [secrets.token_urlsafe(16) for _ in range(count)]
    session.add_all(SurveyToken(survey_id=survey.id, token_hash=hash_token(t), hint=t[:6]) for t in tokens)
    survey.tokens_required = True
    session.flush()
    audit.log(session, viewer, "create", "survey_tokens", survey.id, count=count)
    return tokens


def response_count(session: Session, survey: Survey) -> int:
    """How many responses a survey the caller has already fetched holds."""
    query = select(func.count(SurveyResponse.id)).where(SurveyResponse.survey_id == survey.id)
    return int(session.scalar(query) or 0)


def token_counts(session: Session, survey: Survey) -> tuple[int, int]:
    """(invitations made, invitations used) of a survey the caller has already fetched."""
    made, used = session.execute(
        select(func.count(SurveyToken.id), func.count(SurveyToken.used_at)).where(
            SurveyToken.survey_id == survey.id
        )
    ).one()
    return int(made), int(used)


# --- the public form -------------------------------------------------------------------------------


def get_public(session: Session, public_key: str) -> Survey:
    """The survey behind a public link (404 for unknown keys); the caller checks ``is_open``."""
    survey = session.scalar(select(Survey).where(Survey.public_key == public_key))
    if survey is None:
        raise NotFoundError("this questionnaire does not exist", field="survey")
    return survey


def use_token(session: Session, survey: Survey, token: str | None) -> SurveyToken | None:
    """The invitation ``token`` of ``survey``, checked: unknown raises 404, already used raises 409.

    Returns ``None`` when the survey needs no token and none is given.
    """
    if not token:
        if survey.tokens_required:
            raise NotFoundError(
                "this questionnaire needs the personal link of your invitation", field="token"
            )
        return None
    found = session.scalar(
        select(SurveyToken).where(
            SurveyToken.survey_id == survey.id, SurveyToken.token_hash == hash_token(token)
        )
    )
    if found is None:
        raise NotFoundError("this invitation link is not valid", field="token")
    if found.used_at is not None:
        raise ConflictError("this invitation has already been used to answer", field="token")
    return found


def submit_response(
    session: Session,
    survey: Survey,
    answers: Mapping[str, Any],
    *,
    started_at: datetime | None,
    token: str | None = None,
    language: str = "",
) -> SurveyResponse:
    """Store one respondent's answers; a used token raises :class:`ConflictError` (also under a race)."""
    if not survey.is_open:
        raise ConflictError("this questionnaire no longer accepts answers", field="survey")
    invitation = use_token(session, survey, token)
    response = SurveyResponse(
        survey_id=survey.id,
        version_id=survey.current.id,
        token_id=invitation.id if invitation is not None else None,
        answers=dict(answers),
        language=language[:5],
        started_at=started_at,
        submitted_at=utcnow(),
    )
    try:
        # A savepoint, so a racing duplicate fails alone (begin_nested flushes what is pending first,
        # hence the changes are made inside it).
        with session.begin_nested():
            if invitation is not None:
                invitation.used_at = response.submitted_at
            session.add(response)
            session.flush()
    except IntegrityError:
        raise ConflictError("this invitation has already been used to answer", field="token") from None
    audit.log(session, SYSTEM, "create", "survey_response", response.id, survey_id=survey.id)
    return response


# --- responses, screening, exclusions --------------------------------------------------------------


def _responses(session: Session, survey: Survey) -> list[SurveyResponse]:
    return list(
        session.scalars(
            select(SurveyResponse).where(SurveyResponse.survey_id == survey.id).order_by(SurveyResponse.id)
        )
    )


def get_response(session: Session, viewer: Viewer, survey_id: int, response_id: int) -> SurveyResponse:
    survey = get_survey(session, viewer, survey_id)
    response = session.get(SurveyResponse, response_id)
    if response is None or response.survey_id != survey.id:
        raise not_found("response", response_id)
    return response


def response_frame(q: Questionnaire, responses: Sequence[SurveyResponse]) -> pd.DataFrame:
    """The responses as a form export: question codes plus ``started`` and ``submitted`` (ISO 8601)."""
    codes = [code for code, _, _ in q.questions()]
    rows = [{code: r.answers.get(code) for code in codes} for r in responses]
    frame = pd.DataFrame(rows, columns=codes, dtype="object")
    frame.insert(0, "started", [r.started_at.isoformat() if r.started_at else None for r in responses])
    frame.insert(0, "submitted", [r.submitted_at.isoformat() for r in responses])
    return frame


@dataclass(frozen=True)
class Collected:
    """A survey's stored responses, imported and screened; respondent numbers are response ids."""

    survey: Survey
    questionnaire: Questionnaire
    responses: tuple[SurveyResponse, ...]
    imported: ImportResult | None
    screening: Screening | None

    def flags(self) -> dict[int, str]:
        """Response id → the checks that flagged it (comma-separated), for the table."""
        if self.screening is None:
            return {}
        flags = self.screening.respondents["flags"]
        return {int(k): str(v) for k, v in zip(flags.index, flags.to_numpy(), strict=True) if v}

    def details(self) -> dict[int, str]:
        """Response id → what the checks found, for the table and the exclusion reason."""
        if self.screening is None or not len(self.screening.issues):
            return {}
        grouped = self.screening.issues.groupby("respondent")["detail"].agg("; ".join)
        return {int(k): str(v) for k, v in zip(grouped.index, grouped.to_numpy(), strict=True)}


def _renumber(frame: pd.DataFrame, ids: list[int]) -> pd.DataFrame:
    """Replace the row numbers 1..n of an import by response ids (index or ``respondent`` column)."""
    mapping = dict(enumerate(ids, start=1))
    out = frame.copy()
    if out.index.name == "respondent":
        out.index = pd.Index([mapping[int(i)] for i in out.index], name="respondent")
    if "respondent" in out.columns:
        out["respondent"] = out["respondent"].map(lambda i: mapping[int(i)])
    if "duplicate_of" in out.columns:
        out["duplicate_of"] = out["duplicate_of"].map(lambda i: pd.NA if pd.isna(i) else mapping[int(i)])
    return out


def collect(
    session: Session, viewer: Viewer, survey_id: int, options: ScreeningOptions | None = None
) -> Collected:
    """Import and screen the stored responses with the newest questionnaire version."""
    survey = get_survey(session, viewer, survey_id)
    q = questionnaire_of(survey)
    responses = _responses(session, survey)
    if not responses:
        return Collected(survey, q, (), None, None)
    ids = [r.id for r in responses]
    imported = import_responses(q, response_frame(q, responses), source="responses")
    report = screen(imported, options)
    imported = ImportResult(
        questionnaire=q,
        data=_renumber(imported.data, ids),
        answers=_renumber(imported.answers, ids),
        columns=imported.columns,
        problems=_renumber(imported.problems, ids),
        missing_questions=imported.missing_questions,
        identity=None,
        lines=tuple(ids),
        source="responses",
    )
    report = Screening(
        imported=imported,
        options=report.options,
        respondents=_renumber(report.respondents, ids).assign(line=ids),
        items=report.items,
        issues=_renumber(report.issues, ids).assign(line=lambda f: f["respondent"]),
        checks=report.checks,
    )
    return Collected(survey, q, tuple(responses), imported, report)


def exclude(
    session: Session,
    viewer: Viewer,
    survey_id: int,
    *,
    response_ids: Iterable[int] = (),
    checks: Iterable[str] = (),
    reason: str = "",
) -> int:
    """Leave responses out of the cleaned data: the chosen ones and those flagged by ``checks``.

    Each exclusion records the checks that flagged the response and the reason (the researcher's text,
    else what the checks found).  Returns how many responses were newly excluded.
    """
    collected = collect(session, viewer, survey_id)
    chosen = parse_checks(list(checks)) if list(checks) else ()
    flags, details = collected.flags(), collected.details()
    wanted = {int(i) for i in response_ids}
    if collected.screening is not None:
        for check in chosen:
            wanted.update(collected.screening.flagged(check))
    by_id = {r.id: r for r in collected.responses}
    unknown = wanted - set(by_id)
    if unknown:
        raise not_found("response", min(unknown))
    added = 0
    for rid in sorted(wanted):
        response = by_id[rid]
        if response.exclusion is not None:
            continue
        text = reason.strip() or details.get(rid, "")
        if not text:
            raise UkurError("say why the response is excluded", field="reason")
        response.exclusion = SurveyExclusion(
            checks=flags.get(rid, "")[:200], reason=text, created_by=viewer.user_id
        )
        added += 1
    session.flush()
    audit.log(session, viewer, "exclude", "survey", survey_id, responses=sorted(wanted), checks=list(chosen))
    return added


def include(session: Session, viewer: Viewer, survey_id: int, response_id: int) -> None:
    """Take a response back into the cleaned data (its exclusion is deleted)."""
    response = get_response(session, viewer, survey_id, response_id)
    if response.exclusion is not None:
        response.exclusion = None
        session.flush()
        audit.log(session, viewer, "include", "survey", survey_id, response=response_id)


def _cleaned(collected: Collected) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(kept coded data, the excluded table: respondent, line, checks, reasons)."""
    if collected.imported is None:
        raise UkurError("the questionnaire has no responses yet", field="responses")
    dropped = [r for r in collected.responses if r.exclusion is not None]
    excluded = pd.DataFrame(
        {
            "respondent": [r.id for r in dropped],
            "line": [r.id for r in dropped],
            "checks": [r.exclusion.checks if r.exclusion else "" for r in dropped],
            "reasons": [r.exclusion.reason if r.exclusion else "" for r in dropped],
        }
    )
    data = collected.imported.data
    return data.loc[~data.index.isin([r.id for r in dropped])], excluded


def cleaned_export(session: Session, viewer: Viewer, survey_id: int, fmt: str) -> bytes:
    """The cleaned data as CSV, or XLSX with the codebook, profile and excluded sheets."""
    collected = collect(session, viewer, survey_id)
    data, excluded = _cleaned(collected)
    return export_bytes(data, collected.questionnaire, fmt, excluded=excluded)


def analyse(session: Session, viewer: Viewer, survey_id: int, paths: Sequence[str]) -> PlsProject:
    """A PLS project holding the cleaned data (CSV) and the model written from the questionnaire.

    ``paths`` are structural statements (``Y ~ X``); without them the project gets the measurement part
    and the researcher adds the paths in the project's model text.
    """
    collected = collect(session, viewer, survey_id)
    data, _ = _cleaned(collected)
    if not len(data):
        raise UkurError("every response is excluded: nothing to analyse", field="responses")
    text = model_syntax(collected.questionnaire, [p for p in paths if p.strip()])
    q = collected.questionnaire
    project = pls.create_project(
        session, viewer, f"{collected.survey.title}"[:200], f"From questionnaire {survey_id}"
    )
    indicators = [c for c in q.item_codes if c in data.columns]
    content = export_bytes(data[indicators], q, "csv")
    pls.add_dataset(session, viewer, project.id, f"survey-{survey_id}-cleaned.csv", content, "text/csv")
    pls.set_model_text(session, viewer, project.id, text)
    return project


# --- personal data (UU 27/2022) --------------------------------------------------------------------


def export_response(session: Session, viewer: Viewer, survey_id: int, response_id: int) -> dict[str, Any]:
    """One respondent's stored data as JSON: answers, times, language, version, exclusion."""
    response = get_response(session, viewer, survey_id, response_id)
    version = session.get(SurveyVersion, response.version_id) if response.version_id else None
    audit.log(session, viewer, "export", "survey_response", response.id, survey_id=survey_id)
    return {
        "survey": survey_id,
        "response": response.id,
        "questionnaire_version": version.number if version else None,
        "language": response.language,
        "started": response.started_at.isoformat() if response.started_at else None,
        "submitted": response.submitted_at.isoformat(),
        "answers": dict(response.answers),
        "excluded": None
        if response.exclusion is None
        else {"checks": response.exclusion.checks, "reason": response.exclusion.reason},
    }


def erase_response(session: Session, viewer: Viewer, survey_id: int, response_id: int) -> None:
    """Delete one respondent's answers for good; the audit log keeps only that it happened and by whom."""
    response = get_response(session, viewer, survey_id, response_id)
    session.delete(response)
    session.flush()
    audit.log(session, viewer, "erase", "survey_response", response_id, survey_id=survey_id)
