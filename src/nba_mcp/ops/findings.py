"""One checked thing in a health report: its name, verdict, a line of detail and its time."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel

from nba_mcp.errors import NbaMcpError

Status = Literal["ok", "degraded", "down"]


class Finding(BaseModel):
    name: str
    status: Status
    detail: str
    latency_ms: float


def timed(name: str, probe: Callable[[], tuple[Status, str]]) -> Finding:
    """Run ``probe``; a probe that raises is a degraded finding, never a crash of the report."""
    started = time.perf_counter()
    try:
        status, detail = probe()
    except NbaMcpError as exc:
        status, detail = "degraded", exc.message
    except Exception as exc:
        status, detail = "degraded", f"{type(exc).__name__}: {exc}"
    return Finding(name=name, status=status, detail=detail,
                   latency_ms=round((time.perf_counter() - started) * 1000, 2))  # fmt: skip
