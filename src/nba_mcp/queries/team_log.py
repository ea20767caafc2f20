"""A team's season game by game: each result, the record so far and the net rating.

The net rating of a game is that game's (100 * margin / possessions). The season-to-date
net rating after a game is computed from the season's totals up to that game with the
same formula as the season's (:func:`nba_mcp.analytics.team.team_ratings`), so after the
last game it equals ``team_season_stats``' ``net_rtg``: possessions are not additive
(Basketball-Reference's estimate weighs by the offensive rebound share), so an average
of the games' ratings would not.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import pandas as pd
from pydantic import BaseModel, Field
from sqlalchemy import Connection, text

from nba_mcp.analytics.team import team_ratings
from nba_mcp.boxscore import BOX_STATS
from nba_mcp.errors import NotFound
from nba_mcp.queries.lookup import TeamRef, find_team
from nba_mcp.queries.seasons import check_season_type, resolve_season
from nba_mcp.rounding import figure
from nba_mcp.seasons import SEASON_TYPE_WORDS


class TeamGameEntry(BaseModel):
    game: int = Field(description="The game's number in the team's season, from 1.")
    game_id: str = Field(description="NBA.com game id.")
    date: dt.date
    opponent: str = Field(description="Opponent abbreviation.")
    location: Literal["home", "away"]
    result: Literal["W", "L"]
    pts: int
    opp_pts: int
    wins: int = Field(description="Wins so far, this game included.")
    losses: int = Field(description="Losses so far, this game included.")
    net_rtg: float | None = Field(description="This game's net rating (per 100 possessions).")
    season_net_rtg: float | None = Field(
        description="Net rating of the season so far, from its totals up to this game."
    )


class TeamGameLog(BaseModel):
    team: TeamRef
    season: str
    season_type: str
    games: list[TeamGameEntry] = Field(description="In the order played.")


_OWN = ", ".join(f"b.{s}" for s in BOX_STATS)
_OPP = ", ".join(f"o.{s} AS opp_{s}" for s in BOX_STATS)


def team_game_log(
    conn: Connection, *, team: str, season: str | None = None, season_type: str = "regular"
) -> TeamGameLog:
    """One team's games of a season and type, oldest first, with the record and net
    rating after each (see the module's docstring)."""
    season_type = check_season_type(season_type)
    ref = find_team(conn, name=team)
    season = resolve_season(conn, season)
    sql = f"""
        SELECT g.game_id, g.game_date, t.abbreviation AS opponent, b.is_home, b.minutes,
               {_OWN}, {_OPP}
        FROM team_box_scores b
        JOIN team_box_scores o ON o.game_id = b.game_id AND o.team_id = b.opponent_id
        JOIN games g ON g.game_id = b.game_id
        JOIN teams t ON t.team_id = b.opponent_id
        WHERE b.team_id = :team_id AND g.season = :season AND g.season_type = :season_type
        ORDER BY g.game_date, g.game_id
    """
    params = {"team_id": ref.team_id, "season": season, "season_type": season_type}
    rows = [dict(row) for row in conn.execute(text(sql), params).mappings()]
    if not rows:
        word = SEASON_TYPE_WORDS[season_type]
        raise NotFound(f"The {ref.name} played no {word} games in {season} that are loaded.")
    games = pd.DataFrame(rows)
    totals = ["minutes", *BOX_STATS, *(f"opp_{s}" for s in BOX_STATS)]
    games[totals] = games[totals].astype("float64")
    games["g"] = 1.0
    so_far = games[[*totals, "g"]].cumsum()
    each, to_date = team_ratings(games), team_ratings(so_far)
    won = games["pts"] > games["opp_pts"]
    wins, losses = won.cumsum(), (~won).cumsum()
    return TeamGameLog(
        team=ref,
        season=season,
        season_type=season_type,
        games=[
            TeamGameEntry(
                game=index + 1,
                game_id=row["game_id"],
                date=row["game_date"],
                opponent=row["opponent"],
                location="home" if row["is_home"] else "away",
                result="W" if won[index] else "L",
                pts=int(row["pts"]),
                opp_pts=int(row["opp_pts"]),
                wins=int(wins[index]),
                losses=int(losses[index]),
                net_rtg=figure(each["net_rtg"][index], 1),
                season_net_rtg=figure(to_date["net_rtg"][index], 1),
            )
            for index, row in enumerate(rows)
        ],
    )
