"""Resources: ``nba://schema``, ``nba://glossary`` and ``nba://seasons``."""

from __future__ import annotations

from pathlib import Path

from mcp.server.mcpserver import MCPServer

from nba_mcp.catalog.spec import Services
from nba_mcp.queries.coverage import coverage
from nba_mcp.queries.schema import schema_markdown

# The glossary is docs/metrics.md itself (linked into the package), so the docs and
# what assistants read can never disagree.
GLOSSARY = Path(__file__).with_name("glossary.md")


def register(server: MCPServer, services: Services) -> None:
    @server.resource(
        "nba://schema",
        name="schema",
        title="Database schema",
        description="The SQL dialect run_sql takes here (sqlite or postgresql), and the "
        "tables and columns with their meanings, units, types and row counts.",
        mime_type="text/markdown",
    )
    def schema() -> str:
        # Read on the database, not from the models alone: the dialect a query must be
        # written in, the column types and the row counts are the running backend's.
        with services.connect() as conn:
            return schema_markdown(conn)

    @server.resource(
        "nba://glossary",
        name="glossary",
        title="Metrics glossary",
        description="Every metric with its formula, unit and source (Basketball-Reference).",
        mime_type="text/markdown",
    )
    def glossary() -> str:
        return GLOSSARY.read_text(encoding="utf-8")

    @server.resource(
        "nba://seasons",
        name="seasons",
        title="Loaded seasons",
        description="Which seasons and season types are loaded, with games, teams and players.",
        mime_type="application/json",
    )
    def seasons() -> str:
        with services.connect() as conn:
            return coverage(conn).model_dump_json(indent=2)
