"""Report downloads: a PLS run's report (HTML/XLSX/DOCX) and an agreement's SLA report (HTML/XLSX/PDF).

The numbers are read back from the files (openpyxl, python-docx, the HTML text) and compared with the run's
results JSON and the API's evaluation JSON (tolerance 1e-12: the report re-estimates the run, which may
differ from the stored JSON in the last bit of a float); whoever may not see the run or agreement gets 404.
"""

from __future__ import annotations

import io
import time

import numpy as np
import openpyxl
import pytest
from docx import Document

from tests.web.conftest import csrf_of
from ukur.store import SYSTEM, accounts, make_engine, make_session_factory, transaction
from ukur.store.models_pls import PlsRun

TOL = 1e-12
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MODEL = "A =~ a1 + a2 + a3\nB =~ b1 + b2 + b3\nC =~ c1 + c2\nB ~ A\nC ~ A + B\n"


def _data(n: int = 80, seed: int = 7) -> bytes:
    """A simulated survey: A → B → C and A → C, three to two items each, answers on a 1–5 scale."""
    rng = np.random.default_rng(seed)
    a = rng.normal(size=n)
    b = 0.6 * a + 0.8 * rng.normal(size=n)
    c = 0.3 * a + 0.5 * b + 0.7 * rng.normal(size=n)
    cols = {}
    for name, latent, k in (("a", a, 3), ("b", b, 3), ("c", c, 2)):
        for i in range(1, k + 1):
            cols[f"{name}{i}"] = np.clip(np.round(3 + latent + 0.6 * rng.normal(size=n)), 1, 5).astype(int)
    cols["gender"] = rng.choice(["F", "M"], size=n)
    header = ",".join(cols)
    lines = [",".join(str(cols[k][i]) for k in cols) for i in range(n)]
    return ("\n".join([header, *lines]) + "\n").encode()


def _finished_run(client, bootstrap: int) -> tuple[str, dict]:
    token = csrf_of(client, "/pls")
    url = client.post("/pls", data={"name": "Study", "csrf_token": token}, follow_redirects=False).headers[
        "location"
    ]
    client.post(f"{url}/data", data={"csrf_token": token}, files={"file": ("data.csv", _data(), "text/csv")})
    client.post(f"{url}/model", data={"model_text": MODEL, "csrf_token": token})
    dataset_id = client.get(url).text.split('<option value="')[1].split('"')[0]
    started = client.post(
        f"{url}/runs",
        data={"dataset_id": dataset_id, "bootstrap": str(bootstrap), "csrf_token": token},
        follow_redirects=False,
    )
    run_url = started.headers["location"]
    deadline = time.monotonic() + 60
    while True:
        answer = client.get(f"/api/v1/pls/runs/{run_url.rsplit('/', 1)[1]}")
        # A poll that meets the worker mid-write can answer 500 (reported to the run API's owner); the
        # next poll reads the run. This test is about the report, so it only needs the finished run.
        body = answer.json() if answer.status_code == 200 else {"status": "polling"}
        if body["status"] in ("succeeded", "failed"):
            break
        assert time.monotonic() < deadline, body
        time.sleep(0.1)
    assert body["status"] == "succeeded", body
    return run_url, body["results"]


def _sheet(book, name: str) -> list[dict]:
    """A PLS report sheet as records (row 1 is the title, row 2 the headers)."""
    rows = list(book[name].iter_rows(values_only=True))
    headers = rows[1]
    return [dict(zip(headers, r, strict=False)) for r in rows[2:] if r[0] is not None and r[1] is not None]


