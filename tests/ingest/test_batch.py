"""Season labels and the points formula shared by every source."""

from __future__ import annotations

import pytest

from nba_mcp.errors import InvalidInput
from nba_mcp.ingest.batch import SEASON_TYPES, points, season_label, season_start_year


@pytest.mark.parametrize(
    ("start", "label"), [(2015, "2015-16"), (1999, "1999-00"), (2009, "2009-10")]
)
def test_season_label_and_start_year_are_inverse(start: int, label: str) -> None:
    assert season_label(start) == label
    assert season_start_year(label) == start


@pytest.mark.parametrize("label", ["2015", "2015-2016", "15-16", "2015/16", "abcd-ef"])
def test_a_season_must_be_written_like_2015_16(label: str) -> None:
    with pytest.raises(InvalidInput, match="A season is written like 2015-16"):
        season_start_year(label)


def test_a_season_whose_years_do_not_follow_each_other_is_refused() -> None:
    with pytest.raises(InvalidInput, match="the years must follow each other"):
        season_start_year("2015-17")


def test_points_are_two_per_field_goal_plus_threes_plus_free_throws() -> None:
    # Stephen Curry, 0021500003: 14 FG (5 threes), 7 FT, 40 points.
    assert points(14, 5, 7) == 40


def test_every_source_label_maps_to_a_schema_season_type() -> None:
    assert set(SEASON_TYPES.values()) == {"regular", "playoffs", "play_in"}
    assert SEASON_TYPES["Regular Season"] == SEASON_TYPES["regular_season"] == "regular"
    assert SEASON_TYPES["Playoffs"] == SEASON_TYPES["playoff"] == "playoffs"
