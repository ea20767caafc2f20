"""Individual offensive and defensive ratings (Dean Oliver), as Basketball-Reference
computes them.

Source: Dean Oliver, *Basketball on Paper* (2004), chapters on individual offensive and
defensive ratings, as written out by Basketball-Reference in "Calculating Individual
Offensive and Defensive Ratings" (https://www.basketball-reference.com/about/ratings.html).
Input is the frame of :func:`nba_mcp.analytics.context.player_context`.
"""

from __future__ import annotations

import pandas as pd

from nba_mcp.analytics._numeric import Columns, adiv, adiv0


def offensive_rating(ctx: pd.DataFrame) -> pd.DataFrame:
    """Points produced, total possessions and ORtg of each stint.

    With q = qAST, the share of the player's field goals that were assisted::

        qAST = (MP / (Tm MP / 5)) * (1.14 * ((Tm AST - AST) / Tm FG))
               + ((Tm AST / Tm MP * MP * 5 - AST) / (Tm FG / Tm MP * MP * 5 - FG))
                 * (1 - MP / (Tm MP / 5))
        FG_Part  = FG * (1 - 0.5 * ((PTS - FT) / (2 * FGA)) * qAST)
        AST_Part = 0.5 * (((Tm PTS - Tm FT) - (PTS - FT)) / (2 * (Tm FGA - FGA))) * AST
        FT_Part  = (1 - (1 - FT/FTA)**2) * 0.4 * FTA
        Tm_ScPoss = Tm FG + (1 - (1 - Tm FT / Tm FTA)**2) * Tm FTA * 0.4
        Tm_ORB%  = Tm ORB / (Tm ORB + Opp DRB)
        Tm_Play% = Tm_ScPoss / (Tm FGA + Tm FTA * 0.4 + Tm TOV)
        Tm_ORB_Weight = ((1 - Tm_ORB%) * Tm_Play%)
                        / ((1 - Tm_ORB%) * Tm_Play% + Tm_ORB% * (1 - Tm_Play%))
        ORB_Part = ORB * Tm_ORB_Weight * Tm_Play%
        ScPoss  = (FG_Part + AST_Part + FT_Part)
                  * (1 - (Tm ORB / Tm_ScPoss) * Tm_ORB_Weight * Tm_Play%) + ORB_Part
        FGxPoss = (FGA - FG) * (1 - 1.07 * Tm_ORB%)
        FTxPoss = (1 - FT/FTA)**2 * 0.4 * FTA
        TotPoss = ScPoss + FGxPoss + FTxPoss + TOV
        PProd_FG_Part  = 2 * (FG + 0.5 * 3P) * (1 - 0.5 * ((PTS - FT) / (2 * FGA)) * qAST)
        PProd_AST_Part = 2 * ((Tm FG - FG + 0.5 * (Tm 3P - 3P)) / (Tm FG - FG))
                         * 0.5 * (((Tm PTS - Tm FT) - (PTS - FT)) / (2 * (Tm FGA - FGA))) * AST
        PProd_ORB_Part = ORB * Tm_ORB_Weight * Tm_Play% * (Tm PTS / Tm_ScPoss)
        PProd = (PProd_FG_Part + PProd_AST_Part + FT)
                * (1 - (Tm ORB / Tm_ScPoss) * Tm_ORB_Weight * Tm_Play%) + PProd_ORB_Part
        ORtg = 100 * PProd / TotPoss

    Returns columns ``pprod``, ``tot_poss``, ``sc_poss``, ``ortg``. Terms whose base is
    zero (no FGA, no FTA) are zero; ORtg is NaN for a player with no possessions.
    """
    c = Columns(ctx)
    mp = c["mp"]
    share = adiv(mp, c["tm_minutes"] / 5.0)
    q_ast = share * (1.14 * adiv(c["tm_ast"] - c["ast"], c["tm_fgm"])) + adiv0(
        c["tm_ast"] / c["tm_minutes"] * mp * 5.0 - c["ast"],
        c["tm_fgm"] / c["tm_minutes"] * mp * 5.0 - c["fgm"],
    ) * (1.0 - share)
    fg_pts_share = adiv0(c["pts"] - c["ftm"], 2.0 * c["fga"])
    fg_part = c["fgm"] * (1.0 - 0.5 * fg_pts_share * q_ast)
    others_fg_pts = adiv0(
        (c["tm_pts"] - c["tm_ftm"]) - (c["pts"] - c["ftm"]), 2.0 * (c["tm_fga"] - c["fga"])
    )
    ast_part = 0.5 * others_fg_pts * c["ast"]
    ft_pct = adiv0(c["ftm"], c["fta"])
    ft_part = (1.0 - (1.0 - ft_pct) ** 2) * 0.4 * c["fta"]

    tm_ft_pct = adiv0(c["tm_ftm"], c["tm_fta"])
    tm_sc_poss = c["tm_fgm"] + (1.0 - (1.0 - tm_ft_pct) ** 2) * c["tm_fta"] * 0.4
    tm_orb_pct = adiv(c["tm_oreb"], c["tm_oreb"] + c["opp_dreb"])
    tm_play_pct = adiv(tm_sc_poss, c["tm_fga"] + c["tm_fta"] * 0.4 + c["tm_tov"])
    tm_orb_weight = adiv(
        (1.0 - tm_orb_pct) * tm_play_pct,
        (1.0 - tm_orb_pct) * tm_play_pct + tm_orb_pct * (1.0 - tm_play_pct),
    )
    orb_part = c["oreb"] * tm_orb_weight * tm_play_pct
    orb_discount = 1.0 - adiv(c["tm_oreb"], tm_sc_poss) * tm_orb_weight * tm_play_pct

    sc_poss = (fg_part + ast_part + ft_part) * orb_discount + orb_part
    fgx_poss = (c["fga"] - c["fgm"]) * (1.0 - 1.07 * tm_orb_pct)
    ftx_poss = (1.0 - ft_pct) ** 2 * 0.4 * c["fta"]
    tot_poss = sc_poss + fgx_poss + ftx_poss + c["tov"]

    pprod_fg = 2.0 * (c["fgm"] + 0.5 * c["fg3m"]) * (1.0 - 0.5 * fg_pts_share * q_ast)
    others_fg = c["tm_fgm"] - c["fgm"]
    pprod_ast = (
        2.0
        * adiv0(others_fg + 0.5 * (c["tm_fg3m"] - c["fg3m"]), others_fg)
        * 0.5
        * others_fg_pts
        * c["ast"]
    )
    pprod_orb = orb_part * adiv(c["tm_pts"], tm_sc_poss)
    pprod = (pprod_fg + pprod_ast + c["ftm"]) * orb_discount + pprod_orb
    return pd.DataFrame(
        {
            "pprod": pprod,
            "tot_poss": tot_poss,
            "sc_poss": sc_poss,
            "ortg": 100.0 * adiv(pprod, tot_poss),
        },
        index=ctx.index,
    )


