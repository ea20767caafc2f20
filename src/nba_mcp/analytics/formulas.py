"""Scalar formulas from raw numbers, and the registry behind the ``calculate_metric`` tool.

Each function takes plain numbers (keyword arguments named as in the registry) and
returns a float; a zero denominator gives NaN, never an exception. :data:`REGISTRY` maps a
metric name to its function, input names, formula text, unit and source, so a tool can
list what it can calculate and validate its inputs before calling.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from nba_mcp.analytics._numeric import div
from nba_mcp.errors import InvalidInput, NotFound

GLOSSARY = "https://www.basketball-reference.com/about/glossary.html"


def true_shooting_pct(*, pts: float, fga: float, fta: float) -> float:
    """TS% = PTS / (2 * (FGA + 0.44 * FTA)) (fraction)."""
    return div(pts, 2.0 * (fga + 0.44 * fta))


def effective_fg_pct(*, fgm: float, fg3m: float, fga: float) -> float:
    """eFG% = (FG + 0.5 * 3P) / FGA (fraction)."""
    return div(fgm + 0.5 * fg3m, fga)


def field_goal_pct(*, fgm: float, fga: float) -> float:
    """FG% = FG / FGA (fraction)."""
    return div(fgm, fga)


def free_throw_rate(*, fta: float, fga: float) -> float:
    """FTr = FTA / FGA."""
    return div(fta, fga)


def three_point_attempt_rate(*, fg3a: float, fga: float) -> float:
    """3PAr = 3PA / FGA."""
    return div(fg3a, fga)


def turnover_pct(*, tov: float, fga: float, fta: float) -> float:
    """TOV% = 100 * TOV / (FGA + 0.44 * FTA + TOV) (percentage points)."""
    return 100.0 * div(tov, fga + 0.44 * fta + tov)


def game_score(
    *,
    pts: float,
    fgm: float,
    fga: float,
    ftm: float,
    fta: float,
    oreb: float,
    dreb: float,
    stl: float,
    ast: float,
    blk: float,
    pf: float,
    tov: float,
) -> float:
    """GmSc = PTS + 0.4 FG - 0.7 FGA - 0.4 (FTA - FT) + 0.7 ORB + 0.3 DRB + STL + 0.7 AST
    + 0.7 BLK - 0.4 PF - TOV."""
    return (
        pts
        + 0.4 * fgm
        - 0.7 * fga
        - 0.4 * (fta - ftm)
        + 0.7 * oreb
        + 0.3 * dreb
        + stl
        + 0.7 * ast
        + 0.7 * blk
        - 0.4 * pf
        - tov
    )


def possessions(
    *,
    fga: float,
    fta: float,
    fgm: float,
    oreb: float,
    dreb: float,
    tov: float,
    opp_fga: float,
    opp_fta: float,
    opp_fgm: float,
    opp_oreb: float,
    opp_dreb: float,
    opp_tov: float,
) -> float:
    """Basketball-Reference two-sided possession estimate::

    0.5 * ((FGA + 0.4 FTA - 1.07 (ORB / (ORB + Opp DRB)) (FGA - FG) + TOV)
         + (Opp FGA + 0.4 Opp FTA - 1.07 (Opp ORB / (Opp ORB + DRB)) (Opp FGA - Opp FG)
            + Opp TOV))
    """
    own_orb = _nan_to_zero(div(oreb, oreb + opp_dreb))
    opp_orb = _nan_to_zero(div(opp_oreb, opp_oreb + dreb))
    own = fga + 0.4 * fta - 1.07 * own_orb * (fga - fgm) + tov
    opp = opp_fga + 0.4 * opp_fta - 1.07 * opp_orb * (opp_fga - opp_fgm) + opp_tov
    return 0.5 * (own + opp)


def _nan_to_zero(value: float) -> float:
    return 0.0 if math.isnan(value) else value


def pace(*, poss: float, minutes: float) -> float:
    """Pace = 48 * Poss / (Tm MP / 5), with Tm MP the team minutes (240 per game)."""
    return div(48.0 * poss, minutes / 5.0)


def offensive_rating_team(*, pts: float, poss: float) -> float:
    """Team ORtg = 100 * PTS / Poss (points per 100 possessions)."""
    return 100.0 * div(pts, poss)


def pythagorean_win_pct(*, pts: float, opp_pts: float) -> float:
    """Expected win fraction = PTS^14 / (PTS^14 + Opp PTS^14)."""
    return div(pts**14, pts**14 + opp_pts**14)


def usage_pct(
    *,
    fga: float,
    fta: float,
    tov: float,
    mp: float,
    team_fga: float,
    team_fta: float,
    team_tov: float,
    team_mp: float,
) -> float:
    """USG% = 100 * ((FGA + 0.44 FTA + TOV) * (Tm MP / 5)) / (MP * (Tm FGA + 0.44 Tm FTA
    + Tm TOV))."""
    return 100.0 * div(
        (fga + 0.44 * fta + tov) * (team_mp / 5.0),
        mp * (team_fga + 0.44 * team_fta + team_tov),
    )


def per_36(*, stat: float, mp: float) -> float:
    """Stat per 36 minutes = 36 * stat / MP."""
    return 36.0 * div(stat, mp)


def per_game(*, stat: float, g: float) -> float:
    """Stat per game = stat / G."""
    return div(stat, g)


@dataclass(frozen=True, slots=True)
class MetricFormula:
    """One calculable metric: its function, inputs, formula text, unit and source."""

    name: str
    function: Callable[..., float]
    inputs: tuple[str, ...]
    formula: str
    unit: str
    source: str = GLOSSARY

    def __call__(self, **values: float) -> float:
        """Evaluate with keyword inputs; :class:`InvalidInput` names missing/extra inputs."""
        missing = [k for k in self.inputs if k not in values]
        extra = [k for k in values if k not in self.inputs]
        if missing or extra:
            raise InvalidInput(
                f"{self.name} needs inputs {list(self.inputs)}; "
                f"missing {missing}, unexpected {extra}."
            )
        return float(self.function(**values))


def _entry(
    name: str, function: Callable[..., float], inputs: str, formula: str, unit: str
) -> tuple[str, MetricFormula]:
    return name, MetricFormula(name, function, tuple(inputs.split()), formula, unit)


REGISTRY: Mapping[str, MetricFormula] = MappingProxyType(
    dict(
        [
            _entry(
                "ts_pct",
                true_shooting_pct,
                "pts fga fta",
                "PTS / (2 * (FGA + 0.44 * FTA))",
                "fraction",
            ),
            _entry(
                "efg_pct", effective_fg_pct, "fgm fg3m fga", "(FG + 0.5 * 3P) / FGA", "fraction"
            ),
            _entry("fg_pct", field_goal_pct, "fgm fga", "FG / FGA", "fraction"),
            _entry("fta_rate", free_throw_rate, "fta fga", "FTA / FGA", "ratio"),
            _entry("fg3a_rate", three_point_attempt_rate, "fg3a fga", "3PA / FGA", "ratio"),
            _entry(
                "tov_pct",
                turnover_pct,
                "tov fga fta",
                "100 * TOV / (FGA + 0.44 * FTA + TOV)",
                "percentage points",
            ),
            _entry(
                "game_score",
                game_score,
                "pts fgm fga ftm fta oreb dreb stl ast blk pf tov",
                "PTS + 0.4 FG - 0.7 FGA - 0.4 (FTA - FT) + 0.7 ORB + 0.3 DRB + STL"
                " + 0.7 AST + 0.7 BLK - 0.4 PF - TOV",
                "points",
            ),
            _entry(
                "possessions",
                possessions,
                "fga fta fgm oreb dreb tov opp_fga opp_fta opp_fgm opp_oreb opp_dreb opp_tov",
                "0.5 * ((FGA + 0.4 FTA - 1.07 (ORB / (ORB + Opp DRB)) (FGA - FG) + TOV)"
                " + (Opp FGA + 0.4 Opp FTA - 1.07 (Opp ORB / (Opp ORB + DRB))"
                " (Opp FGA - Opp FG) + Opp TOV))",
                "possessions",
            ),
            _entry(
                "pace",
                pace,
                "poss minutes",
                "48 * Poss / (Tm MP / 5)",
                "possessions per 48 minutes",
            ),
            _entry(
                "ortg_team",
                offensive_rating_team,
                "pts poss",
                "100 * PTS / Poss",
                "points per 100 possessions",
            ),
            _entry(
                "pythagorean_win_pct",
                pythagorean_win_pct,
                "pts opp_pts",
                "PTS^14 / (PTS^14 + Opp PTS^14)",
                "fraction",
            ),
            _entry(
                "usg_pct",
                usage_pct,
                "fga fta tov mp team_fga team_fta team_tov team_mp",
                "100 * ((FGA + 0.44 FTA + TOV) * (Tm MP / 5)) / (MP * (Tm FGA + 0.44 Tm FTA"
                " + Tm TOV))",
                "percentage points",
            ),
            _entry("per_36", per_36, "stat mp", "36 * stat / MP", "per 36 minutes"),
            _entry("per_game", per_game, "stat g", "stat / G", "per game"),
        ]
    )
)
"""Metric name -> :class:`MetricFormula` (function, input names, formula text, unit, source)."""


def calculate(name: str, **values: float) -> float:
    """Evaluate the registered metric ``name``.

    Raises :class:`~nba_mcp.errors.NotFound` (listing the known metrics) for an unknown
    name and :class:`~nba_mcp.errors.InvalidInput` for missing or unexpected inputs.
    """
    metric = REGISTRY.get(name)
    if metric is None:
        raise NotFound(f"Unknown metric {name!r}.", candidates=sorted(REGISTRY))
    return metric(**values)
