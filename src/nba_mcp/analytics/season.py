"""Season tables: every team metric and every player metric of one season and type.

This module wires the formula modules together. It is the entry point of the query layer::

    metrics = season_metrics(players=players, teams=teams, team_games=team_games)
    metrics.league   # LeagueContext
    metrics.teams    # one row per team
    metrics.players  # one row per stint, plus a TOT row per traded player

Input contract (one season, one season type): see :mod:`nba_mcp.analytics` (package
docstring). Regular season and playoffs are computed separately.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from nba_mcp.analytics._numeric import div
from nba_mcp.analytics.bpm import box_plus_minus
from nba_mcp.analytics.context import player_context
from nba_mcp.analytics.league import LeagueContext, league_context
from nba_mcp.analytics.per import player_efficiency_rating
from nba_mcp.analytics.player import (
    on_court_possessions,
    per_36,
    per_100,
    per_game,
    rate_denominators,
    rate_numerators,
    rates_from_parts,
    shooting,
)
from nba_mcp.analytics.ratings import defensive_rating, offensive_rating
from nba_mcp.analytics.srs import simple_rating_system
from nba_mcp.analytics.team import four_factors, team_ratings
from nba_mcp.analytics.win_shares import win_shares
from nba_mcp.boxscore import BOX_STATS

TOT_TEAM_ID = None
"""``team_id`` of a TOT row (all of a traded player's teams combined): missing (``<NA>``).
Such rows also have ``is_total`` = True."""

_RATE_KEYS = ("orb", "drb", "trb", "ast", "stl", "blk", "usg")


@dataclass(frozen=True, slots=True)
class SeasonMetrics:
    """League context, team table and player table of one season and season type."""

    league: LeagueContext
    teams: pd.DataFrame
    players: pd.DataFrame


def team_metrics_table(
    teams: pd.DataFrame, team_games: pd.DataFrame, league: LeagueContext | None = None
) -> pd.DataFrame:
    """One row per team: record, ratings, SRS, shooting and four factors.

    Columns: ``team_id, g, wins, losses, win_pct, pts_per_g, opp_pts_per_g, mov, poss,
    pace, ortg, drtg, net_rtg, srs, sos, ts_pct, opp_ts_pct, pyth_wins, pyth_losses,
    efg_pct, tov_pct, orb_pct, ft_per_fga, opp_efg_pct, opp_tov_pct, drb_pct,
    opp_ft_per_fga, ortg_rel_adj, drtg_rel_adj`` (the last two: offensive and defensive
    rating relative to the league, positive = better, adjusted for strength of schedule
    by splitting SOS * 100 / Pace evenly between offense and defense; BPM uses them).
    """
    if league is None:
        league = league_context(teams)
    base = teams.reset_index(drop=True)
    ratings = team_ratings(base)
    factors = four_factors(base)
    srs = simple_rating_system(team_games)
    out = pd.DataFrame(
        {
            "team_id": base["team_id"],
            "g": base["g"],
            "wins": base["wins"],
            "losses": base["losses"],
            "win_pct": div(base["wins"].astype("float64"), base["g"].astype("float64")),
            "pts_per_g": div(base["pts"].astype("float64"), base["g"].astype("float64")),
            "opp_pts_per_g": div(base["opp_pts"].astype("float64"), base["g"].astype("float64")),
        }
    )
    out = pd.concat([out, ratings], axis=1)
    out["srs"] = base["team_id"].map(srs["srs"]).astype("float64")
    out["sos"] = base["team_id"].map(srs["sos"]).astype("float64")
    out = pd.concat([out, factors], axis=1)
    sos_per_100 = (out["sos"] * div(100.0, out["pace"])).fillna(0.0)
    out["ortg_rel_adj"] = out["ortg"] - league.ortg + sos_per_100 / 2.0
    out["drtg_rel_adj"] = league.ortg - out["drtg"] + sos_per_100 / 2.0
    order = [
        "team_id", "g", "wins", "losses", "win_pct", "pts_per_g", "opp_pts_per_g", "mov",
        "poss", "pace", "ortg", "drtg", "net_rtg", "srs", "sos", "ts_pct", "opp_ts_pct",
        "pyth_wins", "pyth_losses", "efg_pct", "tov_pct", "orb_pct", "ft_per_fga",
        "opp_efg_pct", "opp_tov_pct", "drb_pct", "opp_ft_per_fga", "ortg_rel_adj",
        "drtg_rel_adj",
    ]  # fmt: skip
    return out[order]


def _stint_metrics(
    players: pd.DataFrame, teams: pd.DataFrame, team_stats: pd.DataFrame, league: LeagueContext
) -> pd.DataFrame:
    ctx = player_context(players, teams)
    off = offensive_rating(ctx)
    dfn = defensive_rating(ctx)
    per = player_efficiency_rating(ctx, league)
    ws = win_shares(ctx, league, pprod=off["pprod"], tot_poss=off["tot_poss"], drtg=dfn["drtg"])
    by_team = team_stats.set_index("team_id")
    bpm = box_plus_minus(
        ctx,
        team_adjusted_ortg=by_team["ortg_rel_adj"],
        team_adjusted_drtg=by_team["drtg_rel_adj"],
    )
    nums = rate_numerators(ctx).add_prefix("num_")
    dens = rate_denominators(ctx).add_prefix("den_")
    return pd.concat(
        [
            ctx[["player_id", "team_id", "g", "seconds", "mp", *BOX_STATS]],
            nums,
            dens,
            pd.DataFrame({"poss": on_court_possessions(ctx)}),
            off[["pprod", "tot_poss", "ortg"]],
            dfn[["def_poss", "drtg"]],
            per[["per"]],
            ws[["ows", "dws", "ws"]],
            bpm[["obpm", "dbpm", "bpm", "vorp"]],
        ],
        axis=1,
    )


def _combine_traded(stints: pd.DataFrame) -> pd.DataFrame:
    """TOT rows: sums of counts and of rate parts, minutes-weighted PER and BPM.

    Counting stats, rate numerators and denominators, points produced, possessions, Win
    Shares and VORP add up across stints; ORtg = 100 * sum(PProd) / sum(TotPoss); DRtg
    is weighted by defensive possessions on the floor; PER, OBPM, DBPM and BPM are
    weighted by minutes.
    """
    teams_per_player = stints.groupby("player_id")["team_id"].transform("nunique")
    traded = stints[teams_per_player > 1].copy()
    if traded.empty:
        return traded.iloc[0:0]
    for col in ("drtg",):
        traded[f"w_{col}"] = (traded[col] * traded["def_poss"]).where(traded["def_poss"] > 0, 0.0)
    for col in ("per", "obpm", "dbpm", "bpm"):
        traded[f"w_{col}"] = (traded[col] * traded["mp"]).where(traded["mp"] > 0, 0.0)
    summed = [
        "g", "seconds", "mp", *BOX_STATS,
        *(f"num_{k}" for k in _RATE_KEYS), *(f"den_{k}" for k in _RATE_KEYS),
        "poss", "pprod", "tot_poss", "def_poss", "ows", "dws", "ws", "vorp",
        "w_drtg", "w_per", "w_obpm", "w_dbpm", "w_bpm",
    ]  # fmt: skip
    tot = traded.groupby("player_id", sort=False)[summed].sum().reset_index()
    tot["ortg"] = 100.0 * div(tot["pprod"], tot["tot_poss"])
    tot["drtg"] = div(tot["w_drtg"], tot["def_poss"])
    for col in ("per", "obpm", "dbpm", "bpm"):
        tot[col] = div(tot[f"w_{col}"], tot["mp"])
    tot["team_id"] = pd.NA
    return tot.drop(columns=[c for c in tot.columns if c.startswith("w_")])


def player_metrics_table(
    *,
    players: pd.DataFrame,
    teams: pd.DataFrame,
    team_stats: pd.DataFrame,
    league: LeagueContext,
) -> pd.DataFrame:
    """Every player metric, one row per stint plus a TOT row per traded player.

    ``players`` must hold the whole league of the season/type (PER is normalised over it
    and BPM's team adjustment sums over each team). ``team_stats`` is the output of
    :func:`team_metrics_table`. Columns:

    - keys: ``player_id``, ``team_id`` (``<NA>`` on TOT rows), ``is_total``;
    - totals: ``g, seconds, mp, fgm, fga, fg3m, fg3a, fg2m, fg2a, ftm, fta, oreb, dreb,
      reb, ast, stl, blk, tov, pf, pts``;
    - ``<stat>_per_g`` (incl. ``mp_per_g``), ``<stat>_per_36``, ``<stat>_per_100`` and
      ``poss`` (team possessions while on the floor);
    - shooting fractions: ``fg_pct, fg3_pct, fg2_pct, ft_pct, efg_pct, ts_pct,
      fg3a_rate, fta_rate``;
    - rates in percentage points: ``orb_pct, drb_pct, trb_pct, ast_pct, stl_pct,
      blk_pct, tov_pct, usg_pct``;
    - ``ortg, drtg, per, ows, dws, ws, ws_per_48, obpm, dbpm, bpm, vorp``.
    """
    stints = _stint_metrics(players, teams, team_stats, league)
    tot = _combine_traded(stints)
    stints = stints.assign(is_total=False)
    frames = [stints]
    if not tot.empty:
        frames.append(tot.assign(is_total=True))
    allrows = pd.concat(frames, ignore_index=True)
    allrows["team_id"] = allrows["team_id"].astype("Int64")

    counts = allrows[["g", "seconds", *BOX_STATS]]
    nums = allrows[[f"num_{k}" for k in _RATE_KEYS]].rename(columns=lambda c: c[4:])
    dens = allrows[[f"den_{k}" for k in _RATE_KEYS]].rename(columns=lambda c: c[4:])
    out = pd.concat(
        [
            allrows[["player_id", "team_id", "is_total", "g", "seconds", "mp", *BOX_STATS]],
            pd.DataFrame(
                {
                    "reb": allrows["oreb"] + allrows["dreb"],
                    "fg2m": allrows["fgm"] - allrows["fg3m"],
                    "fg2a": allrows["fga"] - allrows["fg3a"],
                }
            ),
            per_game(counts),
            per_36(counts),
            per_100(counts, allrows["poss"]),
            allrows[["poss"]],
            shooting(counts),
            rates_from_parts(nums, dens, allrows),
            allrows[["ortg", "drtg", "per", "ows", "dws", "ws"]],
            pd.DataFrame({"ws_per_48": 48.0 * div(allrows["ws"], allrows["mp"])}),
            allrows[["obpm", "dbpm", "bpm", "vorp"]],
        ],
        axis=1,
    )
    out["_order"] = np.where(out["is_total"], 0, 1)
    out = out.sort_values(["player_id", "_order"], kind="stable").drop(columns="_order")
    return out.reset_index(drop=True)


def season_metrics(
    *, players: pd.DataFrame, teams: pd.DataFrame, team_games: pd.DataFrame
) -> SeasonMetrics:
    """League context, team table and player table from the three input frames."""
    league = league_context(teams)
    team_stats = team_metrics_table(teams, team_games, league)
    player_stats = player_metrics_table(
        players=players, teams=teams, team_stats=team_stats, league=league
    )
    return SeasonMetrics(league=league, teams=team_stats, players=player_stats)
