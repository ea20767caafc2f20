"""The texts people read (MCP text content, CLI output): exact, on both backends."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine

from nba_mcp.catalog import render
from nba_mcp.queries import calculator, compare, games, leaders, players, teams


@pytest.fixture
def conn(loaded_engine: Engine) -> Iterator[Connection]:
    with loaded_engine.connect() as connection:
        yield connection


def test_the_2015_16_opener_reads_as_a_fan_would_tell_it(conn: Connection) -> None:
    text = render.game_box(games.game_box(conn, game_id="0021500003"))

    assert text == (
        "The Golden State Warriors beat the New Orleans Pelicans 111\u201395 at home on "
        "2015-10-27 (2015-16 regular season). Leading scorers: Stephen Curry 40 (GSW), "
        "Anthony Davis 18 (NOP). By quarter: NOP 35-14-26-20, GSW 39-20-35-17."
    )


def test_a_double_overtime_game_says_so_and_shows_the_overtimes_points_together(
    conn: Connection,
) -> None:
    game = games.game_box(conn, game_id="0021500022")  # OKC won at Orlando in 2OT
    assert game.overtimes == 2
    assert (game.home.totals.min, game.away.periods) == (290.0, [31, 22, 22, 42, 22])

    assert render.game_box(game) == (
        "The Oklahoma City Thunder beat the Orlando Magic 139\u2013136 in double overtime "
        "on the road on 2015-10-30 (2015-16 regular season). Leading scorers: Russell "
        "Westbrook 48 (OKC), Tobias Harris 30 (ORL). By quarter: OKC 31-22-22-42, "
        "ORL 35-32-26-24. Overtime (2 periods together): OKC 22, ORL 19."
    )


def test_quadruple_overtime_and_a_game_without_overtime(conn: Connection) -> None:
    four = games.game_box(conn, game_id="0021500391")  # Detroit won 147-144 at Chicago
    assert four.overtimes == 4
    assert render.game_box(four).startswith(
        "The Detroit Pistons beat the Chicago Bulls 147\u2013144 in quadruple overtime on "
        "the road on 2015-12-18"
    )
    assert render.game_box(four).endswith("Overtime (4 periods together): DET 42, CHI 39.")
    assert games.game_box(conn, game_id="0021500003").overtimes == 0


def test_compare_players_uses_labels_and_display_formats(conn: Connection) -> None:
    result = compare.compare_players(
        conn,
        players=["Stephen Curry", "James Harden"],
        season="2015-16",
        stats=["g", "mp", "pts_per_g", "ts_pct", "ws_per_48"],
    )
    lines = render.comparison(result).splitlines()

    assert lines[1].startswith(
        "  Stephen Curry (GSW): G 79 (#63), MP 2700 (#20), PTS/G 30.1 (#1), TS% .669 (#1), "
        "WS/48 .318"
    )
    assert lines[2].startswith("  James Harden (HOU): G 82 (#1), MP 3125 (#1), PTS/G 29.0 (#2)")


def test_minutes_are_whole_in_totals_and_one_decimal_per_game(conn: Connection) -> None:
    season = players.player_season(conn, player="Stephen Curry", season="2015-16")

    assert season.total.mp == 2700  # 161,998 seconds
    assert render.player_season(season).splitlines()[1] == (
        "  GSW: 79 G, 2700 MP; 34.2 MP, 30.1 PTS, 5.4 TRB, 6.7 AST, 2.1 STL, 0.2 BLK; "
        "FG% .504, 3P% .454, FT% .908"
    )
    durant = players.player_season(conn, player="Kevin Durant", season="2018-19")
    assert durant.total.mp == 2702  # 2,701.55 minutes, as Basketball-Reference shows them


def test_mov_has_two_decimals_for_every_team(conn: Connection) -> None:
    gsw = render.team_season(teams.team_season(conn, team="GSW", season="2015-16"))
    cle = render.team_season(teams.team_season(conn, team="CLE", season="2015-16"))

    assert "MOV 10.76, SRS 10.38," in gsw
    assert "MOV 6.00, SRS 5.45," in cle  # 492 points over 82 games: 6.00, not 6.0


def test_calculate_metric_rounds_the_text_and_keeps_the_value() -> None:
    result = calculator.calculate_metric(
        metric="ts_pct", inputs={"pts": 2375, "fga": 1598, "fta": 400}
    )

    assert result.value == pytest.approx(2375 / (2 * (1598 + 0.44 * 400)), abs=1e-12)
    assert render.metric(result) == "TS% = .669 (fraction): PTS / (2 * (FGA + 0.44 * FTA))"


def test_leaderboards_show_a_stat_with_its_own_decimals(conn: Connection) -> None:
    teams_board = render.leaders(
        leaders.league_leaders(conn, stat="mov", scope="team", season="2015-16", limit=5)
    ).splitlines()
    shooting = render.leaders(leaders.league_leaders(conn, stat="ts_pct", season="2015-16"))

    assert teams_board[1:] == [
        "  1. GSW (82 G): 10.76",
        "  2. SAS (82 G): 10.63",
        "  3. OKC (82 G): 7.28",
        "  4. CLE (82 G): 6.00",
        "  5. TOR (82 G): 4.50",
    ]
    assert "  1. Stephen Curry (GSW, 79 G): .669" in shooting.splitlines()
