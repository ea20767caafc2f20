"""Box Plus/Minus 2.0 (Daniel Myers) with team adjustment, and VORP.

Source: "About Box Plus/Minus (BPM)", BPM 2.0 (https://www.basketball-reference.com/about/bpm2.html)
and its companion spreadsheet; coefficients cross-checked against the open-source
implementation in zengm (https://github.com/zengm-games/zengm/pull/297).

Steps, per stint (a player's games for one team):

1. Per-100-possession rates with possessions = MP * Tm Pace / 48; points are replaced by
   *adjusted points* = (PTS/TSA - Tm PTS/TSA + 1) * TSA, TSA = FGA + 0.44 * FTA.
2. Estimated position (1 = PG ... 5 = C) from the player's share of team TRB, STL, PF,
   AST, BLK per unit of playing time, and estimated offensive role (1 = creator ... 5 =
   receiver) from his share of team assists and "threshold points"; both shrunk toward
   a prior with 50 minutes of weight, clipped to [1, 5] and re-centred so that each
   team's minutes-weighted average is 3.
3. Raw BPM = sum of coefficient * rate, each coefficient interpolated between its
   position-1 and position-5 value (FGA and FTA by offensive role, the rest by
   position), plus a position constant and 1.387 * (role - 3). Raw OBPM likewise with
   the offensive coefficients.
4. Team adjustment: a constant per team so that the minutes-weighted sum of BPM over the
   team equals its adjusted net rating (+ a lead bonus); OBPM likewise with the adjusted
   offensive rating. DBPM = BPM - OBPM.
5. VORP = (BPM + 2) * (MP / (Tm MP / 5)) * (Tm G / 82).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from nba_mcp.analytics._numeric import Columns, FloatArray, adiv, adiv0

REPLACEMENT_LEVEL = -2.0
"""BPM of a replacement-level player (VORP baseline)."""
SEASON_GAMES = 82.0
PRIOR_MINUTES = 50.0
"""Minutes of weight of the prior in the position and role estimates."""
POSITION_PRIOR = 3.0
"""Prior position: the data carry no listed positions, so every player starts at 3 (SF)."""
ROLE_PRIOR = 4.0
LEAD_BONUS = 0.35


@dataclass(frozen=True, slots=True)
class _Coefficients:
    """Coefficients at position (or role) 1 and at 5, in rate order."""

    at_1: tuple[float, ...]
    at_5: tuple[float, ...]
    position_1_constant: float
    role_slope: float


# Rate order: adj_pts, fga, fta, fg3m, ast, tov, oreb, dreb, trb, stl, blk, pf.
RATES = ("adj_pts", "fga", "fta", "fg3m", "ast", "tov", "oreb", "dreb", "trb", "stl", "blk", "pf")
_BY_ROLE = frozenset({"fga", "fta"})

BPM_COEFFICIENTS = _Coefficients(
    at_1=(0.860, -0.560, -0.246, 0.389, 0.580, -0.964, 0.613, 0.116, 0.0, 1.369, 1.327, -0.367),
    at_5=(0.860, -0.780, -0.343, 0.389, 1.034, -0.964, 0.181, 0.181, 0.0, 1.008, 0.703, -0.367),
    position_1_constant=-0.818,
    role_slope=1.387,
)
OBPM_COEFFICIENTS = _Coefficients(
    at_1=(0.605, -0.330, -0.145, 0.477, 0.476, -0.579, 0.606, -0.112, 0.0, 0.177, 0.725, -0.439),
    at_5=(0.605, -0.472, -0.208, 0.477, 0.476, -0.882, 0.422, 0.103, 0.0, 0.294, 0.097, -0.439),
    position_1_constant=-1.698,
    role_slope=0.430,
)

POSITION_WEIGHTS = {"trb": 8.668, "stl": -2.486, "pf": 0.992, "ast": -3.536, "blk": 1.667}
POSITION_INTERCEPT = 2.130
ROLE_INTERCEPT = 6.0
ROLE_WEIGHTS = {"ast": -6.642, "thresh": -8.544}
THRESHOLD_OFFSET = -0.33


def _team_sum(values: FloatArray, codes: npt.NDArray[np.intp], n_teams: int) -> FloatArray:
    """Per-row total of ``values`` over the row's team."""
    totals = np.bincount(codes, weights=np.nan_to_num(values), minlength=n_teams)
    result: FloatArray = totals.astype(np.float64)[codes]
    return result


