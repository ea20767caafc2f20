"""Join each player stint with its team's season context.

Player formulas need the team totals (prefixed ``tm_``), the opponents' totals
(``opp_``), team possessions and pace. :func:`player_context` builds that wide frame once
so the metric modules stay simple column arithmetic.
"""

from __future__ import annotations

import pandas as pd

from nba_mcp.analytics.team import team_possessions
from nba_mcp.errors import InvalidInput

COUNTING = (
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
)

PLAYER_COLUMNS = ("player_id", "team_id", "g", "seconds", *COUNTING)
TEAM_COLUMNS = ("team_id", "g", "wins", "losses", "minutes", *COUNTING)


def player_context(players: pd.DataFrame, teams: pd.DataFrame) -> pd.DataFrame:
    """One row per stint of ``players`` (same order, fresh RangeIndex) with team context.

    Adds ``mp`` (minutes, = seconds / 60), ``tm_<stat>`` and ``opp_<stat>`` for the 14
    counting stats, ``tm_g``, ``tm_minutes`` (team minutes, 240 per game), ``tm_poss``
    (two-sided possessions, see :func:`nba_mcp.analytics.team.team_possessions`) and
    ``tm_pace`` (possessions per 48 minutes).
    """
    missing = [c for c in PLAYER_COLUMNS if c not in players.columns]
    missing += [c for c in TEAM_COLUMNS if c not in teams.columns]
    missing += [f"opp_{c}" for c in COUNTING if f"opp_{c}" not in teams.columns]
    if missing:
        raise InvalidInput(f"analytics input frames lack columns {missing}")
    team = pd.DataFrame({"team_id": teams["team_id"]})
    team["tm_g"] = teams["g"]
    team["tm_minutes"] = teams["minutes"].astype("float64")
    for stat in COUNTING:
        team[f"tm_{stat}"] = teams[stat].astype("float64")
        team[f"opp_{stat}"] = teams[f"opp_{stat}"].astype("float64")
    team["tm_poss"] = team_possessions(teams)
    team["tm_pace"] = 48.0 * team["tm_poss"] / (team["tm_minutes"] / 5.0)

    base = players.loc[:, list(PLAYER_COLUMNS)].reset_index(drop=True)
    for stat in COUNTING:
        base[stat] = base[stat].astype("float64")
    base["mp"] = base["seconds"].astype("float64") / 60.0
    return base.merge(team, on="team_id", how="left", validate="many_to_one")
