"""League leaders in any player or team stat, with the minimums a player needs to qualify.

``scope`` says whose leaders: ``player`` (the default) or ``team``. Some names exist in
both (``ortg``, ``drtg``, ``efg_pct``, ``tov_pct``, ...): the scope picks which. Every rule
below, with its source, is in ``docs/metrics.md`` ("Leaderboards").

Player minimums, pro-rated by the games of the player's team (``team games / 82``), as the
NBA and Basketball-Reference do in season and for shortened seasons:

- per-game stats: 70% of the team's games (58 of 82); a player with fewer games still
  qualifies if his total, spread over that minimum, would lead the league (the NBA's rule
  of 2013-14, http://stats.nba.com/help/statistical_minimums.html, as on
  Basketball-Reference's "Rate Statistic Requirements" page);
- FG% 300 field goals, 3P% 82 three-pointers, FT% 125 free throws made (same sources);
  eFG% the FG% rule (a field-goal percentage; Basketball-Reference states none);
- TS%: 500 true shooting attempts (FGA + 0.44 FTA), Basketball-Reference's rule;
- every other rate (PER, USG%, ORB% ... TOV%, ORtg, DRtg, WS/48, OBPM, DBPM, BPM): 1,500
  minutes played, Basketball-Reference's minutes rule (915 in the 50-game 1998-99);
- season totals (points, win shares, VORP, ...): none. Teams: none (every team is ranked).

A traded player is ranked once, on his season totals (``TOT``), against the most games any
of his teams played. Playoffs and play-in use the same ratios of the team's games in that
season type (not Basketball-Reference's playoff minimums). Lower is better, and the board
runs ascending, for ``drtg`` and ``tov_pct`` (players) and ``drtg``, ``tov_pct``,
``opp_efg_pct``, ``opp_ts_pct``, ``opp_ft_per_fga``, ``opp_pts_per_g`` (teams).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from pydantic import BaseModel, Field
from sqlalchemy import Connection, text

from nba_mcp.errors import InvalidInput, NotFound
from nba_mcp.queries.advanced import DIGITS
from nba_mcp.queries.boards import player_board, team_board
from nba_mcp.queries.memo import memoized
from nba_mcp.queries.seasons import check_season_type, loaded_seasons, resolve_season
from nba_mcp.rounding import figure, round_half_up

SOURCE = "https://www.basketball-reference.com/about/rate_stat_req.html"
MAX_LIMIT = 100
GAMES_SHARE = 0.70
FULL_SEASON = 82
MINUTES = 1500
TRUE_SHOOTING_ATTEMPTS = 500

Scope = Literal["player", "team"]
Kind = Literal["per_game", "total", "percentage", "true_shooting", "minutes", "team"]

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
    "efg_pct": ("fgm", "fga", 300, "Effective field goal percentage"),
}
_MINUTE_RATES = {
    "per": "Player efficiency rating",
    "usg_pct": "Usage percentage",
    "orb_pct": "Offensive rebound percentage",
    "drb_pct": "Defensive rebound percentage",
    "trb_pct": "Total rebound percentage",
    "ast_pct": "Assist percentage",
    "stl_pct": "Steal percentage",
    "blk_pct": "Block percentage",
    "tov_pct": "Turnover percentage",
    "ortg": "Offensive rating",
    "drtg": "Defensive rating",
    "ws_per_48": "Win shares per 48 minutes",
    "obpm": "Offensive box plus/minus",
    "dbpm": "Defensive box plus/minus",
    "bpm": "Box plus/minus",
}
ADVANCED_TOTALS = {
    "ows": "Offensive win shares",
    "dws": "Defensive win shares",
    "ws": "Win shares",
    "vorp": "Value over replacement player",
}
_TEAM = {
    "pace": ("Pace (possessions per 48 minutes)", 1),
    "ortg": ("Offensive rating", 1),
    "drtg": ("Defensive rating", 1),
    "net_rtg": ("Net rating", 1),
    "srs": ("Simple rating system", 2),
    "sos": ("Strength of schedule", 2),
    "mov": ("Margin of victory", 2),
    "win_pct": ("Win percentage", 3),
    "pts_per_g": ("Points per game", 1),
    "opp_pts_per_g": ("Opponents' points per game", 1),
    "ts_pct": ("True shooting percentage", 3),
    "opp_ts_pct": ("Opponents' true shooting percentage", 3),
    "efg_pct": ("Effective field goal percentage (four factors, offense)", 3),
    "tov_pct": ("Turnover percentage (four factors, offense)", 1),
    "orb_pct": ("Offensive rebound percentage (four factors, offense)", 1),
    "ft_per_fga": ("Free throws per field goal attempt (four factors, offense)", 3),
    "opp_efg_pct": ("Opponents' effective field goal percentage (four factors, defense)", 3),
    "opp_tov_pct": ("Opponents' turnover percentage (four factors, defense)", 1),
    "drb_pct": ("Defensive rebound percentage (four factors, defense)", 1),
    "opp_ft_per_fga": ("Opponents' free throws per field goal attempt (four factors, defense)", 3),
}
PLAYER_LOWER_IS_BETTER = frozenset({"drtg", "tov_pct"})
TEAM_LOWER_IS_BETTER = frozenset(
    {"drtg", "tov_pct", "opp_efg_pct", "opp_ts_pct", "opp_ft_per_fga", "opp_pts_per_g"}
)


@dataclass(frozen=True)
class Stat:
    """One rankable stat: the board ``column`` holding it and how a player qualifies."""

    name: str
    scope: Scope
    kind: Kind
    column: str
    label: str
    places: int
    ascending: bool = False
    count: str | None = None  # the board column the minimum applies to
    minimum: float = 0.0  # of ``count``, in an 82-game season


def _player_stats() -> dict[str, Stat]:
    stats: dict[str, Stat] = {}
    for name, label in _COUNTS.items():
        column = "mp" if name == "min" else name
        stats[name] = Stat(name, "player", "per_game", f"{column}_per_g",
                           f"{label} per game", 1, count="g")  # fmt: skip
        stats[f"{name}_total"] = Stat(f"{name}_total", "player", "total", column,
                                      f"{label}, total", 0)  # fmt: skip
    for name, (made, _, minimum, label) in _PERCENTAGES.items():
        stats[name] = Stat(name, "player", "percentage", name, label, 3, count=made,
                           minimum=minimum)  # fmt: skip
    stats["ts_pct"] = Stat("ts_pct", "player", "true_shooting", "ts_pct",
                           "True shooting percentage", 3, count="tsa",
                           minimum=TRUE_SHOOTING_ATTEMPTS)  # fmt: skip
    for name, label in _MINUTE_RATES.items():
        stats[name] = Stat(name, "player", "minutes", name, label, DIGITS[name],
                           ascending=name in PLAYER_LOWER_IS_BETTER, count="mp",
                           minimum=MINUTES)  # fmt: skip
    for name, label in ADVANCED_TOTALS.items():
        stats[name] = Stat(name, "player", "total", name, label, DIGITS[name])
    return stats


STATS = _player_stats()
"""Player stats by name."""
TEAM_STATS = {
    name: Stat(name, "team", "team", name, label, places, ascending=name in TEAM_LOWER_IS_BETTER)
    for name, (label, places) in _TEAM.items()
}
"""Team stats by name."""


class LeaderEntry(BaseModel):
    rank: int = Field(description="1 = leader; tied players (or teams) share a rank.")
    player: str | None = Field(description="The player; null on a team board.")
    player_id: int | None = Field(description="The player's id; null on a team board.")
    team: str = Field(description="Team abbreviation, or TOT for a player traded in season.")
    g: int = Field(description="Games played.")
    value: float = Field(
        description="The stat as Basketball-Reference shows it: per game to one decimal, "
        "a total, a fraction to 3 places, a rate or rating to 1 decimal."
    )
    mp: int | None = Field(description="Minutes played (players).")
    total: int | None = Field(
        description="The season total behind a per-game figure or a total, the makes behind "
        "a shooting percentage, the points behind TS%; null for advanced rates."
    )
    attempts: int | None = Field(description="Attempts, for a shooting percentage.")
    qualified_by_total: bool = Field(
        description="True when below the games minimum but his total would lead at it."
    )


class Leaders(BaseModel):
    stat: str
    scope: Scope = Field(description="Whose leaders: player or team.")
    description: str
    season: str
    season_type: str
    ascending: bool = Field(description="True when lower is better and the board runs up.")
    qualification: str = Field(description="The minimum a player needed to be ranked.")
    source: str = Field(description="Where the qualification rules come from.")
    leaders: list[LeaderEntry]


def rule_text(stat: Stat) -> str:
    """The minimum of ``stat`` in words."""
    if stat.kind == "per_game":
        return (
            "at least 70% of his team's games (58 of 82), or a total that would lead "
            "the league over that many games"
        )
    if stat.kind == "percentage":
        made = {"fgm": "field goals made", "fg3m": "three-pointers made", "ftm": "free throws made"}
        return (
            f"at least {stat.minimum:.0f} {made[stat.count or '']} in an 82-game season, "
            "pro-rated by his team's games"
        )
    if stat.kind == "true_shooting":
        return (
            f"at least {stat.minimum:.0f} true shooting attempts (FGA + 0.44 FTA) in an "
            "82-game season, pro-rated by his team's games"
        )
    if stat.kind == "minutes":
        return (
            f"at least {stat.minimum:,.0f} minutes in an 82-game season, pro-rated by his "
            "team's games"
        )
    return "none (a season total)" if stat.scope == "player" else "none (every team is ranked)"


def needed(stat: Stat, team_games: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The minimum of ``stat.count`` a player needs, given his team's games."""
    if stat.kind == "per_game":
        return np.ceil(GAMES_SHARE * team_games - 1e-9)
    if stat.kind == "percentage":
        return np.ceil(stat.minimum * team_games / FULL_SEASON - 1e-9)
    if stat.kind in ("true_shooting", "minutes"):
        return stat.minimum * team_games / FULL_SEASON
    return np.zeros_like(team_games)


