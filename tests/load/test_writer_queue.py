"""SQLite writers of one process queue (``ukur.store.engine.WriterQueue``) instead of polling SQLite's lock.

Many threads writing to one SQLite file at once must all succeed, each transaction whole; a transaction
that starts on one thread and commits on another (as a web request does) must hand its turn on; a writer
that waits longer than the timeout gets SQLite's own "database is locked"; API tokens record their use
at most once a minute, so reading through the API is not a write.
"""

from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from ukur.store import accounts, make_engine, transaction
from ukur.store.access import SYSTEM, Viewer
from ukur.store.engine import QueuedSQLiteConnection, SessionFactory, WriterQueue
from ukur.store.models import ApiToken


def test_many_threads_writing_at_once_all_succeed_whole(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (writer INTEGER, step INTEGER)")

    def write(writer: int) -> None:
        with engine.begin() as connection:  # a read, then writes spread over time, in one transaction
            connection.execute(text("SELECT count(*) FROM t")).scalar_one()
            for step in range(5):
                connection.execute(text("INSERT INTO t VALUES (:w, :s)"), {"w": writer, "s": step})
                threading.Event().wait(0.001)

    with ThreadPoolExecutor(max_workers=32) as pool:
        list(pool.map(write, range(200)))  # raises the first failure
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT writer, count(*) FROM t GROUP BY writer")).all()
    engine.dispose()
    assert sorted(rows) == [(writer, 5) for writer in range(200)]


def test_a_transaction_committed_on_another_thread_hands_its_turn_on(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    first = sqlite3.connect(path, factory=QueuedSQLiteConnection, check_same_thread=False, timeout=5)
    second = sqlite3.connect(path, factory=QueuedSQLiteConnection, check_same_thread=False, timeout=5)
    first.execute("CREATE TABLE t (x INTEGER)")
    first.commit()
    first.execute("INSERT INTO t VALUES (1)")  # holds the turn
    committer = threading.Thread(target=first.commit)
    committer.start()
    committer.join()
    second.execute("INSERT INTO t VALUES (2)")  # would wait 5 s and fail if the turn had stayed
    second.commit()
    assert [row[0] for row in first.execute("SELECT x FROM t ORDER BY x")] == [1, 2]
    first.close()
    second.close()


def test_a_writer_waiting_past_the_timeout_gets_database_is_locked(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'w.db'}", connect_args={"timeout": 0.3})
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    with engine.connect() as holder:
        holder.exec_driver_sql("INSERT INTO t VALUES (1)")
        failure: list[BaseException] = []

        def write() -> None:
            try:
                with engine.begin() as connection:
                    connection.exec_driver_sql("INSERT INTO t VALUES (2)")
            except OperationalError as exc:
                failure.append(exc)

        writer = threading.Thread(target=write)
        writer.start()
        writer.join(timeout=10)
        holder.rollback()
    engine.dispose()
    assert len(failure) == 1 and "database is locked" in str(failure[0])


def test_the_queue_serves_writers_in_arrival_order() -> None:
    queue = WriterQueue()
    first, later = object(), [object() for _ in range(5)]
    queue.acquire(first, 1)
    served: list[int] = []
    threads = []
    for number, connection in enumerate(later):

        def wait_turn(connection: object = connection, number: int = number) -> None:
            queue.acquire(connection, 5)
            served.append(number)
            queue.release(connection)

        threads.append(threading.Thread(target=wait_turn))
        threads[-1].start()
        while len(queue._waiting) < number + 1:  # each queued before the next starts
            threading.Event().wait(0.001)
    queue.release(first)
    for thread in threads:
        thread.join(timeout=5)
    assert served == list(range(5))


def test_token_use_is_recorded_at_most_once_a_minute(sessions: SessionFactory) -> None:
    with transaction(sessions) as s:
        user = accounts.create_user(
            s, SYSTEM, email="t@example.com", password="a long password", role="staff", name="T"
        )
        row, token = accounts.create_token(s, Viewer.of(user), "t")
        token_id = row.id
    with transaction(sessions) as s:
        accounts.user_by_token(s, token)
        first = s.get_one(ApiToken, token_id).last_used_at
        assert first is not None
        accounts.user_by_token(s, token)
        assert s.get_one(ApiToken, token_id).last_used_at == first  # within the minute: no write
        assert not s.dirty
        s.get_one(ApiToken, token_id).last_used_at = (
            first - accounts.TOKEN_USE_RESOLUTION - timedelta(seconds=1)
        )
    with transaction(sessions) as s:
        accounts.user_by_token(s, token)
        assert s.get_one(ApiToken, token_id).last_used_at > first


def test_a_transaction_begun_by_a_savepoint_queues_its_writes(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    first = sqlite3.connect(path, factory=QueuedSQLiteConnection, check_same_thread=False, timeout=0.3)
    second = sqlite3.connect(path, factory=QueuedSQLiteConnection, check_same_thread=False, timeout=0.3)
    first.execute("CREATE TABLE t (x INTEGER)")
    first.commit()
    first.execute("SAVEPOINT s")  # starts the transaction; the write below must not pass the queue
    first.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(sqlite3.OperationalError, match="behind other writers of this process"):
        second.execute("INSERT INTO t VALUES (2)")
    first.execute("RELEASE s")
    first.commit()
    second.execute("INSERT INTO t VALUES (2)")
    second.commit()
    assert [row[0] for row in second.execute("SELECT x FROM t ORDER BY x")] == [1, 2]
    first.close()
    second.close()