def _recentre(
    estimate: FloatArray,
    minutes: FloatArray,
    codes: npt.NDArray[np.intp],
    n_teams: int,
    steps: int = 3,
) -> FloatArray:
    """Clip to [1, 5] and shift so each team's minutes-weighted mean is 3 (a few passes)."""
    shift = np.zeros_like(estimate)
    weight = _team_sum(minutes, codes, n_teams)
    for _ in range(steps):
        clipped = np.clip(estimate - shift, 1.0, 5.0)
        mean = adiv(_team_sum(clipped * minutes, codes, n_teams), weight)
        shift = shift + np.nan_to_num(mean - 3.0)
    return np.clip(estimate - shift, 1.0, 5.0)


def position_and_role(ctx: pd.DataFrame) -> pd.DataFrame:
    """Estimated position and offensive role of each stint (columns ``position``, ``role``).

    Position = 2.130 + 8.668 %TRB - 2.486 %STL + 0.992 %PF - 3.536 %AST + 1.667 %BLK, where
    %X is the player's share of the team's X divided by his share of team minutes.
    Role = 6.0 - 6.642 %AST - 8.544 %ThreshPts, ThreshPts = TSA * (PTS/TSA - (Tm PTS/TSA
    - 0.33)). Each is blended with a prior (position 3, role 4) worth 50 minutes, clipped
    to [1, 5] and re-centred to a team average of 3.
    """
    position, role = _position_and_role(Columns(ctx), *_team_codes(ctx))
    return pd.DataFrame({"position": position, "role": role}, index=ctx.index)


def _team_codes(ctx: pd.DataFrame) -> tuple[npt.NDArray[np.intp], int]:
    codes, uniques = pd.factorize(ctx["team_id"])
    return codes.astype(np.intp), len(uniques)


def _position_and_role(
    c: Columns, codes: npt.NDArray[np.intp], n_teams: int
) -> tuple[FloatArray, FloatArray]:
    mp = c["mp"]
    floor_share = adiv(mp, c["tm_minutes"] / 5.0)

    def share(values: FloatArray, total: FloatArray) -> FloatArray:
        return adiv0(adiv0(values, total), floor_share)

    trb = c["oreb"] + c["dreb"]
    tm_trb = c["tm_oreb"] + c["tm_dreb"]
    position_raw = (
        POSITION_INTERCEPT
        + POSITION_WEIGHTS["trb"] * share(trb, tm_trb)
        + POSITION_WEIGHTS["stl"] * share(c["stl"], c["tm_stl"])
        + POSITION_WEIGHTS["pf"] * share(c["pf"], c["tm_pf"])
        + POSITION_WEIGHTS["ast"] * share(c["ast"], c["tm_ast"])
        + POSITION_WEIGHTS["blk"] * share(c["blk"], c["tm_blk"])
    )
    position = (position_raw * mp + POSITION_PRIOR * PRIOR_MINUTES) / (mp + PRIOR_MINUTES)

    tsa = c["fga"] + 0.44 * c["fta"]
    tm_pts_tsa = adiv(c["tm_pts"], c["tm_fga"] + 0.44 * c["tm_fta"])
    thresh = c["pts"] - tsa * (tm_pts_tsa + THRESHOLD_OFFSET)
    role_raw = (
        ROLE_INTERCEPT
        + ROLE_WEIGHTS["ast"] * share(c["ast"], c["tm_ast"])
        + ROLE_WEIGHTS["thresh"] * share(thresh, _team_sum(thresh, codes, n_teams))
    )
    role = (role_raw * mp + ROLE_PRIOR * PRIOR_MINUTES) / (mp + PRIOR_MINUTES)
    return (
        _recentre(position, mp, codes, n_teams),
        _recentre(role, mp, codes, n_teams),
    )


