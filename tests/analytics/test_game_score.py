"""Game Score against the value Basketball-Reference prints in every box score."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nba_mcp.analytics import game_score

from . import frames


def test_game_score_matches_bref_box_scores_for_every_line() -> None:
    for season in ("2015-16", "2018-19"):
        lines = frames.player_game_lines(season)
        ours = game_score(lines).round(1)
        np.testing.assert_allclose(
            ours.to_numpy(), lines["game_score"].to_numpy(), atol=0.05 + 1e-9
        )


def test_game_score_of_curry_opening_night_2015_16() -> None:
    # 2015-10-27 vs NOP: 40 PTS, 14-26 FG, 7-7 FT, 3 ORB, 3 DRB, 7 AST, 2 STL, 0 BLK,
    # 1 PF, 2 TOV; Basketball-Reference box score shows GmSc 34.9.
    line = pd.DataFrame(
        [
            dict(
                pts=40,
                fgm=14,
                fga=26,
                ftm=7,
                fta=7,
                oreb=3,
                dreb=3,
                ast=7,
                stl=2,
                blk=0,
                pf=1,
                tov=2,
            )
        ]
    )
    assert round(float(game_score(line).iloc[0]), 1) == 34.9
