"""calculate_metric: season metrics from a player's line with the season's context."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine

from nba_mcp.boxscore import COUNTING_STATS
from nba_mcp.errors import InvalidInput
from nba_mcp.queries.advanced import player_lines
from nba_mcp.queries.calculator import calculate_metric
from nba_mcp.queries.lookup import find_player
from nba_mcp.queries.totals import player_stints


@pytest.fixture
def conn(loaded_engine: Engine) -> Iterator[Connection]:
    with loaded_engine.connect() as connection:
        yield connection


def _line(conn: Connection, name: str, season: str) -> tuple[int, dict[str, float]]:
    player_id = find_player(conn, name=name).player_id
    [stint] = player_stints(conn, season=season, season_type="regular", player_id=player_id)
    line = {stat: float(stint[stat]) for stat in COUNTING_STATS}
    return player_id, {"g": stint["g"], "mp": stint["seconds"] / 60, **line}


@pytest.mark.parametrize(
    ("name", "season", "team", "metric", "published"),
    [
        ("Stephen Curry", "2015-16", "GSW", "per", 31.5),
        ("Stephen Curry", "2015-16", "GSW", "ws", 17.9),
        ("Stephen Curry", "2015-16", "GSW", "ws_per_48", 0.318),
        ("James Harden", "2018-19", "HOU", "ws", 15.2),
        ("James Harden", "2018-19", "HOU", "usg_pct", 40.5),
        ("James Harden", "2018-19", "HOU", "drtg", 108.0),  # published 108
    ],
)
def test_his_own_line_gives_his_published_figure(
    conn: Connection, name: str, season: str, team: str, metric: str, published: float
) -> None:
    player_id, line = _line(conn, name, season)
    result = calculate_metric(
        conn, metric=metric, inputs=line, season=season, team=team, player=name
    )
    [stored] = player_lines(conn, season=season, season_type="regular")[player_id]
    assert result.value == pytest.approx(stored.line[metric], abs=1e-9)  # the same formula
    assert result.display == published
    assert (result.season, result.team) == (season, team)
    assert result.source.startswith("https://www.basketball-reference.com/")


def test_bpm_is_computed_by_the_season_pipeline(conn: Connection) -> None:
    player_id, line = _line(conn, "Stephen Curry", "2015-16")
    result = calculate_metric(
        conn, metric="bpm", inputs=line, season="2015-16", team="GSW", player="Stephen Curry"
    )
    [stored] = player_lines(conn, season="2015-16", season_type="regular")[player_id]
    assert result.value == pytest.approx(stored.line["bpm"], abs=1e-9)


def test_a_hypothetical_player_is_one_more_stint_of_the_team(conn: Connection) -> None:
    _, line = _line(conn, "Stephen Curry", "2015-16")
    result = calculate_metric(conn, metric="per", inputs=line, season="2015-16", team="GSW")
    assert result.value is not None and 30.5 < result.value < 31.46  # the league scale moves


def test_a_season_metric_needs_a_season_and_a_team(conn: Connection) -> None:
    with pytest.raises(InvalidInput, match="needs a season and a team"):
        calculate_metric(conn, metric="per", inputs={"g": 1})
    with pytest.raises(InvalidInput, match=r"missing \['oreb'"):
        _, line = _line(conn, "Stephen Curry", "2015-16")
        del line["oreb"]
        calculate_metric(conn, metric="per", inputs=line, season="2015-16", team="GSW")


def test_scalar_formulas_have_a_display_value() -> None:
    result = calculate_metric(metric="ts_pct", inputs={"pts": 2375, "fga": 1598, "fta": 400})
    assert result.value == pytest.approx(2375 / (2 * (1598 + 0.44 * 400)))
    assert result.display == 0.669
