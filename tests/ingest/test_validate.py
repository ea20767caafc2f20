"""The consistency report run after every load."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from nba_mcp.ingest import bref
from nba_mcp.ingest.load import load_batch
from nba_mcp.ingest.validate import ValidationReport, validate


@pytest.fixture(scope="module")
def report(loaded_engine: Engine) -> ValidationReport:
    return validate(loaded_engine)


def test_every_error_check_passes_on_the_shared_data(report: ValidationReport) -> None:
    errors = {c.name: (c.checked, c.mismatch_count) for c in report.checks if c.severity == "error"}

    assert report.ok
    assert errors == {
        "player_points_equal_team_points": (5256, 0),
        "team_points_equal_final_score": (7896, 0),
        "two_team_boxes_per_game": (3948, 0),
        "full_regular_season_82_games": (90, 0),
    }


def test_table_counts_are_exact(report: ValidationReport) -> None:
    assert report.tables == {
        "seasons": 3,
        "teams": 30,
        "players": 5198,  # NBA.com's 5,198: every Basketball-Reference slug is linked to one
        "games": 3948,  # 1,316 + 1,312 + 1,320
        "team_box_scores": 7896,
        "player_box_scores": 55840,  # 27,978 + 27,862
    }


def test_season_summaries_count_games_teams_and_players(report: ValidationReport) -> None:
    assert [
        (s.season, s.season_type, s.games, s.teams, s.players_with_box_scores)
        for s in report.seasons
    ] == [
        ("2015-16", "playoffs", 86, 16, 215),
        ("2015-16", "regular", 1230, 30, 476),
        ("2018-19", "playoffs", 82, 16, 212),
        ("2018-19", "regular", 1230, 30, 530),
        ("2022-23", "play_in", 6, 8, 0),
        ("2022-23", "playoffs", 84, 16, 0),
        ("2022-23", "regular", 1230, 30, 0),
    ]


def test_team_turnovers_are_listed_as_known_differences(report: ValidationReport) -> None:
    tov = next(c for c in report.checks if c.name == "team_tov_equals_player_sum")

    assert tov.severity == "info"
    assert (tov.checked, tov.mismatch_count, len(tov.mismatches)) == (5256, 2276, 25)
    # game, team, official team figure, sum of the players
    assert tov.mismatches[:3] == [
        "0021500002 1610612739 11 10",
        "0021500003 1610612740 19 18",
        "0021500004 1610612753 16 14",
    ]


def test_other_official_totals_match_the_players_almost_everywhere(
    report: ValidationReport,
) -> None:
    counts = {c.name: c.mismatch_count for c in report.checks if c.severity == "info"}

    assert counts == {
        "team_fgm_equals_player_sum": 0,
        "team_fga_equals_player_sum": 3,
        "team_fg3m_equals_player_sum": 0,
        "team_fg3a_equals_player_sum": 2,
        "team_ftm_equals_player_sum": 0,
        "team_fta_equals_player_sum": 0,
        "team_oreb_equals_player_sum": 3,
        "team_dreb_equals_player_sum": 4,
        "team_ast_equals_player_sum": 1,
        "team_stl_equals_player_sum": 8,
        "team_blk_equals_player_sum": 3,
        "team_tov_equals_player_sum": 2276,
        "team_pf_equals_player_sum": 0,
    }


def test_a_team_box_that_contradicts_the_score_fails_the_report(
    engine: Engine, one_game: Path
) -> None:
    load_batch(engine, bref.parse(one_game))
    # One game is not a season: only the 82-games check fails before the change.
    assert [c.name for c in validate(engine).checks if not c.passed] == [
        "full_regular_season_82_games"
    ]
    with engine.begin() as conn:
        conn.execute(text("UPDATE team_box_scores SET pts = pts + 2 WHERE team_id = 1610612738"))

    report = validate(engine)

    failed = {c.name: c.mismatches for c in report.checks if not c.passed}
    assert not report.ok
    assert failed == {
        "player_points_equal_team_points": ["0021800001 1610612738 107 105"],
        "team_points_equal_final_score": ["0021800001 1610612738 107 105"],
        "full_regular_season_82_games": ["2018-19 1610612738 1", "2018-19 1610612755 1"],
    }


def test_an_empty_database_passes_with_nothing_checked(engine: Engine) -> None:
    report = validate(engine)

    assert report.ok
    assert set(report.tables.values()) == {0}
    assert report.seasons == []
