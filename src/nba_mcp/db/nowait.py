"""Calls answered from memory on the event loop, or not at all.

Most calls are answered from tables the process already holds for the current data
version (:mod:`nba_mcp.queries.memo`): a lookup, some rounding and a rendering, a
fraction of a millisecond of Python. Handing such a call to a worker thread costs more
than the call: under the GIL the event loop and the thread take turns, and every
system call either makes (a socket write, a SQLite step) hands the GIL to the other,
which keeps it until it blocks or its switch interval ends.

So REST and the MCP fast path first run a call of a tool that may be answered so
(``ToolSpec.from_memory``) on the loop inside :func:`memory_only` (:func:`run`), where anything that
could wait raises :class:`WouldWait` before it starts: a SQL statement (the engine's
``before_cursor_execute`` hook), a memo value not yet built, a new connection to a
database server (``do_connect``) or none idle in its pool, and a data version the watch
cannot tell without a query. A pooled connection is not pinged there: no statement will
run on it. Tools only read, so a call stopped so has
changed nothing; it is then run again in a worker thread, as every other call is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

import anyio.to_thread

T = TypeVar("T")

_MEMORY_ONLY: ContextVar[bool] = ContextVar("nba_mcp_memory_only", default=False)


class WouldWait(Exception):
    """The call needs more than memory; run it where it may wait."""


def memory_only_now() -> bool:
    """Whether the running call may only use what is in memory."""
    return _MEMORY_ONLY.get()


def refuse_wait(what: str) -> None:
    """Raise :class:`WouldWait` for ``what`` inside :func:`memory_only`; else nothing."""
    if _MEMORY_ONLY.get():
        raise WouldWait(what)


@contextmanager
def memory_only() -> Iterator[None]:
    """Within the block, anything that would wait raises :class:`WouldWait`."""
    token = _MEMORY_ONLY.set(True)
    try:
        yield
    finally:
        _MEMORY_ONLY.reset(token)


async def run(work: Callable[[], T], *, from_memory: bool) -> T:
    """``work()`` on the event loop if ``from_memory`` and it needs nothing more, else (or
    when it turns out to need more) in a worker thread."""
    if from_memory:
        try:
            with memory_only():
                return work()
        except WouldWait:
            pass
    return await anyio.to_thread.run_sync(work)
