"""The one event loop of the process that synthesis runs on, in a thread of its own.

Synchronous callers (a REST or MCP worker thread, the CLI) hand it a run with :func:`run`
and wait for the result; runs from several threads go on concurrently, and the providers'
SDK clients, which belong to one loop, are kept between runs
(:data:`nba_mcp.synthesis.providers._CLIENTS`). The caller's context variables (who calls,
where progress goes: :mod:`nba_mcp.catalog.context`) go with the run.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import threading
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

_loop: asyncio.AbstractEventLoop | None = None
_lock = threading.Lock()


def _running_loop() -> asyncio.AbstractEventLoop:
    global _loop
    with _lock:
        if _loop is None or _loop.is_closed():
            loop = asyncio.new_event_loop()
            thread = threading.Thread(
                target=loop.run_forever, name="nba-mcp synthesis", daemon=True
            )
            thread.start()
            _loop = loop
        return _loop


def run(work: Coroutine[Any, Any, T]) -> T:
    """``work``'s result, computed on the synthesis loop; its exception is raised here."""
    loop = _running_loop()
    context = contextvars.copy_context()
    done: concurrent.futures.Future[T] = concurrent.futures.Future()

    def start() -> None:
        task = loop.create_task(work, context=context)

        def finished(task: asyncio.Task[T]) -> None:
            if task.cancelled():
                done.cancel()
            elif task.exception() is not None:
                done.set_exception(task.exception())
            else:
                done.set_result(task.result())

        task.add_done_callback(finished)

    loop.call_soon_threadsafe(start)
    return done.result()
