"""Change requests and signing through the pages and the API: propose, decide, counter, sign, 404s, bad input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import sla_yaml
from tests.web.conftest import YAML_A, csrf_of
from ukur.sla.diff import content_hash
from ukur.sla.load import load_agreement
from ukur.store import make_engine, make_session_factory
from ukur.store.engine import transaction
from ukur.store.models import AuditEntry
from ukur.store.models_changes import ChangeRequest
from ukur.store.models_sla import AgreementVersion, Signature

TIGHTER = YAML_A.replace("target: 24h", "target: 12h")
LOOSER = YAML_A.replace("target: 24h", "target: 48h")


def api(client):
    client.headers["X-CSRF-Token"] = csrf_of(client, "/")
    return client


def counts(url: str) -> tuple[int, int, int, int]:
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as s:
        found = (
            s.query(ChangeRequest).count(),
            s.query(AgreementVersion).count(),
            s.query(Signature).count(),
            s.query(AuditEntry).count(),
        )
    engine.dispose()
    return found


def propose_page(client, agreement: int, text: str, reason: str = "faster", base: int = 1, **extra):
    token = csrf_of(client, f"/agreements/{agreement}/changes/new")
    data = {"csrf_token": token, "base_version": str(base), "yaml_text": text, "reason": reason, **extra}
    return client.post(f"/agreements/{agreement}/changes", data=data, follow_redirects=False)


def test_customer_proposes_staff_accepts_both_sign_and_the_old_version_stays_readable(as_role, world):
    customer, staff = as_role("customer"), as_role("staff")
    sent = propose_page(customer, world.agreement_a, TIGHTER, "we need same-day delivery")
    assert sent.status_code == 303, sent.text
    change_url = sent.headers["location"]
    page = staff.get(change_url)
    assert page.status_code == 200 and "tightened" in page.text and "12h" in page.text
    assert 'id="decide-form"' in page.text
    assert 'id="decide-form"' not in customer.get(change_url).text  # the proposer does not decide
    token = csrf_of(staff, change_url)
    decided = staff.post(
        change_url + "/decide", data={"csrf_token": token, "decision": "accept"}, follow_redirects=False
    )
    assert decided.status_code == 303
    after = staff.get(change_url).text
    assert "accepted" in after and 'id="result-version"' in after
    history = customer.get(f"/agreements/{world.agreement_a}/changes").text
    assert "target: 12h" not in history and "Not signed: draft" in history
    # signing the outdated version 1 is refused with a clear message and stores nothing
    before = counts(world.url)
    token = csrf_of(customer, f"/agreements/{world.agreement_a}")
    old = customer.post(
        f"/agreements/{world.agreement_a}/versions/1/sign",
        data={"csrf_token": token, "signer_name": "Ani"},
        follow_redirects=False,
    )
    assert old.status_code == 409 and "version 1 is outdated" in old.text and "version 2" in old.text
    assert counts(world.url) == before
    for client, name in ((customer, "Ani"), (staff, "Budi")):
        token = csrf_of(client, f"/agreements/{world.agreement_a}?v=2")
        signed = client.post(
            f"/agreements/{world.agreement_a}/versions/2/sign",
            data={"csrf_token": token, "signer_name": name, "signer_role": "director"},
            follow_redirects=False,
        )
        assert signed.status_code == 303
    body = api(staff).get(f"/api/v1/agreements/{world.agreement_a}").json()
    v2 = body["versions"][1]
    assert {s["party"] for s in v2["signatures"]} == {"provider", "customer"}
    # what is signed is the canonical content hash of the version's agreement (H11's content_hash)
    assert all(s["content_hash"] == content_hash(load_agreement(TIGHTER)) for s in v2["signatures"])
    assert v2["content_hash"] == content_hash(load_agreement(TIGHTER))
    old_page = customer.get(f"/agreements/{world.agreement_a}?v=1")
    assert old_page.status_code == 200 and "target: 24h" in old_page.text
    diff = customer.get(f"/agreements/{world.agreement_a}/changes?old=1&new=2").text
    assert "tightened" in diff and "24h" in diff and "12h" in diff


def test_document_download_carries_the_stored_hash_and_the_draft_mark_until_signed(as_role, world):
    staff, customer = as_role("staff"), as_role("customer")
    url = f"/agreements/{world.agreement_a}/versions/1/document"
    stored = api(staff).get(f"/api/v1/agreements/{world.agreement_a}").json()["versions"][0]["content_hash"]
    html = customer.get(url + "?lang=en&format=html")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert stored in html.text and "DRAFT" in html.text
    assert 'filename="kilat-gold-v1-en.html"' in html.headers["content-disposition"]
    docx = customer.get(url + "?lang=id&format=docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    for client, name in ((customer, "Ani"), (staff, "Budi")):
        api(client).post(
            f"/api/v1/agreements/{world.agreement_a}/versions/1/signatures", json={"signer_name": name}
        )
    signed = customer.get(url + "?lang=en&format=html").text
    assert "DRAFT" not in signed and "Ani" in signed and "Budi" in signed and stored in signed
    assert customer.get(url + "?lang=fr").status_code == 400
    assert customer.get(url + "?format=odt").status_code == 400


@pytest.mark.slow
def test_document_pdf_download(as_role, world):
    pdf = as_role("customer").get(
        f"/agreements/{world.agreement_a}/versions/1/document?lang=bilingual&format=pdf"
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_counter_proposal_and_rejection_through_the_api(as_role, world):
    staff, customer = api(as_role("staff")), api(as_role("customer"))
    base = f"/api/v1/agreements/{world.agreement_a}/changes"
    first = staff.post(base, json={"base_version": 1, "yaml": LOOSER, "reason": "costs rose"})
    assert first.status_code == 201, first.text
    first_id = first.json()["id"]
    assert first.json()["status"] == "proposed" and first.json()["proposer_party"] == "provider"
    own = staff.post(f"{base}/{first_id}/decision", json={"decision": "accept"})
    assert own.status_code == 403 and "other party" in own.json()["message"]
    middle = YAML_A.replace("target: 24h", "target: 36h")
    counter = customer.post(
        base, json={"base_version": 1, "yaml": middle, "reason": "meet halfway", "counter_of": first_id}
    )
    assert counter.status_code == 201 and counter.json()["counter_of"] == first_id
    listed = {c["id"]: c for c in customer.get(base).json()}
    assert listed[first_id]["status"] == "countered"
    again = customer.post(f"{base}/{first_id}/decision", json={"decision": "accept"})
    assert again.status_code in (403, 409)
    rejected = staff.post(
        f"{base}/{counter.json()['id']}/decision", json={"decision": "reject", "note": "no"}
    )
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    assert rejected.json()["result_version"] is None
    assert len(staff.get(f"/api/v1/agreements/{world.agreement_a}").json()["versions"]) == 1
    diff = staff.get(f"/api/v1/agreements/{world.agreement_a}/diff?old=1&new=1").json()
    assert diff["changes"] == []


def test_another_organisation_gets_404_for_all_of_it(as_role, world):
    staff, other = api(as_role("staff")), api(as_role("customer_b"))
    change = staff.post(
        f"/api/v1/agreements/{world.agreement_a}/changes",
        json={"base_version": 1, "yaml": TIGHTER, "reason": "x"},
    ).json()["id"]
    a = world.agreement_a
    for path in (
        f"/agreements/{a}/changes",
        f"/agreements/{a}/changes/new",
        f"/agreements/{a}/changes/{change}",
        f"/agreements/{a}/changes?old=1&new=1",
        f"/agreements/{a}/versions/1/document",
        f"/api/v1/agreements/{a}/changes",
        f"/api/v1/agreements/{a}/diff?old=1&new=1",
    ):
        assert other.get(path).status_code == 404, path
    assert (
        other.post(
            f"/api/v1/agreements/{a}/changes/{change}/decision", json={"decision": "accept"}
        ).status_code
        == 404
    )
    posted = other.post(
        f"/api/v1/agreements/{a}/changes", json={"base_version": 1, "yaml": TIGHTER, "reason": "x"}
    )
    assert posted.status_code == 404
    token = csrf_of(other, "/")
    page_post = other.post(
        f"/agreements/{a}/changes/{change}/decide", data={"csrf_token": token, "decision": "accept"}
    )
    assert page_post.status_code == 404
    assert other.get(f"/agreements/{world.agreement_b}/changes").status_code == 200


@pytest.mark.parametrize(
    ("text", "status", "message"),
    [
        (YAML_A.replace("services:", "services: [oops\nx:"), 400, "YAML"),
        (YAML_A + "contract:\n  overview: {xx: hello}\n", 400, "unknown language code &#39;xx&#39;"),
        (YAML_A.replace("id: kilat-gold", "id: other-id"), 400, "keep the agreement&#39;s id"),
        (YAML_A, 409, "says the same as version 1"),
    ],
)
def test_bad_proposals_are_shown_with_their_line_and_store_nothing(as_role, world, text, status, message):
    customer = as_role("customer")
    before = counts(world.url)
    response = propose_page(customer, world.agreement_a, text)
    assert response.status_code == status and message in response.text, response.text[-2000:]
    assert 'id="change-form"' in response.text  # the form comes back with the text to fix
    assert counts(world.url) == before


def test_error_line_is_marked_next_to_the_text(as_role, world):
    bad = YAML_A + "contract:\n  overview: {xx: hello}\n"
    page = propose_page(as_role("customer"), world.agreement_a, bad).text
    line = bad.split("\n").index("  overview: {xx: hello}") + 1
    assert f'<li value="{line}" class="error-line">' in page


def test_outdated_base_and_reason_are_refused(as_role, world):
    staff = api(as_role("staff"))
    staff.post("/api/v1/agreements", json={"yaml": TIGHTER, "note": "v2"})
    before = counts(world.url)
    stale = staff.post(
        f"/api/v1/agreements/{world.agreement_a}/changes",
        json={"base_version": 1, "yaml": LOOSER, "reason": "r"},
    )
    assert stale.status_code == 409 and "propose changes to version 2" in stale.json()["message"]
    blank = propose_page(as_role("customer"), world.agreement_a, LOOSER, reason="  ", base=2)
    assert blank.status_code == 400 and "say why" in blank.text
    assert counts(world.url) == before


def test_a_child_loosening_its_parent_is_refused(as_role, world):
    staff = api(as_role("staff"))
    parent = sla_yaml("kilat-base", "Toko A", target="24h").replace("type: customer", "type: customer")
    assert staff.post("/api/v1/agreements", json={"yaml": parent}).status_code == 201
    child = (
        "ukur: sla/v1\nid: kilat-child\nparent: kilat-base\ntitle: Child\ntype: multilevel\n"
        "customer: {name: Toko A}\nobjectives:\n  - {id: on-time, target: 12h}\n"
    )
    created = staff.post("/api/v1/agreements", json={"yaml": child, "customer_org_id": world.org_a})
    assert created.status_code == 201, created.text
    child_id = next(a["id"] for a in staff.get("/api/v1/agreements").json() if a["slug"] == "kilat-child")
    before = counts(world.url)
    looser = child.replace("target: 12h", "target: 48h")
    refused = staff.post(
        f"/api/v1/agreements/{child_id}/changes", json={"base_version": 1, "yaml": looser, "reason": "r"}
    )
    assert refused.status_code == 400 and "loosen" in refused.json()["message"], refused.text
    assert counts(world.url) == before


def test_an_accepted_change_takes_effect_after_the_notice_period(as_role, world):
    staff, customer = api(as_role("staff")), api(as_role("customer"))
    today = date.today()
    start = today.replace(day=1).isoformat()
    with_notice = YAML_A + f"effective: {{from: {start}}}\ncontract:\n  change: {{notice: 30d}}\n"
    assert staff.post("/api/v1/agreements", json={"yaml": with_notice}).status_code == 201
    too_soon = (today + timedelta(days=5)).isoformat()
    moved = with_notice.replace(f"from: {start}", f"from: {too_soon}").replace("target: 24h", "target: 12h")
    base = f"/api/v1/agreements/{world.agreement_a}/changes"
    refused = customer.post(base, json={"base_version": 2, "yaml": moved, "reason": "r"})
    assert refused.status_code == 400 and "30 days' notice" in refused.json()["message"]
    same_start = with_notice.replace("target: 24h", "target: 12h")
    change = customer.post(base, json={"base_version": 2, "yaml": same_start, "reason": "r"}).json()
    accepted = staff.post(f"{base}/{change['id']}/decision", json={"decision": "accept"}).json()
    assert accepted["result_version"] == 3
    assert date.fromisoformat(accepted["effective_on"]) >= today + timedelta(days=30)
