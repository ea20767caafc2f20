"""run_sql: one read-only SELECT, checked by the parser, the session and (PostgreSQL) the role."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import re
import sqlite3
import time
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select, text

from nba_mcp.db.engine import make_engine
from nba_mcp.db.migrate import upgrade
from nba_mcp.db.models import Base
from nba_mcp.db.readonly import READONLY_ROLE, ensure_readonly_role, login_engine
from nba_mcp.errors import DependencyUnavailable, InvalidInput
from nba_mcp.ingest import bref
from nba_mcp.ingest.load import load_batch
from nba_mcp.queries.sql import (
    SqlResult,
    execute_readonly,
    json_safe,
    run_sql,
    sqlite_readonly_connection,
)
from nba_mcp.queries.sql_guard import check_select
from tests.conftest import BREF, PostgresServer

# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def reader(loaded_engine: Engine) -> Engine:
    """The shared database, with the read-only role in place on PostgreSQL."""
    ensure_readonly_role(loaded_engine)
    return loaded_engine


@pytest.fixture
def seeded(engine: Engine) -> Engine:
    """A fresh database holding one season row, with the read-only role."""
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO seasons (season, start_year) VALUES ('2015-16', 2015)"))
    ensure_readonly_role(engine)
    return engine


@pytest.fixture
def pg_engine(postgres: PostgresServer) -> Iterator[Engine]:
    url = postgres.create()
    engine = make_engine(url)
    upgrade(engine)
    ensure_readonly_role(engine)
    yield engine
    engine.dispose()
    postgres.drop(url)


@pytest.fixture
def sqlite_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'nba.sqlite3'}")
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO seasons (season, start_year) VALUES ('2015-16', 2015)"))
    yield engine
    engine.dispose()


def start_year(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT start_year FROM seasons")).scalar_one())


# --------------------------------------------------------------------------- reading


def test_counts_the_games_of_a_season(reader: Engine) -> None:
    result = run_sql(reader, query="SELECT COUNT(*) FROM games WHERE season = '2015-16'")

    assert result.rows == [[1316]]
    assert (result.row_count, result.truncated) == (1, False)
    assert len(result.columns) == 1
    assert result.elapsed_ms >= 0


def test_sums_curry_points_of_2015_16(reader: Engine) -> None:
    result = run_sql(
        reader,
        query="""
            SELECT p.full_name AS player, SUM(b.pts) AS pts, COUNT(*) AS games
            FROM player_box_scores b
            JOIN players p ON p.player_id = b.player_id
            JOIN games g ON g.game_id = b.game_id
            WHERE p.full_name = 'Stephen Curry' AND g.season = '2015-16'
              AND g.season_type = 'regular'
            GROUP BY p.full_name
        """,
    )

    assert result.columns == ["player", "pts", "games"]
    assert result.rows == [["Stephen Curry", 2375, 79]]


def test_dates_are_iso_strings_and_decimals_numbers(reader: Engine) -> None:
    result = run_sql(
        reader,
        query="SELECT game_id, game_date, home_score, away_score, CAST(7 AS DECIMAL(4, 1)) / 2 AS half "
        "FROM games WHERE game_id = '0021500001'",
    )

    assert result.columns == ["game_id", "game_date", "home_score", "away_score", "half"]
    assert result.rows == [["0021500001", "2015-10-27", 94, 106, 3.5]]
    assert json.loads(result.model_dump_json())["rows"] == result.rows


def test_percent_signs_and_semicolons_in_strings_are_data(reader: Engine) -> None:
    result = run_sql(reader, query="SELECT 7 % 4 AS r, 'a%b;c' AS s, 'it''s' AS q")

    assert result.rows == [[3, "a%b;c", "it's"]]


def test_limit_caps_rows_and_flags_truncation(reader: Engine) -> None:
    result = run_sql(
        reader,
        query="SELECT game_id FROM games WHERE season = '2015-16' ORDER BY game_id",
        limit=3,
    )

    assert result.rows == [["0021500001"], ["0021500002"], ["0021500003"]]
    assert (result.row_count, result.truncated) == (3, True)


@pytest.mark.parametrize(("limit", "truncated"), [(86, False), (85, True), (10_000, False)])
def test_truncated_only_when_rows_remain(reader: Engine, limit: int, truncated: bool) -> None:
    result = run_sql(
        reader,
        query="SELECT game_id FROM games WHERE season = '2015-16' AND season_type = 'playoffs'",
        limit=limit,
    )

    assert result.row_count == min(limit, 86)
    assert result.truncated is truncated


def test_a_huge_join_is_cut_by_the_row_cap(reader: Engine) -> None:
    result = run_sql(
        reader,
        query="SELECT a.pts FROM player_box_scores a, player_box_scores b, player_box_scores c",
        limit=4,
    )

    assert result.row_count == 4
    assert result.truncated
    assert result.truncated_by == "rows"


@pytest.mark.parametrize("limit", [0, -1, 10_001, True, 2.5])
def test_limit_out_of_range_is_rejected(reader: Engine, limit: int) -> None:
    with pytest.raises(InvalidInput, match="limit must be an integer from 1 to 10000"):
        run_sql(reader, query="SELECT 1", limit=limit)


@pytest.mark.parametrize("timeout", [0, -1, math.nan, 301])
def test_timeout_out_of_range_is_rejected(reader: Engine, timeout: float) -> None:
    with pytest.raises(InvalidInput, match="timeout_seconds must be above 0"):
        run_sql(reader, query="SELECT 1", timeout_seconds=timeout)


def test_database_errors_are_invalid_input(reader: Engine) -> None:
    with pytest.raises(InvalidInput, match=r"The database refused the query: .*no_such_column"):
        run_sql(reader, query="SELECT no_such_column FROM games")


def test_json_safe_converts_what_json_cannot_carry() -> None:
    values = [
        Decimal("1.25"),
        dt.date(2016, 4, 13),
        dt.datetime(2016, 4, 14, 2, 30, tzinfo=dt.UTC),
        dt.timedelta(minutes=2),
        b"\x00\xff",
        math.nan,
        -math.inf,
        uuid.UUID(int=1),
        (1, [Decimal("2")]),
        {"a": Decimal("0.5")},
        None,
        True,
    ]

    assert [json_safe(v) for v in values] == [
        1.25,
        "2016-04-13",
        "2016-04-14T02:30:00+00:00",
        120.0,
        "00ff",
        "NaN",
        "-Infinity",
        "00000000-0000-0000-0000-000000000001",
        [1, [2.0]],
        {"a": 0.5},
        None,
        True,
    ]


# --------------------------------------------------------------------------- rejected by the parser

REJECTED = [
    pytest.param("SELECT 1; DELETE FROM games", "multiple statements are not allowed", id="multi"),
    pytest.param("SELECT 1; SELECT 2", "multiple statements are not allowed", id="two-selects"),
    pytest.param(
        "INSERT INTO seasons (season, start_year) VALUES ('1999-00', 1999)",
        "only a single SELECT is allowed; found INSERT",
        id="insert",
    ),
    pytest.param(
        "UPDATE games SET home_score = 0",
        "only a single SELECT is allowed; found UPDATE",
        id="update",
    ),
    pytest.param(
        "DELETE FROM player_box_scores",
        "only a single SELECT is allowed; found DELETE",
        id="delete",
    ),
    pytest.param("DROP TABLE games", "only a single SELECT is allowed; found DROP", id="drop"),
    pytest.param(
        "CREATE TABLE t (x INTEGER)", "only a single SELECT is allowed; found CREATE", id="create"
    ),
    pytest.param(
        "CREATE TABLE t AS SELECT * FROM games",
        "only a single SELECT is allowed; found CREATE",
        id="create-as",
    ),
    pytest.param(
        "ALTER TABLE games ADD COLUMN x INTEGER",
        "only a single SELECT is allowed; found ALTER",
        id="alter",
    ),
    pytest.param(
        "TRUNCATE TABLE games", "only a single SELECT is allowed; found TRUNCATE", id="truncate"
    ),
    pytest.param(
        "WITH gone AS (DELETE FROM games RETURNING *) SELECT COUNT(*) FROM gone",
        "found DELETE inside the query",
        id="delete-in-cte",
    ),
    pytest.param(
        "WITH x AS (UPDATE games SET home_score = 0 RETURNING game_id) SELECT * FROM x",
        "found UPDATE inside the query",
        id="update-in-cte",
    ),
    pytest.param("WITH x AS (SELECT 1) DELETE FROM games", "found DELETE", id="dml-after-cte"),
    pytest.param(
        "SELECT * INTO games_copy FROM games",
        "found SELECT … INTO inside the query",
        id="select-into",
    ),
    pytest.param("SELECT pg_sleep(10)", "function pg_sleep is not allowed", id="pg_sleep"),
    pytest.param(
        "SELECT PG_CATALOG.PG_SLEEP(10)",
        "call functions by their plain name",
        id="pg_sleep-qualified",
    ),
    pytest.param("COPY games TO STDOUT", "only a single SELECT is allowed; found COPY", id="copy"),
    pytest.param(
        "ATTACH DATABASE 'x' AS y",
        # PostgreSQL has no ATTACH: sqlglot's postgres dialect does not parse it.
        "found ATTACH|does not parse",
        id="attach",
    ),
    pytest.param(
        "PRAGMA writable_schema=1", "only a single SELECT is allowed; found PRAGMA", id="pragma"
    ),
    pytest.param(
        "SELECT load_extension('x')", "function load_extension is not allowed", id="load_extension"
    ),
    pytest.param(
        "SELECT pg_read_file('/etc/passwd')",
        "function pg_read_file is not allowed",
        id="pg_read_file",
    ),
    pytest.param("SELECT pg_ls_dir('.')", "function pg_ls_dir is not allowed", id="pg_ls_dir"),
    pytest.param(
        "SELECT * FROM pg_ls_dir('.') AS f",
        "only tables may follow FROM",
        id="pg_ls_dir-in-from",
    ),
    pytest.param("SELECT * FROM games FOR UPDATE", "found FOR UPDATE", id="for-update"),
    pytest.param(
        "SELECT * FROM games WHERE game_id IN (SELECT game_id FROM games FOR SHARE)",
        "found FOR UPDATE/FOR SHARE inside the query",
        id="for-share-in-subquery",
    ),
    pytest.param(
        "SELECT set_config('role', 'postgres', true)",
        "function set_config is not allowed",
        id="set_config",
    ),
    pytest.param(
        "SELECT lo_import('/etc/passwd')", "function lo_import is not allowed", id="lo_import"
    ),
    pytest.param(
        "SELECT pg_advisory_lock(1)", "function pg_advisory_lock is not allowed", id="advisory-lock"
    ),
    pytest.param(
        "SELECT query_to_xml('DELETE FROM games', true, true, '')",
        "function query_to_xml is not allowed",
        id="sql-in-a-string",
    ),
    pytest.param("SELECT writefile('x', 'y')", "function writefile is not allowed", id="writefile"),
    pytest.param("VACUUM", "only a single SELECT is allowed; found VACUUM", id="vacuum"),
    pytest.param("BEGIN", "only a single SELECT is allowed; found BEGIN", id="begin"),
    pytest.param(
        "SET statement_timeout = 0", "only a single SELECT is allowed; found SET", id="set"
    ),
    pytest.param(
        "EXPLAIN ANALYZE DELETE FROM games",
        "only a single SELECT is allowed; found EXPLAIN",
        id="explain",
    ),
    pytest.param(
        "GRANT SELECT ON games TO PUBLIC",
        "only a single SELECT is allowed; found GRANT",
        id="grant",
    ),
    pytest.param("VALUES (1)", "only a single SELECT is allowed; found VALUES", id="values"),
    pytest.param("SELECT ?", "bind parameters are not supported", id="parameter"),
    pytest.param("SELEC 1", "does not parse", id="parse-error"),
    pytest.param("  -- nothing but a comment", "the query is empty", id="empty"),
]


@pytest.mark.parametrize(("query", "message"), REJECTED)
def test_rejected_before_reaching_the_database(reader: Engine, query: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=re.compile(message, re.IGNORECASE)):
        run_sql(reader, query=query)


def test_too_long_a_query_is_rejected() -> None:
    with pytest.raises(InvalidInput, match="too long"):
        check_select("SELECT 1" + " " * 20_000, dialect="sqlite")


@pytest.mark.parametrize("dialect", ["sqlite", "postgres"])
def test_what_runs_is_the_checked_tree_without_comments(dialect: str) -> None:
    checked = check_select(
        "SELECT game_id /* ; DELETE FROM games */ FROM games -- ; DROP TABLE games\n;",
        dialect=dialect,
    )

    assert checked == "SELECT game_id FROM games"


def test_sqlite_comments_do_not_nest_for_the_parser_either() -> None:
    # SQLite ends a block comment at the first */, so the DELETE is a statement there.
    with pytest.raises(InvalidInput, match=r"Multiple statements .* found SELECT, DELETE;"):
        check_select("SELECT 1 /* /* */ ; DELETE FROM games; /* */", dialect="sqlite")


def test_postgres_comments_nest_for_the_parser_as_they_do_for_postgres() -> None:
    checked = check_select("SELECT 1 /* /* */ ; DELETE FROM games; -- */", dialect="postgres")

    assert checked == "SELECT 1"


# --------------------------------------------------------------------------- timeouts


def test_a_query_past_its_deadline_is_stopped(reader: Engine) -> None:
    started = time.monotonic()

    with pytest.raises(InvalidInput, match=r"ran longer than 0\.2 s"):
        run_sql(
            reader,
            query="SELECT COUNT(*) FROM player_box_scores a, player_box_scores b",
            timeout_seconds=0.2,
        )

    assert time.monotonic() - started < 5


def test_a_heavy_cross_join_is_stopped(reader: Engine) -> None:
    with pytest.raises(InvalidInput, match=r"ran longer than 0\.3 s"):
        run_sql(
            reader,
            query="SELECT COUNT(*) FROM player_box_scores a, player_box_scores b, teams t",
            timeout_seconds=0.3,
        )


# --------------------------------------------------------------------------- the session holds without the parser


def test_executor_refuses_update_without_the_parser(seeded: Engine) -> None:
    with pytest.raises(InvalidInput, match="The database refused the query"):
        execute_readonly(
            login_engine(seeded), "UPDATE seasons SET start_year = 1999", limit=1, timeout_seconds=5
        )

    assert start_year(seeded) == 2015


def test_executor_refuses_stacked_statements_without_the_parser(seeded: Engine) -> None:
    with pytest.raises(InvalidInput, match=r"multiple commands|one statement at a time"):
        execute_readonly(
            login_engine(seeded),
            "SELECT 1; COMMIT; DELETE FROM seasons",
            limit=1,
            timeout_seconds=5,
        )

    assert start_year(seeded) == 2015


def test_executor_refuses_a_data_modifying_cte_without_the_parser(seeded: Engine) -> None:
    with pytest.raises(InvalidInput, match="The database refused the query"):
        execute_readonly(
            login_engine(seeded),
            "WITH gone AS (DELETE FROM seasons RETURNING *) SELECT * FROM gone",
            limit=1,
            timeout_seconds=5,
        )

    assert start_year(seeded) == 2015


def test_sqlite_connection_is_read_only_even_without_the_authorizer(
    sqlite_engine: Engine,
) -> None:
    conn = sqlite_readonly_connection(sqlite_engine, timeout_seconds=5)
    try:
        assert conn.execute("PRAGMA query_only").fetchone() == (1,)
        with pytest.raises(sqlite3.OperationalError, match="readonly database"):
            conn.execute("UPDATE seasons SET start_year = 1999")
        with pytest.raises(sqlite3.OperationalError, match="readonly database"):
            conn.execute("CREATE TABLE t (x INTEGER)")
    finally:
        conn.close()

    assert start_year(sqlite_engine) == 2015


def test_sqlite_authorizer_refuses_attach_and_pragma(sqlite_engine: Engine, tmp_path: Path) -> None:
    target = tmp_path / "attached.sqlite3"
    for statement in (f"ATTACH DATABASE '{target}' AS x", "PRAGMA query_only = OFF"):
        with pytest.raises(InvalidInput, match="not authorized"):
            execute_readonly(login_engine(sqlite_engine), statement, limit=1, timeout_seconds=5)

    assert not target.exists()


def test_sqlite_needs_a_database_file() -> None:
    engine = make_engine("sqlite:///:memory:")
    with pytest.raises(DependencyUnavailable, match="needs a SQLite database file"):
        run_sql(engine, query="SELECT 1")


@pytest.mark.postgres
def test_postgres_read_only_transaction_refuses_writes_inside_a_select(
    pg_engine: Engine,
) -> None:
    with pytest.raises(InvalidInput, match=r"read-only transaction|permission denied for sequence"):
        execute_readonly(
            login_engine(pg_engine),
            "SELECT nextval('players_player_id_seq')",
            limit=1,
            timeout_seconds=5,
        )


@pytest.mark.postgres
def test_postgres_login_alone_keeps_the_powers_away(pg_engine: Engine) -> None:
    # Without the checker: the login is what stops these.
    login = login_engine(pg_engine)
    who = execute_readonly(login, "SELECT session_user, current_user", limit=1, timeout_seconds=5)
    assert who.rows == [[READONLY_ROLE, READONLY_ROLE]]
    for statement, refusal in (
        ("SELECT pg_read_file('/etc/hostname')", "permission denied for function pg_read_file"),
        ("SELECT nextval('players_player_id_seq')", "permission denied for sequence"),
        ("SELECT * FROM api_keys", "permission denied for table api_keys"),
    ):
        with pytest.raises(InvalidInput, match=refusal):
            execute_readonly(login, statement, limit=1, timeout_seconds=5)


@pytest.mark.postgres
def test_postgres_tables_created_later_are_not_readable(pg_engine: Engine) -> None:
    with pg_engine.begin() as conn:
        conn.execute(text("CREATE TABLE later (x INTEGER)"))
        conn.execute(text("INSERT INTO later VALUES (7)"))
    ensure_readonly_role(pg_engine)  # a second time: idempotent, and grants no more

    with pytest.raises(InvalidInput, match="permission denied for table later"):
        execute_readonly(login_engine(pg_engine), "SELECT x FROM later", limit=1, timeout_seconds=5)
    with pytest.raises(InvalidInput, match="Table later is not readable"):
        run_sql(pg_engine, query="SELECT x FROM later")


@pytest.mark.postgres
def test_postgres_an_unknown_login_is_a_dependency_problem(pg_engine: Engine) -> None:
    missing = pg_engine.url.set(username=f"nba_mcp_missing_{uuid.uuid4().hex[:8]}")
    with pytest.raises(DependencyUnavailable, match="run_sql cannot connect as nba_mcp_missing_"):
        run_sql(
            pg_engine,
            query="SELECT 1 AS x FROM seasons",
            sql_url=missing.render_as_string(hide_password=False),
        )


@pytest.mark.postgres
def test_postgres_session_advisory_lock_does_not_outlive_the_query(pg_engine: Engine) -> None:
    key = 734_221
    execute_readonly(
        login_engine(pg_engine), f"SELECT pg_advisory_lock({key})", limit=1, timeout_seconds=5
    )

    other = make_engine(pg_engine.url.render_as_string(hide_password=False))
    try:
        with other.connect() as conn:
            taken = conn.execute(text(f"SELECT pg_try_advisory_lock({key})")).scalar_one()
            conn.execute(text(f"SELECT pg_advisory_unlock({key})"))
    finally:
        other.dispose()
    assert taken is True


def test_ensure_readonly_role_does_nothing_on_sqlite(sqlite_engine: Engine) -> None:
    ensure_readonly_role(sqlite_engine)

    assert run_sql(sqlite_engine, query="SELECT season FROM seasons").rows == [["2015-16"]]


# --------------------------------------------------------------------------- fuzz: nothing changes

TABLES = [t.name for t in Base.metadata.sorted_tables]
FRAGMENTS = [
    "SELECT", "INSERT INTO", "UPDATE", "SET", "DELETE FROM", "DROP TABLE", "CREATE TABLE",
    "ALTER TABLE", "TRUNCATE", "WITH", "AS", "RECURSIVE", ";", ";", "ATTACH DATABASE", "PRAGMA",
    "VACUUM", "REPLACE INTO", "INTO", "VALUES", "FROM", "WHERE", "RETURNING *", "UNION ALL",
    "FOR UPDATE", "COPY", "TO STDOUT", "BEGIN", "COMMIT", "ROLLBACK", "EXPLAIN ANALYZE",
    "SET ROLE postgres", "RESET ROLE", "DO", "CALL", "(", ")", "(", ")", ",", "*", "=", "1",
    "NULL", "pts = pts + 1", "season = '1999-00'", "version = version + 1", "x INTEGER",
    "pg_sleep(0.01)", "load_extension('x')", "set_config('role', 'postgres', false)",
    "lo_import('/etc/hostname')", "nextval('players_player_id_seq')", "pg_advisory_lock(1)",
    "writefile('fuzz.txt', 'x')", "readfile('/etc/hostname')", "random()", "COUNT(*)",
    "query_to_xml('DELETE FROM games', true, true, '')", "--", "-- ;\n", "/*", "*/",
    "/* ; DELETE FROM games; */", "\n", "'x'", "'; DELETE FROM games; --'", "''''", "'a;b'",
    "$$;DELETE FROM games;$$", "E'\\'; DELETE FROM games; --'", '"games"', "'", '"',
    "writable_schema = 1", "query_only = OFF", "'fuzz.sqlite3' AS f",
    # escape tricks: queries in strings, settings, catalogs, files, huge values
    "ts_stat('select set_config(''role'',''postgres'',true)')", "current_setting('role')",
    "set_config('session_authorization', 'postgres', false)", "SET SESSION AUTHORIZATION",
    "pg_shadow", "pg_authid", "information_schema.tables", "sqlite_master", "API_KEYS",
    "pragma_table_info('api_keys')", "query_to_xml('select key_hash from api_keys',true,true,'')",
    "schema_to_xml('public', true, true, '')", "pg_read_file('/etc/hostname')",
    "pg_terminate_backend(pg_backend_pid())", "repeat('x', 100000000)", "zeroblob(100000000)",
    "printf('%.*c', 100000000, 'x')", "lpad('x', 100000000)", "generate_series(1, 100000000)",
    "'x'::regclass", "\r", "\u00a0", "\u2028", "\x00", "\ud800",
    *TABLES,
]  # fmt: skip
WRITES = [
    "DELETE FROM player_box_scores",
    "DELETE FROM games WHERE game_id IN (SELECT game_id FROM games)",
    "UPDATE games SET home_score = home_score + 1",
    "UPDATE data_version SET version = version + 1",
    "INSERT INTO seasons (season, start_year) VALUES ('1999-00', 1999)",
    "REPLACE INTO seasons (season, start_year) VALUES ('1999-00', 1999)",
    "DROP TABLE player_box_scores",
    "CREATE TABLE fuzz AS SELECT * FROM games",
    "ALTER TABLE games RENAME TO fuzz",
    "TRUNCATE TABLE team_box_scores",
    "WITH gone AS (DELETE FROM games RETURNING *) SELECT * FROM gone",
    "WITH moved AS (UPDATE players SET full_name = 'x' RETURNING *) SELECT COUNT(*) FROM moved",
    "SELECT * INTO fuzz FROM games",
    "PRAGMA writable_schema = 1",
    "PRAGMA query_only = OFF",
    "ATTACH DATABASE 'fuzz.sqlite3' AS f",
    "VACUUM",
    "SELECT set_config('default_transaction_read_only', 'off', false)",
    "SELECT * FROM games FOR UPDATE",
    "COPY games TO STDOUT",
    "SELECT lo_unlink(1)",
]
PREFIXES = ["", "SELECT 1;", "SELECT 1 --\n", "/* x */ ", "SELECT 'a;b';", "BEGIN;", "COMMIT;"]
SUFFIXES = ["", ";", "; SELECT 1", " -- trailing", " RETURNING *", "; COMMIT", ")"]

SELECTS = [
    "SELECT COUNT(*) FROM games",
    "SELECT * FROM player_box_scores",
    "SELECT MAX(pts) FROM player_box_scores",
    "SELECT 1",
    "WITH x AS (SELECT * FROM games) SELECT game_id FROM x",
]
TAILS = [
    "",
    " LIMIT 1",
    " FOR UPDATE",
    "; DELETE FROM games",
    " -- ; DELETE FROM games",
    ")",
    " UNION ALL SELECT pg_sleep(1)",
]

statements = st.one_of(
    st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=14).map(" ".join),
    st.tuples(st.sampled_from(PREFIXES), st.sampled_from(WRITES), st.sampled_from(SUFFIXES)).map(
        "".join
    ),
    st.tuples(st.sampled_from(SELECTS), st.sampled_from(TAILS)).map("".join),
    st.text(alphabet="SELCTDUPAIN ;'\"-/*()$\\\n", max_size=40),
)


def fingerprint(engine: Engine) -> dict[str, tuple[int, str]]:
    """Row count and a checksum of every table, in primary-key order."""
    found = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            digest, count = hashlib.sha256(), 0
            for row in conn.execute(select(table).order_by(*table.primary_key.columns)):
                digest.update(repr(tuple(row)).encode())
                count += 1
            found[table.name] = (count, digest.hexdigest())
    return found


def row_counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            name: conn.execute(text(f"SELECT COUNT(*) FROM {name}")).scalar_one() for name in TABLES
        }


@pytest.fixture
def one_season(engine: Engine) -> Engine:
    load_batch(engine, bref.parse(BREF, "2015-16"))
    ensure_readonly_role(engine)
    return engine


def _files(directory: Path) -> set[str]:
    return {
        p.name for p in directory.iterdir() if not p.name.endswith(("-wal", "-shm", "-journal"))
    }


FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_no_statement_changes_a_row(one_season: Engine, tmp_path: Path) -> None:
    engine = one_season
    before, counts, files = fingerprint(engine), row_counts(engine), _files(tmp_path)
    ran: list[str] = []
    answered: list[str] = []

    @FUZZ
    @given(statement=statements)
    def attempt(statement: str) -> None:
        ran.append(statement)
        try:
            result = run_sql(engine, query=statement, limit=5, timeout_seconds=0.5)
        except InvalidInput:
            pass
        else:
            assert isinstance(result, SqlResult)
            answered.append(statement)
        assert row_counts(engine) == counts, statement

    attempt()

    assert answered, "the fuzz never reached the database"
    assert fingerprint(engine) == before, ran
    if engine.dialect.name == "postgresql":
        who = execute_readonly(
            login_engine(engine), "SELECT session_user, current_user", limit=1, timeout_seconds=5
        )
        assert who.rows == [[READONLY_ROLE, READONLY_ROLE]]
    assert _files(tmp_path) == files
    assert not any((Path.cwd() / name).exists() for name in ("fuzz.sqlite3", "fuzz.txt"))


def test_no_statement_changes_a_row_even_without_the_parser(
    one_season: Engine, tmp_path: Path
) -> None:
    engine = one_season
    before, counts, files = fingerprint(engine), row_counts(engine), _files(tmp_path)
    ran: list[str] = []

    @FUZZ
    @given(statement=statements)
    def attempt(statement: str) -> None:
        ran.append(statement)
        with contextlib.suppress(InvalidInput):
            execute_readonly(login_engine(engine), statement, limit=5, timeout_seconds=0.5)
        assert row_counts(engine) == counts, statement

    attempt()

    assert fingerprint(engine) == before, ran
    assert _files(tmp_path) == files
    assert not any((Path.cwd() / name).exists() for name in ("fuzz.sqlite3", "fuzz.txt"))


# --------------------------------------------------------------------------- service tables


@pytest.mark.parametrize("table", ["api_keys", "request_log"])
def test_the_service_tables_are_not_readable(reader: Engine, table: str) -> None:
    # API key hashes and the request log are the service's, not NBA data.
    with pytest.raises(InvalidInput, match=f"Table {table} is not readable"):
        run_sql(reader, query=f"SELECT * FROM {table}")
    # The engine refuses them too, without the checker.
    with pytest.raises(InvalidInput, match=r"prohibited|permission denied"):
        execute_readonly(login_engine(reader), f"SELECT * FROM {table}", limit=1, timeout_seconds=5)


def test_describe_schema_leaves_the_service_tables_out(reader: Engine) -> None:
    from nba_mcp.queries.schema import describe_schema

    with reader.connect() as conn:
        names = {table.name for table in describe_schema(conn).tables}
    assert "games" in names
    assert not names & {"api_keys", "request_log"}
