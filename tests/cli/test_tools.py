"""``nba-mcp tool``: the catalogue listed and described, and errors on one line."""

from __future__ import annotations

from sqlalchemy import Engine

from nba_mcp.catalog import CATALOG
from tests.cli.invoke import Cli, env_for
from tests.mcp.conftest import database_url


def test_tool_alone_lists_every_tool(cli: Cli) -> None:
    outcome = cli.main("tool", env=env_for())
    assert outcome.exit_code == 0
    for spec in CATALOG:
        assert spec.name in outcome.stdout


def test_tool_help_shows_its_arguments_from_the_model(cli: Cli) -> None:
    outcome = cli.main("tool", "league_leaders", "--help", env=env_for())
    assert outcome.exit_code == 0
    assert (
        "--season-type" in outcome.stdout and "one of regular, playoffs, play_in" in outcome.stdout
    )
    assert "--stat" in outcome.stdout and "required" in outcome.stdout
    assert "GET /v1/leaders/{stat}" in outcome.stdout


def test_unknown_tool_lists_the_tools(cli: Cli) -> None:
    outcome = cli.main("tool", "player_stats", env=env_for())
    assert outcome.exit_code == 1
    assert "There is no tool 'player_stats'" in outcome.error and "find_player" in outcome.error


def test_a_word_that_is_not_an_option_is_refused(cli: Cli, loaded_engine: Engine) -> None:
    env = env_for(database_url(loaded_engine))
    outcome = cli.main("tool", "find_team", "GSW", env=env)
    assert outcome.exit_code == 1
    assert outcome.stderr.count("\n") == 1 and "--argument value" in outcome.stderr
    assert cli.main("tool", "find_team", "--name", env=env).exit_code == 1


def test_argument_spellings_with_dashes_or_underscores_and_equals(
    cli: Cli, loaded_engine: Engine
) -> None:
    env = env_for(database_url(loaded_engine))
    a = cli.main("tool", "team_season_stats", "--team=GSW", "--season-type", "playoffs",
                 "--season", "2015-16", "--json", env=env)  # fmt: skip
    b = cli.main("tool", "team_season_stats", "--team", "GSW", "--season_type=playoffs",
                 "--season=2015-16", "--json", env=env)  # fmt: skip
    assert a.exit_code == b.exit_code == 0
    assert a.json() == b.json() and a.json()["season_type"] == "playoffs"


def test_a_long_error_stays_on_one_line_when_stderr_is_not_a_terminal(cli: Cli) -> None:
    outcome = cli.main("player", env=env_for())  # a usage error: click's words, one line
    assert outcome.exit_code == 1
    assert outcome.stderr.count("\n") == 1 and "(see nba-mcp player --help)" in outcome.stderr
    long_name = "Stephen Curry " * 8
    outcome = cli.main("tool", "find_player", "--name", long_name, env=env_for())
    assert outcome.exit_code == 1  # longer than 80 characters, longer than the name limit
    assert outcome.stderr.count("\n") == 1
