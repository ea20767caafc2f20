"""SQL tools for power users: describe_schema, run_sql (read-only, capped, timed out)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from nba_mcp.catalog import render
from nba_mcp.catalog.spec import AnyTool, HttpRoute, Services, ToolArguments, ToolSpec
from nba_mcp.queries import schema
from nba_mcp.queries import sql as sql_queries
from nba_mcp.queries.schema import SchemaDescription
from nba_mcp.queries.sql import SqlResult


class DescribeSchemaArguments(ToolArguments):
    pass


def describe_schema(services: Services, _args: DescribeSchemaArguments) -> SchemaDescription:
    """The database's tables and columns with their meanings, units and conventions
    (season format, season types, game ids, seconds vs team minutes), for run_sql."""
    with services.connect() as conn:
        return schema.describe_schema(conn)


class RunSqlArguments(ToolArguments):
    query: Annotated[
        str,
        Field(
            description="One SELECT (WITH and UNION allowed) in the database's dialect.",
            examples=["SELECT season, COUNT(*) AS games FROM games GROUP BY season"],
            min_length=1,
        ),
    ]
    limit: Annotated[int, Field(ge=1, le=10_000, description="At most this many rows.")] = 100


def run_sql(services: Services, args: RunSqlArguments) -> SqlResult:
    """Run one read-only SQL SELECT over the NBA tables (see describe_schema) and get at
    most `limit` rows. Anything that could change data (INSERT, UPDATE, DDL, PRAGMA,
    ATTACH, COPY, several statements) is refused, and so is any function but arithmetic,
    string, date, aggregate, window and conditional ones; queries time out after a few
    seconds and results are capped in rows and bytes (`truncated`)."""
    settings = services.settings
    login = settings.sql_database_url
    return sql_queries.run_sql(
        services.engine,
        query=args.query,
        limit=args.limit,
        timeout_seconds=settings.sql_timeout_seconds,
        max_bytes=settings.sql_max_result_bytes,
        sql_url=login.get_secret_value() if login is not None else None,
    )


TOOLS: tuple[AnyTool, ...] = (
    ToolSpec(describe_schema, DescribeSchemaArguments, SchemaDescription,
             render.of_result(schema.render_markdown), schema.describe_schema,
             HttpRoute("GET", "/v1/schema")),
    ToolSpec(run_sql, RunSqlArguments, SqlResult, render.of_result(render.sql_rows),
             sql_queries.run_sql, HttpRoute("POST", "/v1/sql"), scope="sql", cached=False),
)  # fmt: skip
