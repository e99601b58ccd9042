"""The PLS model editor's check ``POST /api/v1/pls/validate``: errors with line/column, suggestions, SVG."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.web.conftest import csrf_of
from ukur.web.routes.pls_editor import check_model

DATA = b"a1,a2,b1,b2,Gender\n1,2,2,1,F\n2,2,3,2,M\n3,4,3,3,F\n4,4,5,4,M\n"
MODEL = "A =~ a1 + a2\nB =~ b1 + b2\nB ~ A\n"


def _project(client) -> tuple[int, str]:
    token = csrf_of(client, "/pls")
    url = client.post("/pls", data={"name": "Study", "csrf_token": token}, follow_redirects=False).headers[
        "location"
    ]
    client.post(f"{url}/data", data={"csrf_token": token}, files={"file": ("data.csv", DATA, "text/csv")})
    return int(url.rsplit("/", 1)[1]), token


def _check(client, token: str, model: str, project_id: int | None) -> dict:
    response = client.post(
        "/api/v1/pls/validate",
        json={"model": model, "project_id": project_id},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_a_syntax_error_has_its_line_and_column(as_role):
    researcher = as_role("researcher")
    project, token = _project(researcher)
    body = _check(researcher, token, "A =~ a1 + a2\nB =~ b1 +, b2\nB ~ A\n", project)
    assert body["ok"] is False and body["svg"] is None
    [error] = body["errors"]
    # The comma is the 10th character of line 2 ("B =~ b1 +,").
    assert (error["kind"], error["line"], error["column"]) == ("ModelSyntaxError", 2, 10)
    assert "'+'" in error["message"]


def test_a_valid_model_gets_its_diagram(as_role):
    researcher = as_role("researcher")
    project, token = _project(researcher)
    body = _check(researcher, token, MODEL, project)
    assert body["ok"] is True and body["errors"] == []
    assert body["constructs"] == ["A", "B"] and body["indicators"] == 4
    assert body["columns"] == ["a1", "a2", "b1", "b2", "Gender"] and body["dataset"] == "data.csv"
    svg = body["svg"]
    assert svg.startswith("<svg") and svg.count("<ellipse") == 2 and svg.count("<rect") >= 4
    assert all(f">{name}<" in svg for name in ("a1", "a2", "b1", "b2"))


def test_unknown_indicators_are_placed_and_get_a_suggestion(as_role):
    researcher = as_role("researcher")
    project, token = _project(researcher)
    body = _check(researcher, token, "A =~ a1 + A2\nB =~ b1 +\n  bb2 + xyz\nB ~ A\n", project)
    assert body["ok"] is False and body["svg"].startswith("<svg")  # it parses: the diagram is still drawn
    found = [(e["field"], e["line"], e["column"], e["suggestion"]) for e in body["errors"]]
    assert found == [("A2", 1, 11, "a2"), ("bb2", 3, 3, "b2"), ("xyz", 3, 9, None)]
    assert all(e["kind"] == "UnknownIndicator" for e in body["errors"])
    assert "did you mean 'a2'?" in body["errors"][0]["message"]


def test_without_a_project_only_the_syntax_is_checked(as_role):
    researcher = as_role("researcher")
    token = csrf_of(researcher, "/pls")
    body = _check(researcher, token, "A =~ anything\nB =~ else\nB ~ A\n", None)
    assert body["ok"] is True and body["columns"] is None


def test_a_model_error_is_placed_too(as_role):
    researcher = as_role("researcher")
    token = csrf_of(researcher, "/pls")
    body = _check(researcher, token, "A =~ a1\nB =~ a1\nB ~ A\n", None)
    [error] = body["errors"]
    assert error["kind"] == "ModelError" and error["line"] == 2 and "a1" in error["message"]


def test_other_researchers_and_customers_cannot_use_a_project(as_role, world):
    from ukur.store import SYSTEM, accounts, make_engine, make_session_factory, transaction

    owner = as_role("researcher")
    project, _ = _project(owner)
    engine = make_engine(world.url)
    with transaction(make_session_factory(engine)) as s:
        accounts.create_user(
            s, SYSTEM, email="other@example.com", password="correct horse battery", role="researcher"
        )
    engine.dispose()
    other = as_role("other")
    token = csrf_of(other, "/pls")
    answer = other.post(
        "/api/v1/pls/validate", json={"model": MODEL, "project_id": project}, headers={"X-CSRF-Token": token}
    )
    assert answer.status_code == 404
    customer = as_role("customer")
    token = csrf_of(customer, "/")
    refused = customer.post(
        "/api/v1/pls/validate", json={"model": MODEL, "project_id": project}, headers={"X-CSRF-Token": token}
    )
    assert refused.status_code in (403, 404)
    # Without the CSRF header a session may not post.
    assert owner.post("/api/v1/pls/validate", json={"model": MODEL}).status_code == 403


def test_the_project_page_wires_the_editor(as_role):
    researcher = as_role("researcher")
    project, _ = _project(researcher)
    page = researcher.get(f"/pls/{project}").text
    wired = r'<textarea[^>]*data-validate="/api/v1/pls/validate"[^>]*data-project="' + str(project) + '"'
    assert re.search(wired, page)
    assert '<script src="/static/pls_editor.js" defer></script>' in page and "<script>" not in page
    assert researcher.get("/static/pls_editor.js").status_code == 200


NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True)


@settings(max_examples=60, deadline=None)
@given(st.lists(NAMES, min_size=2, max_size=6, unique=True), st.integers(0, 5))
def test_every_unknown_indicator_is_found_where_it_is_written(names, spaces):
    """Property: for any two-construct model, the reported place of each unknown indicator holds its name."""
    text = f"X1 =~ {names[0]}\n" + " " * spaces + "X2 =~ " + "+".join(names[1:]) + "\nX2 ~ X1\n"
    check = check_model(text, columns=(names[0],))
    lines = text.split("\n")
    assert {e.field for e in check.errors} == set(names[1:])
    for e in check.errors:
        assert e.line is not None and e.column is not None and e.field is not None
        assert lines[e.line - 1][e.column - 1 : e.column - 1 + len(e.field)] == e.field


@pytest.mark.parametrize("text", ["", "   \n# only a comment\n"])
def test_an_empty_model_is_an_error_without_a_diagram(text):
    check = check_model(text, None)
    assert check.ok is False and check.svg is None and check.errors


@pytest.fixture(scope="module")
def editor_server(tmp_path_factory: pytest.TempPathFactory):
    from tests.browser import serve
    from tests.web.conftest import seed
    from ukur.config import Settings
    from ukur.web import create_app

    world = seed(f"sqlite:///{tmp_path_factory.mktemp('editor') / 'ukur.db'}")
    with serve(create_app(Settings(database_url=world.url))) as url:
        yield url


@pytest.mark.browser
def test_typing_a_model_draws_the_diagram_and_marks_a_typo(editor_server, browser, tmp_path):
    from tests.web.conftest import PASSWORD

    data = tmp_path / "data.csv"
    data.write_bytes(DATA)
    page = browser.new_context(locale="en-US").new_page()
    page.set_default_timeout(10_000)
    failures: list[str] = []
    page.on(
        "console",
        lambda m: (
            failures.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            failures.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.goto(editor_server + "/pls")
    page.fill("input[name=email]", "researcher@example.com")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(editor_server + "/pls")
    page.fill("input[name=name]", "Editor study")
    page.click("form[action='/pls'] button[type=submit]")
    page.set_input_files("input[type=file]", str(data))
    page.click("form[action$='/data'] button[type=submit]")

    area = page.locator("#model-text")
    area.fill(MODEL)
    page.wait_for_selector("#model-check[data-state=valid]")
    assert page.locator("#model-diagram svg ellipse").count() == 2
    assert "2 constructs, 4 indicators" in page.locator(".check-status").inner_text()

    # A third construct: the diagram is redrawn with three ellipses.
    area.fill(MODEL + "C =~ a1x\nC ~ B\n")
    page.wait_for_selector("#model-check[data-state=invalid]")
    page.locator("#model-diagram svg ellipse").nth(2).wait_for()  # (the CSP forbids eval'd predicates)
    assert page.locator("#model-diagram svg ellipse").count() == 3
    error = page.locator(".check-error").first
    assert error.get_attribute("data-kind") == "UnknownIndicator"
    assert (error.get_attribute("data-line"), error.get_attribute("data-column")) == ("4", "6")
    assert "did you mean 'a1'?" in error.inner_text()
    assert page.locator(".check-marker").first.inner_text().endswith("^")
    assert area.get_attribute("aria-invalid") == "true"

    # A syntax typo: the marker points at the comma; the last diagram stays, marked stale.
    area.fill("A =~ a1 +, a2\nB =~ b1 + b2\nB ~ A\n")
    page.wait_for_selector(".check-error[data-kind=ModelSyntaxError]")
    marker = page.locator(".check-marker").inner_text().split("\n")
    assert marker[0] == "1 | A =~ a1 +, a2" and marker[1].index("^") == marker[0].index(",")
    assert page.locator("#model-diagram").get_attribute("data-stale") == "true"

    # The suggestion button fixes a misspelt indicator in place.
    area.fill("A =~ a1 + A2\nB =~ b1 + b2\nB ~ A\n")
    page.click(".check-fix")
    page.wait_for_selector("#model-check[data-state=valid]")
    assert area.input_value() == "A =~ a1 + a2\nB =~ b1 + b2\nB ~ A\n"
    assert failures == []
