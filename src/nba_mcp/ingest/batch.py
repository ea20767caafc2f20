"""A parsed, validated set of rows from one source, ready to be loaded in one transaction.

Every source (Basketball-Reference CSV, NBA.com CSV, NBA.com live) produces a
:class:`Batch`; :func:`nba_mcp.ingest.load.load_batch` writes any of them. Rows
are plain dicts keyed by column name. All rows of one table in one batch carry
the same keys, and those keys are the columns the load may set: a source never
blanks a column it does not know (NBA.com CSVs have no start time, say).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nba_mcp.boxscore import COUNTING_STATS
from nba_mcp.errors import IngestError, InvalidInput
from nba_mcp.seasons import season_span

Record = dict[str, Any]

#: The words the sources use for a season type, and ours (the schema's ``SEASON_TYPES``).
SOURCE_SEASON_TYPES = {
    "Regular Season": "regular",
    "regular_season": "regular",
    "Playoffs": "playoffs",
    "playoff": "playoffs",
    "playoffs": "playoffs",
    "play_in": "play_in",
    "PlayIn": "play_in",
}


def points(fgm: int, fg3m: int, ftm: int) -> int:
    return 2 * fgm + fg3m + ftm


@dataclass
class Batch:
    """Rows from one source. Players are referred to by ``bref_slug`` or ``person_id``."""

    source: str
    seasons: set[str] = field(default_factory=set)
    players: list[Record] = field(default_factory=list)
    games: list[Record] = field(default_factory=list)
    team_boxes: list[Record] = field(default_factory=list)
    player_boxes: list[Record] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def extend(self, other: Batch) -> None:
        self.seasons |= other.seasons
        self.players.extend(other.players)
        self.games.extend(other.games)
        self.team_boxes.extend(other.team_boxes)
        self.player_boxes.extend(other.player_boxes)
        self.files.extend(other.files)


def parse_directory(
    directory: Path,
    season: str | None,
    *,
    source: str,
    seasons_in: Callable[[Path], list[str]],
    parse_season: Callable[[Path, str], Batch],
    describe: str,
    expected: str,
) -> Batch:
    """Parse every season found in ``directory`` (or only ``season``) into one batch.

    ``describe`` names the source's files and ``expected`` the file that marks a season,
    for the errors.
    """
    if not directory.is_dir():
        raise InvalidInput(f"{directory} is not a directory.")
    available = seasons_in(directory)
    if season is not None:
        if season not in available:
            raise InvalidInput(
                f"No {describe} for {season} in {directory}; found: {', '.join(available) or 'none'}."
            )
        available = [season]
    if not available:
        raise InvalidInput(f"No {expected} in {directory}.")
    batch = Batch(source=source)
    for label in available:
        batch.extend(parse_season(directory, label))
    return batch


def stat_line(row: Any, columns: dict[str, str]) -> Record:
    """The 13 counting stats of one CSV row (``columns`` maps ours to the file's) plus points."""
    line = {stat: row.count(columns[stat]) for stat in COUNTING_STATS}
    line["pts"] = points(line["fgm"], line["fg3m"], line["ftm"])
    if line["fgm"] > line["fga"] or line["fg3m"] > line["fg3a"] or line["ftm"] > line["fta"]:
        raise row.fail(columns["fgm"], "more shots made than attempted")
    if line["fg3m"] > line["fgm"]:
        raise row.fail(columns["fg3m"], "more three-pointers made than field goals")
    return line


@dataclass(frozen=True)
class Where:
    """Where a row came from, for errors raised after parsing."""

    file: str
    line: int
    column: str | None = None

    def fail(self, reason: str) -> IngestError:
        return IngestError(file=self.file, line=self.line, column=self.column, reason=reason)


def check_points_add_up(
    games: Iterable[Record],
    boxes: Iterable[Record],
    where_game: dict[str, Where],
    where_box: dict[tuple[str, int], Where],
    what: str,
) -> None:
    """Refuse a batch in which the ``boxes`` of a team do not add up to its final score."""
    totals: dict[tuple[str, int], int] = defaultdict(int)
    for box in boxes:
        totals[box["game_id"], box["team_id"]] += box["pts"]
    for game in games:
        for side in ("home", "away"):
            key = (game["game_id"], game[f"{side}_team_id"])
            if key not in totals:
                continue
            final = game[f"{side}_score"]
            if totals[key] != final:
                game_where = where_game[game["game_id"]]
                raise where_box[key].fail(
                    f"the {what} points of team {key[1]} in game {key[0]} add up to "
                    f"{totals[key]}, but its final score is {final} "
                    f"({game_where.file} line {game_where.line})"
                )


def game_date_in_season(date: dt.date, season: str, where: Where) -> None:
    first, last = season_span(season)
    if not first <= date <= last:
        raise where.fail(f"the date {date} is not in season {season}")
