"""Consistency checks run on the database after every ``nba-mcp ingest`` load.

Each check counts what it looked at and lists every mismatch. ``error`` checks
must pass for the data to be trusted; ``info`` checks describe known
differences between sources (NBA.com's official team totals against the sum
of Basketball-Reference's player lines). The report also lists what is loaded
per season (:mod:`nba_mcp.db.inventory`). (``nba-mcp ops validate`` is another
thing: it checks a running deployment over HTTP.)
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel
from sqlalchemy import Connection, Engine, text

from nba_mcp.boxscore import COUNTING_STATS
from nba_mcp.db.inventory import SeasonCoverage, season_coverage

MAX_LISTED = 25


class CheckResult(BaseModel):
    name: str
    description: str
    severity: Literal["error", "info"]
    checked: int
    #: What the values of each listed mismatch are, in order.
    columns: list[str]
    #: Why an ``info`` check's mismatches are expected (None for ``error`` checks).
    expected: str | None = None
    mismatches: list[str]
    mismatch_count: int

    @property
    def passed(self) -> bool:
        return self.mismatch_count == 0


class ValidationReport(BaseModel):
    tables: dict[str, int]
    seasons: list[SeasonCoverage]
    checks: list[CheckResult]

    @property
    def ok(self) -> bool:
        return all(check.passed for check in self.checks if check.severity == "error")


TABLES = ("seasons", "teams", "players", "games", "team_box_scores", "player_box_scores")

_TEAM_SUMS = """
    SELECT t.game_id, t.team_id, t.{stat} AS team_value, SUM(p.{stat}) AS player_value
    FROM team_box_scores t JOIN player_box_scores p ON p.game_id = t.game_id AND p.team_id = t.team_id
    GROUP BY t.game_id, t.team_id, t.{stat}
"""

#: The values a mismatch lists, per check (a team is its NBA.com team id).
_TEAM_SUM_COLUMNS = ("game", "team", "team total", "players' sum")
COLUMNS = {
    "player_points_equal_team_points": _TEAM_SUM_COLUMNS,
    "team_points_equal_final_score": ("game", "team", "team points", "final score"),
    "two_team_boxes_per_game": ("game", "team boxes"),
    "full_regular_season_82_games": ("season", "team", "games"),
}
#: Why an ``info`` check's mismatches are expected, printed with the summary.
EXPECTED = {
    "team_tov_equals_player_sum": "NBA.com's team turnovers include those charged to no "
    "player (shot-clock, 8-second and 5-second violations, too many players on the floor), "
    "so the team figure is larger than the players' sum in most games",
}
#: Why any other ``info`` check may differ in a few games.
SOURCE_DIFFERENCE = (
    "a scorer's correction that NBA.com's official team totals and Basketball-Reference's "
    "player lines credit differently, in a handful of games"
)

CHECKS: list[tuple[str, str, Literal["error", "info"], str, str]] = [
    (
        "player_points_equal_team_points",
        "The points of a team's players add up to the team's points, in every game with player lines.",
        "error",
        f"SELECT COUNT(*) FROM ({_TEAM_SUMS.format(stat='pts')}) s",
        f"SELECT game_id, team_id, team_value, player_value FROM ({_TEAM_SUMS.format(stat='pts')}) s "
        "WHERE team_value <> player_value ORDER BY game_id",
    ),
    (
        "team_points_equal_final_score",
        "Each team box's points equal that team's final score in the game.",
        "error",
        "SELECT COUNT(*) FROM team_box_scores",
        """SELECT t.game_id, t.team_id, t.pts,
                  CASE WHEN t.team_id = g.home_team_id THEN g.home_score ELSE g.away_score END
           FROM team_box_scores t JOIN games g ON g.game_id = t.game_id
           WHERE t.pts <> CASE WHEN t.team_id = g.home_team_id THEN g.home_score ELSE g.away_score END
              OR t.team_id NOT IN (g.home_team_id, g.away_team_id)
           ORDER BY t.game_id""",
    ),
    (
        "two_team_boxes_per_game",
        "Every game has exactly one box for each of its two teams.",
        "error",
        "SELECT COUNT(*) FROM games",
        """SELECT g.game_id, COUNT(t.team_id) FROM games g
           LEFT JOIN team_box_scores t ON t.game_id = g.game_id
           GROUP BY g.game_id HAVING COUNT(t.team_id) <> 2 ORDER BY g.game_id""",
    ),
    (
        "full_regular_season_82_games",
        "Every team plays 82 regular-season games in each loaded season.",
        "error",
        "SELECT COUNT(*) FROM (SELECT DISTINCT g.season, t.team_id FROM games g "
        "JOIN team_box_scores t ON t.game_id = g.game_id WHERE g.season_type = 'regular') s",
        """SELECT g.season, t.team_id, COUNT(*) FROM games g
           JOIN team_box_scores t ON t.game_id = g.game_id
           WHERE g.season_type = 'regular'
           GROUP BY g.season, t.team_id HAVING COUNT(*) <> 82 ORDER BY g.season, t.team_id""",
    ),
    *[
        (
            f"team_{stat}_equals_player_sum",
            f"Official team {stat} equal the sum of the players' {stat}.",
            "info",
            f"SELECT COUNT(*) FROM ({_TEAM_SUMS.format(stat=stat)}) s",
            f"SELECT game_id, team_id, team_value, player_value FROM ({_TEAM_SUMS.format(stat=stat)}) s "
            "WHERE team_value <> player_value ORDER BY game_id",
        )
        for stat in COUNTING_STATS
    ],
]


def validate(engine: Engine) -> ValidationReport:
    """Run every check against the database behind ``engine``."""
    with engine.connect() as conn:
        tables = {name: _scalar(conn, f"SELECT COUNT(*) FROM {name}") for name in TABLES}
        seasons = season_coverage(conn)
        checks = []
        for name, description, severity, count_sql, mismatch_sql in CHECKS:
            rows = conn.execute(text(mismatch_sql)).all()
            checks.append(
                CheckResult(
                    name=name,
                    description=description,
                    severity=severity,
                    checked=_scalar(conn, count_sql),
                    columns=list(COLUMNS.get(name, _TEAM_SUM_COLUMNS)),
                    expected=EXPECTED.get(name, SOURCE_DIFFERENCE) if severity == "info" else None,
                    mismatches=[" ".join(str(v) for v in row) for row in rows[:MAX_LISTED]],
                    mismatch_count=len(rows),
                )
            )
    return ValidationReport(tables=tables, seasons=seasons, checks=checks)


def _scalar(conn: Connection, sql: str) -> int:
    return int(conn.execute(text(sql)).scalar_one())
