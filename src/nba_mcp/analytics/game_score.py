"""Game Score (John Hollinger), vectorised over game lines.

Source: Basketball-Reference glossary, "GmSc"
(https://www.basketball-reference.com/about/glossary.html).
"""

from __future__ import annotations

import pandas as pd


def game_score(lines: pd.DataFrame) -> pd.Series[float]:
    """Game Score of each row of ``lines``::

        GmSc = PTS + 0.4 * FG - 0.7 * FGA - 0.4 * (FTA - FT) + 0.7 * ORB + 0.3 * DRB
               + STL + 0.7 * AST + 0.7 * BLK - 0.4 * PF - TOV

    Required columns: ``pts, fgm, fga, fta, ftm, oreb, dreb, stl, ast, blk, pf, tov``.
    The scale is that of points; 10 is an average game, 40 an outstanding one.
    """
    x = lines.astype({c: "float64" for c in _COLUMNS})
    return (
        x["pts"]
        + 0.4 * x["fgm"]
        - 0.7 * x["fga"]
        - 0.4 * (x["fta"] - x["ftm"])
        + 0.7 * x["oreb"]
        + 0.3 * x["dreb"]
        + x["stl"]
        + 0.7 * x["ast"]
        + 0.7 * x["blk"]
        - 0.4 * x["pf"]
        - x["tov"]
    )


_COLUMNS = ("pts", "fgm", "fga", "fta", "ftm", "oreb", "dreb", "stl", "ast", "blk", "pf", "tov")
