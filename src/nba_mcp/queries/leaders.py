"""League leaders in a stat, with the minimums a player needs to qualify.

Qualification follows the minimums the NBA adopted in 2013-14, as stated by the NBA
(http://stats.nba.com/help/statistical_minimums.html, 6 Nov 2013, the text these rules
were taken from) and used by Basketball-Reference's league leaders (its "Rate Statistic
Requirements" page, https://www.basketball-reference.com/about/rate_stat_req.html):

- per-game stats (points, rebounds, assists, steals, blocks, minutes, ...): games
  played in at least 70% of the team's games (58 of 82). A player with fewer games still
  qualifies if his total, spread over that minimum number of games, would lead the league
  (Gerald Wallace's 138 steals in 55 games, 2005-06).
- FG%: 300 field goals made; 3P%: 82 three-pointers made; FT%: 125 free throws made.
- season totals: no minimum.

Minimums are pro-rated by the games of the player's team, as the NBA does in season and
for shortened seasons: ``ceil(0.70 * team games)`` games, ``ceil(300 * team games / 82)``
field goals, and so on. A traded player is ranked once, on his season totals (team
``TOT``), against the most games any of his teams played. Playoffs and play-in use the
same ratios of the team's games in that season type: Basketball-Reference's playoff
minimums are not implemented. Seasons before 2013-14 had other minimums (70 games or
1,400 points, 55 three-pointers, ...); they are not implemented either.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import Connection, text

from nba_mcp.errors import InvalidInput, NotFound
from nba_mcp.queries.seasons import check_season_type, loaded_seasons, resolve_season
from nba_mcp.rounding import round_half_up

SOURCE = "https://www.basketball-reference.com/about/rate_stat_req.html"
MAX_LIMIT = 100
GAMES_SHARE = 0.70
FULL_SEASON = 82

_COUNTS = {
    "pts": "Points",
    "reb": "Total rebounds",
    "oreb": "Offensive rebounds",
    "dreb": "Defensive rebounds",
    "ast": "Assists",
    "stl": "Steals",
    "blk": "Blocks",
    "tov": "Turnovers",
    "pf": "Personal fouls",
    "fgm": "Field goals made",
    "fga": "Field goal attempts",
    "fg3m": "Three-pointers made",
    "fg3a": "Three-point attempts",
    "ftm": "Free throws made",
    "fta": "Free throw attempts",
    "min": "Minutes played",
}
# percentage stat -> (made column, attempted column, minimum makes in an 82-game season)
_PERCENTAGES = {
    "fg_pct": ("fgm", "fga", 300, "Field goal percentage"),
    "fg3_pct": ("fg3m", "fg3a", 82, "Three-point percentage"),
    "ft_pct": ("ftm", "fta", 125, "Free throw percentage"),
}


@dataclass(frozen=True)
class _Stat:
    name: str
    kind: Literal["per_game", "total", "percentage"]
    column: str
    label: str


def _catalogue() -> dict[str, _Stat]:
    stats: dict[str, _Stat] = {}
    for column, label in _COUNTS.items():
        stats[column] = _Stat(column, "per_game", column, f"{label} per game")
        stats[f"{column}_total"] = _Stat(f"{column}_total", "total", column, f"{label}, total")
    for name, (made, _, _, label) in _PERCENTAGES.items():
        stats[name] = _Stat(name, "percentage", made, label)
    return stats


STATS = _catalogue()


class LeaderEntry(BaseModel):
    rank: int = Field(description="1 = leader; tied players share a rank.")
    player: str
    player_id: int
    team: str = Field(description="Team abbreviation, or TOT for a player traded in season.")
    g: int = Field(description="Games played.")
    value: float = Field(
        description="The stat: per game to one decimal, a total, or a fraction to 3 places."
    )
    total: int = Field(description="The season total behind the value (makes, for a %).")
    attempts: int | None = Field(description="Attempts, for a shooting percentage.")
    qualified_by_total: bool = Field(
        description="True when below the games minimum but his total would lead at it."
    )


class Leaders(BaseModel):
    stat: str
    description: str
    season: str
    season_type: str
    qualification: str = Field(description="The minimum a player needed to be ranked.")
    source: str = Field(description="Where the qualification rules come from.")
    leaders: list[LeaderEntry]


def _minimum(stat: _Stat) -> tuple[str, Callable[[int], int]]:
    """A description of the minimum, and a function of team games giving it."""
    if stat.kind == "per_game":
        return (
            "at least 70% of his team's games (58 of 82), or a total that would lead "
            "the league over that many games",
            lambda team_games: math.ceil(GAMES_SHARE * team_games - 1e-9),
        )
    if stat.kind == "percentage":
        made, _, minimum, _ = _PERCENTAGES[stat.name]
        return (
            f"at least {minimum} {_COUNTS[made].lower()} in an 82-game season, "
            "pro-rated by his team's games",
            lambda team_games: math.ceil(minimum * team_games / FULL_SEASON - 1e-9),
        )
    return "none (a season total)", lambda team_games: 0


def _players_season(conn: Connection, season: str, season_type: str) -> list[dict[str, Any]]:
    """One row per player: games, seconds and totals over all his teams (``TOT`` if several),
    and ``team_games``, the most games any of his teams played."""
    params = {"season": season, "season_type": season_type}
    sides = """
        SELECT team_id, COUNT(*) AS n FROM (
            SELECT home_team_id AS team_id FROM games
            WHERE season = :season AND season_type = :season_type
            UNION ALL
            SELECT away_team_id FROM games WHERE season = :season AND season_type = :season_type
        ) sides
        GROUP BY team_id
    """
    team_games = {int(team_id): int(n) for team_id, n in conn.execute(text(sides), params)}
    counts = [c for c in _COUNTS if c not in ("reb", "min")]  # derived below
    sums = ", ".join(f"SUM(b.{c}) AS {c}" for c in counts)
    sql = f"""
        SELECT b.player_id, p.full_name AS name, b.team_id, t.abbreviation AS team,
               COUNT(*) AS g, SUM(b.seconds) AS seconds, {sums}
        FROM player_box_scores b
        JOIN games g ON g.game_id = b.game_id
        JOIN players p ON p.player_id = b.player_id
        JOIN teams t ON t.team_id = b.team_id
        WHERE g.season = :season AND g.season_type = :season_type
        GROUP BY b.player_id, p.full_name, b.team_id, t.abbreviation
    """
    players: dict[int, dict[str, Any]] = {}
    for stint in conn.execute(text(sql), params).mappings():
        games = team_games.get(stint["team_id"], 0)
        row = players.get(stint["player_id"])
        if row is None:
            players[stint["player_id"]] = {**stint, "team_games": games}
            continue
        row["team"] = "TOT"
        row["team_games"] = max(row["team_games"], games)
        for column in ("g", "seconds", *counts):
            row[column] += stint[column]
    for row in players.values():
        row["reb"] = row["oreb"] + row["dreb"]
        row["min"] = Fraction(row["seconds"], 60)
    return list(players.values())


def _season_with_players(conn: Connection, season: str | None) -> str:
    """``season`` if loaded (default: the latest with player box scores)."""
    if season is not None:
        return resolve_season(conn, season)
    latest = conn.execute(
        text(
            "SELECT MAX(g.season) FROM games g WHERE EXISTS "
            "(SELECT 1 FROM player_box_scores b WHERE b.game_id = g.game_id)"
        )
    ).scalar()
    if latest is None:
        raise NotFound("No player box scores are loaded yet.", candidates=loaded_seasons(conn))
    return str(latest)


def league_leaders(
    conn: Connection,
    *,
    stat: str,
    season: str | None = None,
    season_type: str = "regular",
    limit: int = 10,
) -> Leaders:
    """The league's leaders in ``stat`` for a season (default: the latest with player
    box scores), ranked as Basketball-Reference ranks them, with its minimums to qualify.

    Stats: per game ``pts reb oreb dreb ast stl blk tov pf fgm fga fg3m fg3a ftm fta min``;
    season totals ``pts_total``, ``fg3m_total``, ... (any of those with ``_total``);
    shooting ``fg_pct`` (300 FGM), ``fg3_pct`` (82 3PM), ``ft_pct`` (125 FTM). Per-game
    stats need 70% of the team's games. Traded players rank once, on their season totals.
    """
    spec = STATS.get(stat)
    if spec is None:
        raise InvalidInput(f"Unknown stat {stat!r}; use one of: {', '.join(STATS)}.")
    check_season_type(season_type)
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}; got {limit}.")
    season = _season_with_players(conn, season)
    rows = _players_season(conn, season, season_type)
    if not rows:
        raise NotFound(f"No player box scores of {season_type} games in {season} are loaded.")
    rule, minimum = _minimum(spec)
    if season_type != "regular" and spec.kind != "total":
        rule += (
            f" (the regular-season rule applied to his team's {season_type} games; "
            "not Basketball-Reference's playoff minimums)"
        )
    ranked = _rank(spec, rows, minimum)[:limit]
    return Leaders(
        stat=stat,
        description=spec.label,
        season=season,
        season_type=season_type,
        qualification=rule,
        source=SOURCE,
        leaders=ranked,
    )


def _value(spec: _Stat, row: dict[str, Any]) -> Fraction | None:
    if spec.kind == "total":
        return Fraction(row[spec.column])
    if spec.kind == "per_game":
        return Fraction(row[spec.column], row["g"])
    made, attempted, _, _ = _PERCENTAGES[spec.name]
    return Fraction(row[made], row[attempted]) if row[attempted] else None


def _rank(
    spec: _Stat, rows: list[dict[str, Any]], minimum: Callable[[int], int]
) -> list[LeaderEntry]:
    qualified: list[tuple[Fraction, dict[str, Any], bool]] = []
    short: list[tuple[Fraction, Fraction, dict[str, Any]]] = []
    for row in rows:
        value = _value(spec, row)
        if value is None:
            continue
        needed = minimum(row["team_games"])
        count = row["g"] if spec.kind == "per_game" else row[spec.column]
        if count >= needed:
            qualified.append((value, row, False))
        elif spec.kind == "per_game":
            short.append((Fraction(row[spec.column]) / needed, value, row))
    best = max((value for value, _, _ in qualified), default=Fraction(0))
    # The NBA's exception: his total over the minimum games would still lead the league.
    qualified += [(value, row, True) for spread, value, row in short if spread > best]
    qualified.sort(key=lambda item: (-item[0], item[1]["name"]))
    made, attempted = (
        _PERCENTAGES[spec.name][:2] if spec.kind == "percentage" else (spec.column, None)
    )
    entries: list[LeaderEntry] = []
    for position, (value, row, by_total) in enumerate(qualified, start=1):
        tied = position > 1 and value == qualified[position - 2][0]
        entries.append(
            LeaderEntry(
                rank=entries[-1].rank if tied else position,
                player=row["name"],
                player_id=row["player_id"],
                team=row["team"],
                g=row["g"],
                value=_display(spec, value),
                total=int(round_half_up(row[made], 1, 0)),
                attempts=row[attempted] if attempted else None,
                qualified_by_total=by_total,
            )
        )
    return entries


def _display(spec: _Stat, value: Fraction) -> float:
    places = {"percentage": 3, "per_game": 1, "total": 0}[spec.kind]
    return round_half_up(value, 1, places)
