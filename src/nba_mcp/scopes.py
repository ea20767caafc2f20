"""The scopes an API key may hold, named once for the catalogue (what a tool needs) and the
security layer (what a key grants): see :mod:`nba_mcp.security.scopes`."""

from __future__ import annotations

from typing import Literal, TypeAlias

Scope: TypeAlias = Literal["read", "sql", "synthesize", "admin"]
