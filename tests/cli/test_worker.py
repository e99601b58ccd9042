"""``ukur worker``: it runs every job kind the web app submits, and refuses a missing or wrong queue URL."""

from __future__ import annotations

import os

import pytest

from ukur.cli.main import run
from ukur.config import Settings
from ukur.jobs.redis_backend import RedisJobQueue
from ukur.store import make_engine, migrate
from ukur.web import create_app

REDIS_URL = os.environ.get("UKUR_TEST_REDIS", "redis://127.0.0.1:6379/11")


@pytest.fixture
def migrated_sqlite(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'ukur.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    engine.dispose()
    return url


@pytest.fixture
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        message = f"Redis at {REDIS_URL} is not reachable ({exc})"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message + " — CI must run this test (.ci/redis.sh starts it)", pytrace=False)
        pytest.skip(message)
    return REDIS_URL


def test_the_worker_runs_every_kind_the_web_app_submits(migrated_sqlite, redis_url, monkeypatch):
    """The worker's queue is built by the app factory, so its kinds are the app's (reminders included)."""
    started: list[RedisJobQueue] = []
    monkeypatch.setattr("ukur.jobs.redis_backend.run_worker", lambda runner, **_: started.append(runner))
    monkeypatch.delenv("UKUR_QUEUE_URL", raising=False)
    assert run(["worker", "--queue-url", redis_url, "--database-url", migrated_sqlite, "--burst"]) == 0
    [runner] = started
    web = create_app(Settings(database_url=migrated_sqlite)).state.ukur.queue
    assert not isinstance(web, RedisJobQueue)  # no queue URL: the web app runs jobs on its own threads
    assert runner.registry.kinds() == web.registry.kinds()
    assert {"pls.run", "reminders.send", "report.render"} <= set(runner.registry.kinds())
    assert runner.url == redis_url


def test_the_worker_takes_its_queue_url_from_the_environment(migrated_sqlite, redis_url, monkeypatch):
    started: list[RedisJobQueue] = []
    monkeypatch.setattr("ukur.jobs.redis_backend.run_worker", lambda runner, **_: started.append(runner))
    monkeypatch.setenv("UKUR_QUEUE_URL", f"  {redis_url} ")
    assert run(["worker", "--database-url", migrated_sqlite]) == 0
    assert started[0].url == redis_url


@pytest.mark.parametrize(
    ("env", "flag", "message"),
    [
        ("", None, "needs a Redis URL"),
        ("http://127.0.0.1:6379", None, "UKUR_QUEUE_URL must be a redis:// URL"),
        ("", "127.0.0.1:6379", "UKUR_QUEUE_URL must be a redis:// URL"),
    ],
)
def test_a_missing_or_wrong_queue_url_is_a_clear_error(
    migrated_sqlite, monkeypatch, capsys, env, flag, message
):
    monkeypatch.setenv("UKUR_QUEUE_URL", env)
    args = ["worker", "--database-url", migrated_sqlite] + (["--queue-url", flag] if flag else [])
    assert run(args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_an_unreachable_redis_is_a_clear_error(migrated_sqlite, monkeypatch, capsys):
    monkeypatch.delenv("UKUR_QUEUE_URL", raising=False)
    assert run(["worker", "--queue-url", "redis://127.0.0.1:1/0", "--database-url", migrated_sqlite]) == 2
    assert "cannot reach the job queue" in capsys.readouterr().err
