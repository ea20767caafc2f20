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
        ATTACH, COPY, several statements, file or sleep functions) is refused; queries time
        out after a few seconds."""
        result = sql_queries.run_sql(services.engine, query=query, limit=limit)
        header = ", ".join(result.columns)
        preview = "\n".join(", ".join(str(v) for v in row) for row in result.rows[:20])
        more = f"\n... {result.row_count - 20} more rows" if result.row_count > 20 else ""
        cut = " (cut at the limit)" if result.truncated else ""
        return tool_result(
            result,
            f"{result.row_count} rows{cut} in {result.elapsed_ms} ms\n{header}\n{preview}{more}",
        )
