"""Shared fixtures: real SQLite files and a real PostgreSQL server, real NBA data.

PostgreSQL is the server named by ``NBA_MCP_TEST_DATABASE_URL`` (default: the
local one). Each test that needs an empty database gets a fresh one; tests that
only read share one database per backend, loaded once per run.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from nba_mcp.db.engine import make_engine
from nba_mcp.db.migrate import upgrade
from nba_mcp.db.version import DataVersion
from nba_mcp.ingest import bref, nba_stats
from nba_mcp.ingest.load import load_batch
from nba_mcp.queries import advanced_tables
from tests.security.helpers import Clock, RedisServer, redis_prefix

#: The shared NBA data: ``NBA_MCP_SHARED_DATA``, else ``../shared/data/nba`` beside the checkout.
DATA = Path(
    os.environ.get("NBA_MCP_SHARED_DATA")
    or Path(__file__).resolve().parents[2] / "shared" / "data" / "nba"
)
BREF = DATA / "bref"
NBA_STATS = DATA / "nba_stats"
PG_URL = os.environ.get(
    "NBA_MCP_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
#: How long creating or dropping a test database may wait for a lock, and run at all
#: (PostgreSQL). A session that is not the suite's own can hold a lock on the database
#: (an open transaction that commented on or granted on it, say) which ``DROP DATABASE
#: ... WITH (FORCE)`` does not end: without these the suite waited on it in silence.
LOCK_TIMEOUT_SECONDS = 10
STATEMENT_TIMEOUT_SECONDS = 60


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Under CI (``CI=true``, set by .ci/run) a skipped test fails: CI installs every tool
    and service the tests need, so a skip there means something did not get installed."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if os.environ.get("CI") == "true" and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"skipped under CI, where nothing may be: {reason}"


def pytest_configure(config: pytest.Config) -> None:
    if not BREF.is_dir():
        raise pytest.UsageError(f"The shared NBA data is missing: {BREF}")


class PostgresServer:
    """Creates and drops throw-away databases on the test server, each step bounded by
    a lock and a statement timeout; a step that times out (or fails) fails the test with
    a message naming the step and the database."""

    def __init__(
        self,
        url: str,
        *,
        lock_timeout: float = LOCK_TIMEOUT_SECONDS,
        statement_timeout: float = STATEMENT_TIMEOUT_SECONDS,
    ) -> None:
        self.url = make_url(url)
        self.lock_timeout = lock_timeout
        self.statement_timeout = statement_timeout
        self.admin = create_engine(
            self.url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 10}
        )

    def create(self) -> str:
        name = f"nba_mcp_test_{uuid.uuid4().hex[:12]}"
        self._run("creating", name, f'CREATE DATABASE "{name}"')
        return self.url.set(database=name).render_as_string(hide_password=False)

    def drop(self, url: str) -> None:
        name = str(make_url(url).database)
        self._run("dropping", name, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _run(self, step: str, name: str, statement: str) -> None:
        failure = None
        try:
            with self.admin.connect() as conn:
                conn.execute(text(f"SET lock_timeout = '{int(self.lock_timeout * 1000)}ms'"))
                conn.execute(
                    text(f"SET statement_timeout = '{int(self.statement_timeout * 1000)}ms'")
                )
                conn.execute(text(statement))
        except DBAPIError as exc:
            failure = self._why(exc)
        if failure is not None:  # failed outside the handler: the error keeps no connection
            pytest.fail(
                f"test database set-up/tear-down: {step} {name!r} on {self.url.host}:"
                f"{self.url.port or 5432} failed: {failure}",
                pytrace=False,
            )

    def _why(self, exc: DBAPIError) -> str:
        sqlstate = getattr(exc.orig, "sqlstate", None)
        if sqlstate == "55P03":  # lock_not_available
            return (
                f"waited over {self.lock_timeout:g} s for a lock; another session holds it "
                "(pg_locks / pg_stat_activity show which)"
            )
        if sqlstate == "57014":  # query_canceled: the statement timeout
            return f"ran over {self.statement_timeout:g} s"
        return " ".join(str(exc.orig).split())


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer(PG_URL)
    yield server
    server.admin.dispose()


def _url(backend: str, directory: Path, postgres: PostgresServer) -> str:
    if backend == "sqlite":
        return f"sqlite:///{directory / 'nba.sqlite3'}"
    return postgres.create()


@pytest.fixture(params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres: PostgresServer
) -> Iterator[str]:
    """A URL of an empty database on each backend (no schema yet)."""
    url = _url(request.param, tmp_path, postgres)
    yield url
    if request.param == "postgresql":
        postgres.drop(url)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """An engine on an empty database whose schema is at head."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def load_all(engine: Engine) -> None:
    """Both Basketball-Reference seasons, then the NBA.com team data of all three seasons."""
    load_batch(engine, bref.parse(BREF), derive=advanced_tables.rebuild)
    load_batch(engine, nba_stats.parse(NBA_STATS), derive=advanced_tables.rebuild)


@pytest.fixture(scope="session", params=BACKENDS)
def loaded_engine(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    postgres: PostgresServer,
) -> Iterator[Engine]:
    """A database holding all the shared data, loaded once per backend. Read only."""
    url = _url(request.param, tmp_path_factory.mktemp("loaded"), postgres)
    engine = make_engine(url)
    upgrade(engine)
    load_all(engine)
    yield engine
    engine.dispose()
    if request.param == "postgresql":
        postgres.drop(url)


@pytest.fixture
def clock() -> Clock:
    """A clock the test moves by hand."""
    return Clock()


@pytest.fixture
def shared_redis() -> Iterator[tuple[Redis, str]]:
    """The real Redis at 127.0.0.1:6379 and a key prefix of this test's own."""
    with redis_prefix() as found:
        yield found


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    """A private redis-server the test may stop and start again."""
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def wait_for_version(versions: DataVersion, version: int, *, seconds: float = 5.0) -> None:
    """Wait until ``versions`` knows ``version``: on PostgreSQL a load reaches a listening
    server by notification, a moment after its commit (see :mod:`nba_mcp.db.version`)."""
    deadline = time.monotonic() + seconds
    while (current := versions.current()) < version:
        assert time.monotonic() < deadline, f"still at version {current}, not {version}"
        time.sleep(0.001)
