"""The points formula and the season-type words shared by every source."""

from __future__ import annotations

from nba_mcp.db.models import SEASON_TYPES
from nba_mcp.ingest.batch import SOURCE_SEASON_TYPES, points


def test_points_are_two_per_field_goal_plus_threes_plus_free_throws() -> None:
    # Stephen Curry, 0021500003: 14 FG (5 threes), 7 FT, 40 points.
    assert points(14, 5, 7) == 40


def test_every_source_label_maps_to_a_schema_season_type() -> None:
    assert set(SOURCE_SEASON_TYPES.values()) == set(SEASON_TYPES)
    assert (
        SOURCE_SEASON_TYPES["Regular Season"] == SOURCE_SEASON_TYPES["regular_season"] == "regular"
    )
    assert SOURCE_SEASON_TYPES["Playoffs"] == SOURCE_SEASON_TYPES["playoff"] == "playoffs"
