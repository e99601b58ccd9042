"""PLS runs from the browser pages: upload data and model, run as a background job, read the paths."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.web.conftest import csrf_of

STUDY = Path(__file__).resolve().parents[2] / "examples" / "umkm-pamulang"
DATA = b"""a1,a2,b1,b2
1,2,2,1
2,2,3,2
3,4,3,3
4,4,5,4
5,4,4,5
2,3,2,2
4,5,5,4
3,3,4,3
"""
MODEL = "A =~ a1 + a2\nB =~ b1 + b2\nB ~ A\n"


def _wait_for(client, run_id, timeout=30.0):
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(f"/api/v1/pls/runs/{run_id}").json()
        if body["status"] in ("succeeded", "failed"):
            return body
        assert time.monotonic() < deadline, body
        time.sleep(0.1)


def _project(client, data: bytes, model: str) -> tuple[str, str]:
    token = csrf_of(client, "/pls")
    url = client.post("/pls", data={"name": "Study", "csrf_token": token}, follow_redirects=False).headers[
        "location"
    ]
    client.post(f"{url}/data", data={"csrf_token": token}, files={"file": ("data.csv", data, "text/csv")})
    client.post(f"{url}/model", data={"model_text": model, "csrf_token": token})
    return url, token


def test_run_estimates_and_shows_path_coefficients(as_role):
    researcher = as_role("researcher")
    url, token = _project(researcher, DATA, MODEL)
    page = researcher.get(url).text
    dataset_id = page.split('<option value="')[1].split('"')[0]
    started = researcher.post(
        f"{url}/runs",
        data={"dataset_id": dataset_id, "bootstrap": "200", "csrf_token": token},
        follow_redirects=False,
    )
    assert started.status_code == 303
    run_id = started.headers["location"].rsplit("/", 1)[1]
    body = _wait_for(researcher, run_id)
    assert body["status"] == "succeeded", body
    beta = body["results"]["paths"][0]["estimate"]
    # One predictor: the standardized path equals the correlation of the two composite scores, |β| ≤ 1.
    assert 0 < beta <= 1 and body["results"]["bootstrap"]["samples"] == 200
    shown = researcher.get(started.headers["location"]).text
    assert "Path coefficients" in shown and f"{beta:.3f}" in shown
    download = researcher.get(started.headers["location"] + "/results.json")
    assert download.json()["paths"][0]["estimate"] == beta
    assert as_role("customer").get(f"/api/v1/pls/runs/{run_id}").status_code == 404


def test_a_wrong_model_fails_the_run_with_the_message(as_role):
    researcher = as_role("researcher")
    url, token = _project(researcher, DATA, "A =~ a1 + nope\nB =~ b1\nB ~ A\n")
    dataset_id = researcher.get(url).text.split('<option value="')[1].split('"')[0]
    started = researcher.post(
        f"{url}/runs", data={"dataset_id": dataset_id, "csrf_token": token}, follow_redirects=False
    )
    body = _wait_for(researcher, started.headers["location"].rsplit("/", 1)[1])
    assert body["status"] == "failed" and "nope" in body["error"]["message"]
    assert "nope" in researcher.get(started.headers["location"]).text


@pytest.mark.skipif(not (STUDY / "model.txt").exists(), reason="the demo study is not in this tree")
def test_the_demo_study_reproduces_the_example_paths(as_role):
    researcher = as_role("researcher")
    url, token = _project(
        researcher, (STUDY / "data.csv").read_bytes(), (STUDY / "model.txt").read_text("utf-8")
    )
    dataset_id = researcher.get(url).text.split('<option value="')[1].split('"')[0]
    started = researcher.post(
        f"{url}/runs", data={"dataset_id": dataset_id, "csrf_token": token}, follow_redirects=False
    )
    body = _wait_for(researcher, started.headers["location"].rsplit("/", 1)[1])
    assert body["status"] == "succeeded", body
    from ukur.io import parse_table
    from ukur.pls import Model, estimate

    reference = estimate(
        Model.from_syntax((STUDY / "model.txt").read_text("utf-8")),
        parse_table((STUDY / "data.csv").read_bytes(), name="data.csv"),
    ).to_dict()["paths"]
    assert [p["estimate"] for p in body["results"]["paths"]] == pytest.approx(
        [p["estimate"] for p in reference], abs=1e-12
    )
