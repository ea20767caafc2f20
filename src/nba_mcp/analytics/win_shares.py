"""Win Shares (Justin Kubatko), as Basketball-Reference computes them (1977-78 onwards).

Source: "Calculating Win Shares" (https://www.basketball-reference.com/about/ws.html),
built on Dean Oliver's points produced, possessions and defensive rating
(:mod:`nba_mcp.analytics.ratings`).
"""

from __future__ import annotations

import pandas as pd

from nba_mcp.analytics._numeric import div
from nba_mcp.analytics.league import LeagueContext


def marginal_points_per_win(ctx: pd.DataFrame, league: LeagueContext) -> pd.Series[float]:
    """0.32 * (lg PTS per game) * (Tm Pace / lg Pace): points that buy one marginal win."""
    return 0.32 * league.pts_per_game * div(ctx["tm_pace"], league.pace)


def win_shares(
    ctx: pd.DataFrame,
    league: LeagueContext,
    *,
    pprod: pd.Series[float],
    tot_poss: pd.Series[float],
    drtg: pd.Series[float],
) -> pd.DataFrame:
    """OWS, DWS, WS and WS/48 of each stint.

    - Marginal offense = PProd - 0.92 * (lg PTS / lg Poss) * TotPoss.
    - Marginal defense = (MP / Tm MP) * Tm Poss * (1.08 * (lg PTS / lg Poss) - DRtg / 100).
    - OWS = marginal offense / marginal points per win; DWS likewise
      (:func:`marginal_points_per_win`); WS = OWS + DWS; WS/48 = 48 * WS / MP.

    Tm MP is team minutes (240 per game), so MP / Tm MP is a fifth of the player's share
    of the floor time. A player with no minutes gets 0 Win Shares and NaN WS/48.
    """
    ppw = marginal_points_per_win(ctx, league)
    lg_ppp = league.pts_per_poss
    marginal_off = pprod - 0.92 * lg_ppp * tot_poss
    marginal_def = (
        div(ctx["mp"], ctx["tm_minutes"]) * ctx["tm_poss"] * (1.08 * lg_ppp - drtg / 100.0)
    )
    played = ctx["mp"] > 0
    ows = div(marginal_off, ppw).where(played, 0.0).fillna(0.0)
    dws = div(marginal_def, ppw).where(played, 0.0).fillna(0.0)
    ws = ows + dws
    return pd.DataFrame(
        {"ows": ows, "dws": dws, "ws": ws, "ws_per_48": 48.0 * div(ws, ctx["mp"])},
        index=ctx.index,
    )
