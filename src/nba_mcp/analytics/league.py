"""League context: the league-wide totals and rates every other formula is scaled by.

The league is the sum of its teams (official NBA.com team totals, whose turnovers include
team turnovers), for one season and one season type. Sources: Basketball-Reference
glossary (https://www.basketball-reference.com/about/glossary.html), "Calculating PER"
(https://www.basketball-reference.com/about/per.html) and "Calculating Win Shares"
(https://www.basketball-reference.com/about/ws.html).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from nba_mcp.analytics._numeric import div
from nba_mcp.analytics.team import team_possessions
from nba_mcp.boxscore import BOX_STATS


@dataclass(frozen=True, slots=True)
class LeagueContext:
    """League totals and the derived constants of PER, Win Shares and BPM.

    Totals are league sums over teams; ``team_games`` counts each game twice (once per
    team). Rates follow the conventions of the package: shooting as fractions, rates in
    percentage points.
    """

    team_games: int
    minutes: float
    fgm: float
    fga: float
    fg3m: float
    fg3a: float
    ftm: float
    fta: float
    oreb: float
    dreb: float
    ast: float
    stl: float
    blk: float
    tov: float
    pf: float
    pts: float
    poss: float
    pace: float
    pts_per_poss: float
    pts_per_game: float
    ortg: float
    ts_pct: float
    efg_pct: float
    tov_pct: float
    orb_pct: float
    ft_per_fga: float
    vop: float
    drb_share: float
    factor: float
    marginal_pts_per_win: float

    @property
    def reb(self) -> float:
        """League total rebounds."""
        return self.oreb + self.dreb

    def as_dict(self) -> dict[str, float]:
        """The context as a plain mapping (for JSON responses)."""
        return {k: float(v) for k, v in asdict(self).items()}


def league_context(teams: pd.DataFrame) -> LeagueContext:
    """Aggregate the ``teams`` frame of one season/type into a :class:`LeagueContext`.

    - ``poss`` = sum of team possessions (Basketball-Reference two-sided estimate, see
      :func:`nba_mcp.analytics.team.team_possessions`).
    - ``pace`` = 48 * poss / (minutes / 5): possessions per 48 minutes.
    - ``pts_per_poss`` = PTS / poss; ``ortg`` = 100 * PTS / poss.
    - ``pts_per_game`` = PTS / team games (points scored by one team in one game).
    - ``ts_pct`` = PTS / (2 * (FGA + 0.44 * FTA)); ``efg_pct`` = (FG + 0.5 * 3P) / FGA.
    - ``tov_pct`` = 100 * TOV / (FGA + 0.44 * FTA + TOV); ``orb_pct`` = 100 * ORB / TRB
      (league ORB% equals ORB / (ORB + opponents' DRB) summed over teams);
      ``ft_per_fga`` = FT / FGA.
    - PER constants ("Calculating PER"): ``vop`` (value of possession) =
      PTS / (FGA - ORB + TOV + 0.44 * FTA); ``drb_share`` (the glossary's "DRB%") =
      (TRB - ORB) / TRB; ``factor`` = 2/3 - (0.5 * AST/FG) / (2 * FG/FT).
    """
    tot = {c: float(teams[c].sum()) for c in BOX_STATS}
    team_games = int(teams["g"].sum())
    minutes = float(teams["minutes"].sum())
    poss = float(team_possessions(teams).sum())
    reb = tot["oreb"] + tot["dreb"]
    return LeagueContext(
        team_games=team_games,
        minutes=minutes,
        **tot,
        poss=poss,
        pace=div(48.0 * poss, minutes / 5.0),
        pts_per_poss=div(tot["pts"], poss),
        pts_per_game=div(tot["pts"], float(team_games)),
        ortg=100.0 * div(tot["pts"], poss),
        ts_pct=div(tot["pts"], 2.0 * (tot["fga"] + 0.44 * tot["fta"])),
        efg_pct=div(tot["fgm"] + 0.5 * tot["fg3m"], tot["fga"]),
        tov_pct=100.0 * div(tot["tov"], tot["fga"] + 0.44 * tot["fta"] + tot["tov"]),
        orb_pct=100.0 * div(tot["oreb"], reb),
        ft_per_fga=div(tot["ftm"], tot["fga"]),
        vop=div(tot["pts"], tot["fga"] - tot["oreb"] + tot["tov"] + 0.44 * tot["fta"]),
        drb_share=div(tot["dreb"], reb),
        factor=2.0 / 3.0
        - div(0.5 * div(tot["ast"], tot["fgm"]), 2.0 * div(tot["fgm"], tot["ftm"])),
        marginal_pts_per_win=0.32 * div(tot["pts"], float(team_games)),
    )
