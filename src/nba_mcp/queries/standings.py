"""Conference standings of a regular season, seeded with the NBA's tie-break rules.

Ties in winning percentage are broken by the NBA's procedure (in force since
2015-16, when division winners stopped being guaranteed a top-four seed), from
the NBA's published "Tie-Breaker Procedures":

two teams: (1) head-to-head winning percentage, (2) division leader over a team that
is not, (3) division winning percentage (same division only), (4) conference winning
percentage, (5) winning percentage against playoff-eligible teams of its own
conference, (6) against playoff-eligible teams of the other conference, (7) point
differential.

three or more teams: (1) division leader, (2) winning percentage in all games among
the tied teams, (3) division winning percentage (all in one division), (4)-(6) as
above, (7) point differential. Once some teams are separated, each remaining group
starts the procedure again.

Division leaders are found first, by the same procedure without the division-leader
step. "Playoff-eligible" means a record at least as good as the eighth best in the
conference (the tenth since the play-in, 2020-21). A tie that survives every step
is decided by a drawing in the NBA; here, alphabetically (never seen in the data).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import Connection, text

from nba_mcp.errors import InvalidInput, NotFound
from nba_mcp.queries.seasons import resolve_season
from nba_mcp.rounding import round_half_up
from nba_mcp.seasons import season_start_year

Conference = Literal["East", "West"]


class StandingRow(BaseModel):
    conference_rank: int = Field(description="Seed in the conference, 1 = best.")
    team: str = Field(description="Team abbreviation.")
    name: str
    conference: str
    division: str
    wins: int
    losses: int
    win_pct: float = Field(description="Wins per game, as a fraction (0.890).")
    games_behind: float = Field(description="Games behind the conference leader (0.0 for it).")
    home: str = Field(description="Home record, W-L.")
    road: str = Field(description="Road record, W-L.")
    conference_record: str = Field(description="Record against its own conference, W-L.")
    division_record: str = Field(description="Record against its own division, W-L.")
    last_10: str = Field(description="Record in its latest ten games, W-L.")
    streak: str = Field(description="Current streak: W3 = won the last three, L2 = lost two.")
    pts_per_game: float
    opp_pts_per_game: float
    tiebreaker: str | None = Field(
        description="The tie-break step that placed it, when it was tied on winning percentage."
    )


class Standings(BaseModel):
    season: str
    season_type: str = Field(default="regular", description="Standings are regular season only.")
    conference: str | None = Field(description="The conference asked for; null for both.")
    teams: list[StandingRow] = Field(description="East then West, each in seed order.")


@dataclass
class _Team:
    row: dict[str, Any]
    vs: dict[int, tuple[int, int]] = field(default_factory=dict)  # opponent -> (wins, games)
    tiebreaker: str | None = None

    @property
    def team_id(self) -> int:
        return int(self.row["team_id"])

    @property
    def pct(self) -> Fraction:
        return Fraction(self.row["wins"], max(self.row["wins"] + self.row["losses"], 1))


def _pct(wins: int, games: int) -> Fraction:
    return Fraction(wins, games) if games else Fraction(1, 2)


_TEAM_GAMES = """
    WITH tg AS (
        SELECT g.game_id, g.game_date, g.home_team_id AS team_id, g.away_team_id AS opp_id,
               1 AS home, CASE WHEN g.home_score > g.away_score THEN 1 ELSE 0 END AS won,
               g.home_score AS pf, g.away_score AS pa
        FROM games g WHERE g.season = :season AND g.season_type = 'regular'
        UNION ALL
        SELECT g.game_id, g.game_date, g.away_team_id, g.home_team_id,
               0, CASE WHEN g.away_score > g.home_score THEN 1 ELSE 0 END,
               g.away_score, g.home_score
        FROM games g WHERE g.season = :season AND g.season_type = 'regular'
    )