def exact_values(stat: Stat, board: pd.DataFrame) -> npt.NDArray[np.float64]:
    """The values ``stat`` is ranked on. Per-game figures and shooting percentages are
    one division of two integers (so equal fractions are equal floats, and tie)."""
    if stat.kind == "per_game":
        if stat.column == "mp_per_g":
            return _divide(board["seconds"], 60 * board["g"])
        return _divide(board[stat.column.removesuffix("_per_g")], board["g"])
    if stat.kind == "percentage" and stat.name != "efg_pct":
        made, attempted, _, _ = _PERCENTAGES[stat.name]
        return _divide(board[made], board[attempted])
    return board[stat.column].to_numpy(dtype=np.float64)


def _divide(numerator: pd.Series[float], denominator: pd.Series[float]) -> npt.NDArray[np.float64]:
    top = numerator.to_numpy(dtype=np.float64)
    bottom = denominator.to_numpy(dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(bottom > 0, top / np.where(bottom > 0, bottom, 1.0), np.nan)


@dataclass(frozen=True)
class Ranking:
    """The qualified rows of a board, best first: positions in the board, values, ranks."""

    rows: npt.NDArray[np.intp]
    values: npt.NDArray[np.float64]
    ranks: npt.NDArray[np.intp]
    by_total: npt.NDArray[np.bool_]


def rank(stat: Stat, board: pd.DataFrame, *, ascending: bool | None = None) -> Ranking:
    """Rank ``board`` on ``stat`` under its minimum; ties (equal values) share a rank.

    ``ascending`` overrides the stat's own order (a comparison ranks turnovers per game
    lowest first; the leaderboard lists the most)."""
    values = exact_values(stat, board)
    valid = ~np.isnan(values)
    by_total = np.zeros(len(board), dtype=bool)
    if stat.count is None:
        qualified = valid
    else:
        minimum = needed(stat, board["team_games"].to_numpy(dtype=np.float64))
        count = board[stat.count].to_numpy(dtype=np.float64)
        qualified = valid & (count >= minimum)
        if stat.kind == "per_game":
            # The NBA's exception: his total over the minimum games would still lead.
            best = values[qualified].max(initial=-np.inf)
            total = board[stat.column.removesuffix("_per_g")] if stat.column != "mp_per_g" else None
            totals = (
                board["seconds"].to_numpy(dtype=np.float64) / 60.0
                if total is None
                else total.to_numpy(dtype=np.float64)
            )
            with np.errstate(divide="ignore", invalid="ignore"):
                spread = np.where(minimum > 0, totals / np.where(minimum > 0, minimum, 1), 0.0)
            by_total = valid & ~qualified & (spread > best)
            qualified = qualified | by_total
    rows = np.flatnonzero(qualified)
    up = stat.ascending if ascending is None else ascending
    names = board["name"].to_numpy(dtype=object)[rows].astype(str)
    keyed = values[rows] if up else -values[rows]
    order = np.lexsort((names, keyed))
    rows, ordered = rows[order], values[rows][order]
    positions = np.arange(1, len(rows) + 1)
    tied = np.concatenate(([False], ordered[1:] == ordered[:-1]))
    ranks = np.maximum.accumulate(np.where(tied, 0, positions))
    return Ranking(rows=rows, values=ordered, ranks=ranks, by_total=by_total[rows])


def display(stat: Stat, row: pd.Series[float], value: float) -> float:
    """``value`` as Basketball-Reference shows it, rounded half up (exactly, from the
    integer totals, for per-game figures and shooting percentages)."""
    if stat.kind == "per_game":
        if stat.column == "mp_per_g":
            return round_half_up(int(row["seconds"]), 60 * int(row["g"]), 1)
        return round_half_up(int(row[stat.column.removesuffix("_per_g")]), int(row["g"]), 1)
    if stat.kind == "percentage":
        made, attempted = int(row[_PERCENTAGES[stat.name][0]]), int(row[_PERCENTAGES[stat.name][1]])
        if stat.name == "efg_pct":
            return round_half_up(2 * made + int(row["fg3m"]), 2 * attempted, 3)
        return round_half_up(made, attempted, 3)
    if stat.kind == "true_shooting":
        tsa = int(row["fga"]) + Fraction(11, 25) * int(row["fta"])
        return round_half_up(int(row["pts"]), 2 * tsa, 3)
    if stat.kind == "total" and stat.column in ("mp", *(c for c in _COUNTS if c != "min")):
        if stat.column == "mp":
            return round_half_up(int(row["seconds"]), 60, 0)
        return float(int(row[stat.column]))
    shown = figure(value, stat.places)
    return math.nan if shown is None else shown


def find_stat(stat: str, scope: str) -> Stat:
    """The stat named ``stat`` in ``scope``; an unknown one names the valid ones."""
    if scope not in ("player", "team"):
        raise InvalidInput(f"Unknown scope {scope!r}; use player or team.")
    own, other = (STATS, TEAM_STATS) if scope == "player" else (TEAM_STATS, STATS)
    found = own.get(stat)
    if found is not None:
        return found
    hint = ""
    if stat in other:
        hint = f" {stat} is a {'team' if scope == 'player' else 'player'} stat: ask with " + (
            "scope='team'." if scope == "player" else "scope='player'."
        )
    raise InvalidInput(f"Unknown {scope} stat {stat!r}; use one of: {', '.join(own)}.{hint}")


def league_leaders(
    conn: Connection,
    *,
    stat: str,
    season: str | None = None,
    season_type: str = "regular",
    limit: int = 10,
    scope: str = "player",
) -> Leaders:
    """The league's leaders in ``stat`` for a season (default: the latest with player box
    scores; for teams, the latest loaded), ranked as Basketball-Reference ranks them, with
    its minimums to qualify (see the module).

    Player stats (``scope="player"``): per game ``pts reb oreb dreb ast stl blk tov pf fgm
    fga fg3m fg3a ftm fta min``; season totals ``pts_total`` ... ``min_total``; shooting
    ``fg_pct fg3_pct ft_pct efg_pct ts_pct``; advanced ``per usg_pct orb_pct drb_pct
    trb_pct ast_pct stl_pct blk_pct tov_pct ortg drtg ows dws ws ws_per_48 obpm dbpm bpm
    vorp``. Team stats (``scope="team"``): ``pace ortg drtg net_rtg srs sos mov win_pct
    pts_per_g opp_pts_per_g ts_pct opp_ts_pct`` and the four factors ``efg_pct tov_pct
    orb_pct ft_per_fga`` (offense) and ``opp_efg_pct opp_tov_pct drb_pct opp_ft_per_fga``
    (defense)."""
    spec = find_stat(stat, scope)
    check_season_type(season_type)
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit must be between 1 and {MAX_LIMIT}; got {limit}.")
    if spec.scope == "team":
        season = resolve_season(conn, season)
        board = team_board(conn, season=season, season_type=season_type)
    else:
        season = _season_with_players(conn, season)
        board = player_board(conn, season=season, season_type=season_type)
    rule = rule_text(spec)
    if season_type != "regular" and spec.count is not None:
        rule += (
            f" (the regular-season rule applied to his team's {season_type} games; "
            "not Basketball-Reference's playoff minimums)"
        )
    ranking = rank(spec, board)
    return Leaders(
        stat=stat,
        scope=spec.scope,
        description=spec.label,
        season=season,
        season_type=season_type,
        ascending=spec.ascending,
        qualification=rule,
        source=SOURCE,
        leaders=[_entry(spec, board, ranking, i) for i in range(min(limit, len(ranking.rows)))],
    )


def _entry(spec: Stat, board: pd.DataFrame, ranking: Ranking, i: int) -> LeaderEntry:
    row = board.iloc[int(ranking.rows[i])]
    if spec.scope == "team":
        return LeaderEntry(
            rank=int(ranking.ranks[i]), player=None, player_id=None, team=str(row["team"]),
            g=int(row["g"]), value=display(spec, row, float(ranking.values[i])), mp=None,
            total=None, attempts=None, qualified_by_total=False,
        )  # fmt: skip
    total: int | None = None
    attempts: int | None = None
    if spec.kind == "per_game":
        total = int(round_half_up(int(row["seconds"]), 60, 0)) if spec.column == "mp_per_g" else (
            int(row[spec.column.removesuffix("_per_g")])
        )  # fmt: skip
    elif spec.kind == "percentage":
        made, attempted, _, _ = _PERCENTAGES[spec.name]
        total, attempts = int(row[made]), int(row[attempted])
    elif spec.kind == "true_shooting":
        total = int(row["pts"])
    elif spec.kind == "total" and spec.name.endswith("_total"):
        total = int(display(spec, row, float(ranking.values[i])))
    return LeaderEntry(
        rank=int(ranking.ranks[i]),
        player=str(row["name"]),
        player_id=int(row["player_id"]),
        team=str(row["team"]),
        g=int(row["g"]),
        value=display(spec, row, float(ranking.values[i])),
        mp=int(round_half_up(int(row["seconds"]), 60, 0)),
        total=total,
        attempts=attempts,
        qualified_by_total=bool(ranking.by_total[i]),
    )


def _season_with_players(conn: Connection, season: str | None) -> str:
    """``season`` if loaded (default: the latest with player box scores)."""
    if season is not None:
        return resolve_season(conn, season)

    def build() -> str | None:
        found = conn.execute(
            text(
                "SELECT MAX(g.season) FROM games g WHERE EXISTS "
                "(SELECT 1 FROM player_box_scores b WHERE b.game_id = g.game_id)"
            )
        ).scalar()
        return None if found is None else str(found)

    latest = memoized(conn, "latest_player_season", (), build)
    if latest is None:
        raise NotFound("No player box scores are loaded yet.", candidates=loaded_seasons(conn))
    return latest
