"""Engines: SQLite in WAL mode with foreign keys enforced; bad URLs refused clearly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert, text
from sqlalchemy.exc import IntegrityError

from nba_mcp.db.engine import is_sqlite, make_engine
from nba_mcp.db.models import Game
from nba_mcp.db.nowait import WouldWait, memory_only
from nba_mcp.errors import InvalidInput
from tests.conftest import PostgresServer


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'deep' / 'dir' / 'nba.sqlite3'}")
    yield engine
    engine.dispose()


def test_sqlite_file_and_its_directory_are_created(sqlite_file: Engine, tmp_path: Path) -> None:
    with sqlite_file.connect():
        pass

    assert (tmp_path / "deep" / "dir" / "nba.sqlite3").is_file()


def test_sqlite_runs_in_wal_mode_with_foreign_keys_on(sqlite_file: Engine) -> None:
    with sqlite_file.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_foreign_keys_are_enforced_on_both_backends(engine: Engine) -> None:
    game = {
        "game_id": "0021500003",
        "season": "2015-16",  # no such season row
        "season_type": "regular",
        "game_date": dt.date(2015, 10, 27),
        "home_team_id": 1610612744,
        "away_team_id": 1610612740,
        "home_score": 111,
        "away_score": 95,
    }
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(Game).values(game))


def test_is_sqlite_tells_the_backends_apart(engine: Engine) -> None:
    assert is_sqlite(engine) == (engine.dialect.name == "sqlite")
    assert engine.dialect.name in {"sqlite", "postgresql"}


def test_a_malformed_url_is_invalid_input() -> None:
    with pytest.raises(InvalidInput, match="Not a database URL"):
        make_engine("not a url")


@pytest.fixture
def server_engine(postgres: PostgresServer) -> Iterator[Engine]:
    """An engine on an empty database of the PostgreSQL server (SQLite has no server)."""
    url = postgres.create()
    engine = make_engine(url)
    yield engine
    engine.dispose()
    postgres.drop(url)


@pytest.mark.postgres
def test_a_connection_left_dead_by_the_server_is_replaced_before_it_is_used(
    server_engine: Engine,
) -> None:
    """The checkout's ping finds a pooled connection the server ended (as a restart does)
    and the pool hands out a new one: the request never sees the dead one."""
    engine = server_engine
    with engine.connect() as conn:
        first = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    _end_backend(engine, first)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != first


@pytest.mark.postgres
def test_memory_only_opens_no_connection_and_pings_none(server_engine: Engine) -> None:
    """On a server, a call from memory takes an idle pooled connection as it is (it runs
    no statement on it) and never opens one."""
    engine = server_engine
    with memory_only(), pytest.raises(WouldWait, match="new database connection"):
        engine.connect()
    with engine.connect() as conn:
        first = conn.execute(text("SELECT pg_backend_pid()")).scalar()
    _end_backend(engine, first)
    with memory_only(), engine.connect():
        pass  # the dead connection is not pinged here
    with engine.connect() as conn:  # but it is by the next checkout that may use it
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar() != first


def _end_backend(engine: Engine, pid: object) -> None:
    """End the server process behind one of ``engine``'s connections, from another engine."""
    admin = make_engine(engine.url.render_as_string(hide_password=False))
    try:
        with admin.connect() as conn:
            ended = conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            assert ended.scalar() is True
    finally:
        admin.dispose()