def test_pls_report_downloads_carry_the_runs_numbers(as_role):
    researcher = as_role("researcher")
    run_url, results = _finished_run(researcher, bootstrap=200)
    boot = results["bootstrap"]

    xlsx = researcher.get(run_url + "/report.xlsx?lang=en&profile=gender")
    assert xlsx.status_code == 200 and xlsx.headers["content-type"] == XLSX and len(xlsx.content) > 1000
    assert "attachment" in xlsx.headers["content-disposition"]
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    paths = {(r["From"], r["To"]): r["Path coefficient"] for r in _sheet(book, "paths")}
    assert paths == pytest.approx({(p["from"], p["to"]): p["estimate"] for p in results["paths"]}, abs=TOL)
    r2 = {r["Construct"]: r["R²"] for r in _sheet(book, "r2")}
    assert r2 == pytest.approx({r["construct"]: r["r2"] for r in results["r2"]}, abs=TOL)
    booted = {r["Effect"]: r for r in _sheet(book, "boot_paths")}
    assert len(booted) == len(boot["paths"]) == 3
    for p in boot["paths"]:
        row = booted[f"{p['from']} → {p['to']}"]
        shown = [
            row["Original sample (O)"],
            row["STDEV"],
            row["T statistics (|O/STDEV|)"],
            row["p values"],
        ]
        assert shown == pytest.approx([p["original"], p["std"], p["t"], p["p"]], abs=TOL)
    [indirect] = _sheet(book, "boot_indirect")
    assert indirect["Original sample (O)"] == pytest.approx(boot["indirect"][0]["original"], abs=TOL)
    profile = _sheet(book, "profile_gender")
    assert profile[-1]["Count"] == 80 and sum(r["Count"] for r in profile[:-1]) == 80

    html = researcher.get(run_url + "/report.html")
    assert html.headers["content-type"] == "text/html; charset=utf-8"
    text = html.text
    assert "<svg" in text and all(f"{p['estimate']:.3f}" in text for p in results["paths"])

    docx = researcher.get(run_url + "/report.docx?lang=id")
    assert docx.headers["content-type"] == DOCX
    cells = {c.text for t in Document(io.BytesIO(docx.content)).tables for row in t.rows for c in row.cells}
    # Bahasa Indonesia: decimal comma.
    assert all(f"{p['estimate']:.3f}".replace(".", ",") in cells for p in results["paths"])


def test_pls_report_headers_and_unknown_format_or_profile(as_role):
    researcher = as_role("researcher")
    run_url, _ = _finished_run(researcher, bootstrap=0)
    assert researcher.get(run_url + "/report.pdf").status_code == 404
    bad = researcher.get(run_url + "/report.xlsx?profile=nope")
    assert bad.status_code == 400 and "nope" in bad.text
    assert researcher.get(run_url + "/report.xlsx?lang=fr").status_code == 400
    plain = openpyxl.load_workbook(io.BytesIO(researcher.get(run_url + "/report.xlsx").content))
    assert "paths" in plain.sheetnames and "boot_paths" not in plain.sheetnames


def test_a_run_whose_numbers_are_not_reproduced_gives_no_report(as_role, world):
    researcher = as_role("researcher")
    run_url, _ = _finished_run(researcher, bootstrap=0)
    run_id = int(run_url.rsplit("/", 1)[1])
    engine = make_engine(world.url)
    with transaction(make_session_factory(engine)) as s:
        run = s.get(PlsRun, run_id)
        changed = dict(run.results)
        changed["paths"] = [{**p, "estimate": p["estimate"] + 0.01} for p in changed["paths"]]
        run.results = changed
    engine.dispose()
    refused = researcher.get(run_url + "/report.html")
    assert refused.status_code == 409 and "run it again" in refused.text


def test_other_researchers_get_404_for_a_pls_report(as_role, world):
    researcher = as_role("researcher")
    run_url, _ = _finished_run(researcher, bootstrap=0)
    engine = make_engine(world.url)
    with transaction(make_session_factory(engine)) as s:
        accounts.create_user(
            s, SYSTEM, email="other@example.com", password="correct horse battery", role="researcher"
        )
    engine.dispose()
    assert as_role("other").get(run_url + "/report.xlsx").status_code == 404
    assert as_role("customer").get(run_url + "/report.xlsx").status_code in (403, 404)
    assert as_role("admin").get(run_url + "/report.xlsx").status_code == 200


SHIPMENTS = [
    # picked up, delivered (Asia/Jakarta); target 24 h: KX3 and KX4 are late.
    ("KX1", "2026-01-05T08:00:00+07:00", "2026-01-05T20:00:00+07:00"),
    ("KX2", "2026-01-06T08:00:00+07:00", "2026-01-07T07:00:00+07:00"),
    ("KX3", "2026-01-07T08:00:00+07:00", "2026-01-09T08:00:00+07:00"),
    ("KX4", "2026-01-12T09:00:00+07:00", "2026-01-14T10:00:00+07:00"),
    ("KX5", "2026-01-20T09:00:00+07:00", "2026-01-20T18:00:00+07:00"),
    ("KX6", "2025-12-20T09:00:00+07:00", "2025-12-20T18:00:00+07:00"),
]


