"""The one table of display formats: labels and decimals as Basketball-Reference shows them."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, Engine

from nba_mcp.catalog.formats import FORMATS, fraction, labelled, minutes, per_game, show
from nba_mcp.queries.advanced import season_tables
from nba_mcp.queries.compare import NOT_STATS
from nba_mcp.queries.teams import TeamSeason


@pytest.mark.parametrize(
    ("stat", "value", "shown"),
    [
        ("mov", 1.8, "1.80"),  # two decimals for every team, as 10.76
        ("mov", 10.76, "10.76"),
        ("mov", 6.0, "6.00"),
        ("srs", -0.4, "-0.40"),
        ("mp", 2700.0, "2700"),  # totals in whole minutes
        ("mp", 2701.55, "2702"),  # Kevin Durant 2018-19, half up
        ("g", 69.0, "69"),
        ("pts", 2375, "2375"),
        ("mp_per_g", 34.25, "34.3"),  # half up, not to even
        ("ast_per_g", 7.25, "7.3"),
        ("pts_per_g", 30.0, "30.0"),
        ("ts_pct", 0.641, ".641"),
        ("ts_pct", 1.0, "1.000"),
        ("ws_per_48", -0.05, "-.050"),
        ("usg_pct", 32.6, "32.6"),
        ("bpm", -0.04, "0.0"),  # no "-0.0"
        ("ortg", 119.0, "119.0"),
        ("pts_per_36", 16.0, "16.0"),
        ("game_score", 40.2, "40.2"),
        ("ft_pct", None, "-"),
    ],
)
def test_a_stat_is_shown_with_its_decimals(stat: str, value: float | None, shown: str) -> None:
    assert show(stat, value) == shown


def test_labels_are_basketball_reference_headers() -> None:
    assert labelled("g", 69.0) == "G 69"
    assert labelled("ts_pct", 0.641) == "TS% .641"
    assert labelled("pts_per_g", 30.06) == "PTS/G 30.1"
    assert labelled("reb", 865) == "TRB 865"
    assert labelled("ws_per_48", 0.318) == "WS/48 .318"
    assert labelled("mov", 1.8) == "MOV 1.80"


def test_the_helpers_read_the_same_table() -> None:
    assert minutes(35.55) == show("mp_per_g", 35.55) == "35.6"
    assert per_game("ast", 7.25) == "7.3"
    assert fraction(0.9075) == ".908"  # Curry's 2015-16 FT%, 363 of 400, half up
    assert fraction(None) == "-"


def test_an_unknown_stat_is_shown_as_it_is() -> None:
    assert labelled("ortg_rel_adj", 1.25) == "ortg_rel_adj 1.25"


def test_every_team_season_figure_has_a_format() -> None:
    figures = {"pts_per_game": "pts_per_g", "opp_pts_per_game": "opp_pts_per_g"}
    numeric = [
        name
        for name, field in TeamSeason.model_fields.items()
        if field.annotation in (float, float | None)
    ]
    assert numeric
    for name in numeric:
        assert figures.get(name, name) in FORMATS, name


@pytest.fixture
def conn(loaded_engine: Engine) -> Connection:
    return loaded_engine.connect()


def test_every_stat_compare_players_takes_has_a_format(conn: Connection) -> None:
    with conn:
        players = season_tables(conn, season="2015-16", season_type="regular").players
    stats = [c for c in players.columns if c not in NOT_STATS]
    assert len(stats) > 90
    assert [s for s in stats if s not in FORMATS] == []
