"""Seeded data for the security tests: the web tests' two organisations plus one object of every kind.

Every path parameter of every route gets the id of an object belonging to organisation A (or to the
researcher, or to customer A's own account), so a walk over the router can ask every role for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.questionnaires import SMALL
from tests.web.conftest import PASSWORD, YAML_A, World, seed
from ukur.store import (
    accounts,
    changes,
    claims,
    feedback,
    jobs,
    make_engine,
    make_session_factory,
    pls,
    records,
    surveys,
)
from ukur.store.access import SYSTEM, Viewer
from ukur.store.engine import transaction
from ukur.store.models import User

DATA = b"a1,a2,b1,b2\n1,2,2,1\n2,2,3,2\n3,4,3,3\n4,4,5,4\n5,4,4,5\n2,3,2,2\n"
MODEL = "A =~ a1 + a2\nB =~ b1 + b2\nB ~ A\n"


@dataclass
class FullWorld:
    """:class:`World` plus ids of a record, stream, claim, token, PLS project/dataset/run and job, and of a
    survey (the researcher's, with one response), a change request and a feedback link of agreement A, and
    a background report job of customer A (``report_job_id``)."""

    base: World
    stream_id: int
    record_id: str
    claim_id: int
    token_id: int
    token: str
    project_id: int
    dataset_id: int
    run_id: int
    job_id: int
    survey_id: int
    survey_key: str
    response_id: int
    change_id: int
    feedback_token: str
    report_job_id: int


def seed_full(url: str) -> FullWorld:
    base = seed(url)
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    with transaction(sessions) as s:
        customer = Viewer.of(s.get_one(User, base.users["customer"]))
        researcher = Viewer.of(s.get_one(User, base.users["researcher"]))
        accounts.create_user(  # never a caller of the walk: its password stays the same
            s, SYSTEM, email="walker@example.com", password=PASSWORD, role="staff", name="Walker"
        )
        stream = records.stream_for(s, SYSTEM, base.org_a, "shipments")
        records.import_records(
            s,
            SYSTEM,
            stream,
            [{"id": "KX1", "picked_up_at": "2026-01-05T08:00:00+07:00", "delivered_at": None}],
        )
        claim = claims.file_claim(s, customer, base.agreement_a, kind="late", record_id="KX1")
        token_row, token = accounts.create_token(s, customer, "security test")
        project = pls.create_project(s, researcher, "Study")
        dataset = pls.add_dataset(s, researcher, project.id, "data.csv", DATA)
        pls.set_model_text(s, researcher, project.id, MODEL)
        run = pls.create_run(s, researcher, project.id, dataset_id=dataset.id)
        job = jobs.create_job(s, researcher, "security-test-noop", {})
        pls.update_run(s, run.id, job_id=job.id, status="succeeded", results={"paths": []})
        survey = surveys.create_survey(s, researcher, SMALL)
        answers = {"gender": "Pria", "CM1": 4, "CM2": 2, "CM3": 4, "MB1": 5, "MB2": 4, "MB3": 4}
        # no start time: the responses page once answered 500 for such a survey (naive vs aware times)
        response = surveys.submit_response(s, survey, answers, started_at=None)
        public = surveys.create_survey(s, researcher, SMALL)
        surveys.set_state(s, researcher, public.id, is_open=True)
        change = changes.propose(
            s, customer, base.agreement_a, 1, YAML_A.replace("target: 24h", "target: 12h"), "faster"
        )
        staff = Viewer.of(s.get_one(User, base.users["staff"]))
        _, feedback_token = feedback.create_link(s, staff, base.agreement_a)
        report_job = jobs.create_job(
            s,
            customer,
            "report.render",
            {"report": "sla", "agreement_id": base.agreement_a, "format": "html", "period": "2026-01"},
        )
        full = FullWorld(
            base,
            stream.id,
            "KX1",
            claim.id,
            token_row.id,
            token,
            project.id,
            dataset.id,
            run.id,
            job.id,
            survey.id,
            public.public_key,
            response.id,
            change.id,
            feedback_token,
            report_job.id,
        )
    engine.dispose()
    return full
