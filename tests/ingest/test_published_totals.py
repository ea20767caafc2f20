"""After loading, season totals equal Basketball-Reference's published figures."""

from __future__ import annotations

from sqlalchemy import Engine

from nba_mcp.queries.players import player_season
from nba_mcp.queries.teams import team_season


def test_stephen_curry_2015_16(loaded_engine: Engine) -> None:
    with loaded_engine.connect() as conn:
        season = player_season(conn, player="Stephen Curry", season="2015-16")

    [row] = season.rows
    assert (row.team, row.g, row.mp) == ("GSW", 79, 2700.0)
    assert (row.totals.pts, row.totals.fg3m, row.totals.ast) == (2375, 402, 527)


def test_james_harden_2018_19(loaded_engine: Engine) -> None:
    with loaded_engine.connect() as conn:
        season = player_season(conn, player="James Harden", season="2018-19")

    assert (season.total.team, season.total.g, season.total.totals.pts) == ("HOU", 78, 2818)


def test_nikola_jokic_2018_19_found_without_the_accent(loaded_engine: Engine) -> None:
    with loaded_engine.connect() as conn:
        season = player_season(conn, player="Nikola Jokic", season="2018-19")

    assert season.player.name == "Nikola Jokić"
    total = season.total
    assert (total.g, total.totals.pts, total.totals.reb, total.totals.ast) == (80, 1604, 865, 580)


def test_golden_state_2015_16_went_73_9(loaded_engine: Engine) -> None:
    with loaded_engine.connect() as conn:
        season = team_season(conn, team="GSW", season="2015-16")

    assert (season.g, season.record.wins, season.record.losses) == (82, 73, 9)
