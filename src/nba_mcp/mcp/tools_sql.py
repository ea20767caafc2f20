"""SQL tools for power users: describe_schema, run_sql (read-only, capped, timed out)."""

from __future__ import annotations

from typing import Annotated

from mcp.server.mcpserver import MCPServer
from mcp_types import CallToolResult
from pydantic import Field

from nba_mcp.mcp.tooling import Services, tool, tool_result
from nba_mcp.queries import schema
from nba_mcp.queries import sql as sql_queries
from nba_mcp.queries.schema import SchemaDescription
from nba_mcp.queries.sql import SqlResult


def register(server: MCPServer, services: Services) -> None:
    @tool(server, services)
    def describe_schema() -> Annotated[CallToolResult, SchemaDescription]:
        """The database's tables and columns with their meanings, units and conventions
        (season format, season types, game ids, seconds vs team minutes), for run_sql."""
        with services.connect() as conn:
            result = schema.describe_schema(conn)
        return tool_result(result, schema.render_markdown(result))

    @tool(server, services)
    def run_sql(
        query: Annotated[
            str,
            Field(
                description="One SELECT (WITH and UNION allowed) in the database's dialect.",
                examples=["SELECT season, COUNT(*) AS games FROM games GROUP BY season"],
            ),
        ],
        limit: Annotated[int, Field(ge=1, le=10_000, description="At most this many rows.")] = 100,
    ) -> Annotated[CallToolResult, SqlResult]:
        """Run one read-only SQL SELECT over the NBA tables (see describe_schema) and get at
        most `limit` rows. Anything that could change data (INSERT, UPDATE, DDL, PRAGMA,
        ATTACH, COPY, several statements) is refused, and so is any function but arithmetic,
        string, date, aggregate, window and conditional ones; queries time out after a few
        seconds and results are capped in rows and bytes (`truncated`)."""
        settings = services.settings
        result = sql_queries.run_sql(
            services.engine,
            query=query,
            limit=limit,
            timeout_seconds=settings.sql_timeout_seconds,
            max_bytes=settings.sql_max_result_bytes,
            sql_url=settings.sql_database_url.get_secret_value()
            if settings.sql_database_url
            else None,
        )
        header = ", ".join(result.columns)
        preview = "\n".join(", ".join(str(v) for v in row) for row in result.rows[:20])
        more = f"\n... {result.row_count - 20} more rows" if result.row_count > 20 else ""
        cut = {"rows": " (cut at the limit)", "bytes": " (cut at the size cap)", None: ""}[
            result.truncated_by
        ]
        return tool_result(
            result,
            f"{result.row_count} rows{cut} in {result.elapsed_ms} ms\n{header}\n{preview}{more}",
        )
