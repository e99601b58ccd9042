"""``ukur serve --workers 2`` on PostgreSQL: one sign-in works in both processes, both serve, SIGTERM stops all.

A real ``ukur serve`` started without ``UKUR_SECRET_KEY`` on loopback makes one signing key and hands it to
its web processes: a session cookie signed by the process that handled the sign-in must be accepted by the
other one.  Each request goes on a new connection, so the kernel spreads them over the processes; the log
line of every request names the process (``pid``) that served it.  SIGTERM to ``ukur serve`` must end the
web processes and then itself, with exit code 0 and no traceback.  The PostgreSQL database is created for
this test and dropped after it.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.conftest import PG_ADMIN_URL, _pg_unavailable
from tests.web.conftest import CSRF, PASSWORD, seed

from ukur.cli.main import run
from ukur.cli.serve import app_from_environment

UKUR = str(Path(sys.executable).with_name("ukur"))
REQUESTS = 60


@pytest.fixture
def fresh_postgres_url() -> Iterator[str]:
    """A new PostgreSQL database (migrated, with one user per role), dropped after the test."""
    import psycopg

    name = f"ukur_serve_{secrets.token_hex(4)}"
    try:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as exc:
        _pg_unavailable(str(exc).strip().splitlines()[0] if str(exc).strip() else "connection failed")
    base, _, _ = PG_ADMIN_URL.rpartition("/")
    url = f"{base.replace('postgresql://', 'postgresql+psycopg://', 1)}/{name}"
    try:
        seed(url)
        yield url
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def log_records(log: Path) -> list[dict[str, Any]]:
    """The JSON lines of the server's log (other lines, such as the start banner, are skipped)."""
    records = []
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            records.append(json.loads(line))
    return records


def request_lines(log: Path, count: int, timeout: float = 10) -> list[dict[str, Any]]:
    """The request log lines (logger ``ukur.web``, message ``request``), once there are ``count``."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [
            r for r in log_records(log) if r.get("logger") == "ukur.web" and r.get("message") == "request"
        ]
        if len([r for r in lines if r.get("method") != "GET" or r.get("path") != "/signin"]) >= count:
            return lines
        if time.monotonic() > deadline:
            raise AssertionError(f"{count} request lines expected in the log: {lines[-5:]}")
        time.sleep(0.2)


def wait_for_processes(log: Path, server: subprocess.Popen[bytes], count: int, timeout: float) -> set[int]:
    """Wait until ``count`` web processes have started (each logs "Application startup complete")."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert server.poll() is None, f"ukur serve exited with {server.returncode}: {log.read_text()[-3000:]}"
        started = {r["pid"] for r in log_records(log) if r.get("message") == "Application startup complete."}
        if len(started) >= count:
            return started
        time.sleep(0.5)
    raise AssertionError(f"{count} web processes did not start in {timeout:g} s: {log.read_text()[-3000:]}")


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.postgres
@pytest.mark.slow
def test_two_web_processes_share_sessions_and_stop_on_sigterm(
    fresh_postgres_url: str, tmp_path: Path
) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("UKUR_")}  # serve makes the key itself
    env["UKUR_LOG_LEVEL"] = "INFO"
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [UKUR, "serve", "--workers", "2", "--port", str(port), "--database-url", fresh_postgres_url],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    try:
        web_processes = wait_for_processes(log, server, 2, timeout=180)
        assert server.pid not in web_processes

        fresh = httpx.Limits(max_keepalive_connections=0)  # a new connection, so any process, per request
        with httpx.Client(base_url=base, limits=fresh, timeout=30, follow_redirects=False) as client:
            found = CSRF.search(client.get("/signin").text)
            assert found is not None
            signed_in = client.post(
                "/signin",
                data={"email": "staff@example.com", "password": PASSWORD, "csrf_token": found.group(1)},
            )
            assert signed_in.status_code == 303, signed_in.text[:500]
            for _ in range(REQUESTS):
                me = client.get("/api/v1/me")
                assert me.status_code == 200, me.text[:500]
                assert me.json()["email"] == "staff@example.com"

        requests = request_lines(log, REQUESTS + 1)  # a line is written just after its response
        sign_in = [r for r in requests if r.get("method") == "POST" and r.get("path") == "/signin"]
        api = [r for r in requests if r.get("path") == "/api/v1/me"]
        assert len(sign_in) == 1 and len(api) == REQUESTS, requests[-5:]
        served_by = {r["pid"] for r in api}
        assert served_by == web_processes, f"requests served by {served_by}, processes {web_processes}"
        other = web_processes - {sign_in[0]["pid"]}
        assert any(r["pid"] in other and r.get("status") == 200 for r in api)  # the other process knew us
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            raise AssertionError(f"ukur serve did not stop on SIGTERM: {log.read_text()[-3000:]}") from None
    assert code == 0, log.read_text()[-3000:]
    deadline = time.monotonic() + 10
    while any(is_running(pid) for pid in web_processes) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(is_running(pid) for pid in web_processes), "a web process outlived ukur serve"
    text = log.read_text()
    assert "Traceback" not in text, text[-3000:]
    stopped = {
        r["pid"] for r in log_records(log) if str(r.get("message")).startswith("Finished server process")
    }
    assert web_processes <= stopped, f"not every web process shut down cleanly: {text[-3000:]}"


def test_workers_refuse_an_unmigrated_database_before_starting_any_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    started: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: started.append(args))
    assert run(["serve", "--workers", "2", "--database-url", f"sqlite:///{tmp_path / 'fresh.db'}"]) == 2
    err = capsys.readouterr().err
    assert "ukur db upgrade" in err and "Traceback" not in err
    assert started == []


@pytest.fixture
def logging_restored() -> Iterator[None]:
    """``ukur serve`` configures the process's loggers; put them back for the tests that follow."""
    names = ("ukur", "uvicorn", "uvicorn.error", "uvicorn.access")
    saved = {n: (logging.getLogger(n).handlers[:], logging.getLogger(n).level) for n in names}
    saved_flags = {n: (logging.getLogger(n).propagate, logging.getLogger(n).disabled) for n in names}
    yield
    for name, (handlers, level) in saved.items():
        logger = logging.getLogger(name)
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate, logger.disabled = saved_flags[name]


@pytest.mark.usefixtures("logging_restored")
def test_workers_get_the_app_factory_and_one_signing_key(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    monkeypatch.delenv("UKUR_SECRET_KEY", raising=False)
    for name in ("UKUR_DATABASE_URL", "UKUR_HOST"):
        monkeypatch.delenv(name, raising=False)
    calls: list[tuple[tuple[object, ...], dict[str, object]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    try:
        assert run(["serve", "--workers", "3", "--database-url", database_url]) == 0
        (target,), options = calls[0]
        assert target == "ukur.cli.serve:app_from_environment"
        assert options["factory"] is True and options["workers"] == 3
        key = os.environ["UKUR_SECRET_KEY"]
        assert len(key) >= 32 and os.environ["UKUR_DATABASE_URL"] == database_url
        first = app_from_environment()
        second = app_from_environment()
        assert first.state.ukur.settings.signing_key == second.state.ukur.settings.signing_key == key
        for app in (first, second):
            app.state.ukur.sessions.kw["bind"].dispose()
    finally:
        for name in ("UKUR_SECRET_KEY", "UKUR_DATABASE_URL", "UKUR_HOST"):
            os.environ.pop(name, None)  # serve wrote them for its children
