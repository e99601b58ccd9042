"""Questionnaire pages and the public respondent form through the app (TestClient), on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re

import pandas as pd

from tests.questionnaires import SMALL
from tests.web.conftest import csrf_of

LIKERT = {"CM1": "4", "CM2": "2", "CM3": "4", "MB1": "5", "MB2": "4", "MB3": "4"}


def _create(client, yaml_text: str = SMALL):
    token = csrf_of(client, "/surveys")
    return client.post("/surveys", data={"yaml_text": yaml_text, "csrf_token": token}, follow_redirects=False)


def _survey(as_role) -> tuple[object, int, str]:
    researcher = as_role("researcher")
    response = _create(researcher)
    assert response.status_code == 303, response.text
    survey_id = int(response.headers["location"].rsplit("/", 1)[1])
    page = researcher.get(f"/surveys/{survey_id}").text
    key = re.search(r'id="public-link">[^<]*/s/([^<"]+)<', page)
    assert key, page
    return researcher, survey_id, key.group(1)


def _answer(client, key: str, token: str = "", likert: dict[str, str] = LIKERT, agree: bool = True):
    """Walk the public form: consent page, start, form; returns the final response."""
    page = client.get(f"/s/{key}" + (f"?t={token}" if token else ""))
    if page.status_code != 200:
        return page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    data = {"csrf_token": csrf, "t": token} | ({"agree": "yes"} if agree else {})
    started = client.post(f"/s/{key}/start", data=data, follow_redirects=False)
    if started.status_code != 303:
        return started
    form = client.get(f"/s/{key}/form")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
    answers = {"csrf_token": csrf, "a.gender": "Wanita"} | {f"a.{k}": v for k, v in likert.items()}
    return client.post(f"/s/{key}/form", data=answers, follow_redirects=False)


def test_yaml_errors_are_shown_next_to_their_line(as_role):
    researcher = as_role("researcher")
    response = _create(researcher, SMALL.replace("points: 5", "points: 4"))
    assert response.status_code == 400
    line = re.search(
        r'<li value="6" class="bad" id="yaml-line-6">\s*points: 4</li><li class="message"', response.text
    )
    assert line, response.text
    assert "4 is not one of [5, 7]" in response.text


def test_detail_shows_model_and_sample_size(as_role):
    researcher, survey_id, _ = _survey(as_role)
    page = researcher.get(f"/surveys/{survey_id}?min_path=0.197&alpha=0.05&power=0.8&max_arrows=2").text
    assert "Citra =~ CM1 + CM2 + CM3" in page
    table = pd.read_html(io.StringIO(page), attrs={"id": "sample-size"})[0]
    # Kock & Hadaya (2018): |β|min = .197 → 160 (inverse square root) and 146 (gamma-exponential)
    assert table.iloc[:, 1].tolist() == [160, 146, 20]


def test_public_form_consent_first_then_stored_and_listed(as_role, client):
    researcher, survey_id, key = _survey(as_role)
    consent = client.get(f"/s/{key}")
    assert "Saya setuju jawaban saya dianalisis." in consent.text or "I agree that my answers" in consent.text
    assert "27" in consent.text  # the UU 27/2022 notice
    refused = _answer(client, key, agree=False)
    assert refused.status_code == 400 and "tick the box" in refused.text
    missing = _answer(client, key, likert={k: v for k, v in LIKERT.items() if k != "MB3"})
    assert missing.status_code == 400 and 'id="q-MB3"' in missing.text and "1 questions" in missing.text
    done = _answer(client, key)
    assert done.status_code == 303 and done.headers["location"] == f"/s/{key}/thanks"
    thanks = client.get(f"/s/{key}/thanks")
    assert thanks.status_code == 200 and "Wanita" not in thanks.text
    table = researcher.get(f"/surveys/{survey_id}/responses")
    frame = pd.read_html(io.StringIO(table.text), attrs={"id": "responses"})[0]
    assert len(frame) == 1
    assert frame[["CM2", "MB1", "gender"]].iloc[0].tolist() == [4, 5, "Wanita"]  # CM2 reverse-coded


def test_tokens_one_submission_each(as_role, client):
    researcher, survey_id, key = _survey(as_role)
    made = researcher.post(
        f"/surveys/{survey_id}/tokens",
        data={"count": "2", "csrf_token": csrf_of(researcher, f"/surveys/{survey_id}")},
    )
    links = re.search(r'id="invitation-links">([^<]+)<', made.text).group(1).split("\n")
    assert len(links) == 2 and all(f"/s/{key}?t=" in link for link in links)
    token = links[0].split("?t=")[1]
    switch = re.search(r'href="(/lang/id\?next=[^"]+)"', client.get(f"/s/{key}?t={token}").text).group(1)
    in_indonesian = client.get(switch.replace("&amp;", "&"))
    assert in_indonesian.url.path == f"/s/{key}" and "Persetujuan" in in_indonesian.text  # the token is kept
    client.get("/lang/en?next=/")
    assert client.get(f"/s/{key}").status_code == 404  # tokens now required
    assert client.get(f"/s/{key}?t=made-up").status_code == 404
    assert _answer(client, key, token).status_code == 303
    again = _answer(client, key, token)
    assert again.status_code == 409 and "already been used" in again.text
    assert "made 2" not in again.text and "Citra" not in again.text


def test_others_get_not_found_and_customers_cannot_see_surveys(as_role, client):
    _, survey_id, key = _survey(as_role)
    _answer(client, key)
    other = as_role("admin")
    assert other.get(f"/surveys/{survey_id}").status_code == 200  # admins see all
    researcher_b_like = as_role("staff")
    assert researcher_b_like.get("/surveys").status_code == 403
    customer = as_role("customer")
    assert customer.get("/surveys").status_code == 403
    assert customer.get(f"/surveys/{survey_id}/responses").status_code == 403
    assert "/surveys" not in customer.get("/").text


def test_another_researcher_gets_404(as_role, world):
    from ukur.store import SYSTEM, accounts, make_engine, make_session_factory
    from ukur.store.engine import transaction

    engine = make_engine(world.url)
    with transaction(make_session_factory(engine)) as s:
        accounts.create_user(
            s, SYSTEM, email="other@example.com", password="correct horse battery", role="researcher"
        )
    engine.dispose()
    _, survey_id, _ = _survey(as_role)
    other = as_role("other")
    for path in ("", "/responses", "/export.csv", "/responses/1.json"):
        assert other.get(f"/surveys/{survey_id}{path}").status_code == 404, path
    token = csrf_of(other, "/surveys")
    assert other.post(f"/surveys/{survey_id}/analyse", data={"csrf_token": token}).status_code == 404
    assert (
        other.post(f"/surveys/{survey_id}/responses/1/erase", data={"csrf_token": token}).status_code == 404
    )


def test_exclude_export_analyse_and_erase(as_role, client):
    researcher, survey_id, key = _survey(as_role)
    _answer(client, key)
    _answer(client, key, likert=dict.fromkeys(LIKERT, "3"))  # straight-liner
    page = researcher.get(f"/surveys/{survey_id}/responses").text
    assert "straightlining" in page
    ids = [int(i) for i in re.findall(r'id="response-(\d+)"', page)]
    token = csrf_of(researcher, f"/surveys/{survey_id}/responses")
    done = researcher.post(
        f"/surveys/{survey_id}/exclusions", data={"check": "straightlining", "csrf_token": token}
    )
    assert done.status_code == 200 and "1 responses excluded" in done.text
    csv = pd.read_csv(io.BytesIO(researcher.get(f"/surveys/{survey_id}/export.csv").content))
    assert csv["respondent"].tolist() == [ids[0]]
    xlsx = researcher.get(f"/surveys/{survey_id}/export.xlsx")
    sheets = pd.read_excel(io.BytesIO(xlsx.content), sheet_name=None)
    assert set(sheets) >= {"data", "codebook", "excluded"}
    assert "straightlining" in sheets["excluded"]["checks"].iloc[0]  # with too_fast: the test client is quick
    assert sheets["excluded"]["reasons"].str.len().iloc[0] > 0  # what the check found
    made = researcher.post(
        f"/surveys/{survey_id}/analyse",
        data={"paths": "Minat ~ Citra", "csrf_token": token},
        follow_redirects=False,
    )
    assert made.status_code == 303 and made.headers["location"].startswith("/pls/")
    project = researcher.get(made.headers["location"]).text
    assert "Minat ~ Citra" in project and f"survey-{survey_id}-cleaned.csv" in project
    personal = researcher.get(f"/surveys/{survey_id}/responses/{ids[0]}.json").json()
    assert personal["answers"]["gender"] == "Wanita" and personal["started"] is not None
    unconfirmed = researcher.post(
        f"/surveys/{survey_id}/responses/{ids[0]}/erase", data={"csrf_token": token}
    )
    assert unconfirmed.status_code == 400 and f'id="response-{ids[0]}"' in unconfirmed.text
    erased = researcher.post(
        f"/surveys/{survey_id}/responses/{ids[0]}/erase", data={"csrf_token": token, "confirm": str(ids[0])}
    )
    assert erased.status_code == 200 and f"response #{ids[0]} were erased" in erased.text
    assert f'id="response-{ids[0]}"' not in erased.text
    audit = as_role("admin").get("/admin/audit").text
    assert "erase" in audit and "Wanita" not in audit


def test_closed_form_says_so_and_unknown_links_are_404(as_role, client):
    researcher, survey_id, key = _survey(as_role)
    token = csrf_of(researcher, f"/surveys/{survey_id}")
    researcher.post(f"/surveys/{survey_id}/state", data={"is_open": "no", "csrf_token": token})
    closed = client.get(f"/s/{key}")
    assert closed.status_code == 409 and "This questionnaire is closed" in closed.text
    assert client.get("/s/no-such-key").status_code == 404
    researcher.post(f"/surveys/{survey_id}/state", data={"is_open": "yes", "csrf_token": token})
    assert client.get(f"/s/{key}").status_code == 200
