"""NBA.com team game logs, line scores and advanced box summaries, one set per season:
``team_game_logs_<season>.csv``, ``linescores_<season>.csv`` and
``box_score_advanced_<season>.csv`` (season written ``2015-16``).

They are merged into the same games as Basketball-Reference's by NBA.com game
id. They bring the official team totals (whose turnovers include team
turnovers), points per quarter, play-in and playoff labels and neutral sites;
a season with no Basketball-Reference files gets its games and team boxes
from here alone.
"""

from __future__ import annotations

import re
from pathlib import Path

from nba_mcp.boxscore import COUNTING_STATS
from nba_mcp.errors import IngestError
from nba_mcp.ingest.batch import (
    SOURCE_SEASON_TYPES,
    Batch,
    Record,
    Where,
    check_points_add_up,
    game_date_in_season,
    parse_directory,
    stat_line,
)
from nba_mcp.ingest.csvrows import Row, read_rows

_LOG_FILE = re.compile(r"^team_game_logs_(\d{4}-\d{2})\.csv$")
SIDES = {"home": "home", "road": "away"}
PERIODS = {
    "pts_q1": "pts_qtr1",
    "pts_q2": "pts_qtr2",
    "pts_q3": "pts_qtr3",
    "pts_q4": "pts_qtr4",
    "pts_ot": "pts_ot_total",
}


def seasons_in(directory: Path) -> list[str]:
    return sorted(
        m[1] for p in directory.glob("team_game_logs_*.csv") if (m := _LOG_FILE.match(p.name))
    )


def parse(directory: Path, season: str | None = None) -> Batch:
    """Parse every season in ``directory`` (or just ``season``) into one batch."""
    return parse_directory(
        directory, season, source="nba_stats", seasons_in=seasons_in, parse_season=parse_season,
        describe="NBA.com team game logs", expected="team_game_logs_<season>.csv file",
    )  # fmt: skip


def parse_season(directory: Path, season: str) -> Batch:
    batch = Batch(source="nba_stats", seasons={season})
    paths = {
        name: directory / f"{name}_{season}.csv"
        for name in ("team_game_logs", "linescores", "box_score_advanced")
    }
    for path in paths.values():
        if not path.exists():
            raise IngestError(file=path.name, reason="the file is missing")
        batch.files.append(str(path))

    where_game: dict[str, Where] = {}
    where_box: dict[tuple[str, int], Where] = {}
    boxes: dict[tuple[str, int], Record] = {}
    log_columns = ["game_id", "game_date", "season", "game_type", "neutral_site"]
    for side in SIDES:
        log_columns += [f"team_id_{side}", f"pts_{side}"] + [
            f"{stat}_{side}" for stat in COUNTING_STATS
        ]
    for row in read_rows(paths["team_game_logs"], log_columns):
        game_id = row.game_id("game_id")
        if game_id in where_game:
            raise row.fail("game_id", f"game {game_id} is listed twice")
        if row.text("season") != season:
            raise row.fail("season", f"expected season {season}, found {row.text('season')!r}")
        where_game[game_id] = Where(row.file, row.line, "pts_home")
        game_type = row.text("game_type")
        if game_type not in SOURCE_SEASON_TYPES:
            raise row.fail("game_type", f"unknown game type {game_type!r}")
        game: Record = {
            "game_id": game_id,
            "season": season,
            "season_type": SOURCE_SEASON_TYPES[game_type],
            "game_date": row.date("game_date"),
            "home_team_id": row.int("team_id_home"),
            "away_team_id": row.int("team_id_road"),
            "home_score": row.count("pts_home"),
            "away_score": row.count("pts_road"),
            "neutral_site": row.flag("neutral_site"),
        }
        game_date_in_season(game["game_date"], season, where_game[game_id])
        batch.games.append(game)
        for side, ours in SIDES.items():
            team_id = game[f"{ours}_team_id"]
            line = stat_line(row, {stat: f"{stat}_{side}" for stat in COUNTING_STATS})
            where_box[game_id, team_id] = Where(row.file, row.line, f"fgm_{side}")
            boxes[game_id, team_id] = {
                "game_id": game_id,
                "team_id": team_id,
                "opponent_id": game["home_team_id" if ours == "away" else "away_team_id"],
                "is_home": ours == "home",
                "source": "nba_stats",
                **line,
            }
    check_points_add_up(batch.games, boxes.values(), where_game, where_box, "official box")

    _merge(row_source=paths["linescores"], boxes=boxes, kind="linescores")
    _merge(row_source=paths["box_score_advanced"], boxes=boxes, kind="box_score_advanced")
    for key, box in boxes.items():
        if "minutes" not in box or "pts_q1" not in box:
            raise where_box[key].fail(
                f"game {key[0]} has no line in linescores or box_score_advanced"
            )
    batch.team_boxes = list(boxes.values())
    return batch


def _merge(*, row_source: Path, boxes: dict[tuple[str, int], Record], kind: str) -> None:
    required = ["game_id"]
    for side in SIDES:
        required.append(f"team_id_{side}")
        required += (
            [f"{c}_{side}" for c in PERIODS.values()] + [f"pts_{side}"]
            if kind == "linescores"
            else [f"minutes_{side}"]
        )
    for row in read_rows(row_source, required):
        game_id = row.game_id("game_id")
        for side in SIDES:
            box = _box_for(row, boxes, game_id, row.int(f"team_id_{side}"))
            if kind == "box_score_advanced":
                box["minutes"] = row.count(f"minutes_{side}")
                continue
            periods = {ours: row.count(f"{theirs}_{side}") for ours, theirs in PERIODS.items()}
            if sum(periods.values()) != box["pts"]:
                raise row.fail(
                    f"pts_qtr1_{side}",
                    f"points by period add up to {sum(periods.values())}, "
                    f"but the team scored {box['pts']}",
                )
            box.update(periods)


def _box_for(row: Row, boxes: dict[tuple[str, int], Record], game_id: str, team_id: int) -> Record:
    box = boxes.get((game_id, team_id))
    if box is None:
        raise row.fail("game_id", f"game {game_id} of team {team_id} is not in the team game logs")
    return box
