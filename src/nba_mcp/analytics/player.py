"""Box-score rates of players: shooting, per game, per 36 minutes, per 100 possessions,
and the Basketball-Reference rate stats (ORB%, DRB%, TRB%, AST%, STL%, BLK%, TOV%, USG%).

Functions take the frame of :func:`nba_mcp.analytics.context.player_context`. Shooting
percentages are fractions; rate stats are percentage points. Source: Basketball-Reference
glossary (https://www.basketball-reference.com/about/glossary.html).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_mcp.analytics._numeric import Columns, FloatArray, adiv
from nba_mcp.boxscore import BOX_STATS


def _counts(frame: pd.DataFrame) -> dict[str, FloatArray]:
    """Counting stats (plus reb, fg2m, fg2a) as float arrays."""
    c = Columns(frame)
    out = {name: c[name] for name in BOX_STATS}
    out["reb"] = out["oreb"] + out["dreb"]
    out["fg2m"] = out["fgm"] - out["fg3m"]
    out["fg2a"] = out["fga"] - out["fg3a"]
    return out


def _scaled(
    counts: dict[str, FloatArray], scale: FloatArray, suffix: str, index: pd.Index
) -> pd.DataFrame:
    """``<stat><suffix>`` = count * scale for every stat, as one frame."""
    names = list(counts)
    matrix = np.column_stack([counts[n] for n in names]) * scale[:, None]
    return pd.DataFrame(matrix, columns=[f"{n}{suffix}" for n in names], index=index)


def shooting(frame: pd.DataFrame) -> pd.DataFrame:
    """Shooting percentages (fractions) from totals.

    ``fg_pct`` = FG/FGA; ``fg3_pct`` = 3P/3PA; ``fg2_pct`` = 2P/2PA; ``ft_pct`` = FT/FTA;
    ``efg_pct`` = (FG + 0.5 * 3P) / FGA; ``ts_pct`` = PTS / (2 * (FGA + 0.44 * FTA));
    ``fg3a_rate`` (3PAr) = 3PA / FGA; ``fta_rate`` (FTr) = FTA / FGA.
    """
    t = _counts(frame)
    return pd.DataFrame(
        {
            "fg_pct": adiv(t["fgm"], t["fga"]),
            "fg3_pct": adiv(t["fg3m"], t["fg3a"]),
            "fg2_pct": adiv(t["fg2m"], t["fg2a"]),
            "ft_pct": adiv(t["ftm"], t["fta"]),
            "efg_pct": adiv(t["fgm"] + 0.5 * t["fg3m"], t["fga"]),
            "ts_pct": adiv(t["pts"], 2.0 * (t["fga"] + 0.44 * t["fta"])),
            "fg3a_rate": adiv(t["fg3a"], t["fga"]),
            "fta_rate": adiv(t["fta"], t["fga"]),
        },
        index=frame.index,
    )


def per_game(frame: pd.DataFrame) -> pd.DataFrame:
    """``<stat>_per_g`` = total / G for ``mp``, the counting stats, ``reb``, ``fg2m``, ``fg2a``."""
    counts = {"mp": frame["seconds"].to_numpy(dtype=np.float64) / 60.0, **_counts(frame)}
    return _scaled(counts, adiv(1.0, frame["g"].to_numpy(dtype=np.float64)), "_per_g", frame.index)


def per_36(frame: pd.DataFrame) -> pd.DataFrame:
    """``<stat>_per_36`` = 36 * total / MP."""
    mp = frame["seconds"].to_numpy(dtype=np.float64) / 60.0
    return _scaled(_counts(frame), adiv(36.0, mp), "_per_36", frame.index)


def on_court_possessions(ctx: pd.DataFrame) -> pd.Series[float]:
    """Team possessions while the player was on the floor: Tm Poss * MP / (Tm MP / 5)."""
    c = Columns(ctx)
    return pd.Series(c["tm_poss"] * adiv(c["mp"], c["tm_minutes"] / 5.0), index=ctx.index)


def per_100(ctx: pd.DataFrame, poss: pd.Series[float] | None = None) -> pd.DataFrame:
    """``<stat>_per_100`` = 100 * total / on-court possessions (Basketball-Reference's
    "Per 100 Poss" table)."""
    if poss is None:
        poss = on_court_possessions(ctx)
    scale = adiv(100.0, poss.to_numpy(dtype=np.float64))
    return _scaled(_counts(ctx), scale, "_per_100", ctx.index)


def rate_denominators(ctx: pd.DataFrame) -> pd.DataFrame:
    """The opportunity each rate stat divides by, as an amount over the player's minutes.

    Each rate stat is ``100 * numerator / denominator``; denominators of several stints add
    up, which is how the TOT row of a traded player combines them. Columns ``orb``, ``drb``,
    ``trb``, ``ast``, ``stl``, ``blk``, ``usg``; ``tov`` is player-only and not here.
    """
    c = Columns(ctx)
    share = adiv(c["mp"], c["tm_minutes"] / 5.0)  # fraction of team minutes on court
    return pd.DataFrame(
        {
            "orb": share * (c["tm_oreb"] + c["opp_dreb"]),
            "drb": share * (c["tm_dreb"] + c["opp_oreb"]),
            "trb": share * (c["tm_oreb"] + c["tm_dreb"] + c["opp_oreb"] + c["opp_dreb"]),
            "ast": share * c["tm_fgm"] - c["fgm"],
            "stl": share * c["tm_poss"],
            "blk": share * (c["opp_fga"] - c["opp_fg3a"]),
            "usg": share * (c["tm_fga"] + 0.44 * c["tm_fta"] + c["tm_tov"]),
        },
        index=ctx.index,
    )


def rate_numerators(frame: pd.DataFrame) -> pd.DataFrame:
    """Numerators of the rate stats (see :func:`rate_denominators`)."""
    c = Columns(frame)
    return pd.DataFrame(
        {
            "orb": c["oreb"],
            "drb": c["dreb"],
            "trb": c["oreb"] + c["dreb"],
            "ast": c["ast"],
            "stl": c["stl"],
            "blk": c["blk"],
            "usg": c["fga"] + 0.44 * c["fta"] + c["tov"],
        },
        index=frame.index,
    )


def rates_from_parts(
    numerators: pd.DataFrame, denominators: pd.DataFrame, frame: pd.DataFrame
) -> pd.DataFrame:
    """Rate stats in percentage points from numerators and denominators.

    - ``orb_pct`` = 100 * ORB * (Tm MP / 5) / (MP * (Tm ORB + Opp DRB))
    - ``drb_pct`` = 100 * DRB * (Tm MP / 5) / (MP * (Tm DRB + Opp ORB))
    - ``trb_pct`` = 100 * TRB * (Tm MP / 5) / (MP * (Tm TRB + Opp TRB))
    - ``ast_pct`` = 100 * AST / (((MP / (Tm MP / 5)) * Tm FG) - FG)
    - ``stl_pct`` = 100 * STL * (Tm MP / 5) / (MP * Opp Poss)
    - ``blk_pct`` = 100 * BLK * (Tm MP / 5) / (MP * (Opp FGA - Opp 3PA))
    - ``tov_pct`` = 100 * TOV / (FGA + 0.44 * FTA + TOV)
    - ``usg_pct`` = 100 * (FGA + 0.44 * FTA + TOV) * (Tm MP / 5) /
      (MP * (Tm FGA + 0.44 * Tm FTA + Tm TOV))
    """
    n = Columns(numerators)
    d = Columns(denominators)
    c = Columns(frame)
    out = {f"{k}_pct": 100.0 * adiv(n[k], d[k]) for k in ("orb", "drb", "trb", "ast", "stl", "blk")}
    out["tov_pct"] = 100.0 * adiv(c["tov"], c["fga"] + 0.44 * c["fta"] + c["tov"])
    out["usg_pct"] = 100.0 * adiv(n["usg"], d["usg"])
    return pd.DataFrame(out, index=frame.index)


def rate_stats(ctx: pd.DataFrame) -> pd.DataFrame:
    """ORB%, DRB%, TRB%, AST%, STL%, BLK%, TOV%, USG% of each stint (percentage points)."""
    return rates_from_parts(rate_numerators(ctx), rate_denominators(ctx), ctx)
