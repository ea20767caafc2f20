"""Basketball-Reference box scores: ``games_``, ``teams_``, ``players_``,
``team_box_scores_`` and ``player_box_scores_<start>_<end>.csv`` per season.

Everything is parsed and cross-checked before anything is written: a file with
one bad row, or a game whose player points do not add up to its final score,
yields an :class:`~nba_mcp.errors.IngestError` and no batch.
"""

from __future__ import annotations

import re
from pathlib import Path

from nba_mcp.errors import IngestError
from nba_mcp.ingest.batch import (
    SOURCE_SEASON_TYPES,
    Batch,
    Where,
    check_points_add_up,
    game_date_in_season,
    parse_directory,
    stat_line,
)
from nba_mcp.ingest.csvrows import Row, read_rows
from nba_mcp.names import name_key
from nba_mcp.seasons import season_label

_GAMES_FILE = re.compile(r"^games_(\d{4})_(\d{4})\.csv$")

BOX_COLUMNS = {
    "fgm": "made_field_goals",
    "fga": "attempted_field_goals",
    "fg3m": "made_three_point_field_goals",
    "fg3a": "attempted_three_point_field_goals",
    "ftm": "made_free_throws",
    "fta": "attempted_free_throws",
    "oreb": "offensive_rebounds",
    "dreb": "defensive_rebounds",
    "ast": "assists",
    "stl": "steals",
    "blk": "blocks",
    "tov": "turnovers",
    "pf": "personal_fouls",
}
GAME_COLUMNS = (
    "game_date", "start_time", "away_team_score", "home_team_score", "season_type",
    "nba_game_id", "team_id_home", "team_id_road",
)  # fmt: skip
TEAM_BOX_COLUMNS = ("minutes_played", "nba_game_id", "nba_team_id", *BOX_COLUMNS.values())
PLAYER_BOX_COLUMNS = (
    "slug", "name", "seconds_played", "points", "nba_game_id", "nba_team_id",
    *BOX_COLUMNS.values(),
)  # fmt: skip


def seasons_in(directory: Path) -> list[str]:
    """The seasons whose games file is in ``directory``, oldest first."""
    found = []
    for path in directory.glob("games_*.csv"):
        match = _GAMES_FILE.match(path.name)
        if match and int(match[2]) == int(match[1]) + 1:
            found.append(season_label(int(match[1])))
    return sorted(found)


def parse(directory: Path, season: str | None = None) -> Batch:
    """Parse every season in ``directory`` (or just ``season``) into one batch."""
    return parse_directory(
        directory, season, source="bref", seasons_in=seasons_in, parse_season=parse_season,
        describe="Basketball-Reference files", expected="games_<year>_<year>.csv file",
    )  # fmt: skip


def _season_type(row: Row) -> str:
    raw = row.text("season_type")
    if raw not in SOURCE_SEASON_TYPES:
        raise row.fail("season_type", f"unknown season type {raw!r}")
    return SOURCE_SEASON_TYPES[raw]


def parse_season(directory: Path, season: str) -> Batch:
    suffix = f"{season[:4]}_{int(season[:4]) + 1}.csv"
    batch = Batch(source="bref", seasons={season})
    paths = {
        name: directory / f"{name}_{suffix}"
        for name in ("games", "players", "team_box_scores", "player_box_scores")
    }
    for path in paths.values():
        if not path.exists():
            raise IngestError(file=path.name, reason="the file is missing")
        batch.files.append(str(path))

    where_game: dict[str, Where] = {}
    for row in read_rows(paths["games"], GAME_COLUMNS):
        game_id = row.game_id("nba_game_id")
        if game_id in where_game:
            raise row.fail("nba_game_id", f"game {game_id} is listed twice")
        where_game[game_id] = Where(row.file, row.line, "home_team_score")
        game_date = row.date("game_date")
        game_date_in_season(game_date, season, where_game[game_id])
        game = {
            "game_id": game_id,
            "season": season,
            "season_type": _season_type(row),
            "game_date": game_date,
            "start_time": row.timestamp("start_time"),
            "home_team_id": row.int("team_id_home"),
            "away_team_id": row.int("team_id_road"),
            "home_score": row.count("home_team_score"),
            "away_score": row.count("away_team_score"),
        }
        if game["home_score"] == game["away_score"]:
            raise row.fail("home_team_score", "a game cannot end in a tie")
        batch.games.append(game)
    sides = {
        g["game_id"]: {g["home_team_id"]: g["away_team_id"], g["away_team_id"]: g["home_team_id"]}
        for g in batch.games
    }

    for row in read_rows(paths["players"], ("slug", "name", "person_id")):
        name = row.text("name")
        batch.players.append(
            {
                "bref_slug": row.text("slug"),
                "person_id": row.optional_int("person_id"),
                "full_name": name,
                "name_key": name_key(name),
            }
        )
    known_slugs = {p["bref_slug"] for p in batch.players}

    where_team_box: dict[tuple[str, int], Where] = {}
    for row in read_rows(paths["team_box_scores"], TEAM_BOX_COLUMNS):
        game_id, team_id = _game_and_team(row, sides)
        where_team_box[game_id, team_id] = Where(row.file, row.line, "made_field_goals")
        batch.team_boxes.append(
            {
                "game_id": game_id,
                "team_id": team_id,
                "opponent_id": sides[game_id][team_id],
                "is_home": None,
                "minutes": row.count("minutes_played"),
                "source": "bref",
                **stat_line(row, BOX_COLUMNS),
            }
        )
    homes = {g["game_id"]: g["home_team_id"] for g in batch.games}
    for box in batch.team_boxes:
        box["is_home"] = homes[box["game_id"]] == box["team_id"]

    where_player_box: dict[tuple[str, int], Where] = {}
    seen: set[tuple[str, str]] = set()
    for row in read_rows(paths["player_box_scores"], PLAYER_BOX_COLUMNS):
        game_id, team_id = _game_and_team(row, sides)
        slug = row.text("slug")
        if slug not in known_slugs:
            raise row.fail("slug", f"player {slug!r} is not in {paths['players'].name}")
        if (game_id, slug) in seen:
            raise row.fail("slug", f"player {slug!r} has two lines in game {game_id}")
        seen.add((game_id, slug))
        line = stat_line(row, BOX_COLUMNS)
        if row.count("points") != line["pts"]:
            raise row.fail(
                "points",
                f"points {row.count('points')} differ from 2*FGM + 3PM + FTM = {line['pts']}",
            )
        where_player_box.setdefault((game_id, team_id), Where(row.file, row.line, "points"))
        batch.player_boxes.append(
            {
                "game_id": game_id,
                "bref_slug": slug,
                "team_id": team_id,
                "seconds": row.count("seconds_played"),
                **line,
            }
        )

    check_points_add_up(batch.games, batch.team_boxes, where_game, where_team_box, "team box")
    check_points_add_up(batch.games, batch.player_boxes, where_game, where_player_box, "player")
    return batch


def _game_and_team(row: Row, sides: dict[str, dict[int, int]]) -> tuple[str, int]:
    game_id = row.game_id("nba_game_id")
    if game_id not in sides:
        raise row.fail("nba_game_id", f"game {game_id} is not in the games file")
    team_id = row.int("nba_team_id")
    if team_id not in sides[game_id]:
        raise row.fail("nba_team_id", f"team {team_id} did not play in game {game_id}")
    return game_id, team_id
