"""``nba-mcp db upgrade`` and ``db status``: migrations as their own step."""

from __future__ import annotations

import json

from tests.cli.invoke import Cli, env_for


def test_status_of_an_empty_database_exits_1_listing_the_pending_migration(
    cli: Cli, database_url: str
) -> None:
    result = cli.invoke("db", "status", "--json", env=env_for(database_url))

    assert result.exit_code == 1
    state = json.loads(result.stdout)
    assert (state["current"], state["head"], state["pending"], state["up_to_date"]) == (
        None,
        "0006",
        ["0001", "0002", "0003", "0004", "0005", "0006"],
        False,
    )


def test_upgrade_then_status_is_up_to_date(cli: Cli, database_url: str) -> None:
    env = env_for(database_url)

    upgraded = cli.invoke("db", "upgrade", "--json", env=env)
    status = cli.invoke("db", "status", "--json", env=env)

    assert upgraded.exit_code == 0, upgraded.output
    assert json.loads(upgraded.stdout)["revision"] == "0006"
    assert status.exit_code == 0, status.output
    state = json.loads(status.stdout)
    assert (state["current"], state["pending"], state["up_to_date"]) == ("0006", [], True)


def test_status_for_people_names_the_command_that_fixes_it(cli: Cli, database_url: str) -> None:
    result = cli.invoke("db", "status", env=env_for(database_url))

    assert "current:  empty" in result.stdout
    assert "run `nba-mcp db upgrade`" in result.stdout


def test_a_query_before_db_upgrade_exits_2_saying_how_to_fix_it(
    cli: Cli, database_url: str
) -> None:
    outcome = cli.main("team", "GSW", env=env_for(database_url))

    assert outcome.exit_code == 2
    assert outcome.error == (
        "error: The database schema is at nothing, this version needs 0006. "
        "Run `nba-mcp db upgrade` first."
    )
