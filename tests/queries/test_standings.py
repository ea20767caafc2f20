"""standings: records and seeds of three real seasons, checked against the published tables."""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine

from nba_mcp.errors import InvalidInput, NotFound
from nba_mcp.queries.standings import StandingRow, standings
from tests.conftest import BREF


@pytest.fixture
def conn(loaded_engine: Engine) -> Iterator[Connection]:
    with loaded_engine.connect() as connection:
        yield connection


def by_team(rows: list[StandingRow]) -> dict[str, StandingRow]:
    return {row.team: row for row in rows}


def seeds(rows: list[StandingRow], conference: str) -> list[str]:
    return [row.team for row in rows if row.conference == conference]


def test_2015_16_leaders_and_games_behind(conn: Connection) -> None:
    table = by_team(standings(conn, season="2015-16").teams)
    gsw, sas, cle = table["GSW"], table["SAS"], table["CLE"]
    assert (gsw.wins, gsw.losses, gsw.conference_rank, gsw.games_behind) == (73, 9, 1, 0.0)
    assert (gsw.win_pct, gsw.home, gsw.road) == (0.89, "39-2", "34-7")
    assert (sas.wins, sas.losses, sas.conference_rank, sas.games_behind) == (67, 15, 2, 6.0)
    assert sas.home == "40-1"
    assert (cle.wins, cle.losses, cle.conference_rank, cle.conference) == (57, 25, 1, "East")
    assert (gsw.division, cle.division) == ("Pacific", "Central")


def test_2018_19_milwaukee_first_in_the_east(conn: Connection) -> None:
    east = standings(conn, season="2018-19", conference="East").teams
    assert (east[0].team, east[0].wins, east[0].losses) == ("MIL", 60, 22)
    assert {row.conference for row in east} == {"East"}


@pytest.mark.parametrize("season", ["2015-16", "2018-19", "2022-23"])
def test_fifteen_teams_a_conference_and_every_game_counted_once(
    conn: Connection, season: str
) -> None:
    rows = standings(conn, season=season).teams
    assert len(seeds(rows, "East")) == len(seeds(rows, "West")) == 15
    assert sum(r.wins for r in rows) == sum(r.losses for r in rows) == 1230
    assert {r.wins + r.losses for r in rows} == {82}
    for conference in ("East", "West"):
        ranks = [r.conference_rank for r in rows if r.conference == conference]
        assert ranks == list(range(1, 16))


@pytest.mark.parametrize(
    ("season", "conference", "expected"),
    [
        # four teams at 48-34: Miami wins the Southeast, then head-to-head among the rest
        ("2015-16", "East", ["CLE", "TOR", "MIA", "ATL", "BOS", "CHA", "IND", "DET"]),
        ("2015-16", "West", ["GSW", "SAS", "OKC", "LAC", "POR", "DAL", "MEM", "HOU"]),
        ("2018-19", "East", ["MIL", "TOR", "PHI", "BOS", "IND", "BKN", "ORL", "DET"]),
        ("2018-19", "West", ["GSW", "DEN", "POR", "HOU", "UTA", "OKC", "SAS", "LAC"]),
        # the play-in era: seeds 7-10 went to the play-in tournament
        (
            "2022-23",
            "East",
            ["MIL", "BOS", "PHI", "CLE", "NYK", "BKN", "MIA", "ATL", "TOR", "CHI"],
        ),
        (
            "2022-23",
            "West",
            ["DEN", "MEM", "SAC", "PHX", "LAC", "GSW", "LAL", "MIN", "NOP", "OKC"],
        ),
    ],
)
def test_seeds_match_the_real_playoff_seeds(
    conn: Connection, season: str, conference: str, expected: list[str]
) -> None:
    rows = standings(conn, season=season, conference=conference).teams  # type: ignore[arg-type]
    assert seeds(rows, conference)[: len(expected)] == expected


def test_tie_breaks_are_explained(conn: Connection) -> None:
    table = by_team(standings(conn, season="2015-16", conference="East").teams)
    assert table["MIA"].tiebreaker == "division leader"
    assert table["ATL"].tiebreaker == "head-to-head among tied teams"
    assert table["CLE"].tiebreaker is None


def test_records_match_the_source_games(conn: Connection) -> None:
    """W-L, home, road, last ten and streak of all 30 teams, recomputed from the CSV."""
    with (BREF / "games_2015_2016.csv").open(newline="") as f:
        games = [r for r in csv.DictReader(f) if r["season_type"] == "Regular Season"]
    results: dict[str, list[tuple[str, bool, bool]]] = defaultdict(list)  # date, home, won
    for g in sorted(games, key=lambda g: g["game_date"]):
        home_won = int(g["home_team_score"]) > int(g["away_team_score"])
        results[g["team_abbreviation_home"]].append((g["game_date"], True, home_won))
        results[g["team_abbreviation_road"]].append((g["game_date"], False, not home_won))
    table = by_team(standings(conn, season="2015-16").teams)
    assert set(table) == set(results)
    for team, played in results.items():
        row = table[team]
        wins = [won for _, _, won in played]
        home = [won for _, at_home, won in played if at_home]
        road = [won for _, at_home, won in played if not at_home]
        last = wins[-1]
        streak = len(wins) - next(
            (i + 1 for i in range(len(wins) - 1, -1, -1) if wins[i] != last), 0
        )
        assert (row.wins, row.losses) == (sum(wins), len(wins) - sum(wins)), team
        assert row.home == f"{sum(home)}-{len(home) - sum(home)}", team
        assert row.road == f"{sum(road)}-{len(road) - sum(road)}", team
        assert row.last_10 == f"{sum(wins[-10:])}-{10 - sum(wins[-10:])}", team
        assert row.streak == f"{'W' if last else 'L'}{streak}", team


def test_conference_and_division_records_add_up(conn: Connection) -> None:
    rows = standings(conn, season="2018-19").teams
    for row in rows:
        conf_w, conf_l = map(int, row.conference_record.split("-"))
        div_w, div_l = map(int, row.division_record.split("-"))
        assert conf_w + conf_l == 52 and div_w + div_l == 16, row.team
    assert sum(int(r.division_record.split("-")[0]) for r in rows) == 30 * 16 // 2


def test_unknown_conference_is_refused(conn: Connection) -> None:
    with pytest.raises(InvalidInput, match="conference"):
        standings(conn, season="2015-16", conference="North")  # type: ignore[arg-type]


def test_unloaded_season_lists_loaded_ones(conn: Connection) -> None:
    with pytest.raises(NotFound) as error:
        standings(conn, season="2016-17")
    assert "2015-16" in error.value.candidates
