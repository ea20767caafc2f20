"""Hostile SQL against run_sql, at length: nothing may change, escape, or outlive its deadline.

Sends ``--statements`` generated statements per backend (known escape tricks, and
random mixes of allowed and forbidden functions, tables, statements, comments, odd
whitespace and case) through ``run_sql`` on a database holding the shared data, with
the read-only login in place, then ``--engine-only`` more straight to the engine (no
checker), and prints for each: tried, refused, answered, statements past the timeout
(must be 0 through run_sql), the peak RSS of one database server process (PostgreSQL)
or of this process (SQLite, which runs in it); and for the backend: rows changed in any
table (must be 0), catalog changes (must be 0) and the login as seen after the run.

Without the checker a statement may still build one huge value inside a single function
call (``repeat('x', 1e9)``), which PostgreSQL cannot interrupt: the engine-only figures
show what the checker's allow-list saves, and the rows and catalog must still not move.

Exits 1 when a must-be-zero figure is not zero.

    uv run python benchmarks/fuzz_sql.py [--statements 10000] [--backend sqlite|postgresql]
        [--timeout 0.5] [--seed 7]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import resource
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from common import PG_URL, loaded
from sqlalchemy import Engine, select, text

from nba_mcp.db.models import Base
from nba_mcp.db.readonly import READONLY_ROLE, ensure_readonly_role, login_engine
from nba_mcp.errors import DependencyUnavailable, InvalidInput
from nba_mcp.queries.sql import execute_readonly, run_sql

TRICKS = [
    "SELECT (SELECT count(*) FROM ts_stat('select array_to_tsvector(ARRAY[set_config(''role'',''postgres'',true)])')) s",
    "SELECT string_agg(word, ' ') FROM ts_stat('select array_to_tsvector(ARRAY[name||'':''||key_hash]) from api_keys')",
    "SELECT set_config('role', 'postgres', true)", "SELECT set_config('session_authorization', 'postgres', false)",
    "SET ROLE postgres", "SET SESSION AUTHORIZATION postgres", "RESET ROLE", "SET LOCAL ROLE postgres",
    "SELECT current_setting('data_directory')", "SELECT pg_read_file('/etc/hostname')",
    "SELECT pg_read_binary_file('/etc/passwd')", "SELECT * FROM pg_ls_dir('.')", "SELECT lo_import('/etc/hostname')",
    "SELECT lo_export(1, '/tmp/x')", "SELECT pg_terminate_backend(pid) FROM pg_stat_activity",
    "SELECT pg_cancel_backend(1)", "SELECT pg_sleep(30)", "SELECT pg_advisory_lock(42)",
    "SELECT nextval('players_player_id_seq')", "SELECT setval('players_player_id_seq', 1)",
    "SELECT query_to_xml('delete from games', true, true, '')", "SELECT table_to_xml('api_keys', true, true, '')",
    "SELECT schema_to_xml('public', true, true, '')", "SELECT database_to_xml(true, true, '')",
    "SELECT cursor_to_xml('c', 1, true, true, '')", "SELECT dblink_exec('dbname=test', 'drop table games')",
    "SELECT * FROM pg_shadow", "SELECT * FROM pg_authid", "SELECT * FROM information_schema.role_table_grants",
    "SELECT key_hash FROM api_keys", "SELECT * FROM API_KEYS", 'SELECT * FROM "api_keys"', "SELECT * FROM public.request_log",
    "SELECT * FROM sqlite_master", "SELECT * FROM sqlite_schema", "SELECT * FROM pragma_table_info('api_keys')",
    "SELECT * FROM main.api_keys", "SELECT load_extension('/tmp/x')", "SELECT readfile('/etc/passwd')",
    "SELECT writefile('/tmp/x', 'y')", "SELECT length(printf('%.*c', 2147483647, 'x'))",
    "SELECT zeroblob(1000000000)", "SELECT randomblob(1000000000)", "SELECT repeat('x', 1000000000)",
    "SELECT repeat('x', 1000000) FROM generate_series(1, 1000)", "SELECT lpad('x', 1000000000)",
    "SELECT format('%1000000000s', 'x')", "WITH RECURSIVE t(s) AS (SELECT 'x' UNION ALL SELECT s || s FROM t) SELECT length(s) FROM t",
    "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c",
    "WITH a AS (SELECT * FROM api_keys), api_keys AS (SELECT 1) SELECT * FROM a",
    "SELECT * FROM (WITH api_keys AS (SELECT 1) SELECT * FROM api_keys) y, api_keys",
    "WITH gone AS (DELETE FROM games RETURNING *) SELECT count(*) FROM gone",
    "SELECT * INTO fuzz FROM games", "SELECT * FROM games FOR UPDATE", "COPY games TO STDOUT",
    "CREATE TEMP TABLE t AS SELECT 1", "ATTACH DATABASE '/tmp/fuzz.sqlite3' AS f", "PRAGMA writable_schema = 1",
    "PRAGMA query_only = OFF", "VACUUM", "BEGIN", "COMMIT", "SELECT 1; DELETE FROM games",
    "SELECT 1 --\rDELETE FROM seasons", "SELECT 1 /* */; DROP TABLE games", "SELECT 'a\ud800'",
    "SELECT 1;\x00DELETE FROM games", "SELECT\u00a01", "SELECT\u20281 FROM games", "SELECT 'x'::regclass",
    "SELECT txid_current()", "SELECT pg_catalog.lower('x')", "SELECT version()", "SELECT current_user",
    "SELECT * FROM ROWS FROM (generate_series(1, 3))", "SELECT * FROM unnest(ARRAY[1, 2])",
    "SELECT a.* FROM player_box_scores a, player_box_scores b, player_box_scores c",
    "SELECT count(*) FROM player_box_scores a, player_box_scores b",
    "SELECT string_agg(a.game_id || b.game_id, '') FROM games a, games b",
    "SELECT group_concat(a.game_id || b.game_id) FROM games a, games b",
]  # fmt: skip
TABLES = [t.name for t in Base.metadata.sorted_tables] + [
    "pg_roles", "pg_class", "pg_shadow", "information_schema.tables", "sqlite_master",
    "pg_catalog.pg_authid", "main.games", "public.games",
]  # fmt: skip
EXPRESSIONS = [
    "*", "1", "count(*)", "sum(pts)", "avg(pts)", "max(game_date)", "lower(season)",
    "round(avg(pts), 1)", "coalesce(pts, 0)", "season || 'x'", "rank() OVER (ORDER BY pts DESC)",
    "CAST(pts AS text)", "pts::int", "length(season)", "substr(season, 1, 4)", "pg_sleep(1)",
    "set_config('role', 'postgres', true)", "current_setting('role')", "repeat('x', 100000000)",
    "printf('%.*c', 100000000, 'x')", "zeroblob(100000000)", "version()", "random()",
    "(SELECT key_hash FROM api_keys LIMIT 1)", "(SELECT count(*) FROM pg_roles)",
    "nextval('players_player_id_seq')", "query_to_xml('select 1', true, true, '')",
    "ts_stat('select 1')", "lo_import('/etc/hostname')", "'x'::regclass", "ARRAY[1]",
    "pts ->> 'x'", "$1", "?", "pg_read_file('/etc/hostname')", "load_extension('x')",
]  # fmt: skip
TAILS = [
    "", " LIMIT 5", " WHERE pts > 30", " GROUP BY season", " ORDER BY 1 DESC", "; DELETE FROM games",
    " -- ; DROP TABLE games", " /* ; */ ; UPDATE games SET home_score = 0", " FOR UPDATE",
    " UNION ALL SELECT key_hash FROM api_keys", " UNION SELECT pg_sleep(5)", "\r; DELETE FROM seasons",
    " INTO fuzz", " RETURNING *", ")", "'", '"',
]  # fmt: skip
NOISE = ["", " ", "\t", "\n", "/**/", "--x\n", "\u00a0", "\u200b", "\r"]


def statement(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.25:
        text_ = rng.choice(TRICKS)
    else:
        expression = rng.choice(EXPRESSIONS)
        text_ = f"SELECT {expression} FROM {rng.choice(TABLES)}{rng.choice(TAILS)}"
        if kind > 0.85:
            text_ = f"WITH x AS ({text_}) SELECT * FROM x"
    if rng.random() < 0.3:
        text_ = "".join(c.upper() if rng.random() < 0.5 else c.lower() for c in text_)
    if rng.random() < 0.2:
        words = text_.split(" ")
        text_ = "".join(w + rng.choice(NOISE or [" "]) + " " for w in words).strip()
    return text_


def fingerprint(engine: Engine) -> str:
    """A checksum of every table, in primary-key order."""
    digest = hashlib.sha256()
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def catalog(engine: Engine) -> str:
    """A checksum of what defines objects, roles and their powers."""
    if engine.dialect.name == "sqlite":
        query = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY 1, 2"
    else:
        query = """
        SELECT 'class', c.relname || ':' || c.relkind::text || ':' || coalesce(c.relacl::text, '')
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname NOT IN ('pg_toast') AND c.relpersistence <> 't'
        UNION ALL SELECT 'role', concat_ws(':', rolname, rolsuper, rolcreaterole, rolcreatedb,
          rolcanlogin, rolreplication, rolbypassrls) FROM pg_roles
        UNION ALL SELECT 'member', roleid::text || ':' || member::text FROM pg_auth_members
        UNION ALL SELECT 'setting', setrole::text || ':' || array_to_string(setconfig, ',')
          FROM pg_db_role_setting
        UNION ALL SELECT 'proc', count(*)::text FROM pg_proc
        ORDER BY 1, 2"""
    with engine.connect() as conn:
        rows = conn.execute(text(query)).all()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


class ServerRss:
    """The largest RSS of one PostgreSQL server process, sampled every 50 ms."""

    def __init__(self) -> None:
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            found = subprocess.run(
                ["ps", "-C", "postgres", "-o", "rss="], capture_output=True, text=True
            ).stdout.split()
            self.peak_kib = max([self.peak_kib, *(int(v) for v in found)])

    def __enter__(self) -> ServerRss:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def take_peak(self) -> int:
        """The peak since the last call, and start over."""
        peak, self.peak_kib = self.peak_kib, 0
        return peak


@dataclass
class Tally:
    tried: int = 0
    refused: int = 0
    answered: int = 0
    ended: int = 0  # the statement ended its own session (pg_terminate_backend of itself)
    past: int = 0
    slowest: float = 0.0
    peak_kib: int = 0

    def line(self, label: str, timeout: float, rss_label: str) -> str:
        return (
            f"  {label}: tried {self.tried}, refused {self.refused}, answered {self.answered}, "
            f"ended by the server {self.ended}, past the timeout {self.past} (slowest "
            f"{self.slowest:.2f} s, timeout {timeout:g} s), peak {rss_label} RSS "
            f"{self.peak_kib / 1024:.0f} MiB"
        )


def _attempts(
    attempt: Callable[[str], object], queries: list[str], timeout: float, rss: ServerRss | None
) -> Tally:
    tally = Tally(tried=len(queries))
    for query in queries:
        began = time.monotonic()
        try:
            attempt(query)
        except InvalidInput:
            tally.refused += 1
        except DependencyUnavailable:
            tally.ended += 1
        else:
            tally.answered += 1
        took = time.monotonic() - began
        tally.slowest = max(tally.slowest, took)
        tally.past += took > timeout + 1.0
    tally.peak_kib = (
        rss.take_peak() if rss is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    )
    return tally


def fuzz(backend: str, *, count: int, engine_only: int, timeout: float, seed: int) -> bool:
    """``count`` statements through run_sql, then ``engine_only`` straight to the engine
    (no checker: the login or authorizer and the session must hold on their own)."""
    rng = random.Random(seed)
    queries = [statement(rng) for _ in range(count)]
    raw = [statement(rng) for _ in range(engine_only)]
    with loaded(backend) as engine:
        ensure_readonly_role(engine)
        before_rows, before_catalog = fingerprint(engine), catalog(engine)
        reader = login_engine(engine)
        rss = ServerRss() if backend == "postgresql" else None
        started = time.monotonic()
        with rss or _Nothing():
            checked = _attempts(
                lambda q: run_sql(engine, query=q, limit=50, timeout_seconds=timeout),
                queries, timeout, rss,
            )  # fmt: skip
            unchecked = _attempts(
                lambda q: execute_readonly(reader, q, limit=50, timeout_seconds=timeout),
                raw, timeout, rss,
            )  # fmt: skip
        elapsed = time.monotonic() - started
        changed = fingerprint(engine) != before_rows
        catalog_changed = catalog(engine) != before_catalog
        who = execute_readonly(
            reader, "SELECT session_user, current_user", limit=1, timeout_seconds=5
        ).rows if backend == "postgresql" else [["(sqlite)", "(sqlite)"]]  # fmt: skip
    rss_label = "server process" if rss is not None else "process"
    print(f"{backend}: rows changed {int(changed)}, catalog changes {int(catalog_changed)}, "
          f"login after {who[0]}, {elapsed:.0f} s")  # fmt: skip
    print(checked.line("through run_sql", timeout, rss_label))
    print(unchecked.line("straight to the engine, no checker", timeout, rss_label))
    login_ok = backend != "postgresql" or who == [[READONLY_ROLE, READONLY_ROLE]]
    return not changed and not catalog_changed and checked.past == 0 and login_ok


class _Nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *_: object) -> None:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--engine-only", type=int, default=2_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], action="append")
    parser.add_argument("--timeout", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--postgres", default=PG_URL)
    args = parser.parse_args()
    ok = True
    for backend in args.backend or ["sqlite", "postgresql"]:
        ok &= fuzz(
            backend,
            count=args.statements,
            engine_only=args.engine_only,
            timeout=args.timeout,
            seed=args.seed,
        )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
