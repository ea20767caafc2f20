"""What the benchmarks share: the shared data, loaded databases and median timing."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from nba_mcp.db.engine import make_engine
from nba_mcp.db.migrate import upgrade
from nba_mcp.ingest import bref, nba_stats
from nba_mcp.ingest.load import load_batch
from nba_mcp.queries import advanced_tables

DATA = Path(
    os.environ.get("NBA_MCP_SHARED_DATA")
    or Path(__file__).resolve().parents[2] / "shared" / "data" / "nba"
)
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@contextmanager
def database(backend: str, pg_url: str = PG_URL) -> Iterator[str]:
    """The URL of a fresh, empty database on ``backend``, dropped afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield f"sqlite:///{tmp}/bench.sqlite3"
        return
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    name = f"nba_mcp_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def loaded(backend: str, pg_url: str = PG_URL) -> Iterator[Engine]:
    """An engine on a database holding all the shared data."""
    with database(backend, pg_url) as url:
        engine = make_engine(url)
        upgrade(engine)
        load_batch(engine, bref.parse(DATA / "bref"), derive=advanced_tables.rebuild)
        load_batch(engine, nba_stats.parse(DATA / "nba_stats"), derive=advanced_tables.rebuild)
        try:
            yield engine
        finally:
            engine.dispose()


def timings(run: Callable[[], object], *, repeat: int, warmup: int = 1) -> list[float]:
    """Seconds taken by each of ``repeat`` calls, after ``warmup`` untimed ones."""
    for _ in range(warmup):
        run()
    taken = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        taken.append(time.perf_counter() - started)
    return taken


def describe(taken: list[float]) -> str:
    """Median and 95th percentile in milliseconds."""
    ordered = sorted(taken)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"median {statistics.median(taken) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms (n={len(taken)})"
    )
