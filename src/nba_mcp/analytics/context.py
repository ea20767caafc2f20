"""Join each player stint with its team's season context.

Player formulas need the team totals (prefixed ``tm_``), the opponents' totals
(``opp_``), team possessions and pace. :func:`player_context` builds that wide frame once
so the metric modules stay simple column arithmetic.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_mcp.analytics._numeric import Columns, FloatArray, adiv
from nba_mcp.analytics.team import team_possessions
from nba_mcp.boxscore import BOX_STATS
from nba_mcp.errors import InvalidInput

PLAYER_COLUMNS = ("player_id", "team_id", "g", "seconds", *BOX_STATS)
TEAM_COLUMNS = ("team_id", "g", "wins", "losses", "minutes", *BOX_STATS)


def player_context(players: pd.DataFrame, teams: pd.DataFrame) -> pd.DataFrame:
    """One row per stint of ``players`` (same order, fresh RangeIndex) with team context.

    Adds ``mp`` (minutes, = seconds / 60), ``tm_<stat>`` and ``opp_<stat>`` for the 14
    counting stats, ``tm_g``, ``tm_minutes`` (team minutes, 240 per game), ``tm_poss``
    (two-sided possessions, see :func:`nba_mcp.analytics.team.team_possessions`) and
    ``tm_pace`` (possessions per 48 minutes).
    """
    missing = [c for c in PLAYER_COLUMNS if c not in players.columns]
    missing += [c for c in TEAM_COLUMNS if c not in teams.columns]
    missing += [f"opp_{c}" for c in BOX_STATS if f"opp_{c}" not in teams.columns]
    if missing:
        raise InvalidInput(f"analytics input frames lack columns {missing}")
    t = Columns(teams)
    tm_minutes = t["minutes"]
    tm_poss = np.asarray(team_possessions(teams), dtype=np.float64)
    team_cols: dict[str, FloatArray] = {"tm_g": t["g"], "tm_minutes": tm_minutes}
    for stat in BOX_STATS:
        team_cols[f"tm_{stat}"] = t[stat]
        team_cols[f"opp_{stat}"] = t[f"opp_{stat}"]
    team_cols["tm_poss"] = tm_poss
    team_cols["tm_pace"] = adiv(48.0 * tm_poss, tm_minutes / 5.0)

    row = pd.Index(teams["team_id"]).get_indexer(players["team_id"])
    if (row < 0).any():
        unknown = sorted(set(players["team_id"][row < 0].tolist()))
        raise InvalidInput(f"players frame has stints of teams missing from teams: {unknown}")
    p = Columns(players)
    columns: dict[str, object] = {
        "player_id": players["player_id"].to_numpy(),
        "team_id": players["team_id"].to_numpy(),
        "g": players["g"].to_numpy(),
        "seconds": players["seconds"].to_numpy(),
    }
    for stat in BOX_STATS:
        columns[stat] = p[stat]
    columns["mp"] = p["seconds"] / 60.0
    for name, values in team_cols.items():
        columns[name] = values[row]
    return pd.DataFrame(columns)
