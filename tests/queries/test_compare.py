"""compare_players: advanced metrics with league ranks under the leaderboard's minimums."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, Engine

from nba_mcp.queries.compare import compare_players
from nba_mcp.queries.leaders import league_leaders


@pytest.fixture
def conn(loaded_engine: Engine) -> Iterator[Connection]:
    with loaded_engine.connect() as connection:
        yield connection


def test_advanced_ranks_match_the_leaderboards(conn: Connection) -> None:
    result = compare_players(
        conn,
        players=["James Harden", "Giannis Antetokounmpo", "Anthony Davis"],
        season="2018-19",
        stats=["per", "ws", "usg_pct", "drtg", "tov_pct", "ts_pct", "pts_per_g"],
    )
    harden, giannis, davis = (p.stats for p in result.players)
    assert (giannis["per"].value, giannis["per"].rank) == (30.9, 1)
    assert (harden["per"].value, harden["per"].rank) == (30.6, 2)
    assert (harden["ws"].value, harden["ws"].rank) == (15.2, 1)
    assert (harden["usg_pct"].value, harden["usg_pct"].rank) == (40.5, 1)
    # Davis: 56 games, under the 58 a per-game rank needs, but 1,850 minutes.
    assert davis["pts_per_g"].rank is None and not davis["pts_per_g"].qualified
    assert davis["per"].rank == 3
    for stat in ("per", "ws", "drtg", "tov_pct", "ts_pct"):
        board = league_leaders(conn, stat=stat, season="2018-19", limit=100).leaders
        ranks = {e.player_id: e.rank for e in board}
        for player, compared in zip(result.players, (harden, giannis, davis), strict=True):
            if compared[stat].rank is not None and compared[stat].rank <= 100:
                assert ranks[player.player.player_id] == compared[stat].rank


def test_lower_is_better_ranks_lowest_first(conn: Connection) -> None:
    """Giannis's DRtg 99.3 is second lowest in 2018-19 (Whiteside 99.1)."""
    result = compare_players(
        conn, players=["Giannis Antetokounmpo", "James Harden"], season="2018-19",
        stats=["drtg", "tov_per_g"],
    )  # fmt: skip
    giannis, harden = (p.stats for p in result.players)
    assert (giannis["drtg"].value, giannis["drtg"].rank) == (99.3, 2)
    assert harden["drtg"].rank is not None and harden["drtg"].rank > 2
    assert harden["tov_per_g"].rank is not None and giannis["tov_per_g"].rank is not None
    assert harden["tov_per_g"].rank > giannis["tov_per_g"].rank  # 5.0 a game, more is worse
    assert "1,500 minutes" in result.qualification["drtg"]
