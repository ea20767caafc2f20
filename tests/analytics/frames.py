"""Build the analytics input frames from the shared real-data CSVs.

The query layer builds these same three frames from the database; the tests build them
straight from the source files so that they do not depend on the database code.
Data are read from the shared data (``tests.conftest.DATA``), never copied into the repository.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from tests.conftest import DATA

COUNTING = [
    "fgm",
    "fga",
    "fg3m",
    "fg3a",
    "ftm",
    "fta",
    "oreb",
    "dreb",
    "ast",
    "stl",
    "blk",
    "tov",
    "pf",
    "pts",
]

_BREF_COLUMNS = {
    "made_field_goals": "fgm",
    "attempted_field_goals": "fga",
    "made_three_point_field_goals": "fg3m",
    "attempted_three_point_field_goals": "fg3a",
    "made_free_throws": "ftm",
    "attempted_free_throws": "fta",
    "offensive_rebounds": "oreb",
    "defensive_rebounds": "dreb",
    "assists": "ast",
    "steals": "stl",
    "blocks": "blk",
    "turnovers": "tov",
    "personal_fouls": "pf",
    "points": "pts",
}

_BREF_TYPE = {"regular": "Regular Season", "playoffs": "Playoffs"}
_NBA_TYPE = {"regular": ("regular_season",), "playoffs": ("playoff", "playoffs")}


def _bref_season(season: str) -> str:
    start = int(season[:4])
    return f"{start}_{start + 1}"


@lru_cache(maxsize=8)
def player_game_lines(season: str, season_type: str = "regular") -> pd.DataFrame:
    """Basketball-Reference player box scores of one season and type, renamed to our names."""
    path = DATA / "bref" / f"player_box_scores_{_bref_season(season)}.csv"
    raw = pd.read_csv(path, dtype={"nba_game_id": str})
    raw = raw[raw["season_type"] == _BREF_TYPE[season_type]]
    lines = raw.rename(
        columns={
            **_BREF_COLUMNS,
            "slug": "player_id",
            "nba_team_id": "team_id",
            "seconds_played": "seconds",
            "nba_game_id": "game_id",
        }
    )
    return lines[
        ["game_id", "player_id", "name", "team_id", "seconds", *COUNTING, "game_score"]
    ].reset_index(drop=True)


@lru_cache(maxsize=8)
def players_frame(season: str, season_type: str = "regular") -> pd.DataFrame:
    """One row per (player_id, team_id) stint with season totals."""
    lines = player_game_lines(season, season_type)
    grouped = lines.groupby(["player_id", "team_id"], sort=True)
    totals = grouped[["seconds", *COUNTING]].sum()
    totals.insert(0, "g", grouped.size())
    return totals.reset_index()


@lru_cache(maxsize=8)
def team_games_frame(season: str, season_type: str = "regular") -> pd.DataFrame:
    """One row per team per game from the NBA.com team game logs, with minutes played."""
    logs = pd.read_csv(DATA / "nba_stats" / f"team_game_logs_{season}.csv", dtype={"game_id": str})
    logs = logs[logs["game_type"].isin(_NBA_TYPE[season_type])]
    adv = pd.read_csv(
        DATA / "nba_stats" / f"box_score_advanced_{season}.csv", dtype={"game_id": str}
    )
    logs = logs.merge(adv[["game_id", "minutes_home", "minutes_road"]], on="game_id")
    sides = []
    for side, other in (("home", "road"), ("road", "home")):
        frame = pd.DataFrame(
            {
                "game_id": logs["game_id"],
                "team_id": logs[f"team_id_{side}"],
                "opponent_id": logs[f"team_id_{other}"],
                "is_home": side == "home",
                "minutes": logs[f"minutes_{side}"],
            }
        )
        for stat in COUNTING:
            frame[stat] = logs[f"{stat}_{side}"]
            frame[f"opp_{stat}"] = logs[f"{stat}_{other}"]
        sides.append(frame)
    return pd.concat(sides, ignore_index=True)


@lru_cache(maxsize=8)
def teams_frame(season: str, season_type: str = "regular") -> pd.DataFrame:
    """One row per team: games, W-L, minutes, totals and opponent totals."""
    games = team_games_frame(season, season_type)
    grouped = games.groupby("team_id", sort=True)
    stats = [*COUNTING, *(f"opp_{s}" for s in COUNTING)]
    teams = grouped[["minutes", *stats]].sum()
    teams.insert(0, "g", grouped.size())
    win = games["pts"] > games["opp_pts"]
    teams.insert(1, "wins", win.groupby(games["team_id"]).sum())
    teams.insert(2, "losses", teams["g"] - teams["wins"])
    return teams.reset_index()


def team_games(season: str, season_type: str = "regular") -> pd.DataFrame:
    """The SRS input: game_id, team_id, opponent_id, is_home, pts, opp_pts."""
    games = team_games_frame(season, season_type)
    return games[["game_id", "team_id", "opponent_id", "is_home", "pts", "opp_pts"]].copy()
