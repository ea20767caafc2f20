"""What a surface tells a running tool beyond its arguments: who calls, and where progress goes.

Both are context variables, set by the surface around one call (the REST route, the MCP
adapter) and read by the tool; they follow the call into the worker thread it runs on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Reporter = Callable[[str, float], None]

_CALLER: ContextVar[str | None] = ContextVar("nba_mcp_caller", default=None)
_REPORTER: ContextVar[Reporter | None] = ContextVar("nba_mcp_progress", default=None)


@contextmanager
def calling(key_name: str | None = None, reporter: Reporter | None = None) -> Iterator[None]:
    """Within the block, :func:`caller` is ``key_name`` and :func:`report` goes to ``reporter``."""
    caller_token = _CALLER.set(key_name)
    reporter_token = _REPORTER.set(reporter)
    try:
        yield
    finally:
        _REPORTER.reset(reporter_token)
        _CALLER.reset(caller_token)


def caller() -> str | None:
    """The API key's name of the current call, when the surface knows it."""
    return _CALLER.get()


def report(stage: str, fraction: float) -> None:
    """Tell the caller how far the call is (0 to 1) and what it is doing; no-op if unheard."""
    reporter = _REPORTER.get()
    if reporter is not None:
        reporter(stage, max(0.0, min(1.0, fraction)))