def _raw(
    rates: dict[str, FloatArray], position: FloatArray, role: FloatArray, coef: _Coefficients
) -> FloatArray:
    total = np.zeros_like(position)
    for name, c1, c5 in zip(RATES, coef.at_1, coef.at_5, strict=True):
        where = role if name in _BY_ROLE else position
        total = total + rates[name] * ((5.0 - where) / 4.0 * c1 + (where - 1.0) / 4.0 * c5)
    # Position constant: position-1 value at 1, zero at 3 and 5, linear in between.
    constant = np.where(position < 3.0, (3.0 - position) / 2.0 * coef.position_1_constant, 0.0)
    result: FloatArray = total + constant + coef.role_slope * (role - 3.0)
    return result


def box_plus_minus(
    ctx: pd.DataFrame,
    *,
    team_adjusted_ortg: pd.Series[float],
    team_adjusted_drtg: pd.Series[float],
) -> pd.DataFrame:
    """OBPM, DBPM, BPM and VORP of each stint of ``ctx`` (the whole league at once).

    ``team_adjusted_ortg``/``team_adjusted_drtg`` are indexed by ``team_id``: each team's
    offensive and defensive rating relative to league average and adjusted for strength
    of schedule, in points per 100 possessions, positive = good (see
    :func:`nba_mcp.analytics.season.team_metrics_table`, columns ``ortg_rel_adj`` and
    ``drtg_rel_adj``). With rating = adj ORtg + adj DRtg and lead bonus =
    0.35 / 2 * (rating * Tm Pace / 100 / 2), the team constant is
    (rating + lead bonus - sum(raw BPM * %MP)) / 5, where %MP = MP / (Tm MP / 5) sums to 5
    over a team; the offensive constant uses adj ORtg + lead bonus / 2 and raw OBPM.

    Returns ``position``, ``role``, ``obpm``, ``dbpm``, ``bpm``, ``vorp``.
    """
    c = Columns(ctx)
    codes, n_teams = _team_codes(ctx)
    mp = c["mp"]
    poss = mp * c["tm_pace"] / 48.0
    tsa = c["fga"] + 0.44 * c["fta"]
    tm_pts_tsa = adiv(c["tm_pts"], c["tm_fga"] + 0.44 * c["tm_fta"])
    adj_pts = (adiv0(c["pts"], tsa) - tm_pts_tsa + 1.0) * tsa
    counts = {
        "adj_pts": adj_pts,
        "fga": c["fga"],
        "fta": c["fta"],
        "fg3m": c["fg3m"],
        "ast": c["ast"],
        "tov": c["tov"],
        "oreb": c["oreb"],
        "dreb": c["dreb"],
        "trb": c["oreb"] + c["dreb"],
        "stl": c["stl"],
        "blk": c["blk"],
        "pf": c["pf"],
    }
    rates = {k: 100.0 * adiv(v, poss) for k, v in counts.items()}
    position, role = _position_and_role(c, codes, n_teams)
    raw_bpm = _raw(rates, position, role, BPM_COEFFICIENTS)
    raw_obpm = _raw(rates, position, role, OBPM_COEFFICIENTS)

    floor_share = adiv(mp, c["tm_minutes"] / 5.0)
    team_ids = ctx["team_id"]
    off = team_ids.map(team_adjusted_ortg).to_numpy(dtype=np.float64)
    deff = team_ids.map(team_adjusted_drtg).to_numpy(dtype=np.float64)
    rating = off + deff
    lead_bonus = LEAD_BONUS / 2.0 * (rating * c["tm_pace"] / 100.0 / 2.0)
    played = mp > 0
    bpm_sum = _team_sum(np.where(played, raw_bpm * floor_share, 0.0), codes, n_teams)
    obpm_sum = _team_sum(np.where(played, raw_obpm * floor_share, 0.0), codes, n_teams)
    bpm = np.where(played, raw_bpm + (rating + lead_bonus - bpm_sum) / 5.0, np.nan)
    obpm = np.where(played, raw_obpm + (off + lead_bonus / 2.0 - obpm_sum) / 5.0, np.nan)
    vorp = (bpm - REPLACEMENT_LEVEL) * floor_share * (c["tm_g"] / SEASON_GAMES)
    return pd.DataFrame(
        {
            "position": position,
            "role": role,
            "obpm": obpm,
            "dbpm": bpm - obpm,
            "bpm": bpm,
            "vorp": np.nan_to_num(vorp, nan=0.0),
        },
        index=ctx.index,
    )
