"""``nba-mcp player``, ``team`` and ``game`` against a SQLite file loaded once for the module."""

from __future__ import annotations

import json

from tests.cli.invoke import Cli


def test_player_json_is_one_document_with_the_season_totals(
    cli: Cli, env: dict[str, str | None]
) -> None:
    result = cli.invoke("player", "Stephen Curry", "--season", "2015-16", "--json", env=env)

    assert result.exit_code == 0, result.output
    season = json.loads(result.stdout)
    [row] = season["rows"]
    assert (row["team"], row["g"], row["totals"]["pts"], row["totals"]["fg3m"]) == (
        "GSW",
        79,
        2375,
        402,
    )
    assert season["player"]["name"] == "Stephen Curry"


def test_player_prints_tables_for_people(cli: Cli, env: dict[str, str | None]) -> None:
    result = cli.invoke("player", "tobias harris", "--season", "2015-16", env=env)

    assert result.exit_code == 0, result.output
    assert "Tobias Harris 2015-16 (regular) totals" in result.stdout
    assert "TOT" in result.stdout
    assert "14.7" in result.stdout  # points per game over both teams


def test_team_json_has_the_record_home_and_away(cli: Cli, env: dict[str, str | None]) -> None:
    result = cli.invoke("team", "GSW", "--season", "2015-16", "--json", env=env)

    assert result.exit_code == 0, result.output
    season = json.loads(result.stdout)
    assert (season["record"], season["home"], season["away"]) == (
        {"wins": 73, "losses": 9},
        {"wins": 39, "losses": 2},
        {"wins": 34, "losses": 7},
    )


def test_game_json_has_both_sides_and_the_periods(cli: Cli, env: dict[str, str | None]) -> None:
    result = cli.invoke("game", "0021500003", "--json", env=env)

    assert result.exit_code == 0, result.output
    game = json.loads(result.stdout)
    assert (game["home"]["team"], game["home"]["score"], game["away"]["score"]) == ("GSW", 111, 95)
    assert game["home"]["periods"] == [39, 20, 35, 17, 0]
    assert game["home"]["players"][0]["name"] == "Stephen Curry"
    assert game["home"]["players"][0]["pts"] == 40


def test_game_prints_the_score_by_period(cli: Cli, env: dict[str, str | None]) -> None:
    result = cli.invoke("game", "21500003", env=env)

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "Game 0021500003: The Golden State Warriors beat the New Orleans Pelicans 111\u201395"
    )
    assert "Score by period" in result.stdout
    header = next(line for line in result.stdout.splitlines() if "Q1" in line)
    assert _cells(header) == ["team", "Q1", "Q2", "Q3", "Q4", "T"]  # no OT column without OT
    assert "Golden State Warriors (home)" in result.stdout
    curry = next(line for line in result.stdout.splitlines() if line.startswith("│ Stephen Curry"))
    assert _cells(curry)[:2] == ["Stephen Curry", "35.6"]  # minutes, one decimal
    team = next(line for line in result.stdout.splitlines() if line.startswith("│ GSW    "))
    assert _cells(team)[:2] == ["GSW", "240"]  # team minutes, whole


def test_an_overtime_game_has_one_ot_column_with_the_overtimes_together(
    cli: Cli, env: dict[str, str | None]
) -> None:
    result = cli.invoke("game", "0021500022", env=env)  # OKC won 139-136 at ORL in 2OT

    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    header = next(line for line in lines if "Q1" in line)
    assert _cells(header) == ["team", "Q1", "Q2", "Q3", "Q4", "OT", "T"]
    okc = next(line for line in lines if line.startswith("│ OKC  │"))
    assert _cells(okc) == ["OKC", "31", "22", "22", "42", "22", "139"]
    assert (
        "OT: the points of all 2 overtime periods together (the data has no split by period)."
        in lines
    )
    assert "in double overtime on the road on 2015-10-30" in result.stdout


def test_team_and_player_tables_use_the_display_formats(
    cli: Cli, env: dict[str, str | None]
) -> None:
    team = cli.invoke("team", "CLE", "--season", "2015-16", env=env)
    player = cli.invoke("player", "Stephen Curry", "--season", "2015-16", env=env)

    row = next(line for line in team.stdout.splitlines() if line.startswith("│ 57-25"))
    assert _cells(row)[3:7] == ["104.3", "98.3", "6.00", "5.45"]  # PTS/G, Opp, MOV, SRS
    totals = next(line for line in player.stdout.splitlines() if line.startswith("│ GSW"))
    assert _cells(totals)[:3] == ["GSW", "79", "2700"]  # whole minutes, not 2700.0


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip("│┃ ").replace("┃", "│").split("│")]


def test_an_unknown_player_exits_1_listing_candidates(cli: Cli, env: dict[str, str | None]) -> None:
    outcome = cli.main("player", "Stephen Cury", "--season", "2015-16", env=env)

    assert outcome.exit_code == 1
    assert outcome.error.startswith(
        "error: No player called 'Stephen Cury'. Closest matches: Stephen Curry (id "
    )
    assert "Traceback" not in outcome.stderr
    assert outcome.stdout == ""


def test_a_malformed_game_id_exits_1(cli: Cli, env: dict[str, str | None]) -> None:
    outcome = cli.main("game", "G-1", env=env)

    assert outcome.exit_code == 1
    assert outcome.error == "error: A game id has 10 digits, like 0021500003; got 'G-1'."


def test_an_unloaded_season_exits_1_listing_the_loaded_ones(
    cli: Cli, env: dict[str, str | None]
) -> None:
    outcome = cli.main("team", "GSW", "--season", "2018-19", env=env)

    assert outcome.exit_code == 1
    assert outcome.error == "error: Season 2018-19 is not loaded. Closest matches: 2015-16."


def test_a_name_that_looks_like_markup_is_echoed_verbatim(
    cli: Cli, env: dict[str, str | None]
) -> None:
    outcome = cli.main("player", "Curry [/b]", "--season", "2015-16", env=env)

    assert outcome.exit_code == 1
    assert outcome.error.startswith("error: No player called 'Curry [/b]'.")
