"""The guard that keeps an open server off the network: no keys, no public bind."""

from __future__ import annotations

import functools
import ipaddress
import logging

from sqlalchemy import Engine

from nba_mcp.config import Settings
from nba_mcp.errors import InvalidInput
from nba_mcp.security.keys import any_active_key

log = logging.getLogger("nba_mcp.auth")


@functools.lru_cache(maxsize=256)
def is_loopback(host: str) -> bool:
    """``127.0.0.1``, ``::1``, ``localhost``: reachable from this machine only.

    Remembered per host: it is asked for every request's client address."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def check_bind(host: str, settings: Settings, engine: Engine) -> None:
    """Refuse to listen beyond loopback while no API key exists, unless the operator set
    ``NBA_MCP_ALLOW_UNAUTHENTICATED_PUBLIC=true``. Raises :class:`InvalidInput`."""
    if is_loopback(host) or any_active_key(engine):
        return
    if settings.allow_unauthenticated_public:
        if not settings.requires_auth():
            log.warning("Listening on %s with no API key: anyone who reaches it may use it.", host)
        return
    raise InvalidInput(
        f"Refusing to listen on {host}: no API key exists, so anyone who can reach the "
        "server could use it. Create a key first (`nba-mcp keys create --name NAME "
        "--scopes read`), bind to 127.0.0.1, or set NBA_MCP_ALLOW_UNAUTHENTICATED_PUBLIC=true."
    )
