"""A team's season game by game: after the last game, the record and the season-to-date
net rating are the team's season figures, for every team and season type loaded."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection

from nba_mcp.errors import NotFound
from nba_mcp.queries.lookup import find_team
from nba_mcp.queries.team_log import team_game_log
from nba_mcp.queries.teams import team_season
from nba_mcp.queries.totals import team_totals


@pytest.mark.parametrize(
    ("season", "season_type"), [("2015-16", "regular"), ("2022-23", "playoffs")]
)
def test_the_last_game_ends_on_the_season_figures(
    conn: Connection, season: str, season_type: str
) -> None:
    teams = team_totals(conn, season=season, season_type=season_type)
    assert len(teams) >= 16
    for row in teams:
        log = team_game_log(conn, team=row["team"], season=season, season_type=season_type)
        whole = team_season(conn, team=row["team"], season=season, season_type=season_type)
        last = log.games[-1]
        assert len(log.games) == whole.g, row["team"]
        assert (last.wins, last.losses) == (whole.record.wins, whole.record.losses)
        assert last.season_net_rtg == whole.net_rtg, row["team"]


def test_warriors_2015_16_game_by_game(conn: Connection) -> None:
    games = team_game_log(conn, team="GSW", season="2015-16").games
    first = games[0]
    assert (first.date.isoformat(), first.opponent, first.location, first.result) == (
        "2015-10-27", "NOP", "home", "W",
    )  # fmt: skip
    assert (first.pts, first.opp_pts, first.net_rtg) == (111, 95, 15.9)
    assert [g.game for g in games] == list(range(1, 83))
    losses = [g for g in games if g.result == "L"]
    assert len(losses) == 9 and all(g.net_rtg is not None and g.net_rtg < 0 for g in losses)
    assert games[-1].season_net_rtg == 10.7


def test_a_team_without_games_of_that_type_is_not_found(conn: Connection) -> None:
    name = find_team(conn, name="SAS").name
    with pytest.raises(NotFound, match=f"The {name} played no play-in games in 2022-23"):
        team_game_log(conn, team="SAS", season="2022-23", season_type="play_in")
