"""Ingest speed: one full Basketball-Reference season into SQLite and PostgreSQL.

Targets (issue "Foundation"): a fresh load of one season (~28k player rows,
2.6k team rows, 1.3k games) in at most 3 s on SQLite and 5 s on PostgreSQL; a
reload of unchanged data in at most 2 s. Each figure is the median of several
runs, parse included.

    uv run python benchmarks/bench_ingest.py [--runs 5] [--season 2015-16]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import statistics
import time

from common import DATA, PG_URL, database

from nba_mcp.db.engine import make_engine
from nba_mcp.db.migrate import upgrade
from nba_mcp.ingest import bref
from nba_mcp.ingest.load import load_batch

BREF = DATA / "bref"
TARGETS = {"sqlite": (3.0, 2.0), "postgresql": (5.0, 2.0)}


def timed_load(url: str, season: str) -> tuple[float, float, int]:
    engine = make_engine(url)
    upgrade(engine)
    start = time.perf_counter()
    first = load_batch(engine, bref.parse(BREF, season))
    fresh = time.perf_counter() - start
    start = time.perf_counter()
    again = load_batch(engine, bref.parse(BREF, season))
    reload = time.perf_counter() - start
    engine.dispose()
    assert again.total_changed == 0, "a reload of unchanged data changed rows"
    return (
        fresh,
        reload,
        sum(first.offered[t] for t in ("games", "team_box_scores", "player_box_scores")),
    )


def run(backend: str, runs: int, season: str, pg_url: str) -> None:
    fresh_times, reload_times, rows = [], [], 0
    for _ in range(runs):
        with database(backend, pg_url) as url:
            fresh, reload, rows = timed_load(url, season)
        fresh_times.append(fresh)
        reload_times.append(reload)
    fresh, reload = statistics.median(fresh_times), statistics.median(reload_times)
    fresh_target, reload_target = TARGETS[backend]
    print(
        f"{backend:<10} season {season}: {rows:,} rows | fresh load median {fresh:.2f} s "
        f"({rows / fresh:,.0f} rows/s, target <= {fresh_target:.0f} s) | reload median "
        f"{reload:.2f} s (target <= {reload_target:.0f} s) | runs {runs}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--season", default="2015-16")
    parser.add_argument("--postgres", default=PG_URL)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    run("sqlite", args.runs, args.season, args.postgres)
    if not args.skip_postgres:
        run("postgresql", args.runs, args.season, args.postgres)


if __name__ == "__main__":
    main()
