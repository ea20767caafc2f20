"""ASGI plumbing shared by the layers that read a request body before the app does."""

from __future__ import annotations

from starlette.types import Message, Receive


def replay(body: bytes, receive: Receive, *, more: bool = False) -> Receive:
    """``receive`` with ``body`` (already read) delivered first; ``more`` when the rest of
    the body is still to come from ``receive``."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": more}
        return await receive()

    return replayed
