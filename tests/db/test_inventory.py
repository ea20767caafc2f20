"""What is loaded per season and season type, as the load report and the coverage show it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine

from nba_mcp.db.inventory import SeasonCoverage, season_coverage


def test_each_season_type_counts_its_games_dates_teams_and_players(
    loaded_engine: Engine,
) -> None:
    with loaded_engine.connect() as conn:
        seasons = season_coverage(conn)

    assert [(s.season, s.season_type) for s in seasons][:2] == [
        ("2015-16", "playoffs"),
        ("2015-16", "regular"),
    ]
    assert seasons[1] == SeasonCoverage(
        season="2015-16",
        season_type="regular",
        games=1230,
        first_date=dt.date(2015, 10, 27),
        last_date=dt.date(2016, 4, 13),
        teams=30,
        players_with_box_scores=476,
    )


def test_an_empty_database_has_no_seasons(engine: Engine) -> None:
    with engine.connect() as conn:
        assert season_coverage(conn) == []
