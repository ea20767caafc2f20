"""Season boards: one row per player and one per team, every stat that is ranked.

A leaderboard or a league rank needs each player once: his season line, which is the TOT
row for a player traded in season (as Basketball-Reference ranks him), with the most games
any of his teams played (``team_games``, what the minimums are pro-rated by), his team's
abbreviation (``TOT`` when traded) and his name. The team board is the team metrics table
with abbreviations. Both come from the season's computed tables
(:mod:`nba_mcp.queries.advanced`) and are built once per database, season, season type and
data version (:mod:`nba_mcp.queries.memo`): a leaderboard is then a sort of ~500 rows.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Connection, text

from nba_mcp.queries.advanced import season_tables, team_table
from nba_mcp.queries.memo import memoized


def player_board(conn: Connection, *, season: str, season_type: str) -> pd.DataFrame:
    """Every column of the season's player table, one row per player, plus ``team``
    (abbreviation or ``TOT``), ``team_games``, ``name`` and ``tsa`` (FGA + 0.44 FTA)."""

    def build() -> pd.DataFrame:
        metrics = season_tables(conn, season=season, season_type=season_type)
        table = metrics.players
        games_of_team = metrics.teams.set_index("team_id")["g"]
        stints = table[~table["is_total"]]
        team_games = stints["team_id"].map(games_of_team).groupby(stints["player_id"]).max()
        traded = set(table.loc[table["is_total"], "player_id"])
        board = table[table["is_total"] | ~table["player_id"].isin(traded)].copy()
        abbreviations = team_abbreviations(conn)
        board["team"] = [
            "TOT" if total else abbreviations[int(team)]
            for total, team in zip(board["is_total"], board["team_id"], strict=True)
        ]
        board["team_games"] = board["player_id"].map(team_games).astype("int64")
        board["name"] = board["player_id"].map(player_names(conn))
        board["tsa"] = board["fga"] + 0.44 * board["fta"]
        return board.reset_index(drop=True)

    return memoized(conn, "player_board", (season, season_type), build)


def team_board(conn: Connection, *, season: str, season_type: str) -> pd.DataFrame:
    """The team metrics table of the season with ``team`` (abbreviation) and ``name``."""

    def build() -> pd.DataFrame:
        board = team_table(conn, season=season, season_type=season_type).copy()
        rows = conn.execute(text("SELECT team_id, abbreviation, full_name FROM teams"))
        teams = {int(team_id): (abbreviation, name) for team_id, abbreviation, name in rows}
        board["team"] = [teams[int(t)][0] for t in board["team_id"]]
        board["name"] = [teams[int(t)][1] for t in board["team_id"]]
        return board.reset_index(drop=True)

    return memoized(conn, "team_board", (season, season_type), build)


def team_abbreviations(conn: Connection) -> dict[int, str]:
    rows = conn.execute(text("SELECT team_id, abbreviation FROM teams"))
    return {int(team_id): str(abbreviation) for team_id, abbreviation in rows}


def player_names(conn: Connection) -> dict[int, str]:
    """Every player's name by player id (once per data version)."""

    def build() -> dict[int, str]:
        rows = conn.execute(text("SELECT player_id, full_name FROM players"))
        return {int(player_id): str(name) for player_id, name in rows}

    return memoized(conn, "player_names", (), build)
