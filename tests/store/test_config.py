"""Settings: environment and flags, types, unsafe defaults refused, and every setting documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from ukur.cli.main import app
from ukur.config import SETTINGS, load_settings
from ukur.errors import UkurError

DOCS = Path(__file__).resolve().parents[2] / "docs" / "web.md"


def test_defaults_environment_and_flags():
    settings = load_settings({})
    assert (
        settings.database_url == "sqlite:///./ukur.db"
        and settings.port == 8000
        and settings.host == "127.0.0.1"
    )
    env = {
        "UKUR_PORT": "9000",
        "UKUR_DATABASE_URL": "postgresql+psycopg://u@h/db",
        "UKUR_JOB_LEASE_SECONDS": "5",
    }
    settings = load_settings(env, port=9100)
    assert (settings.port, settings.database_url, settings.job_lease_seconds) == (
        9100,
        env["UKUR_DATABASE_URL"],
        5.0,
    )
    assert settings.signing_key == settings.ephemeral_secret  # loopback without a secret: per-process key


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"UKUR_PORT": "eighty"}, "UKUR_PORT must be a whole number"),
        ({"UKUR_HOST": "0.0.0.0"}, "UKUR_SECRET_KEY must be set"),
        ({"UKUR_SECRET_KEY": "short"}, "at least 16"),
        ({"UKUR_SECURE_COOKIES": "maybe"}, "auto, true or false"),
        ({"UKUR_DATABASE_URL": "mysql://x"}, "sqlite:// or postgresql"),
        ({"UKUR_DEFAULT_LANGUAGE": "fr"}, "en or id"),
    ],
)
def test_unsafe_or_wrong_settings_are_refused(env, message):
    with pytest.raises(UkurError, match=message):
        load_settings(env)


def test_a_public_address_works_with_a_secret():
    settings = load_settings({"UKUR_HOST": "0.0.0.0", "UKUR_SECRET_KEY": "x" * 32})
    assert settings.signing_key == "x" * 32


def test_docs_cover_every_setting_and_server_command():
    text = DOCS.read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert f"`{setting.env}`" in text, setting.env
    groups = {g.name: g.typer_instance for g in app.registered_groups}
    for group in ("db", "users"):
        for command in groups[group].registered_commands:
            assert f"ukur {group} {command.name}" in text, command.name
    assert "ukur serve" in text
