"""Box-score rates of players: shooting, per game, per 36 minutes, per 100 possessions,
and the Basketball-Reference rate stats (ORB%, DRB%, TRB%, AST%, STL%, BLK%, TOV%, USG%).

Functions take the frame of :func:`nba_mcp.analytics.context.player_context`. Shooting
percentages are fractions; rate stats are percentage points. Source: Basketball-Reference
glossary (https://www.basketball-reference.com/about/glossary.html).
"""

from __future__ import annotations

import pandas as pd

from nba_mcp.analytics._numeric import div

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
RATE_COUNTING = (*COUNTING, "reb", "fg2m", "fg2a")


def _with_derived(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.loc[:, [c for c in COUNTING]].astype("float64")
    out["reb"] = out["oreb"] + out["dreb"]
    out["fg2m"] = out["fgm"] - out["fg3m"]
    out["fg2a"] = out["fga"] - out["fg3a"]
    return out


def shooting(frame: pd.DataFrame) -> pd.DataFrame:
    """Shooting percentages (fractions) from totals.

    ``fg_pct`` = FG/FGA; ``fg3_pct`` = 3P/3PA; ``fg2_pct`` = 2P/2PA; ``ft_pct`` = FT/FTA;
    ``efg_pct`` = (FG + 0.5 * 3P) / FGA; ``ts_pct`` = PTS / (2 * (FGA + 0.44 * FTA));
    ``fg3a_rate`` (3PAr) = 3PA / FGA; ``fta_rate`` (FTr) = FTA / FGA.
    """
    t = _with_derived(frame)
    return pd.DataFrame(
        {
            "fg_pct": div(t["fgm"], t["fga"]),
            "fg3_pct": div(t["fg3m"], t["fg3a"]),
            "fg2_pct": div(t["fg2m"], t["fg2a"]),
            "ft_pct": div(t["ftm"], t["fta"]),
            "efg_pct": div(t["fgm"] + 0.5 * t["fg3m"], t["fga"]),
            "ts_pct": div(t["pts"], 2.0 * (t["fga"] + 0.44 * t["fta"])),
            "fg3a_rate": div(t["fg3a"], t["fga"]),
            "fta_rate": div(t["fta"], t["fga"]),
        },
        index=frame.index,
    )


def per_game(frame: pd.DataFrame) -> pd.DataFrame:
    """``<stat>_per_g`` = total / G for the counting stats, rebounds and ``mp``."""
    t = _with_derived(frame)
    t["mp"] = frame["seconds"].astype("float64") / 60.0
    games = frame["g"].astype("float64")
    return pd.DataFrame(
        {f"{c}_per_g": div(t[c], games) for c in ("mp", *RATE_COUNTING)}, index=frame.index
    )


def per_36(frame: pd.DataFrame) -> pd.DataFrame:
    """``<stat>_per_36`` = 36 * total / MP."""
    t = _with_derived(frame)
    mp = frame["seconds"].astype("float64") / 60.0
    return pd.DataFrame(
        {f"{c}_per_36": 36.0 * div(t[c], mp) for c in RATE_COUNTING}, index=frame.index
    )


def on_court_possessions(ctx: pd.DataFrame) -> pd.Series[float]:
    """Team possessions while the player was on the floor: Tm Poss * MP / (Tm MP / 5)."""
    return ctx["tm_poss"] * div(ctx["mp"], ctx["tm_minutes"] / 5.0)


def per_100(ctx: pd.DataFrame, poss: pd.Series[float] | None = None) -> pd.DataFrame:
    """``<stat>_per_100`` = 100 * total / on-court possessions (Basketball-Reference's
    "Per 100 Poss" table)."""
    t = _with_derived(ctx)
    if poss is None:
        poss = on_court_possessions(ctx)
    return pd.DataFrame(
        {f"{c}_per_100": 100.0 * div(t[c], poss) for c in RATE_COUNTING}, index=ctx.index
    )


def rate_denominators(ctx: pd.DataFrame) -> pd.DataFrame:
    """The opportunity each rate stat divides by, as an amount over the player's minutes.

    Each rate stat is ``100 * numerator / denominator``; denominators of several stints add
    up, which is how the TOT row of a traded player combines them. Columns ``orb``, ``drb``,
    ``trb``, ``ast``, ``stl``, ``blk``, ``usg``; ``tov`` is player-only and not here.
    """
    share = div(ctx["mp"], ctx["tm_minutes"] / 5.0)  # fraction of team minutes on court
    return pd.DataFrame(
        {
            "orb": share * (ctx["tm_oreb"] + ctx["opp_dreb"]),
            "drb": share * (ctx["tm_dreb"] + ctx["opp_oreb"]),
            "trb": share * (ctx["tm_oreb"] + ctx["tm_dreb"] + ctx["opp_oreb"] + ctx["opp_dreb"]),
            "ast": share * ctx["tm_fgm"] - ctx["fgm"],
            "stl": share * ctx["tm_poss"],
            "blk": share * (ctx["opp_fga"] - ctx["opp_fg3a"]),
            "usg": share * (ctx["tm_fga"] + 0.44 * ctx["tm_fta"] + ctx["tm_tov"]),
        },
        index=ctx.index,
    )


def rate_numerators(frame: pd.DataFrame) -> pd.DataFrame:
    """Numerators of the rate stats (see :func:`rate_denominators`), plus ``tov`` plays."""
    return pd.DataFrame(
        {
            "orb": frame["oreb"],
            "drb": frame["dreb"],
            "trb": frame["oreb"] + frame["dreb"],
            "ast": frame["ast"],
            "stl": frame["stl"],
            "blk": frame["blk"],
            "usg": frame["fga"] + 0.44 * frame["fta"] + frame["tov"],
        },
        index=frame.index,
    ).astype("float64")


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
    out = pd.DataFrame(
        {f"{k}_pct": 100.0 * div(numerators[k], denominators[k]) for k in denominators.columns},
        index=frame.index,
    )
    tov = frame["tov"].astype("float64")
    out["tov_pct"] = 100.0 * div(tov, frame["fga"] + 0.44 * frame["fta"] + tov)
    return out[
        ["orb_pct", "drb_pct", "trb_pct", "ast_pct", "stl_pct", "blk_pct", "tov_pct", "usg_pct"]
    ]


def rate_stats(ctx: pd.DataFrame) -> pd.DataFrame:
    """ORB%, DRB%, TRB%, AST%, STL%, BLK%, TOV%, USG% of each stint (percentage points)."""
    return rates_from_parts(rate_numerators(ctx), rate_denominators(ctx), ctx)
