"""``ukur serve``: refuses an un-migrated database; ``--demo`` migrates, loads the examples once, serves."""

from __future__ import annotations

from pathlib import Path

import pytest

from ukur.cli.main import run
from ukur.store import SYSTEM, agreements, make_engine, make_session_factory, pls, transaction
from ukur.store.demo import find_examples, load_demo

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def served(monkeypatch):
    calls = []
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append((app, kw)))
    return calls


def test_serve_refuses_an_unmigrated_database(tmp_path, capsys, served):
    assert run(["serve", "--database-url", f"sqlite:///{tmp_path / 'fresh.db'}"]) == 2
    err = capsys.readouterr().err
    assert "empty (never migrated)" in err and "ukur db upgrade" in err and "Traceback" not in err
    assert served == []


def test_serve_refuses_a_public_address_without_a_secret(tmp_path, capsys, served, monkeypatch):
    monkeypatch.delenv("UKUR_SECRET_KEY", raising=False)
    assert (
        run(["serve", "--demo", "--host", "0.0.0.0", "--database-url", f"sqlite:///{tmp_path / 'x.db'}"]) == 2
    )
    assert "UKUR_SECRET_KEY must be set" in capsys.readouterr().err


def test_demo_migrates_loads_once_and_serves_on_loopback(tmp_path, capsys, served, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run(["serve", "--demo"]) == 0
    out = capsys.readouterr().out
    assert (tmp_path / "ukur.db").exists()
    assert "admin@ukur.example" in out and "passwords are shown only now" in out
    app, options = served[0]
    assert app.title == "ukur"
    assert (options["host"], options["port"]) == ("127.0.0.1", 8000)
    assert run(["serve", "--demo"]) == 0
    assert "admin@ukur.example" not in capsys.readouterr().out  # the second start loads nothing


@pytest.mark.skipif(find_examples(EXAMPLES.parent) is None, reason="examples/ not in this tree")
def test_demo_data_from_the_examples(database_url):
    engine = make_engine(database_url)
    from ukur.store import migrate

    migrate.upgrade(engine)
    with transaction(make_session_factory(engine)) as s:
        result = load_demo(s, EXAMPLES)
    assert [role for _, role, _ in result.accounts] == ["admin", "customer", "researcher"]
    with transaction(make_session_factory(engine)) as s:
        slugs = {a.slug for a in agreements.list_agreements(s, SYSTEM)}
        if (EXAMPLES / "sla" / "kilat-gold.yaml").exists():
            assert {"kilat-corporate", "kilat-gold"} <= slugs, result.skipped
        if (EXAMPLES / "umkm-pamulang" / "model.txt").exists():
            project = pls.list_projects(s, SYSTEM)[0]
            assert "=~" in project.model_text and project.datasets[0].size > 0
    engine.dispose()
