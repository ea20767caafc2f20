"""league_leaders against Basketball-Reference's published 2015-16 and 2018-19 leaders."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from itertools import pairwise

import pandas as pd
import pytest
from sqlalchemy import Connection, Engine

from nba_mcp.errors import InvalidInput, NotFound
from nba_mcp.queries.leaders import STATS, league_leaders, rank
from nba_mcp.rounding import round_half_up


@pytest.fixture
def conn(loaded_engine: Engine) -> Iterator[Connection]:
    with loaded_engine.connect() as connection:
        yield connection


@pytest.mark.parametrize(
    ("season", "stat", "player", "value"),
    [
        ("2018-19", "pts", "James Harden", 36.1),
        ("2015-16", "pts", "Stephen Curry", 30.1),
        ("2015-16", "fg3m_total", "Stephen Curry", 402),
        ("2015-16", "fg_pct", "DeAndre Jordan", 0.703),
        ("2015-16", "fg3_pct", "JJ Redick", 0.475),
        ("2015-16", "ft_pct", "Stephen Curry", 0.908),  # 363/400: rounded half up, as BRef
        ("2018-19", "reb", "Andre Drummond", 15.6),
        ("2018-19", "ast", "Russell Westbrook", 10.7),
        ("2018-19", "stl", "Paul George", 2.2),
        ("2018-19", "blk", "Myles Turner", 2.7),
        ("2015-16", "min", "James Harden", 38.1),
        ("2015-16", "pts_total", "James Harden", 2376),  # one point more than Curry
    ],
)
def test_published_leaders(
    conn: Connection, season: str, stat: str, player: str, value: float
) -> None:
    leaders = league_leaders(conn, stat=stat, season=season)
    first = leaders.leaders[0]
    assert (first.rank, first.player, first.value) == (1, player, value)
    assert leaders.source.startswith("https://www.basketball-reference.com/")


def test_scoring_top_five_2018_19(conn: Connection) -> None:
    leaders = league_leaders(conn, stat="pts", season="2018-19", limit=5).leaders
    assert [(e.player, e.value) for e in leaders] == [
        ("James Harden", 36.1),
        ("Paul George", 28.0),
        ("Giannis Antetokounmpo", 27.7),
        ("Joel Embiid", 27.5),
        ("Stephen Curry", 27.3),
    ]
    assert (leaders[0].g, leaders[0].total) == (78, 2818)


def test_too_few_games_is_not_ranked(conn: Connection) -> None:
    """LeBron James 2018-19: 27.4 points a game but 55 games, under the 58 needed."""
    leaders = league_leaders(conn, stat="pts", season="2018-19", limit=100).leaders
    names = {e.player for e in leaders}
    assert "LeBron James" not in names
    assert "Anthony Davis" not in names  # 25.9 in 56 games
    assert all(e.g >= 58 for e in leaders)
    totals = league_leaders(conn, stat="pts_total", season="2018-19", limit=100).leaders
    assert "LeBron James" in {e.player for e in totals}


@pytest.mark.parametrize(
    ("stat", "player", "minimum"),
    [
        ("fg3_pct", "Troy Daniels", 82),  # 59 of 122 (.484) beats Redick's .475
        ("fg_pct", "Andrew Bogut", 300),  # 175 of 279 (.627) beats Howard's .620
    ],
)
def test_too_few_makes_is_not_ranked(
    conn: Connection, stat: str, player: str, minimum: int
) -> None:
    leaders = league_leaders(conn, stat=stat, season="2015-16", limit=100).leaders
    assert player not in {e.player for e in leaders}
    assert min(e.total for e in leaders) >= minimum


def test_traded_player_is_ranked_once_on_his_season(conn: Connection) -> None:
    leaders = league_leaders(conn, stat="reb", season="2018-19", limit=100).leaders
    jordan = [e for e in leaders if e.player == "DeAndre Jordan"]
    assert len(jordan) == 1
    assert (jordan[0].team, jordan[0].g, jordan[0].value, jordan[0].rank) == ("TOT", 69, 13.1, 3)


def test_ties_share_a_rank(conn: Connection) -> None:
    leaders = league_leaders(conn, stat="fg3m_total", season="2018-19", limit=100).leaders
    values = [e.value for e in leaders]
    assert values == sorted(values, reverse=True)
    for before, after in pairwise(leaders):
        if after.value == before.value:
            assert after.rank == before.rank
        else:
            assert after.rank > before.rank


def test_the_total_exception_of_the_games_minimum() -> None:
    """The NBA's example: Gerald Wallace, 138 steals in 55 games (2.51, 2.38 over 58),
    led 2005-06 over Brevin Knight's 2.28 among qualified players."""
    board = pd.DataFrame(
        {
            "player_id": [1, 2, 3],
            "name": ["Gerald Wallace", "Brevin Knight", "Short Stint"],
            "g": [55, 75, 20],
            "stl": [138, 171, 60],
            "team_games": [82, 82, 82],
        }
    )
    ranking = rank(STATS["stl"], board)
    assert [
        (board["name"][row], round_half_up(int(board["stl"][row]), int(board["g"][row]), 1), t)
        for row, t in zip(ranking.rows, ranking.by_total, strict=True)
    ] == [("Gerald Wallace", 2.5, True), ("Brevin Knight", 2.3, False)]
    assert Fraction(138, 55) > Fraction(171, 75)


def test_playoff_minimums_follow_the_teams_games(conn: Connection) -> None:
    leaders = league_leaders(conn, stat="pts", season="2015-16", season_type="playoffs")
    assert leaders.leaders[0].player == "Kevin Durant"  # 28.4 in 17 games
    assert "playoffs" in leaders.qualification


def test_default_season_is_the_latest_with_player_box_scores(conn: Connection) -> None:
    assert league_leaders(conn, stat="pts", limit=1).season == "2018-19"


def test_unknown_stat_lists_the_valid_ones(conn: Connection) -> None:
    with pytest.raises(InvalidInput, match="Unknown player stat 'points'") as error:
        league_leaders(conn, stat="points")
    assert "pts_total" in error.value.message and "fg3_pct" in error.value.message


@pytest.mark.parametrize(
    ("kwargs", "error", "named"),
    [
        ({"limit": 0}, InvalidInput, "limit"),
        ({"season_type": "summer"}, InvalidInput, "season type"),
        ({"season": "2016-17"}, NotFound, "2016-17"),
    ],
)
def test_bad_arguments(
    conn: Connection, kwargs: dict[str, object], error: type[Exception], named: str
) -> None:
    with pytest.raises(error, match=named):
        league_leaders(conn, stat="pts", **kwargs)  # type: ignore[arg-type]
