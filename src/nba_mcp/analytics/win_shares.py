"""Win Shares (Justin Kubatko), as Basketball-Reference computes them (1977-78 onwards).

Source: "Calculating Win Shares" (https://www.basketball-reference.com/about/ws.html),
built on Dean Oliver's points produced, possessions and defensive rating
(:mod:`nba_mcp.analytics.ratings`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_mcp.analytics._numeric import Columns, FloatArray, adiv
from nba_mcp.analytics.league import LeagueContext


def marginal_points_per_win(ctx: pd.DataFrame, league: LeagueContext) -> FloatArray:
    """0.32 * (lg PTS per game) * (Tm Pace / lg Pace): points that buy one marginal win."""
    return 0.32 * league.pts_per_game * adiv(ctx["tm_pace"].to_numpy(dtype=np.float64), league.pace)


def win_shares(
    ctx: pd.DataFrame,
    league: LeagueContext,
    *,
    pprod: FloatArray | pd.Series[float],
    tot_poss: FloatArray | pd.Series[float],
    drtg: FloatArray | pd.Series[float],
) -> pd.DataFrame:
    """OWS, DWS, WS and WS/48 of each stint.

    - Marginal offense = PProd - 0.92 * (lg PTS / lg Poss) * TotPoss.
    - Marginal defense = (MP / Tm MP) * Tm Poss * (1.08 * (lg PTS / lg Poss) - DRtg / 100).
    - OWS = marginal offense / marginal points per win; DWS likewise
      (:func:`marginal_points_per_win`); WS = OWS + DWS; WS/48 = 48 * WS / MP.

    Tm MP is team minutes (240 per game), so MP / Tm MP is a fifth of the player's share
    of the floor time. A player with no minutes gets 0 Win Shares and NaN WS/48.
    """
    c = Columns(ctx)
    ppw = marginal_points_per_win(ctx, league)
    lg_ppp = league.pts_per_poss
    marginal_off = np.asarray(pprod, dtype=np.float64) - 0.92 * lg_ppp * np.asarray(
        tot_poss, dtype=np.float64
    )
    marginal_def = (
        adiv(c["mp"], c["tm_minutes"])
        * c["tm_poss"]
        * (1.08 * lg_ppp - np.asarray(drtg, dtype=np.float64) / 100.0)
    )
    played = c["mp"] > 0
    ows = np.nan_to_num(np.where(played, adiv(marginal_off, ppw), 0.0), nan=0.0)
    dws = np.nan_to_num(np.where(played, adiv(marginal_def, ppw), 0.0), nan=0.0)
    ws = ows + dws
    return pd.DataFrame(
        {"ows": ows, "dws": dws, "ws": ws, "ws_per_48": 48.0 * adiv(ws, c["mp"])},
        index=ctx.index,
    )
