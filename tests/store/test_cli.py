"""``ukur db`` and ``ukur users``: migrate, show the revision, create the first administrator."""

from __future__ import annotations

from ukur.cli.main import run
from ukur.store import accounts, make_engine, make_session_factory, transaction


def test_db_upgrade_then_current(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'u.db'}"
    assert run(["db", "current", "--database-url", url]) == 0
    assert "needs `ukur db upgrade`" in capsys.readouterr().out
    assert run(["db", "upgrade", "--database-url", url]) == 0
    assert "migrated from empty to revision" in capsys.readouterr().out
    assert run(["db", "upgrade", "--database-url", url]) == 0
    assert "up to date" in capsys.readouterr().out


def test_users_create_admin_generates_a_password_printed_once(tmp_path, capsys, monkeypatch):
    url = f"sqlite:///{tmp_path / 'u.db'}"
    assert run(["users", "create", "--admin", "boss@example.com", "--database-url", url]) == 2
    assert "ukur db upgrade" in capsys.readouterr().err
    run(["db", "upgrade", "--database-url", url])
    capsys.readouterr()
    monkeypatch.setenv("UKUR_DATABASE_URL", url)
    assert run(["users", "create", "--admin", "boss@example.com"]) == 0
    out = capsys.readouterr().out
    password = out.split("password (shown once): ")[1].strip()
    engine = make_engine(url)
    with transaction(make_session_factory(engine)) as s:
        assert accounts.authenticate(s, "boss@example.com", password).role == "admin"
    engine.dispose()
    assert run(["users", "create", "--admin", "boss@example.com", "--password", "another long one"]) == 2
    assert "already exists" in capsys.readouterr().err
    assert (
        run(
            [
                "users",
                "create",
                "c@example.com",
                "--role",
                "customer",
                "--organisation",
                "Toko C",
                "--password",
                "customer password",
            ]
        )
        == 0
    )
    assert "created customer c@example.com" in capsys.readouterr().out
    assert run(["users", "list"]) == 0
    listing = capsys.readouterr().out
    assert "boss@example.com\tadmin" in listing and "c@example.com\tcustomer\tToko C" in listing
    assert run(["users", "create", "x@example.com", "--password", "short"]) == 2
    assert "at least 10" in capsys.readouterr().err
