"""The advanced tables: rebuilt in the load's transaction, readable by run_sql, described."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select, text

from nba_mcp.db.models import PlayerSeasonAdvanced, table_of
from nba_mcp.db.readonly import ensure_readonly_role
from nba_mcp.db.version import data_version
from nba_mcp.ingest import bref
from nba_mcp.ingest.load import load_batch
from nba_mcp.queries import advanced_tables
from nba_mcp.queries.advanced import season_tables
from nba_mcp.queries.schema import describe_schema
from nba_mcp.queries.sql import run_sql
from tests.conftest import BREF


@pytest.fixture(scope="session")
def reader(loaded_engine: Engine) -> Engine:
    ensure_readonly_role(loaded_engine)
    return loaded_engine


def test_run_sql_answers_who_led_in_win_shares(reader: Engine) -> None:
    result = run_sql(
        reader,
        query="SELECT p.full_name, a.team, ROUND(CAST(a.ws AS NUMERIC), 1) AS ws FROM player_season_advanced a "
        "JOIN players p ON p.player_id = a.player_id WHERE a.season = '2018-19' "
        "AND a.season_type = 'regular' AND a.season_line "
        "ORDER BY a.ws DESC LIMIT 2",
    )
    assert result.rows[0] == ["James Harden", "HOU", 15.2]


def test_run_sql_reads_the_team_table(reader: Engine) -> None:
    result = run_sql(
        reader,
        query="SELECT t.abbreviation, ROUND(CAST(a.ortg AS NUMERIC), 1), ROUND(CAST(a.srs AS NUMERIC), 2) FROM team_season_advanced a "
        "JOIN teams t ON t.team_id = a.team_id WHERE a.season = '2015-16' "
        "AND a.season_type = 'regular' ORDER BY a.ortg DESC LIMIT 1",
    )
    assert result.rows == [["GSW", 114.5, 10.38]]


def test_rows_equal_the_computed_season_at_full_precision(reader: Engine) -> None:
    table = table_of(PlayerSeasonAdvanced)
    with reader.connect() as conn:
        stored = conn.execute(
            select(table.c.player_id, table.c.team_id, table.c.per, table.c.ws, table.c.data_version).where(
                table.c.season == "2015-16", table.c.season_type == "regular",
                table.c.is_total.is_(False),
            )
        ).all()  # fmt: skip
        computed = season_tables(conn, season="2015-16", season_type="regular").players
        version = data_version(conn)
    stints = computed[~computed["is_total"]]
    assert len(stored) == len(stints)
    per = {
        (int(p), int(t)): v
        for p, t, v in zip(stints["player_id"], stints["team_id"], stints["per"], strict=True)
    }
    assert all(
        row.per == pytest.approx(per[row.player_id, row.team_id], abs=1e-9)
        for row in stored
        if row.per is not None
    )
    assert {row.data_version for row in stored} == {version}


def test_every_season_and_type_is_built(reader: Engine) -> None:
    with reader.connect() as conn:
        teams = conn.execute(
            text("SELECT season, season_type, COUNT(*) FROM team_season_advanced "
                 "GROUP BY season, season_type ORDER BY 1, 2")
        ).all()  # fmt: skip
        players = conn.execute(
            text("SELECT DISTINCT season FROM player_season_advanced ORDER BY 1")
        ).scalars().all()  # fmt: skip
    assert ("2022-23", "regular", 30) in [tuple(row) for row in teams]
    assert players == ["2015-16", "2018-19"]  # 2022-23 has team data only


def test_describe_schema_lists_them_with_their_columns(reader: Engine) -> None:
    with reader.connect() as conn:
        tables = {t.name: t for t in describe_schema(conn).tables}
    advanced = tables["player_season_advanced"]
    assert "TOT" in advanced.description
    columns = {c.name: c.description for c in advanced.columns}
    assert columns["per"] == "Player efficiency rating (Hollinger), league average 15."
    assert "lower is better" in columns["drtg"]
    assert (
        "Four factors, defense"
        in {c.name: c.description for c in tables["team_season_advanced"].columns}["opp_efg_pct"]
    )


def test_a_load_rebuilds_in_its_transaction_and_a_no_op_load_keeps_the_rows(
    engine: Engine,
) -> None:
    batch = bref.parse(BREF, "2015-16")
    table = table_of(PlayerSeasonAdvanced)
    first = load_batch(engine, batch, derive=advanced_tables.rebuild)
    with engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(table)).scalar_one()
        versions = conn.execute(select(table.c.data_version).distinct()).scalars().all()
    assert rows > 500 and versions == [first.data_version]
    again = load_batch(engine, batch, derive=advanced_tables.rebuild)
    assert again.total_changed == 0
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(table)).scalar_one() == rows


def test_a_failing_rebuild_rolls_the_load_back(engine: Engine) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("rebuild failed")

    with pytest.raises(RuntimeError):
        load_batch(engine, bref.parse(BREF, "2015-16"), derive=broken)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM games")).scalar_one() == 0
