"""Per-game figures are rounded half up, as Basketball-Reference shows them.

Python's ``round`` rounds half to even: Nikola Jokić's 580 assists in 80 games (7.25)
would be 7.2, where Basketball-Reference shows 7.3.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Connection

from nba_mcp.queries.compare import compare_players
from nba_mcp.queries.players import player_season
from nba_mcp.queries.splits import player_splits

# (player, season, stat, Basketball-Reference's per game) where the exact value is a half.
HALVES = [
    ("Nikola Jokic", "2018-19", "ast", 7.3),  # 580 / 80 = 7.25
    ("Nikola Jokic", "2015-16", "pts", 10.0),  # 796 / 80 = 9.95
    ("Steven Adams", "2018-19", "pts", 13.9),  # 1108 / 80 = 13.85
    ("Damian Lillard", "2018-19", "ftm", 5.9),  # 468 / 80 = 5.85
]


@pytest.mark.parametrize(("player", "season", "stat", "shown"), HALVES)
def test_player_season_rounds_half_up(
    conn: Connection, player: str, season: str, stat: str, shown: float
) -> None:
    result = player_season(conn, player=player, season=season)

    assert getattr(result.total.per_game, stat) == shown


def test_jokic_2018_19_is_7_3_assists_everywhere(conn: Connection) -> None:
    compared = compare_players(
        conn, players=["Nikola Jokic", "Stephen Curry"], season="2018-19", stats=["ast_per_g"]
    )
    split = player_splits(conn, player="Nikola Jokic", season="2018-19", split="home_away")

    assert compared.players[0].stats["ast_per_g"].value == 7.3
    assert split.total.ast_per_game == 7.3


def test_minutes_per_game_round_half_up(conn: Connection) -> None:
    # Wayne Ellington 2015-16: 96,900 seconds in 76 games, 21.25 minutes a game.
    result = player_season(conn, player="Wayne Ellington", season="2015-16")

    assert result.total.per_game.min == 21.3
