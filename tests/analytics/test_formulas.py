"""Scalar formulas and the metric registry used by the calculate_metric tool."""

from __future__ import annotations

import math

import pytest

from nba_mcp.analytics import REGISTRY, calculate
from nba_mcp.analytics.formulas import possessions
from nba_mcp.errors import InvalidInput, NotFound

from . import frames


def test_true_shooting_of_curry_2015_16_is_669() -> None:
    # 2,375 PTS on 1,598 FGA and 400 FTA (basketball-reference.com/players/c/curryst01.html)
    assert round(calculate("ts_pct", pts=2375, fga=1598, fta=400), 3) == 0.669


def test_zero_attempts_give_nan_not_an_exception() -> None:
    assert math.isnan(calculate("ts_pct", pts=0, fga=0, fta=0))
    assert math.isnan(calculate("efg_pct", fgm=0, fg3m=0, fga=0))
    assert math.isnan(
        calculate(
            "usg_pct", fga=0, fta=0, tov=0, mp=0, team_fga=1, team_fta=1, team_tov=1, team_mp=240
        )
    )


def test_scalar_possessions_match_the_team_table() -> None:
    teams = frames.teams_frame("2015-16")
    gsw = teams[teams["team_id"] == 1610612744].iloc[0]
    poss = possessions(**{k: float(gsw[k]) for k in REGISTRY["possessions"].inputs})
    pace = calculate("pace", poss=poss, minutes=float(gsw["minutes"]))
    assert round(pace, 1) == 99.3


def test_every_registered_metric_evaluates_from_its_inputs() -> None:
    for name, metric in REGISTRY.items():
        value = calculate(name, **dict.fromkeys(metric.inputs, 10.0))
        assert isinstance(value, float), name
        assert metric.formula and metric.unit and metric.source, name


def test_unknown_metric_lists_candidates() -> None:
    with pytest.raises(NotFound) as caught:
        calculate("true_shooting", pts=1.0)
    assert "ts_pct" in caught.value.candidates


def test_missing_inputs_are_named() -> None:
    with pytest.raises(InvalidInput, match="fta"):
        calculate("ts_pct", pts=10.0, fga=5.0)
