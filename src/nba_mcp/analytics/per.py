"""Player Efficiency Rating (John Hollinger), as Basketball-Reference computes it.

Source: "Calculating PER" (https://www.basketball-reference.com/about/per.html).
Input is the frame of :func:`nba_mcp.analytics.context.player_context` and the
:class:`nba_mcp.analytics.league.LeagueContext` of the same season and type.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_mcp.analytics._numeric import Columns, FloatArray, adiv
from nba_mcp.analytics.league import LeagueContext


def unadjusted_per(ctx: pd.DataFrame, league: LeagueContext) -> FloatArray:
    """uPER, per stint::

        uPER = (1 / MP) * [ 3P + (2/3) * AST + (2 - factor * (Tm AST / Tm FG)) * FG
               + FT * 0.5 * (1 + (1 - Tm AST / Tm FG) + (2/3) * (Tm AST / Tm FG))
               - VOP * TOV - VOP * DRB% * (FGA - FG)
               - VOP * 0.44 * (0.44 + 0.56 * DRB%) * (FTA - FT)
               + VOP * (1 - DRB%) * (TRB - ORB) + VOP * DRB% * ORB
               + VOP * STL + VOP * DRB% * BLK
               - PF * ((lg FT / lg PF) - 0.44 * (lg FTA / lg PF) * VOP) ]

    with the league's ``factor``, ``vop`` and ``drb_share`` (DRB%). NaN with no minutes.
    """
    c = Columns(ctx)
    vop = league.vop
    drb = league.drb_share
    tm_ast_fg = adiv(c["tm_ast"], c["tm_fgm"])
    trb = c["oreb"] + c["dreb"]
    foul_cost = float(adiv(league.ftm, league.pf)) - 0.44 * float(adiv(league.fta, league.pf)) * vop
    total = (
        c["fg3m"]
        + (2.0 / 3.0) * c["ast"]
        + (2.0 - league.factor * tm_ast_fg) * c["fgm"]
        + c["ftm"] * 0.5 * (1.0 + (1.0 - tm_ast_fg) + (2.0 / 3.0) * tm_ast_fg)
        - vop * c["tov"]
        - vop * drb * (c["fga"] - c["fgm"])
        - vop * 0.44 * (0.44 + 0.56 * drb) * (c["fta"] - c["ftm"])
        + vop * (1.0 - drb) * (trb - c["oreb"])
        + vop * drb * c["oreb"]
        + vop * c["stl"]
        + vop * drb * c["blk"]
        - c["pf"] * foul_cost
    )
    return adiv(total, c["mp"])


def hollinger_possessions(
    fga: FloatArray, fta: FloatArray, oreb: FloatArray, tov: FloatArray
) -> FloatArray:
    """Hollinger's possession estimate: FGA + 0.44 * FTA - ORB + TOV."""
    result: FloatArray = fga + 0.44 * fta - oreb + tov
    return result


def per_pace(ctx: pd.DataFrame) -> FloatArray:
    """Team pace used by PER's pace adjustment, per stint.

    48 * Poss / (Tm MP / 5) with Poss the mean of the team's and the opponents' Hollinger
    possessions (:func:`hollinger_possessions`). "Calculating PER" only says "lg Pace /
    tm Pace"; this estimate reproduces the published PERs to the second decimal where the
    glossary's two-sided estimate does not (see docs/metrics.md, "PER pace").
    """
    c = Columns(ctx)
    own = hollinger_possessions(c["tm_fga"], c["tm_fta"], c["tm_oreb"], c["tm_tov"])
    opp = hollinger_possessions(c["opp_fga"], c["opp_fta"], c["opp_oreb"], c["opp_tov"])
    return adiv(48.0 * 0.5 * (own + opp), c["tm_minutes"] / 5.0)


def league_per_pace(league: LeagueContext) -> float:
    """League pace in the same (Hollinger) possessions as :func:`per_pace`."""
    poss = league.fga + 0.44 * league.fta - league.oreb + league.tov
    return float(adiv(48.0 * poss, league.minutes / 5.0))


def player_efficiency_rating(ctx: pd.DataFrame, league: LeagueContext) -> pd.DataFrame:
    """uPER, aPER and PER of each stint.

    aPER = (lg Pace / Tm Pace) * uPER (pace adjustment, paces from :func:`per_pace` and
    :func:`league_per_pace`); lg aPER is the minutes-weighted mean of aPER over every
    stint of the frame (so the frame must hold the whole league); PER = aPER * (15 /
    lg aPER), which makes the minutes-weighted league PER exactly 15.
    """
    uper = unadjusted_per(ctx, league)
    aper = adiv(league_per_pace(league), per_pace(ctx)) * uper
    mp = ctx["mp"].to_numpy(dtype=np.float64)
    played = (mp > 0) & np.isfinite(aper)
    lg_aper = float(adiv(np.sum(aper[played] * mp[played]), np.sum(mp[played])))
    return pd.DataFrame(
        {"uper": uper, "aper": aper, "per": aper * adiv(15.0, lg_aper)},
        index=ctx.index,
    )
