"""run_sql against an attacker: each reproducer of the hardening review, on its backend.

Each test names the trick it replays. The checker refuses it, and where the trick could
slip past a checker, the engine (the PostgreSQL login, the SQLite authorizer and limits)
is shown to stop it on its own, through ``execute_readonly``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text

from nba_mcp.db.engine import make_engine
from nba_mcp.db.migrate import upgrade
from nba_mcp.db.readonly import READONLY_ROLE, ensure_readonly_role, login_engine
from nba_mcp.errors import DependencyUnavailable, InvalidInput
from nba_mcp.queries.sql import execute_readonly, run_sql
from nba_mcp.queries.sql_guard import check_select
from tests.conftest import PostgresServer

TS_STAT_ESCALATION = (
    "SELECT (SELECT count(*) FROM ts_stat('select array_to_tsvector(ARRAY[set_config(''role'',"
    "''postgres'',true)])')) s, (SELECT string_agg(word, ' ') FROM ts_stat('select "
    "array_to_tsvector(ARRAY[name||'':''||key_hash]) from api_keys')) h"
)
#: Statements that tried to act as another role or reach outside the data (PostgreSQL).
POSTGRES_HOSTILE = [
    TS_STAT_ESCALATION,
    "SELECT set_config('role', 'postgres', true)",
    "SELECT set_config('session_authorization', 'postgres', true)",
    "SELECT current_setting('data_directory')",
    "SELECT pg_read_file('/etc/hostname')",
    "SELECT pg_read_binary_file('/etc/hostname')",
    "SELECT * FROM pg_shadow",
    "SELECT passwd FROM pg_catalog.pg_shadow",
    "SELECT lo_import('/etc/hostname')",
    "SELECT pg_terminate_backend(pg_backend_pid())",
    "SELECT pg_cancel_backend(1)",
    "SELECT pg_sleep(10)",
    "SELECT pg_sleep_for('10 seconds')",
    "SELECT pg_advisory_lock(1)",
    "SELECT nextval('players_player_id_seq')",
    "SELECT query_to_xml('select * from api_keys', true, true, '')",
    "SELECT table_to_xml('api_keys', true, true, '')",
    "SELECT schema_to_xml('public', true, true, '')",
    "SELECT database_to_xml(true, true, '')",
    "SELECT dblink('dbname=test', 'select 1')",
    "SELECT * FROM information_schema.tables",
    "SELECT repeat('x', 1000000) FROM generate_series(1, 1000)",
    "SELECT lpad('x', 1000000000)",
    "SELECT format('%1000000000s', 'x')",
    "WITH RECURSIVE t(s) AS (SELECT 'x' UNION ALL SELECT s || s FROM t) SELECT length(s) FROM t",
    "SELECT key_hash FROM API_KEYS",
    "SELECT * FROM public.request_log",
    "SELECT 'a\ud800'",
    "SELECT 1;\x00DELETE FROM seasons",
    "SELECT 'x'::regclass",
    "SELECT txid_current()",
    "SET ROLE postgres",
    "SET SESSION AUTHORIZATION postgres",
    "RESET ROLE",
]
#: The same for SQLite.
SQLITE_HOSTILE = [
    "SELECT count(*) FROM API_KEYS",
    "SELECT * FROM Request_Log",
    "SELECT sql FROM sqlite_master",
    "SELECT * FROM sqlite_schema",
    "SELECT * FROM main.api_keys",
    "SELECT * FROM pragma_table_info('api_keys')",
    "SELECT length(printf('%.*c', 2147483647, 'x'))",
    "SELECT zeroblob(1000000000) FROM games",
    "SELECT randomblob(1000000000)",
    "SELECT load_extension('x')",
    "SELECT readfile('/etc/hostname')",
    "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t",
    "ATTACH DATABASE '/tmp/x.sqlite3' AS x",
]


@pytest.fixture
def pg_engine(postgres: PostgresServer) -> Iterator[Engine]:
    url = postgres.create()
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO seasons (season, start_year) VALUES ('2015-16', 2015)"))
        conn.execute(
            text(
                "INSERT INTO api_keys (key_id, name, key_hash, scopes, created_at) "
                "VALUES ('k1', 'ops', :h, 'admin', now())"
            ),
            {"h": "f" * 64},
        )
    yield engine
    engine.dispose()
    postgres.drop(url)


def _whoami(engine: Engine) -> list[list[object]]:
    found = execute_readonly(
        login_engine(engine), "SELECT session_user, current_user", limit=1, timeout_seconds=5
    )
    return found.rows


@pytest.mark.postgres
@pytest.mark.parametrize("statement", POSTGRES_HOSTILE)
def test_postgres_hostile_statement_is_refused_and_the_login_stays_itself(
    pg_engine: Engine, statement: str
) -> None:
    assert _whoami(pg_engine) == [[READONLY_ROLE, READONLY_ROLE]]

    with pytest.raises(InvalidInput):
        run_sql(pg_engine, query=statement, timeout_seconds=2)
    # Without the checker, the engine refuses or bounds it on its own.
    started = time.monotonic()
    try:
        found = execute_readonly(
            login_engine(pg_engine), statement, limit=100, timeout_seconds=2, max_bytes=65_536
        )
    except (InvalidInput, DependencyUnavailable):  # refused, or it ended its own session
        pass
    else:
        assert "f" * 64 not in repr(found.rows)  # no key hash read
        assert found.truncated_by in (None, "bytes", "rows")
    assert time.monotonic() - started < 20, "the deadline did not hold"

    assert _whoami(pg_engine) == [[READONLY_ROLE, READONLY_ROLE]]
    with pg_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM api_keys")).scalar_one() == 1
        assert conn.execute(text("SELECT count(*) FROM seasons")).scalar_one() == 1


@pytest.mark.postgres
def test_postgres_ts_stat_cannot_set_the_role_nor_read_the_keys(pg_engine: Engine) -> None:
    # The checker refuses ts_stat; the login refuses what its text would do.
    with pytest.raises(InvalidInput, match=r"Only tables may follow FROM|not allowed"):
        run_sql(pg_engine, query=TS_STAT_ESCALATION)
    with pytest.raises(InvalidInput, match="permission denied"):
        execute_readonly(login_engine(pg_engine), TS_STAT_ESCALATION, limit=1, timeout_seconds=5)


@pytest.mark.postgres
def test_postgres_a_gigabyte_of_rows_is_cut_at_the_byte_cap(pg_engine: Engine) -> None:
    cap = 256 * 1024
    found = execute_readonly(
        login_engine(pg_engine),
        "SELECT repeat('x', 1000000) FROM generate_series(1, 1000)",
        limit=10_000,
        timeout_seconds=30,
        max_bytes=cap,
    )

    assert found.truncated_by == "bytes"
    assert found.rows == []  # the first row alone is past the cap: the server blanked it


@pytest.mark.postgres
def test_postgres_the_byte_cap_keeps_rows_whole_and_in_order(pg_engine: Engine) -> None:
    found = execute_readonly(
        login_engine(pg_engine),
        "SELECT n, repeat('y', 1000) AS pad FROM generate_series(1, 500) AS n ORDER BY n DESC",
        limit=10_000,
        timeout_seconds=30,
        max_bytes=20_000,
    )

    assert found.truncated_by == "bytes"
    assert 5 <= len(found.rows) < 20
    assert [row[0] for row in found.rows] == list(range(500, 500 - len(found.rows), -1))
    assert all(row[1] == "y" * 1000 for row in found.rows)


@pytest.mark.postgres
def test_postgres_a_string_doubling_cte_is_stopped(pg_engine: Engine) -> None:
    started = time.monotonic()
    with pytest.raises(InvalidInput):
        execute_readonly(
            login_engine(pg_engine),
            "WITH RECURSIVE t(s, n) AS (SELECT 'x'::text, 1 UNION ALL "
            "SELECT s || s, n + 1 FROM t WHERE n < 40) SELECT length(s) FROM t",
            limit=100,
            timeout_seconds=1,
        )
    assert time.monotonic() - started < 15


@pytest.mark.postgres
def test_postgres_a_superuser_login_is_refused(pg_engine: Engine) -> None:
    superuser = pg_engine.url.render_as_string(hide_password=False)
    with pytest.raises(
        DependencyUnavailable, match="refuses to run as postgres: it is a superuser"
    ):
        run_sql(pg_engine, query="SELECT season FROM seasons", sql_url=superuser)


@pytest.mark.postgres
def test_postgres_the_login_is_plain_and_reads_only_the_nba_tables(pg_engine: Engine) -> None:
    ensure_readonly_role(pg_engine, password="s3cret'; DROP ROLE x; --")
    with pg_engine.connect() as conn:
        role = conn.execute(
            text(
                "SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolreplication, "
                "rolbypassrls, rolinherit, rolpassword IS NOT NULL AS has_password "
                "FROM pg_authid WHERE rolname = :r"
            ),
            {"r": READONLY_ROLE},
        ).one()
        groups = conn.execute(
            text(
                "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member "
                "WHERE r.rolname = :r"
            ),
            {"r": READONLY_ROLE},
        ).scalar_one()
        readable = set(
            conn.execute(
                text(
                    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                    "WHERE n.nspname = 'public' AND c.relkind = 'r' "
                    "AND has_table_privilege(:r, c.oid, 'SELECT')"
                ),
                {"r": READONLY_ROLE},
            ).scalars()
        )
    assert tuple(role) == (True, False, False, False, False, False, False, True)
    assert groups == 0
    assert readable == {
        "seasons", "teams", "players", "player_names", "games", "team_box_scores",
        "player_box_scores", "data_version", "player_season_advanced", "team_season_advanced",
    }  # fmt: skip


#: The session's loaded database, its SQLite copy only.
SQLITE_ONLY = pytest.mark.parametrize("loaded_engine", ["sqlite"], indirect=True)


@SQLITE_ONLY
@pytest.mark.parametrize("statement", SQLITE_HOSTILE)
def test_sqlite_hostile_statement_is_refused(loaded_engine: Engine, statement: str) -> None:
    with pytest.raises(InvalidInput):
        run_sql(loaded_engine, query=statement, timeout_seconds=2)
    started = time.monotonic()
    with pytest.raises(InvalidInput):
        execute_readonly(loaded_engine, statement, limit=100, timeout_seconds=2)
    assert time.monotonic() - started < 10, "the deadline did not hold"


@SQLITE_ONLY
def test_sqlite_long_values_stop_at_the_byte_cap(loaded_engine: Engine) -> None:
    # Even a function the authorizer allows cannot build a value past the byte cap.
    with pytest.raises(InvalidInput, match="too big"):
        execute_readonly(
            loaded_engine,
            "SELECT group_concat(a.game_id || b.game_id) FROM games a, games b",
            limit=1,
            timeout_seconds=10,
            max_bytes=65_536,
        )


@SQLITE_ONLY
def test_sqlite_rows_are_cut_at_the_byte_cap(loaded_engine: Engine) -> None:
    found = run_sql(
        loaded_engine, query="SELECT * FROM player_box_scores", limit=10_000, max_bytes=50_000
    )

    assert found.truncated_by == "bytes"
    assert 0 < found.row_count < 10_000
    assert len(found.model_dump_json()) < 50_000 + 1_000


@pytest.mark.parametrize("dialect", ["sqlite", "postgres"])
def test_a_carriage_return_in_a_comment_makes_no_hidden_statement(dialect: str) -> None:
    # The review's reproducer: what runs is one SELECT reading seasons, whatever the
    # dialect's own comment rules; a DELETE never runs.
    checked = check_select("SELECT 1 --\rDELETE FROM seasons", dialect=dialect)
    assert checked.startswith("SELECT 1") and checked.endswith("FROM seasons")
    assert ";" not in checked


@pytest.mark.parametrize("dialect", ["sqlite", "postgres"])
def test_carriage_returns_end_comments_as_the_database_reads_them(dialect: str) -> None:
    with pytest.raises(InvalidInput, match="Multiple statements"):
        check_select("SELECT 1 FROM seasons; --\rDELETE FROM seasons", dialect=dialect)
    assert check_select("SELECT season --\rFROM seasons", dialect=dialect) == (
        "SELECT season FROM seasons"
    )


@pytest.mark.parametrize("dialect", ["sqlite", "postgres"])
def test_a_cte_cannot_shadow_a_table_read_elsewhere(dialect: str) -> None:
    for statement in (
        "WITH a AS (SELECT * FROM api_keys), api_keys AS (SELECT 1) SELECT * FROM a",
        "SELECT * FROM (WITH api_keys AS (SELECT 1 AS x) SELECT * FROM api_keys) y, api_keys",
    ):
        with pytest.raises(InvalidInput, match=r"not readable|at the start"):
            check_select(statement, dialect=dialect)
    assert check_select("WITH api_keys AS (SELECT 1 AS x) SELECT x FROM api_keys", dialect=dialect)


@pytest.mark.parametrize(
    "inputs",
    [
        {"pts": 1e308, "fga": 3e-308, "fta": 0.0},
        {"pts": 1.0, "fga": -1e10, "fta": 0.0},
        {"pts": float("inf"), "fga": 1.0, "fta": 0.0},
    ],
)
def test_calculate_metric_refuses_inputs_past_a_box_score(inputs: dict[str, float]) -> None:
    from nba_mcp.queries.calculator import calculate_metric

    with pytest.raises(InvalidInput, match="must be a number between"):
        calculate_metric(metric="ts_pct", inputs=inputs)


def test_calculate_metric_refuses_a_result_that_is_not_finite() -> None:
    from nba_mcp.queries.calculator import calculate_metric

    with pytest.raises(InvalidInput, match="no finite value"):
        calculate_metric(metric="ts_pct", inputs={"pts": 1e9, "fga": 1e-300, "fta": 0.0})


@pytest.mark.parametrize("dialect", ["sqlite", "postgres"])
@pytest.mark.parametrize(
    "statement",
    [
        "SELECT * FROM ROWS FROM (generate_series(1, 3))",  # a table node with no name
        "SELECT * FROM unnest(ARRAY[1, 2])",
        "SELECT * FROM LATERAL ts_stat('select 1') AS t",
    ],
)
def test_odd_from_clauses_are_refused_not_crashed_on(dialect: str, statement: str) -> None:
    with pytest.raises(InvalidInput):
        check_select(statement, dialect=dialect)


@settings(max_examples=300, deadline=None)
@given(
    query=st.one_of(
        st.text(max_size=200),
        st.lists(
            st.sampled_from(
                [
                    "SELECT",
                    "FROM",
                    "games",
                    "api_keys",
                    "(",
                    ")",
                    ",",
                    "*",
                    "WITH",
                    "AS",
                    "x",
                    "ROWS",
                    "LATERAL",
                    "ts_stat('s')",
                    "1",
                    "'a'",
                    ";",
                    "--",
                    "\r",
                    "::",
                    "regclass",
                    "JOIN",
                    "ON",
                    "UNION",
                    "ARRAY[1]",
                    "pg_catalog.",
                    "lower(",
                    "VALUES",
                ]
            ),
            max_size=20,
        ).map(" ".join),
    ),
    dialect=st.sampled_from(["sqlite", "postgres"]),
)
def test_the_checker_answers_any_text_with_sql_or_invalid_input(query: str, dialect: str) -> None:
    try:
        checked = check_select(query, dialect=dialect)
    except InvalidInput:
        return
    assert isinstance(checked, str) and checked.upper().startswith(("SELECT", "WITH", "("))
