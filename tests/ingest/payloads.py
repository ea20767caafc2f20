"""LeagueGameLog payloads built from a few real 2018-19 games of the shared data.

Team rows (``PlayerOrTeam=T``) come from NBA.com's team game logs and advanced box
summaries (``nba_stats/``); player rows (``PlayerOrTeam=P``) from Basketball-Reference's
player box scores (``bref/``), their slugs mapped to NBA.com person ids and their
names taken from NBA.com's own list (bundled in ``nba_api``), as NBA.com would send
them. The games are chosen so that every player has a person id.
Data are read from the shared data (``tests.conftest.DATA``), never copied into the repository.
"""

from __future__ import annotations

import copy
import csv
from functools import lru_cache
from pathlib import Path
from typing import Any

from nba_api.stats.static import players, teams

from nba_mcp.ingest.bref import BOX_COLUMNS
from tests.conftest import DATA

SEASON = "2018-19"

#: Regular-season games: opening night (BOS-PHI, GSW-OKC) and an overtime game (POR-WAS).
REGULAR_GAMES = ("0021800001", "0021800002", "0021800046")
#: A playoff game: PHI-BKN, first round, game 1.
PLAYOFF_GAMES = ("0041800121",)

#: Our counting stats and Basketball-Reference's names for them.
BREF_STATS = BOX_COLUMNS
STATS = tuple(BREF_STATS)
TEAM_HEADERS = [
    "SEASON_ID", "TEAM_ID", "TEAM_ABBREVIATION", "TEAM_NAME", "GAME_ID", "GAME_DATE", "MATCHUP",
    "WL", "MIN", "FGM", "FGA", "FG_PCT", "FG3M", "FG3A", "FG3_PCT", "FTM", "FTA", "FT_PCT",
    "OREB", "DREB", "REB", "AST", "STL", "BLK", "TOV", "PF", "PTS", "PLUS_MINUS",
    "VIDEO_AVAILABLE",
]  # fmt: skip
PLAYER_HEADERS = [
    "SEASON_ID", "PLAYER_ID", "PLAYER_NAME", "TEAM_ID", "TEAM_ABBREVIATION", "TEAM_NAME",
    "GAME_ID", "GAME_DATE", "MATCHUP", "WL", "MIN", "FGM", "FGA", "FG_PCT", "FG3M", "FG3A",
    "FG3_PCT", "FTM", "FTA", "FT_PCT", "OREB", "DREB", "REB", "AST", "STL", "BLK", "TOV", "PF",
    "PTS", "PLUS_MINUS", "FANTASY_PTS", "VIDEO_AVAILABLE",
]  # fmt: skip
SEASON_ID_PREFIX = {"Regular Season": "2", "Playoffs": "4", "PlayIn": "5"}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@lru_cache(maxsize=1)
def team_sides() -> dict[tuple[str, int], dict[str, Any]]:
    """Every team-game of 2018-19 as NBA.com reports it: ids, date, home flag, minutes, box."""
    minutes = {
        (row["game_id"], int(row[f"team_id_{side}"])): int(row[f"minutes_{side}"])
        for row in _read(DATA / "nba_stats" / f"box_score_advanced_{SEASON}.csv")
        for side in ("home", "road")
    }
    sides = {}
    for row in _read(DATA / "nba_stats" / f"team_game_logs_{SEASON}.csv"):
        for side, other in (("home", "road"), ("road", "home")):
            team_id = int(row[f"team_id_{side}"])
            key = (row["game_id"], team_id)
            sides[key] = {
                "game_id": row["game_id"],
                "game_date": row["game_date"],
                "team_id": team_id,
                "opponent_id": int(row[f"team_id_{other}"]),
                "abbreviation": row[f"team_abbreviation_{side}"],
                "opponent": row[f"team_abbreviation_{other}"],
                "team_name": row[f"team_name_{side}"],
                "is_home": side == "home",
                "minutes": minutes[key],
                "pts": int(row[f"pts_{side}"]),
                "plus_minus": int(row[f"plus_minus_{side}"]),
                **{stat: int(row[f"{stat}_{side}"]) for stat in STATS},
            }
    return sides


@lru_cache(maxsize=1)
def player_lines() -> dict[tuple[str, str], dict[str, Any]]:
    """Basketball-Reference's player box scores of 2018-19 by (game id, slug)."""
    person = {
        row["slug"]: int(float(row["person_id"]))
        for row in _read(DATA / "bref" / "players_2018_2019.csv")
        if row["person_id"]
    }
    lines = {}
    for row in _read(DATA / "bref" / "player_box_scores_2018_2019.csv"):
        lines[row["nba_game_id"], row["slug"]] = {
            "game_id": row["nba_game_id"],
            "person_id": person.get(row["slug"]),
            "team_id": int(row["nba_team_id"]),
            "seconds_played": int(row["seconds_played"]),
            "is_home": row["location"] == "HOME",
            "won": row["outcome"] == "WIN",
            "pts": int(row["points"]),
            **{stat: int(row[BREF_STATS[stat]]) for stat in STATS},
        }
    return lines


def _pct(made: int, attempted: int) -> float:
    return round(made / attempted, 3) if attempted else 0.0


