"""Simple Rating System (SRS) and strength of schedule (SOS).

SRS = MOV + SOS, where MOV is a team's average point margin and SOS is the average SRS
of the opponents it played (one term per game, so an opponent met four times counts four
times). The ratings are the solution of that linear system, centred so that the league
average is zero; no home-court term. Source: Basketball-Reference glossary, "SRS" and
"SOS" (https://www.basketball-reference.com/about/glossary.html) and the Sports-Reference
blog "A Very Simple Ranking System".
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def simple_rating_system(team_games: pd.DataFrame) -> pd.DataFrame:
    """SRS and SOS from one row per team per game.

    Input columns: ``team_id``, ``opponent_id``, ``pts``, ``opp_pts``. Output: one row per
    ``team_id`` (sorted index) with ``mov``, ``sos``, ``srs``. Solves
    ``srs_i - mean_games(srs_opp) = mov_i`` with the constraint ``sum(srs) = 0`` by least
    squares (an exact solve: the system has rank n - 1 plus the constraint).
    """
    teams = np.unique(np.concatenate([team_games["team_id"], team_games["opponent_id"]]))
    n = len(teams)
    if n == 0:
        return pd.DataFrame(columns=["mov", "sos", "srs"], dtype=np.float64)
    pos = {t: i for i, t in enumerate(teams)}
    row = team_games["team_id"].map(pos).to_numpy(dtype=np.intp)
    col = team_games["opponent_id"].map(pos).to_numpy(dtype=np.intp)
    margin = (team_games["pts"] - team_games["opp_pts"]).to_numpy(dtype=np.float64)

    games = np.bincount(row, minlength=n).astype(np.float64)
    mov = np.divide(
        np.bincount(row, weights=margin, minlength=n),
        games,
        out=np.full(n, np.nan),
        where=games > 0,
    )
    meetings = np.zeros((n, n))
    np.add.at(meetings, (row, col), 1.0)
    schedule = np.divide(meetings, games[:, None], out=np.zeros((n, n)), where=games[:, None] > 0)

    system = np.vstack([np.eye(n) - schedule, np.ones((1, n))])
    target = np.concatenate([np.nan_to_num(mov), [0.0]])
    srs, *_ = np.linalg.lstsq(system, target, rcond=None)
    sos = srs - mov
    return pd.DataFrame({"mov": mov, "sos": sos, "srs": srs}, index=pd.Index(teams, name="team_id"))
