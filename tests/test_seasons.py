"""Season labels and the dates a season's games fall between."""

from __future__ import annotations

import datetime as dt

import pytest

from nba_mcp.errors import InvalidInput
from nba_mcp.seasons import season_label, season_span, season_start_year


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


def test_a_season_runs_from_the_first_of_july_to_the_thirtieth_of_june() -> None:
    assert season_span("1999-00") == (dt.date(1999, 7, 1), dt.date(2000, 6, 30))
