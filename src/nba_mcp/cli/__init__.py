"""The ``nba-mcp`` command line."""
