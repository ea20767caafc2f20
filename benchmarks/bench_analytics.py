"""Analytics speed: every advanced metric of a season, one player's season, leaderboards.

Targets (issue "Analytics engine"): every metric for every player and team of one
season (~500 players, 30 teams), from the database to finished rows, in at most
250 ms on SQLite in a warm process; one player's season in at most 20 ms. Figures
are medians; the season computation is timed without the in-process cache, the
player's season with it (warm) and without it (cold: the season recomputed).
Issue 14: ``league_leaders`` on an advanced stat (``ws``, 2018-19) and on a team stat
(``net_rtg``), warm: median at most 20 ms on SQLite and PostgreSQL.

    uv run python benchmarks/bench_analytics.py [--repeat 15] [--skip-postgres]
"""

from __future__ import annotations

import argparse

from common import describe, loaded, timings

from nba_mcp.queries import advanced, memo
from nba_mcp.queries.leaders import league_leaders
from nba_mcp.queries.players import player_season


def bench(backend: str, repeat: int) -> None:
    with loaded(backend) as engine, engine.connect() as conn:
        for season in ("2015-16", "2018-19"):
            season_all = timings(
                lambda s=season: advanced.compute_season(conn, season=s, season_type="regular"),
                repeat=repeat,
            )
            rows = len(advanced.compute_season(conn, season=season, season_type="regular").players)
            print(
                f"{backend:<10} {season} all metrics, {rows} player rows + 30 teams: {describe(season_all)} (target median <= 250 ms on SQLite)"
            )
        warm = timings(
            lambda: player_season(conn, player="Stephen Curry", season="2015-16", advanced=True),
            repeat=repeat * 5,
        )
        print(f"{backend:<10} one player's season, warm: {describe(warm)} (target <= 20 ms)")

        for stat, scope in (("ws", "player"), ("per", "player"), ("net_rtg", "team")):
            board = timings(
                lambda st=stat, sc=scope: league_leaders(conn, stat=st, season="2018-19", scope=sc),
                repeat=repeat * 5,
            )
            print(
                f"{backend:<10} league_leaders {stat} ({scope}) 2018-19, warm: {describe(board)} (target median <= 20 ms)"
            )

        def cold() -> None:
            memo.clear()
            player_season(conn, player="Stephen Curry", season="2015-16", advanced=True)

        print(
            f"{backend:<10} one player's season, cold (season recomputed): {describe(timings(cold, repeat=repeat))}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    bench("sqlite", args.repeat)
    if not args.skip_postgres:
        bench("postgresql", args.repeat)


if __name__ == "__main__":
    main()
