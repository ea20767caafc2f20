"""What docs/mcp.md ("The SQL dialect of run_sql") says differs between the backends,
run through run_sql on the real data: each backend answers as the document says."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from nba_mcp.db.readonly import ensure_readonly_role
from nba_mcp.errors import InvalidInput
from nba_mcp.queries.sql import run_sql

DOC = (Path(__file__).resolve().parents[2] / "docs/mcp.md").read_text(encoding="utf-8")
SECTION = DOC.split("### The SQL dialect of `run_sql`", 1)[1].split("\n## ", 1)[0]
#: The Warriors' first home game of 2015-16, on both backends.
GAME = "game_id = '0021500003'"


@pytest.fixture(scope="module")
def reader(loaded_engine: Engine) -> Engine:
    ensure_readonly_role(loaded_engine)
    return loaded_engine


def one(engine: Engine, query: str) -> object:
    result = run_sql(engine, query=query, limit=5, timeout_seconds=5, max_bytes=1_000_000)
    [[value]] = result.rows
    return value


def refused(engine: Engine, query: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        run_sql(engine, query=query, limit=5, timeout_seconds=5, max_bytes=1_000_000)
    return caught.value.message


def test_tables_are_qualified_by_the_backends_own_schema(reader: Engine) -> None:
    own, other = ("main", "public") if reader.dialect.name == "sqlite" else ("public", "main")
    assert f"`{own}.games`" in SECTION
    assert one(reader, f"SELECT COUNT(*) FROM {own}.games") == 3948
    assert "is not readable" in refused(reader, f"SELECT COUNT(*) FROM {other}.games")


def test_booleans_compare_with_true_on_both_and_with_1_on_sqlite_only(reader: Engine) -> None:
    home = "SELECT COUNT(*) FROM team_box_scores WHERE is_home = "
    assert one(reader, home + "TRUE") == 3948
    if reader.dialect.name == "sqlite":
        assert one(reader, home + "1") == 3948
    else:
        assert "boolean = integer" in refused(reader, home + "1")


def test_date_functions_are_each_backends_own(reader: Engine) -> None:
    sqlite_year = f"SELECT strftime('%Y', game_date) FROM games WHERE {GAME}"
    postgres_year = f"SELECT EXTRACT(YEAR FROM game_date) FROM games WHERE {GAME}"
    if reader.dialect.name == "sqlite":
        assert one(reader, sqlite_year) == "2015"
        assert "no such function: DATE_PART" in refused(
            reader, f"SELECT date_part('year', game_date) FROM games WHERE {GAME}"
        )
    else:
        assert one(reader, postgres_year) == 2015
        assert "function strftime(unknown, unknown) does not exist" in refused(
            reader, f"SELECT strftime('%Y', '2015-10-27') FROM games WHERE {GAME}"
        )


def test_like_is_case_insensitive_on_sqlite_only_and_ilike_works_on_both(reader: Engine) -> None:
    like = "SELECT COUNT(*) FROM teams WHERE abbreviation LIKE 'gsw'"
    assert one(reader, like) == (1 if reader.dialect.name == "sqlite" else 0)
    assert one(reader, "SELECT COUNT(*) FROM teams WHERE abbreviation ILIKE 'gsw'") == 1


def test_round_of_a_float_needs_a_cast_to_numeric_on_postgresql(reader: Engine) -> None:
    ts = (
        "SELECT ROUND({x}, 3) FROM player_season_advanced a JOIN players p "
        "ON p.player_id = a.player_id WHERE p.full_name = 'Stephen Curry' "
        "AND a.season = '2015-16' AND a.season_type = 'regular'"
    )
    assert float(one(reader, ts.format(x="CAST(a.ts_pct AS NUMERIC)"))) == 0.669  # type: ignore[arg-type]
    if reader.dialect.name == "sqlite":
        assert one(reader, ts.format(x="a.ts_pct")) == 0.669
    else:
        assert "round(double precision, integer) does not exist" in refused(
            reader, ts.format(x="a.ts_pct")
        )


def test_integer_casts_truncate_on_sqlite_and_round_on_postgresql(reader: Engine) -> None:
    expected = 1 if reader.dialect.name == "sqlite" else 2
    assert (
        one(reader, "SELECT CAST(1.5 AS INTEGER) FROM seasons WHERE season = '2015-16'") == expected
    )


def test_integer_division_truncates_on_both(reader: Engine) -> None:
    assert one(reader, "SELECT 7 / 2 FROM seasons WHERE season = '2015-16'") == 3
