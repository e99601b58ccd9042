"""The guided "new agreement" form: template fields, history-based suggestions beside targets, draft created."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import numpy as np
import yaml

from tests.web.conftest import csrf_of
from ukur.sla.duration import parse_duration
from ukur.sla.suggest import WALL_LADDER

JAKARTA = timezone(timedelta(hours=7))


def _shipments(n: int = 40) -> list[dict[str, object]]:
    start = datetime(2026, 1, 5, 8, 0, tzinfo=JAKARTA)
    rows = []
    for i in range(n):
        picked = start + timedelta(hours=3 * i)
        rows.append({"id": f"R{i}", "picked_up_at": picked.isoformat(), "service_class": "REG",
                     "delivered_at": (picked + timedelta(hours=10 + i)).isoformat(), "damaged": False})  # fmt: skip
    return rows


def _expected_suggestion(hours: np.ndarray, goal: float) -> str:
    """Independent reference: the ⌈goal·n⌉-th smallest elapsed time, rounded up to the wall-time ladder."""
    x = np.sort(hours * 3600.0)
    quantile = x[math.ceil(goal * len(x)) - 1]
    return next(t for t in WALL_LADDER if (parse_duration(t).seconds or 0) >= quantile)


def test_form_shows_template_fields_and_history_suggestions(as_role, world):
    staff = as_role("staff")
    staff.headers["X-CSRF-Token"] = csrf_of(staff, "/")
    ingest = staff.post(f"/api/v1/organisations/{world.org_a}/streams/shipments/records", json=_shipments())
    assert ingest.status_code == 200, ingest.text
    page = staff.get(f"/new-agreement?template=courier&type=customer&lang=en&customer_org_id={world.org_a}")
    assert page.status_code == 200 and 'id="new-agreement-form"' in page.text
    assert (
        'name="target_on-time_REG" value="72h"' in page.text
        and 'name="goal_on-time" value="95%"' in page.text
    )
    expected = _expected_suggestion(np.arange(10, 50, dtype=float), 0.95)
    assert expected == "2d"
    assert f"{expected} (met by 97.5% of 40 records" in page.text
    assert "no history" in page.text  # the YES class has no records
    no_org = staff.get("/new-agreement?template=courier&type=customer&lang=en")
    assert no_org.status_code == 200 and "met by" not in no_org.text and "no history" in no_org.text


def test_creating_a_draft_from_the_form(as_role, world):
    staff = as_role("staff")
    token = csrf_of(staff, "/new-agreement?template=courier&type=customer&lang=id")
    form = {
        "csrf_token": token, "template": "courier", "type": "customer", "lang": "id",
        "customer_org_id": str(world.org_a), "id": "kirim-toko-a", "title": "Kurir untuk Toko A",
        "customer": "Toko A", "target_on-time_REG": "48h", "goal_on-time": "96%",
    }  # fmt: skip
    created = staff.post("/new-agreement", data=form, follow_redirects=False)
    assert created.status_code == 303, created.text
    staff.headers["X-CSRF-Token"] = token
    listed = {a["slug"]: a for a in staff.get("/api/v1/agreements").json()}
    stored = listed["kirim-toko-a"]
    assert stored["customer_org_id"] == world.org_a and len(stored["versions"]) == 1
    text = staff.get(f"/api/v1/agreements/{stored['id']}/versions/1").json()["yaml"]
    data = yaml.safe_load(text)
    on_time = next(o for o in data["objectives"] if o["id"] == "on-time")
    assert (
        on_time["target"]["REG"] == "48h" and on_time["goal"] == "96%" and on_time["target"]["YES"] == "24h"
    )
    assert data["title"] == "Kurir untuk Toko A" and stored["versions"][0]["signatures"] == []
    # the customer of that organisation sees the draft; the other customer does not
    assert as_role("customer").get(f"/agreements/{stored['id']}").status_code == 200
    assert as_role("customer_b").get(f"/agreements/{stored['id']}").status_code == 404
    again = staff.post("/new-agreement", data=form)
    assert again.status_code == 400 and "exists already" in again.text


def test_bad_input_gets_a_message_and_stores_nothing(as_role, world):
    staff = as_role("staff")
    staff.headers["X-CSRF-Token"] = csrf_of(staff, "/")
    before = len(staff.get("/api/v1/agreements").json())
    unknown = staff.get("/new-agreement?template=bakery")
    assert unknown.status_code == 400 and "unknown template" in unknown.text
    token = csrf_of(staff, "/new-agreement?template=courier")
    base = {"csrf_token": token, "type": "customer", "lang": "en", "id": "x-new"}
    posted = staff.post("/new-agreement", data={**base, "template": "bakery"})
    assert posted.status_code == 400 and "unknown template" in posted.text
    wrong_goal = staff.post("/new-agreement", data={**base, "template": "courier", "goal_on-time": "150%"})
    assert (
        wrong_goal.status_code == 400
        and "goal" in wrong_goal.text
        and 'id="new-agreement-form"' in wrong_goal.text
    )
    wrong_lang = staff.post("/new-agreement", data={**base, "template": "courier", "lang": "fr"})
    assert wrong_lang.status_code == 400 and "unknown language" in wrong_lang.text
    assert len(staff.get("/api/v1/agreements").json()) == before
    assert as_role("customer").get("/new-agreement").status_code in (403, 404)
