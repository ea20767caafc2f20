"""Operations: health, backups with proven restore, alert tests, reports.

Plain functions with keyword-only arguments and typed (pydantic) results; the CLI
(:mod:`nba_mcp.cli.ops`) and ``scripts/`` are thin adapters over them.
"""