"""

# Streak: ordering each team's games newest first, the games of the current streak are
# exactly those whose rank among all games equals their rank among games of that result.
_RECORDS = (
    _TEAM_GAMES
    + """
    , ranked AS (
        SELECT tg.*,
               ROW_NUMBER() OVER (PARTITION BY team_id ORDER BY game_date DESC, game_id DESC)
                   AS rn,
               ROW_NUMBER() OVER (PARTITION BY team_id, won ORDER BY game_date DESC, game_id DESC)
                   AS rn_result
        FROM tg
    )
    SELECT r.team_id, t.abbreviation AS team, t.full_name AS name, t.conference, t.division,
           SUM(r.won) AS wins, SUM(1 - r.won) AS losses,
           SUM(r.home * r.won) AS home_wins, SUM(r.home * (1 - r.won)) AS home_losses,
           SUM((1 - r.home) * r.won) AS road_wins, SUM((1 - r.home) * (1 - r.won)) AS road_losses,
           SUM(CASE WHEN o.conference = t.conference THEN r.won ELSE 0 END) AS conf_wins,
           SUM(CASE WHEN o.conference = t.conference THEN 1 ELSE 0 END) AS conf_games,
           SUM(CASE WHEN o.division = t.division THEN r.won ELSE 0 END) AS div_wins,
           SUM(CASE WHEN o.division = t.division THEN 1 ELSE 0 END) AS div_games,
           SUM(CASE WHEN r.rn <= 10 THEN r.won ELSE 0 END) AS last10_wins,
           SUM(CASE WHEN r.rn <= 10 THEN 1 ELSE 0 END) AS last10_games,
           SUM(CASE WHEN r.rn = r.rn_result THEN 1 ELSE 0 END) AS streak,
           MAX(CASE WHEN r.rn = 1 THEN r.won ELSE 0 END) AS last_won,
           SUM(r.pf) AS pf, SUM(r.pa) AS pa
    FROM ranked r
    JOIN teams t ON t.team_id = r.team_id
    JOIN teams o ON o.team_id = r.opp_id
    GROUP BY r.team_id, t.abbreviation, t.full_name, t.conference, t.division
    """
)

_PAIRS = (
    _TEAM_GAMES
    + """
    SELECT team_id, opp_id, SUM(won) AS wins, COUNT(*) AS games FROM tg GROUP BY team_id, opp_id
    """
)


def standings(
    conn: Connection, *, season: str | None = None, conference: Conference | None = None
) -> Standings:
    """Conference standings of a regular season (default: the latest loaded): seed, W-L,
    winning percentage, games behind the conference leader, home, road, conference and
    division records, last ten games and current streak. Ties are broken by the NBA's
    tie-break procedure (``tiebreaker`` names the deciding step)."""
    if conference is not None and conference not in ("East", "West"):
        raise InvalidInput(f"conference must be East or West; got {conference!r}.")
    season = resolve_season(conn, season)
    params = {"season": season}
    teams = [_Team(dict(row)) for row in conn.execute(text(_RECORDS), params).mappings()]
    if not teams:
        raise NotFound(f"No regular-season games of {season} are loaded.")
    by_id = {t.team_id: t for t in teams}
    for row in conn.execute(text(_PAIRS), params).mappings():
        by_id[row["team_id"]].vs[row["opp_id"]] = (int(row["wins"]), int(row["games"]))
    seeds = 10 if season_start_year(season) >= 2020 else 8
    rows: list[StandingRow] = []
    for conf in ("East", "West"):
        if conference is not None and conf != conference:
            continue
        members = [t for t in teams if t.row["conference"] == conf]
        rows.extend(_rows(_Seeder(teams, members, seeds).order(members)))
    return Standings(season=season, conference=conference, teams=rows)


def _rows(order: list[_Team]) -> list[StandingRow]:
    leader = order[0].row
    rows = []
    for rank, team in enumerate(order, start=1):
        r = team.row
        games = r["wins"] + r["losses"]
        rows.append(
            StandingRow(
                conference_rank=rank,
                team=r["team"],
                name=r["name"],
                conference=r["conference"],
                division=r["division"],
                wins=r["wins"],
                losses=r["losses"],
                win_pct=round_half_up(r["wins"], games, 3),
                games_behind=((leader["wins"] - r["wins"]) + (r["losses"] - leader["losses"])) / 2,
                home=f"{r['home_wins']}-{r['home_losses']}",
                road=f"{r['road_wins']}-{r['road_losses']}",
                conference_record=f"{r['conf_wins']}-{r['conf_games'] - r['conf_wins']}",
                division_record=f"{r['div_wins']}-{r['div_games'] - r['div_wins']}",
                last_10=f"{r['last10_wins']}-{r['last10_games'] - r['last10_wins']}",
                streak=f"{'W' if r['last_won'] else 'L'}{r['streak']}",
                pts_per_game=round_half_up(r["pf"], games, 1),
                opp_pts_per_game=round_half_up(r["pa"], games, 1),
                tiebreaker=team.tiebreaker,
            )
        )
    return rows


Criterion = tuple[str, Callable[[_Team, list[_Team]], Fraction | int]]


class _Seeder:
    """Orders the teams of one conference by winning percentage and the tie-break rules."""

    def __init__(self, league: list[_Team], members: list[_Team], seeds: int) -> None:
        self.league = league
        self.members = members
        self.eligible = {
            conf: self._eligible([t for t in league if t.row["conference"] == conf], seeds)
            for conf in ("East", "West")
        }
        self.leaders: set[int] = set()
        for division in {t.row["division"] for t in members}:
            rivals = [t for t in members if t.row["division"] == division]
            self.leaders.add(self.order(rivals, record=False)[0].team_id)

    @staticmethod
    def _eligible(conf: list[_Team], seeds: int) -> set[int]:
        cut = sorted((t.pct for t in conf), reverse=True)[min(seeds, len(conf)) - 1]
        return {t.team_id for t in conf if t.pct >= cut}

    def order(self, teams: list[_Team], *, record: bool = True) -> list[_Team]:
        """Teams by winning percentage, ties broken (``record``: note the deciding step)."""
        result: list[_Team] = []
        for pct in sorted({t.pct for t in teams}, reverse=True):
            result.extend(self._break([t for t in teams if t.pct == pct], record=record))
        return result

    def _break(self, tied: list[_Team], *, record: bool) -> list[_Team]:
        if len(tied) == 1:
            return tied
        leader_step = [("division leader", self._leader)] if record else []
        steps: list[Criterion]
        if len(tied) == 2:
            steps = [("head-to-head", self._h2h), *leader_step]
        else:
            steps = [*leader_step, ("head-to-head among tied teams", self._h2h)]
        steps += [
            ("division record", self._division),
            ("conference record", self._conference),
            ("record vs playoff teams, own conference", self._vs_own_playoff),
            ("record vs playoff teams, other conference", self._vs_other_playoff),
            ("point differential", self._differential),
        ]
        for name, step in steps:
            values = {t.team_id: step(t, tied) for t in tied}
            if len(set(values.values())) == 1:
                continue
            result: list[_Team] = []
            for value in sorted(set(values.values()), reverse=True):
                group = [t for t in tied if values[t.team_id] == value]
                if record:
                    for t in group:  # a deeper step that splits the group again wins
                        t.tiebreaker = name
                result.extend(self._break(group, record=record))
            return result
        if record:
            for t in tied:
                t.tiebreaker = t.tiebreaker or "drawing (alphabetical here)"
        return sorted(tied, key=lambda t: str(t.row["team"]))

    def _record_vs(self, team: _Team, opponents: set[int]) -> Fraction:
        wins = games = 0
        for opp, (w, g) in team.vs.items():
            if opp in opponents:
                wins, games = wins + w, games + g
        return _pct(wins, games)

    def _h2h(self, team: _Team, tied: list[_Team]) -> Fraction:
        return self._record_vs(team, {t.team_id for t in tied if t is not team})

    def _leader(self, team: _Team, tied: list[_Team]) -> int:
        return int(team.team_id in self.leaders)

    def _division(self, team: _Team, tied: list[_Team]) -> Fraction:
        if len({t.row["division"] for t in tied}) > 1:
            return Fraction(0)
        return _pct(team.row["div_wins"], team.row["div_games"])

    def _conference(self, team: _Team, tied: list[_Team]) -> Fraction:
        return _pct(team.row["conf_wins"], team.row["conf_games"])

    def _vs_own_playoff(self, team: _Team, tied: list[_Team]) -> Fraction:
        return self._record_vs(team, self.eligible[team.row["conference"]] - {team.team_id})

    def _vs_other_playoff(self, team: _Team, tied: list[_Team]) -> Fraction:
        other = "West" if team.row["conference"] == "East" else "East"
        return self._record_vs(team, self.eligible[other])

    def _differential(self, team: _Team, tied: list[_Team]) -> int:
        return int(team.row["pf"]) - int(team.row["pa"])
