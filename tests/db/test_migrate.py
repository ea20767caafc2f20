"""Migrations: from an empty database to head on SQLite and PostgreSQL, and the guard
that refuses to run on a schema that is missing or behind."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from nba_mcp.db.engine import make_engine
from nba_mcp.db.migrate import alembic_config, require_current, status, upgrade
from nba_mcp.db.models import Base
from nba_mcp.errors import DependencyUnavailable

HEAD = ScriptDirectory.from_config(alembic_config(make_engine("sqlite://"))).get_current_head()
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/x"


@pytest.fixture
def empty(database_url: str) -> Iterator[Engine]:
    """An engine on a database with no schema at all."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


def test_the_migrations_have_one_head_named_0006() -> None:
    assert HEAD == "0006"


def test_status_of_an_empty_database_lists_every_migration_as_pending(empty: Engine) -> None:
    state = status(empty)

    assert state.current is None
    assert state.head == HEAD
    assert state.pending == ["0001", "0002", "0003", "0004", "0005", "0006"]
    assert not state.up_to_date


def test_require_current_on_an_empty_database_says_to_run_db_upgrade(empty: Engine) -> None:
    with pytest.raises(DependencyUnavailable) as raised:
        require_current(empty)

    assert raised.value.exit_code == 2
    assert "The database schema is at nothing, this version needs 0006." in raised.value.message
    assert "Run `nba-mcp db upgrade` first." in raised.value.message


def test_upgrade_from_empty_reaches_head_with_every_table(empty: Engine) -> None:
    upgrade(empty)

    state = status(empty)
    assert state.up_to_date
    assert (state.current, state.pending) == (HEAD, [])
    assert set(inspect(empty).get_table_names()) == {*Base.metadata.tables, "alembic_version"}
    with empty.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).all() == [(HEAD,)]
    require_current(empty)  # does not raise


def test_upgraded_schema_matches_the_models_exactly(engine: Engine) -> None:
    """No drift between models.py and the migrations (what autogenerate would add)."""
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []


def test_upgrade_twice_is_a_no_op(engine: Engine) -> None:
    upgrade(engine)

    assert status(engine).up_to_date


def test_status_of_an_unreachable_database_raises_dependency_unavailable() -> None:
    engine = make_engine(UNREACHABLE)

    with pytest.raises(DependencyUnavailable, match="The database is unavailable"):
        status(engine)
    with pytest.raises(DependencyUnavailable, match="The database is unavailable"):
        upgrade(engine)


def test_0003_adds_the_backup_ledger_and_downgrades_again(empty: Engine) -> None:
    from alembic import command

    from nba_mcp.db.migrate import alembic_config

    upgrade(empty)
    assert "backup_runs" in inspect(empty).get_table_names()
    command.downgrade(alembic_config(empty), "0002")
    assert "backup_runs" not in inspect(empty).get_table_names()
    assert status(empty).pending == ["0003", "0004", "0005", "0006"]


def test_0004_adds_the_synthesis_ledger_and_downgrades_again(empty: Engine) -> None:
    from alembic import command

    upgrade(empty, "0003")
    assert status(empty).pending == ["0004", "0005", "0006"]

    upgrade(empty, "0004")
    tables = set(inspect(empty).get_table_names())
    assert {"synthesis_runs", "synthesis_calls"} <= tables
    [fk] = inspect(empty).get_foreign_keys("synthesis_calls")
    assert (fk["referred_table"], fk["options"].get("ondelete")) == ("synthesis_runs", "CASCADE")
    command.downgrade(alembic_config(empty), "0003")
    assert not {"synthesis_runs", "synthesis_calls"} & set(inspect(empty).get_table_names())
    assert "backup_runs" in inspect(empty).get_table_names()
    assert status(empty).pending == ["0004", "0005", "0006"]


def test_0005_adds_player_names_and_downgrades_again(empty: Engine) -> None:
    from alembic import command

    upgrade(empty, "0004")
    assert status(empty).pending == ["0005", "0006"]

    upgrade(empty, "0005")
    [fk] = inspect(empty).get_foreign_keys("player_names")
    assert (fk["referred_table"], fk["options"].get("ondelete")) == ("players", "CASCADE")
    assert {ix["name"] for ix in inspect(empty).get_indexes("player_names")} >= {
        "ix_player_names_name_key"
    }
    command.downgrade(alembic_config(empty), "0004")
    assert "player_names" not in inspect(empty).get_table_names()
    assert "synthesis_runs" in inspect(empty).get_table_names()
    assert status(empty).pending == ["0005", "0006"]


def test_0006_adds_the_advanced_tables_and_downgrades_again(empty: Engine) -> None:
    from alembic import command

    upgrade(empty, "0005")
    assert status(empty).pending == ["0006"]

    upgrade(empty, "0006")
    tables = set(inspect(empty).get_table_names())
    assert {"player_season_advanced", "team_season_advanced"} <= tables
    keys = inspect(empty).get_pk_constraint("player_season_advanced")["constrained_columns"]
    assert keys == ["season", "season_type", "player_id", "team"]
    command.downgrade(alembic_config(empty), "0005")
    assert not {"player_season_advanced", "team_season_advanced"} & set(
        inspect(empty).get_table_names()
    )
    assert "player_names" in inspect(empty).get_table_names()
