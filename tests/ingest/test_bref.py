"""Parsing Basketball-Reference files: everything is checked before anything is written."""

from __future__ import annotations

from pathlib import Path

import pytest

from nba_mcp.errors import IngestError, InvalidInput
from nba_mcp.ingest import bref
from nba_mcp.ingest.batch import Batch
from tests.conftest import BREF
from tests.ingest.files import CORRUPTIONS, copy_season, set_cells


def test_seasons_in_lists_the_shared_seasons() -> None:
    assert bref.seasons_in(BREF) == ["2015-16", "2018-19"]


@pytest.fixture(scope="module")
def batch() -> Batch:
    """The 2015-16 season parsed once for this module (read only)."""
    return bref.parse(BREF, "2015-16")


def test_a_season_parses_into_every_row_of_its_files(batch: Batch) -> None:
    assert batch.source == "bref"
    assert batch.seasons == {"2015-16"}
    assert (len(batch.games), len(batch.players)) == (1316, 478)
    assert (len(batch.team_boxes), len(batch.player_boxes)) == (2632, 27978)
    assert [Path(f).name for f in batch.files] == [
        "games_2015_2016.csv",
        "players_2015_2016.csv",
        "team_box_scores_2015_2016.csv",
        "player_box_scores_2015_2016.csv",
    ]


def test_a_game_keeps_its_nba_id_teams_scores_and_season_type(batch: Batch) -> None:
    game = next(g for g in batch.games if g["game_id"] == "0021500003")
    curry = next(
        b
        for b in batch.player_boxes
        if b["game_id"] == "0021500003" and b["bref_slug"] == "curryst01"
    )

    assert (game["home_team_id"], game["home_score"]) == (1610612744, 111)
    assert (game["away_team_id"], game["away_score"]) == (1610612740, 95)
    assert game["season_type"] == "regular"
    assert (curry["seconds"], curry["pts"], curry["fg3m"], curry["ast"]) == (2137, 40, 5, 7)
    assert {g["season_type"] for g in batch.games} == {"regular", "playoffs"}


@pytest.mark.parametrize("name", CORRUPTIONS)
def test_a_corrupt_file_is_refused_naming_file_line_column_and_reason(
    name: str, corrupted: dict[str, Path]
) -> None:
    expected = CORRUPTIONS[name]

    with pytest.raises(IngestError) as raised:
        bref.parse(corrupted[name])

    error = raised.value
    assert (error.file, error.line, error.column) == (expected.file, expected.line, expected.column)
    assert error.reason == expected.reason
    assert str(error) == expected.message


def test_points_that_contradict_the_shots_are_refused(tmp_path: Path) -> None:
    directory = copy_season(tmp_path, "2018-19", games={"0021800001"})
    set_cells(directory / "player_box_scores_2018_2019.csv", line=2, points="99")

    with pytest.raises(IngestError, match=r"line 2, column 'points': points 99 differ from"):
        bref.parse(directory)


def test_a_player_missing_from_the_players_file_is_refused(tmp_path: Path) -> None:
    directory = copy_season(tmp_path, "2018-19", games={"0021800001"})
    set_cells(directory / "player_box_scores_2018_2019.csv", line=3, slug="nobody01")

    with pytest.raises(IngestError) as raised:
        bref.parse(directory)

    assert str(raised.value) == (
        "player_box_scores_2018_2019.csv, line 3, column 'slug': "
        "player 'nobody01' is not in players_2018_2019.csv"
    )


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    directory = copy_season(tmp_path, "2018-19", games={"0021800001"})
    (directory / "team_box_scores_2018_2019.csv").unlink()

    with pytest.raises(IngestError, match=r"^team_box_scores_2018_2019.csv: the file is missing$"):
        bref.parse(directory)


def test_a_season_not_in_the_directory_lists_those_that_are() -> None:
    with pytest.raises(
        InvalidInput,
        match=r"No Basketball-Reference files for 2016-17 .*found: 2015-16, 2018-19\.$",
    ):
        bref.parse(BREF, "2016-17")


def test_a_directory_without_games_files_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match=r"No games_<year>_<year>\.csv file"):
        bref.parse(tmp_path)
    with pytest.raises(InvalidInput, match="is not a directory"):
        bref.parse(tmp_path / "nowhere")
