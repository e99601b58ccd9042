"""Backups of the whole database to one file, and restoring them: ``ukur db backup`` / ``ukur db restore``.

* SQLite: SQLite's online backup API (:meth:`sqlite3.Connection.backup`) copies the database page by
  page while the server keeps running, and gives a consistent snapshot even in WAL mode (copying the
  file would miss pages still in the ``-wal`` file).  Restoring copies the backup into the database the
  same way, replacing its content.
* PostgreSQL: ``pg_dump --format=custom`` (a consistent snapshot taken in one transaction, while the
  server keeps running) and ``pg_restore --clean --if-exists --no-owner`` (drops and recreates what the
  dump holds).  Both tools ship with the PostgreSQL server and client packages; their major version
  must be at least the server's.

A restored database has the schema revision of the backup: run ``ukur db upgrade`` afterwards when the
installed ukur is newer.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from ukur.errors import UkurError

__all__ = ["backup", "libpq_uri", "restore"]

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"


def _url(database_url: str) -> URL:
    try:
        return make_url(database_url)
    except Exception as exc:
        raise UkurError(f"cannot read the database URL: {exc}", field="database_url") from None


def _sqlite_path(url: URL) -> str:
    if not url.database or url.database == ":memory:":
        raise UkurError("an in-memory SQLite database cannot be backed up", field="database_url")
    return url.database


def libpq_uri(url: URL) -> tuple[str, dict[str, str]]:
    """The ``postgresql://`` URI for pg_dump/pg_restore (no password: it goes in ``PGPASSWORD``)."""
    plain = url.set(drivername="postgresql", password=None)
    env = dict(os.environ)
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise UkurError(
            f"{name} is not installed: install the PostgreSQL client tools (package postgresql-client)"
        )
    return found


def _run(command: list[str], env: dict[str, str]) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise UkurError(f"{Path(command[0]).name} failed: {detail}")


def backup(database_url: str, file: Path) -> Path:
    """Write a consistent copy of the database to ``file`` (replaced if it exists) and return it."""
    url = _url(database_url)
    file = Path(file)
    if url.get_backend_name() == "sqlite":
        source_path = _sqlite_path(url)
        if not Path(source_path).is_file():
            raise UkurError(f"the SQLite database {source_path} does not exist", field="database_url")
        partial = file.with_name(file.name + ".partial")
        source = sqlite3.connect(source_path)
        try:
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
        partial.replace(file)  # a crash mid-backup never leaves a truncated file under the real name
        return file
    uri, env = libpq_uri(url)
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={file}", f"--dbname={uri}"], env)
    return file


def restore(database_url: str, file: Path) -> None:
    """Replace the database's content with the backup in ``file`` (made by :func:`backup`)."""
    url = _url(database_url)
    file = Path(file)
    try:
        with file.open("rb") as stream:
            header = stream.read(16)
    except OSError as exc:
        raise UkurError(f"cannot read the backup {file}: {exc.strerror or exc}", source=str(file)) from None
    if url.get_backend_name() == "sqlite":
        if header != SQLITE_HEADER:
            raise UkurError(f"{file} is not a SQLite backup (made by `ukur db backup`)", source=str(file))
        source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            target = sqlite3.connect(_sqlite_path(url))
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
        return
    if not header.startswith(PG_DUMP_HEADER):
        raise UkurError(f"{file} is not a PostgreSQL backup (made by `ukur db backup`)", source=str(file))
    uri, env = libpq_uri(url)
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={uri}",
            str(file),
        ],
        env,
    )
