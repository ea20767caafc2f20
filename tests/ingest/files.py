"""Copies of the shared Basketball-Reference files, whole or cut down, to corrupt in tests."""

from __future__ import annotations

import csv
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import BREF

KINDS = ("games", "players", "team_box_scores", "player_box_scores")


def season_suffix(season: str) -> str:
    """``"2015-16"`` -> ``"2015_2016"``, as the file names write it."""
    start = int(season[:4])
    return f"{start}_{start + 1}"


def copy_season(dest: Path, season: str, *, games: Collection[str] | None = None) -> Path:
    """Copy one season's files into ``dest``; with ``games``, only the rows of those games."""
    dest.mkdir(parents=True, exist_ok=True)
    suffix = season_suffix(season)
    slugs: set[str] = set()
    for kind in ("games", "team_box_scores", "player_box_scores"):
        header, rows = read(BREF / f"{kind}_{suffix}.csv")
        if games is not None:
            rows = [row for row in rows if row[header.index("nba_game_id")] in games]
        if kind == "player_box_scores":
            slugs = {row[header.index("slug")] for row in rows}
        write(dest / f"{kind}_{suffix}.csv", header, rows)
    header, rows = read(BREF / f"players_{suffix}.csv")
    if games is not None:
        rows = [row for row in rows if row[header.index("slug")] in slugs]
    write(dest / f"players_{suffix}.csv", header, rows)
    return dest


def read(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        header, *rows = csv.reader(handle)
    return header, rows


def write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows([header, *rows])


def set_cells(path: Path, *, line: int, **values: str) -> dict[str, str]:
    """Overwrite cells of the record on file line ``line`` (the header is line 1).

    Returns the record as it was, so a caller can check what it changed.
    """
    header, rows = read(path)
    row = rows[line - 2]
    before = dict(zip(header, row, strict=True))
    for column, value in values.items():
        row[header.index(column)] = value
    write(path, header, rows)
    return before


def drop_column(path: Path, column: str) -> None:
    header, rows = read(path)
    index = header.index(column)
    write(
        path,
        [name for i, name in enumerate(header) if i != index],
        [[value for i, value in enumerate(row) if i != index] for row in rows],
    )


@dataclass(frozen=True)
class Corruption:
    """One way to break a copy of the 2015-16 files, and the error it must produce."""

    name: str
    apply: Callable[[Path], None]
    file: str
    line: int
    column: str
    reason: str

    @property
    def message(self) -> str:
        return f"{self.file}, line {self.line}, column {self.column!r}: {self.reason}"


def _letter_for_assists(directory: Path) -> None:
    before = set_cells(directory / "player_box_scores_2015_2016.csv", line=1001, assists="x")
    assert (before["slug"], before["assists"]) == ("willima01", "3")


def _no_turnovers_column(directory: Path) -> None:
    drop_column(directory / "team_box_scores_2015_2016.csv", "turnovers")


def _one_more_free_throw(directory: Path) -> None:
    """Draymond Green, 2016 Finals game 7: 5 of 5 free throws and 33 points instead of
    4 of 4 and 32. His line is consistent (2*FGM + 3PM + FTM = 33) but the Warriors'
    players now add up to 90 while the game ended 93-89."""
    before = set_cells(
        directory / "player_box_scores_2015_2016.csv",
        line=27962,
        made_free_throws="5",
        attempted_free_throws="5",
        points="33",
    )
    assert (before["slug"], before["nba_game_id"], before["points"]) == (
        "greendr01",
        "0041500407",
        "32",
    )
    assert (before["made_free_throws"], before["attempted_free_throws"]) == ("4", "4")


CORRUPTIONS = {
    c.name: c
    for c in (
        Corruption(
            "non_numeric_stat",
            _letter_for_assists,
            "player_box_scores_2015_2016.csv",
            1001,
            "assists",
            "expected a whole number, found 'x'",
        ),
        Corruption(
            "missing_column",
            _no_turnovers_column,
            "team_box_scores_2015_2016.csv",
            1,
            "turnovers",
            "required column(s) missing: turnovers",
        ),
        Corruption(
            "points_do_not_add_up",
            _one_more_free_throw,
            "player_box_scores_2015_2016.csv",
            27962,
            "points",
            "the player points of team 1610612744 in game 0041500407 add up to 90, "
            "but its final score is 89 (games_2015_2016.csv line 1317)",
        ),
    )
}