def _shooting(line: dict[str, Any]) -> dict[str, Any]:
    return {
        **{stat.upper(): line[stat] for stat in STATS},
        "FG_PCT": _pct(line["fgm"], line["fga"]),
        "FG3_PCT": _pct(line["fg3m"], line["fg3a"]),
        "FT_PCT": _pct(line["ftm"], line["fta"]),
        "REB": line["oreb"] + line["dreb"],
        "PTS": line["pts"],
    }


def _matchup(team: str, opponent: str, is_home: bool) -> str:
    return f"{team} vs. {opponent}" if is_home else f"{team} @ {opponent}"


def _payload(kind: str, season_type: str, headers: list[str], rows: list[dict[str, Any]]) -> Any:
    return {
        "resource": "leaguegamelog",
        "parameters": {
            "LeagueID": "00",
            "Season": SEASON,
            "SeasonType": season_type,
            "PlayerOrTeam": kind,
            "Counter": 0,
            "Sorter": "DATE",
            "Direction": "ASC",
            "DateFrom": None,
            "DateTo": None,
        },
        "resultSets": [
            {
                "name": "LeagueGameLog",
                "headers": headers,
                "rowSet": [[r[h] for h in headers] for r in rows],
            }
        ],
    }


def team_log(game_ids: tuple[str, ...], season_type: str = "Regular Season") -> Any:
    """The ``PlayerOrTeam=T`` answer holding ``game_ids``: one row per team per game."""
    rows = []
    for side in (s for (game_id, _), s in team_sides().items() if game_id in game_ids):
        rows.append(
            {
                "SEASON_ID": SEASON_ID_PREFIX[season_type] + SEASON[:4],
                "TEAM_ID": side["team_id"],
                "TEAM_ABBREVIATION": side["abbreviation"],
                "TEAM_NAME": side["team_name"],
                "GAME_ID": side["game_id"],
                "GAME_DATE": side["game_date"],
                "MATCHUP": _matchup(side["abbreviation"], side["opponent"], side["is_home"]),
                "WL": "W" if side["plus_minus"] > 0 else "L",
                "MIN": side["minutes"],
                "PLUS_MINUS": side["plus_minus"],
                "VIDEO_AVAILABLE": 1,
                **_shooting(side),
            }
        )
    return _payload("T", season_type, TEAM_HEADERS, rows)


def player_log(game_ids: tuple[str, ...], season_type: str = "Regular Season") -> Any:
    """The ``PlayerOrTeam=P`` answer holding ``game_ids``: one row per player per game."""
    sides = team_sides()
    rows = []
    for line in (v for (game_id, _), v in player_lines().items() if game_id in game_ids):
        assert line["person_id"] is not None, "choose games whose players all have person ids"
        side = sides[line["game_id"], line["team_id"]]
        team = teams.find_team_name_by_id(line["team_id"])
        rows.append(
            {
                "SEASON_ID": SEASON_ID_PREFIX[season_type] + SEASON[:4],
                "PLAYER_ID": line["person_id"],
                "PLAYER_NAME": players.find_player_by_id(line["person_id"])["full_name"],
                "TEAM_ID": line["team_id"],
                "TEAM_ABBREVIATION": team["abbreviation"],
                "TEAM_NAME": team["full_name"],
                "GAME_ID": line["game_id"],
                "GAME_DATE": side["game_date"],
                "MATCHUP": _matchup(side["abbreviation"], side["opponent"], side["is_home"]),
                "WL": "W" if line["won"] else "L",
                "MIN": minutes(line["seconds_played"]),
                "PLUS_MINUS": None,
                "FANTASY_PTS": fantasy_points(line),
                "VIDEO_AVAILABLE": 1,
                **_shooting(line),
            }
        )
    return _payload("P", season_type, PLAYER_HEADERS, rows)


def minutes(seconds: int) -> int:
    """Whole minutes, as LeagueGameLog reports them (half a minute rounds up)."""
    return (seconds + 30) // 60


def fantasy_points(line: dict[str, Any]) -> float:
    """NBA.com's fantasy points: PTS + 1.2 REB + 1.5 AST + 3 STL + 3 BLK - TOV."""
    rebounds: int = line["oreb"] + line["dreb"]
    score: float = line["pts"] + 1.2 * rebounds + 1.5 * line["ast"]
    total: float = score + 3 * (line["stl"] + line["blk"]) - line["tov"]
    return round(total, 1)


def set_cell(payload: Any, row: int, column: str, value: Any) -> Any:
    """A copy of ``payload`` whose ``row`` (0-based) holds ``value`` in ``column``."""
    changed = copy.deepcopy(payload)
    result = changed["resultSets"][0]
    result["rowSet"][row][result["headers"].index(column)] = value
    return changed


def drop_column(payload: Any, column: str) -> Any:
    """A copy of ``payload`` without ``column``."""
    changed = copy.deepcopy(payload)
    result = changed["resultSets"][0]
    index = result["headers"].index(column)
    del result["headers"][index]
    for values in result["rowSet"]:
        del values[index]
    return changed


def reversed_columns(payload: Any) -> Any:
    """A copy of ``payload`` whose columns come in the opposite order."""
    changed = copy.deepcopy(payload)
    result = changed["resultSets"][0]
    result["headers"].reverse()
    for values in result["rowSet"]:
        values.reverse()
    return changed