@pytest.fixture
def shipments(as_role, world):
    staff = as_role("staff")
    token = csrf_of(staff, "/")
    rows = [{"id": i, "picked_up_at": p, "delivered_at": d} for i, p, d in SHIPMENTS]
    answer = staff.post(
        f"/api/v1/organisations/{world.org_a}/streams/shipments/records",
        json=rows,
        headers={"X-CSRF-Token": token},
    )
    assert answer.status_code in (200, 201), answer.text
    return staff


def test_sla_report_downloads_carry_the_evaluations_numbers(shipments, as_role, world):
    customer = as_role("customer")
    base = f"/agreements/{world.agreement_a}/report"
    query = "?period=2026-01&as_of=2026-02-15T00:00"
    evaluation = customer.get(
        f"/api/v1/agreements/{world.agreement_a}/evaluation?period=2026-01&as_of=2026-02-15T00:00"
    ).json()
    [window] = [w for w in evaluation["windows"] if w["total"]]
    assert (window["total"], window["breached"]) == (5, 2)

    xlsx = customer.get(base + ".xlsx" + query)
    assert xlsx.status_code == 200 and xlsx.headers["content-type"] == XLSX
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    [sheet] = [ws for ws in book.worksheets if ws.title.startswith("Compliance in")]
    rows = list(sheet.iter_rows(values_only=True))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Objective"] == "on-time" and row["Compliance"] == window["compliance"] == pytest.approx(0.6)
    assert row["Goal"] == window["goal"] and row["Goal met"] is False
    counts = list(book["Records"].iter_rows(values_only=True))
    assert dict(zip(counts[0], counts[1], strict=True))["Breached"] == 2

    html = customer.get(base + ".html" + query + "&lang=id")
    assert html.headers["content-type"] == "text/html; charset=utf-8" and "<svg" in html.text
    assert "60,0" in html.text  # Bahasa Indonesia: 60,0 %

    pdf = customer.get(base + ".pdf" + query)
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert "ukur-sla-kilat-gold-2026-01.pdf" in pdf.headers["content-disposition"]


def test_sla_report_is_404_for_another_organisation_and_400_for_a_bad_period(shipments, as_role, world):
    other = as_role("customer_b")
    for fmt in ("html", "xlsx", "pdf"):
        assert other.get(f"/agreements/{world.agreement_a}/report.{fmt}?period=2026-01").status_code == 404
    assert other.get(f"/agreements/{world.agreement_b}/report.html?period=2026-01").status_code == 200
    customer = as_role("customer")
    assert customer.get(f"/agreements/{world.agreement_a}/report.docx?period=2026-01").status_code == 404
    bad = customer.get(f"/agreements/{world.agreement_a}/report.html?period=januari")
    assert bad.status_code == 400
    assert customer.get(f"/agreements/{world.agreement_a}/report.html").status_code == 422


def test_the_pages_offer_the_downloads(shipments, as_role, world):
    page = as_role("customer").get(f"/agreements/{world.agreement_a}?period=2026-01").text
    for fmt in ("html", "xlsx", "pdf"):
        assert f'formaction="/agreements/{world.agreement_a}/report.{fmt}"' in page
    assert 'name="period" value="2026-01"' in page
    researcher = as_role("researcher")
    run_url, _ = _finished_run(researcher, bootstrap=0)
    run_page = researcher.get(run_url).text
    assert all(f'formaction="{run_url}/report.{fmt}"' in run_page for fmt in ("html", "xlsx", "docx"))


def test_the_stored_bootstrap_tables_give_the_same_report_as_the_bootstrap_itself():
    """``bootstrap_from_dict(to_dict())`` loses only the draws, which no table of the report reads."""
    from ukur.io import parse_table
    from ukur.pls import Model, estimate
    from ukur.pls.bootstrap import bootstrap
    from ukur.report.pls_render import render
    from ukur.report.pls_tables import build_report
    from ukur.web.routes.reports import bootstrap_from_dict

    result = estimate(Model.from_syntax(MODEL), parse_table(_data(), name="data.csv"))
    boot = bootstrap(result, 150, 11)
    again = bootstrap_from_dict(result.model, boot.to_dict())
    assert again.to_dict() == boot.to_dict()
    for lang in ("en", "id"):
        assert render(build_report(result, boot=again, lang=lang), "html") == render(
            build_report(result, boot=boot, lang=lang), "html"
        )
