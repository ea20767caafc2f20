"""The data version: known from a watching connection without a query per call
(SQLite: PRAGMA data_version, exact; PostgreSQL: LISTEN/NOTIFY), and read per call
while that connection is down or turned off."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.exc import OperationalError

from nba_mcp.db.engine import make_engine
from nba_mcp.db.migrate import upgrade
from nba_mcp.db.version import DataVersion, data_version
from nba_mcp.ingest.load import bump_version
from tests.conftest import PostgresServer, wait_for_version
from tests.mcp.servers import free_port
from tests.security.helpers import Clock


def bump(engine: Engine) -> int:
    with engine.begin() as conn:
        return bump_version(conn, changed=True)


class QueryCount:
    """Statements the engine runs (the listener's own connection is not the engine's)."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_: object) -> None:
        self.count += 1


def test_a_watch_answers_without_a_query_and_sees_every_load(engine: Engine) -> None:
    versions = DataVersion(engine)
    try:
        assert versions.current() == 0
        assert versions.watching
        queries = QueryCount(engine)

        assert [versions.current() for _ in range(100)] == [0] * 100
        assert queries.count == 0
        for expected in (1, 2, 3):
            assert bump(engine) == expected
            queries.count = 0
            if engine.dialect.name == "sqlite":
                assert versions.current() == expected  # PRAGMA data_version: exact at once
            else:
                wait_for_version(versions, expected)  # the moment NOTIFY takes to arrive
            assert queries.count == 0
    finally:
        versions.close()


@pytest.fixture
def pg_engine(postgres: PostgresServer) -> Iterator[Engine]:
    url = postgres.create()
    engine = make_engine(url)
    upgrade(engine)
    yield engine
    engine.dispose()
    postgres.drop(url)


def listeners(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND application_name = 'nba-mcp data version'"
            )
        )
        return [row[0] for row in rows]


@pytest.mark.postgres
def test_a_lost_listener_means_reading_per_call_until_it_is_back(
    pg_engine: Engine, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    engine = pg_engine
    versions = DataVersion(engine, retry_seconds=5, clock=clock.monotonic)
    try:
        versions.current()
        (pid,) = listeners(engine)
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        deadline = time.monotonic() + 5
        while listeners(engine):  # terminating is asynchronous
            assert time.monotonic() < deadline
            time.sleep(0.01)
        queries = QueryCount(engine)

        assert versions.current() == 0  # the failure is noticed, the version read
        assert not versions.watching
        assert "data-version watch failed" in caplog.text
        bump(engine)
        assert versions.current() == 1  # read: exact while not listening
        assert queries.count > 0
        assert listeners(engine) == []  # resting before the next attempt

        clock.advance(seconds=6)
        assert versions.current() == 1
        assert versions.watching
        assert len(listeners(engine)) == 1
    finally:
        versions.close()
    assert not versions.watching
    assert versions.current() == 1  # closed: reads again, never listens again
    assert listeners(engine) == []


@pytest.mark.postgres
def test_listening_can_be_turned_off_for_a_transaction_pooler(pg_engine: Engine) -> None:
    versions = DataVersion(pg_engine, watch=False)  # NBA_MCP_CACHE_WATCH=false
    queries = QueryCount(pg_engine)

    assert versions.current() == 0
    bump(pg_engine)
    assert versions.current() == 1  # read: at once
    assert not versions.watching
    assert listeners(pg_engine) == []
    assert queries.count >= 2


def test_an_unreachable_database_raises_sqlalchemy_s_error() -> None:
    engine = make_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/none")
    versions = DataVersion(engine)

    with pytest.raises(OperationalError):
        versions.current()
    assert not versions.watching
    engine.dispose()


def test_data_version_is_zero_before_the_first_load(engine: Engine) -> None:
    with engine.connect() as conn:
        assert data_version(conn) == 0
