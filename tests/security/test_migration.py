"""Migration 0002 on SQLite and PostgreSQL: up from 0001 and back down."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import Engine, inspect

from nba_mcp.db.engine import make_engine
from nba_mcp.db.migrate import alembic_config, status, upgrade


@pytest.fixture
def at_0001(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine, "0001")
    yield engine
    engine.dispose()


def test_0002_upgrades_a_0001_database_and_downgrades_again(at_0001: Engine) -> None:
    assert status(at_0001).pending == ["0002", "0003", "0004", "0005", "0006"]

    upgrade(at_0001, "0002")

    tables = set(inspect(at_0001).get_table_names())
    assert {"api_keys", "request_log"} <= tables
    indexes = {ix["name"] for ix in inspect(at_0001).get_indexes("api_keys")}
    assert "uq_api_keys_active_name" in indexes
    command.downgrade(alembic_config(at_0001), "0001")
    assert not {"api_keys", "request_log"} & set(inspect(at_0001).get_table_names())
    assert status(at_0001).current == "0001"
