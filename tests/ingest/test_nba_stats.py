"""NBA.com team data merged into Basketball-Reference's games by game id (``loaded_engine``
holds both Basketball-Reference seasons, then the NBA.com data of all three)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from nba_mcp.errors import IngestError, InvalidInput
from nba_mcp.ingest import nba_stats
from tests.conftest import NBA_STATS
from tests.ingest.files import read, write

PLAY_IN_2023 = [
    "0052200101", "0052200111", "0052200121", "0052200131", "0052200201", "0052200211",
]  # fmt: skip


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def test_seasons_in_lists_the_three_shared_seasons() -> None:
    assert nba_stats.seasons_in(NBA_STATS) == ["2015-16", "2018-19", "2022-23"]


def test_2022_23_parses_into_games_and_team_boxes_without_player_boxes() -> None:
    batch = nba_stats.parse(NBA_STATS, "2022-23")
    with (NBA_STATS / "team_game_logs_2022-23.csv").open(newline="") as handle:
        in_file = Counter(row["game_type"] for row in csv.DictReader(handle))

    assert in_file == {"regular_season": 1230, "playoffs": 84, "play_in": 6}
    assert Counter(g["season_type"] for g in batch.games) == {
        "regular": 1230,
        "playoffs": 84,
        "play_in": 6,
    }
    assert (len(batch.team_boxes), batch.player_boxes, batch.players) == (2640, [], [])
    assert all(box["pts_q1"] is not None and box["minutes"] >= 240 for box in batch.team_boxes)


def test_official_totals_replace_bref_sums_in_the_same_games(loaded_engine: Engine) -> None:
    assert rows(
        loaded_engine,
        "SELECT g.season, t.source, COUNT(*) FROM team_box_scores t "
        "JOIN games g ON g.game_id = t.game_id GROUP BY g.season, t.source ORDER BY g.season",
    ) == [
        ("2015-16", "nba_stats", 2632),
        ("2018-19", "nba_stats", 2624),
        ("2022-23", "nba_stats", 2640),
    ]


def test_period_scores_come_from_the_linescores(loaded_engine: Engine) -> None:
    assert rows(
        loaded_engine,
        "SELECT t.team_id, t.pts_q1, t.pts_q2, t.pts_q3, t.pts_q4, t.pts_ot, t.pts "
        "FROM team_box_scores t WHERE t.game_id = '0021500003' ORDER BY t.is_home DESC",
    ) == [(1610612744, 39, 20, 35, 17, 0, 111), (1610612740, 35, 14, 26, 20, 0, 95)]


def test_official_turnovers_include_team_turnovers(loaded_engine: Engine) -> None:
    """NBA.com charges New Orleans 19 turnovers on 2015-10-27; its players account for 18."""
    assert rows(
        loaded_engine,
        "SELECT t.tov, SUM(p.tov) FROM team_box_scores t JOIN player_box_scores p "
        "ON p.game_id = t.game_id AND p.team_id = t.team_id "
        "WHERE t.game_id = '0021500003' AND t.team_id = 1610612740 GROUP BY t.tov",
    ) == [(19, 18)]


def test_2022_23_has_games_and_team_boxes_but_no_player_boxes(loaded_engine: Engine) -> None:
    assert rows(
        loaded_engine,
        "SELECT season_type, COUNT(*) FROM games WHERE season = '2022-23' "
        "GROUP BY season_type ORDER BY season_type",
    ) == [("play_in", 6), ("playoffs", 84), ("regular", 1230)]
    assert rows(
        loaded_engine,
        "SELECT COUNT(*) FROM team_box_scores t JOIN games g ON g.game_id = t.game_id "
        "WHERE g.season = '2022-23'",
    ) == [(2640,)]
    assert rows(
        loaded_engine,
        "SELECT COUNT(*) FROM player_box_scores p JOIN games g ON g.game_id = p.game_id "
        "WHERE g.season = '2022-23'",
    ) == [(0,)]


def test_play_in_games_are_labelled_play_in(loaded_engine: Engine) -> None:
    ids = rows(
        loaded_engine, "SELECT game_id FROM games WHERE season_type = 'play_in' ORDER BY game_id"
    )

    assert [game_id for (game_id,) in ids] == PLAY_IN_2023


def test_a_season_without_files_lists_the_seasons_found() -> None:
    with pytest.raises(InvalidInput, match=r"found: 2015-16, 2018-19, 2022-23\.$"):
        nba_stats.parse(NBA_STATS, "2019-20")


def test_period_scores_that_do_not_add_up_are_refused(tmp_path: Path) -> None:
    for path in NBA_STATS.glob("*_2022-23.csv"):
        header, body = read(path)
        write(tmp_path / path.name, header, body)
    header, body = read(tmp_path / "linescores_2022-23.csv")
    body[0][header.index("pts_qtr1_home")] = str(int(body[0][header.index("pts_qtr1_home")]) + 1)
    write(tmp_path / "linescores_2022-23.csv", header, body)

    with pytest.raises(IngestError) as raised:
        nba_stats.parse(tmp_path)

    assert (raised.value.file, raised.value.line, raised.value.column) == (
        "linescores_2022-23.csv",
        2,
        "pts_qtr1_home",
    )
    assert raised.value.reason.startswith("points by period add up to ")
