"""``nba://schema`` describes the running database: the dialect ``run_sql`` takes there,
its column types and its row counts."""

from __future__ import annotations

import pytest
from mcp import Client
from sqlalchemy import Engine

pytestmark = pytest.mark.anyio


async def schema_text(client: Client) -> str:
    [content] = (await client.read_resource("nba://schema")).contents
    text: str = content.text  # type: ignore[union-attr]
    return text


async def test_the_schema_resource_names_the_dialect_of_the_running_backend(
    client: Client, loaded_engine: Engine
) -> None:
    text = await schema_text(client)
    dialect = loaded_engine.dialect.name
    assert dialect in {"sqlite", "postgresql"}
    assert f"Dialect: {dialect}. Query it with `run_sql`" in text
    assert "Dialect: generic" not in text


async def test_the_schema_resource_counts_the_loaded_rows(client: Client) -> None:
    text = await schema_text(client)
    assert "## games (3,948 rows)" in text
    assert "## player_box_scores (55,840 rows)" in text
    assert "## teams (30 rows)" in text


async def test_the_schema_resource_gives_the_backends_own_column_types(
    client: Client, loaded_engine: Engine
) -> None:
    text = await schema_text(client)
    timestamp = {"sqlite": "DATETIME", "postgresql": "TIMESTAMP WITH TIME ZONE"}
    assert f"| start_time | {timestamp[loaded_engine.dialect.name]} | yes |" in text
