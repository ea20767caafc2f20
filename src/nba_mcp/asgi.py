"""ASGI plumbing shared by the layers of the HTTP service: request ids, and a request body
read before the app does."""

from __future__ import annotations

import random

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


def fresh_request_id() -> str:
    """A random version-4 UUID in hex, from the process's Mersenne Twister.

    Not ``uuid.uuid4()``: its ``os.urandom`` is a system call that lets go of the GIL,
    and on a busy server the event loop then waits for a tool thread to hand it back
    before it can go on. An id only has to be unique, not unguessable; :mod:`random`
    is seeded from the OS at start and again in every forked child.
    """
    bits = random.getrandbits(128) & ~_VERSION_MASK | _VERSION_4
    return f"{bits:032x}"


#: The variant and version bits of a UUID, and their values in a version-4 UUID (RFC 9562).
_VERSION_MASK = 0xC000 << 48 | 0xF000 << 64
_VERSION_4 = 0x8000 << 48 | 0x4000 << 64
