"""Team season metrics: possessions, pace, ratings, four factors, Pythagorean record.

Input is the ``teams`` frame of one season and type: one row per ``team_id`` with ``g``,
``wins``, ``losses``, ``minutes`` (240 per game + 25 per overtime), the 14 counting totals
(``fgm, fga, fg3m, fg3a, ftm, fta, oreb, dreb, ast, stl, blk, tov, pf, pts``) and the
opponents' totals prefixed ``opp_``. Formulas: Basketball-Reference glossary
(https://www.basketball-reference.com/about/glossary.html) and Dean Oliver's four factors
(https://www.basketball-reference.com/about/factors.html).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_mcp.analytics._numeric import Columns, FloatArray, adiv, adiv0, div

PYTHAGOREAN_EXPONENT = 14.0
"""Basketball-Reference's exponent for the Pythagorean W-L (glossary: "Pythagorean Wins")."""


def _one_sided_possessions(
    fga: FloatArray,
    fta: FloatArray,
    fgm: FloatArray,
    oreb: FloatArray,
    opp_dreb: FloatArray,
    tov: FloatArray,
) -> FloatArray:
    orb_share = adiv0(oreb, oreb + opp_dreb)
    result: FloatArray = fga + 0.4 * fta - 1.07 * orb_share * (fga - fgm) + tov
    return result


def team_possessions(teams: pd.DataFrame) -> pd.Series[float]:
    """Basketball-Reference's two-sided possession estimate, per row of ``teams``.

    Poss = 0.5 * ((Tm FGA + 0.4 * Tm FTA - 1.07 * (Tm ORB / (Tm ORB + Opp DRB))
    * (Tm FGA - Tm FG) + Tm TOV) + (Opp FGA + 0.4 * Opp FTA - 1.07 * (Opp ORB /
    (Opp ORB + Tm DRB)) * (Opp FGA - Opp FG) + Opp TOV)).

    The estimate is symmetric, so a team's possessions equal its opponents' possessions.
    Source: Basketball-Reference glossary, "Poss".
    """
    t = Columns(teams)
    own = _one_sided_possessions(t["fga"], t["fta"], t["fgm"], t["oreb"], t["opp_dreb"], t["tov"])
    opp = _one_sided_possessions(
        t["opp_fga"], t["opp_fta"], t["opp_fgm"], t["opp_oreb"], t["dreb"], t["opp_tov"]
    )
    return pd.Series(0.5 * (own + opp), index=teams.index, dtype=np.float64)


def team_pace(teams: pd.DataFrame, poss: pd.Series[float] | None = None) -> pd.Series[float]:
    """Possessions per 48 minutes: 48 * ((Tm Poss + Opp Poss) / (2 * (Tm MP / 5))).

    Source: Basketball-Reference glossary, "Pace".
    """
    if poss is None:
        poss = team_possessions(teams)
    return div(48.0 * poss, teams["minutes"] / 5.0)


def four_factors(teams: pd.DataFrame) -> pd.DataFrame:
    """Dean Oliver's four factors for offense and defense, one row per team.

    Offense: ``efg_pct`` = (FG + 0.5 * 3P) / FGA; ``tov_pct`` = 100 * TOV /
    (FGA + 0.44 * FTA + TOV); ``orb_pct`` = 100 * ORB / (ORB + Opp DRB); ``ft_per_fga`` =
    FT / FGA. Defense: the same for the opponents (``opp_efg_pct``, ``opp_tov_pct``,
    ``opp_ft_per_fga``) and ``drb_pct`` = 100 * DRB / (Opp ORB + DRB).
    Source: https://www.basketball-reference.com/about/factors.html
    """
    t = Columns(teams)
    return pd.DataFrame(
        {
            "efg_pct": adiv(t["fgm"] + 0.5 * t["fg3m"], t["fga"]),
            "tov_pct": 100.0 * adiv(t["tov"], t["fga"] + 0.44 * t["fta"] + t["tov"]),
            "orb_pct": 100.0 * adiv(t["oreb"], t["oreb"] + t["opp_dreb"]),
            "ft_per_fga": adiv(t["ftm"], t["fga"]),
            "opp_efg_pct": adiv(t["opp_fgm"] + 0.5 * t["opp_fg3m"], t["opp_fga"]),
            "opp_tov_pct": 100.0
            * adiv(t["opp_tov"], t["opp_fga"] + 0.44 * t["opp_fta"] + t["opp_tov"]),
            "drb_pct": 100.0 * adiv(t["dreb"], t["opp_oreb"] + t["dreb"]),
            "opp_ft_per_fga": adiv(t["opp_ftm"], t["opp_fga"]),
        },
        index=teams.index,
    )


def pythagorean_wins(
    pts: pd.Series[float], opp_pts: pd.Series[float], games: pd.Series[float]
) -> pd.Series[float]:
    """Expected wins: G * PTS**14 / (PTS**14 + Opp PTS**14), rounded to whole games.

    Source: Basketball-Reference glossary, "Pythagorean Wins" (exponent 14).
    """
    ratio = div(opp_pts, pts)  # PTS^14 / (PTS^14 + OPP^14) == 1 / (1 + (OPP/PTS)^14)
    share = 1.0 / (1.0 + ratio**PYTHAGOREAN_EXPONENT)
    return pd.Series(np.round(games * share), index=pts.index, dtype=np.float64)


def team_ratings(teams: pd.DataFrame) -> pd.DataFrame:
    """Possessions, pace and efficiency ratings, one row per team (same index as ``teams``).

    - ``poss``: :func:`team_possessions`; ``pace``: :func:`team_pace`.
    - ``ortg`` = 100 * PTS / Poss; ``drtg`` = 100 * Opp PTS / Poss; ``net_rtg`` = ortg - drtg.
    - ``mov`` = (PTS - Opp PTS) / G (margin of victory).
    - ``ts_pct`` = PTS / (2 * (FGA + 0.44 * FTA)); ``opp_ts_pct`` likewise for opponents.
    - ``pyth_wins``/``pyth_losses``: :func:`pythagorean_wins`.
    """
    t = Columns(teams)
    poss = np.asarray(team_possessions(teams), dtype=np.float64)
    ortg = 100.0 * adiv(t["pts"], poss)
    drtg = 100.0 * adiv(t["opp_pts"], poss)
    pyth = np.round(t["g"] / (1.0 + adiv(t["opp_pts"], t["pts"]) ** PYTHAGOREAN_EXPONENT))
    return pd.DataFrame(
        {
            "poss": poss,
            "pace": adiv(48.0 * poss, t["minutes"] / 5.0),
            "ortg": ortg,
            "drtg": drtg,
            "net_rtg": ortg - drtg,
            "mov": adiv(t["pts"] - t["opp_pts"], t["g"]),
            "ts_pct": adiv(t["pts"], 2.0 * (t["fga"] + 0.44 * t["fta"])),
            "opp_ts_pct": adiv(t["opp_pts"], 2.0 * (t["opp_fga"] + 0.44 * t["opp_fta"])),
            "pyth_wins": pyth,
            "pyth_losses": t["g"] - pyth,
        },
        index=teams.index,
    )