def defensive_rating(ctx: pd.DataFrame) -> pd.DataFrame:
    """Stops, stop percentage and DRtg of each stint::

        DOR%  = Opp ORB / (Opp ORB + Tm DRB)
        DFG%  = Opp FG / Opp FGA
        FMwt  = (DFG% * (1 - DOR%)) / (DFG% * (1 - DOR%) + (1 - DFG%) * DOR%)
        Stops1 = STL + BLK * FMwt * (1 - 1.07 * DOR%) + DRB * (1 - FMwt)
        Stops2 = (((Opp FGA - Opp FG - Tm BLK) / Tm MP) * FMwt * (1 - 1.07 * DOR%)
                  + ((Opp TOV - Tm STL) / Tm MP)) * MP
                 + (PF / Tm PF) * 0.4 * Opp FTA * (1 - Opp FT / Opp FTA)**2
        Stop% = (Stops1 + Stops2) * Opp MP / (Tm Poss * MP)
        Tm DRtg = 100 * Opp PTS / Tm Poss
        D_Pts_per_ScPoss = Opp PTS / (Opp FG + (1 - (1 - Opp FT / Opp FTA)**2) * Opp FTA * 0.4)
        DRtg = Tm DRtg + 0.2 * (100 * D_Pts_per_ScPoss * (1 - Stop%) - Tm DRtg)

    Returns columns ``stops``, ``stop_pct`` and ``drtg``; also ``def_poss``, the team's
    defensive possessions while the player was on the floor (Tm Poss * MP / (Tm MP / 5)),
    which weights a stint in a combined (TOT) DRtg.
    """
    c = Columns(ctx)
    mp = c["mp"]
    dor = adiv(c["opp_oreb"], c["opp_oreb"] + c["tm_dreb"])
    dfg = adiv(c["opp_fgm"], c["opp_fga"])
    fm_wt = adiv(dfg * (1.0 - dor), dfg * (1.0 - dor) + (1.0 - dfg) * dor)
    stops1 = c["stl"] + c["blk"] * fm_wt * (1.0 - 1.07 * dor) + c["dreb"] * (1.0 - fm_wt)
    opp_ft_miss = (1.0 - adiv0(c["opp_ftm"], c["opp_fta"])) ** 2
    stops2 = (
        adiv(c["opp_fga"] - c["opp_fgm"] - c["tm_blk"], c["tm_minutes"])
        * fm_wt
        * (1.0 - 1.07 * dor)
        + adiv(c["opp_tov"] - c["tm_stl"], c["tm_minutes"])
    ) * mp + adiv0(c["pf"], c["tm_pf"]) * 0.4 * c["opp_fta"] * opp_ft_miss
    stops = stops1 + stops2
    stop_pct = adiv(stops * c["tm_minutes"], c["tm_poss"] * mp)
    tm_drtg = 100.0 * adiv(c["opp_pts"], c["tm_poss"])
    d_pts_per_sc = adiv(c["opp_pts"], c["opp_fgm"] + (1.0 - opp_ft_miss) * c["opp_fta"] * 0.4)
    drtg = tm_drtg + 0.2 * (100.0 * d_pts_per_sc * (1.0 - stop_pct) - tm_drtg)
    return pd.DataFrame(
        {
            "stops": stops,
            "stop_pct": stop_pct,
            "drtg": drtg,
            "def_poss": c["tm_poss"] * adiv(mp, c["tm_minutes"] / 5.0),
        },
        index=ctx.index,
    )
