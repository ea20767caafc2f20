"""``install``: one call puts the middleware, the cache and the request log's shutdown hook
on the app."""

from __future__ import annotations

import anyio
from redis import Redis
from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.routing import Route
from starlette.testclient import TestClient

from nba_mcp.result_cache import ResultCache
from nba_mcp.security import AuthMiddleware, install
from nba_mcp.security.keys import create_key
from tests.security.apps import ROUTES, bearer, settings


def test_install_wires_middleware_cache_limits_and_the_shutdown_hook(
    engine: Engine, shared_redis: tuple[Redis, str]
) -> None:
    redis, _ = shared_redis
    app = Starlette(routes=ROUTES)
    app.state.shutdown_hooks = [print_nothing]

    install(app, settings=settings(rate_limit_burst=1), engine=engine, redis=redis)

    (added,) = app.user_middleware
    assert added.cls is AuthMiddleware
    assert isinstance(app.state.cache, ResultCache) and app.state.cache.shared
    assert app.state.shutdown_hooks == [print_nothing, app.state.request_log.close]
    new = create_key(engine, name="reader", scopes="read")
    with TestClient(app) as http:
        assert http.post("/v1/sql", json={}, headers=bearer(new.key)).status_code == 403
        assert http.get("/v1/players/search", headers=bearer(new.key)).status_code == 429
    anyio.run(_run_hooks, app)
    assert app.state.request_log.written == 2
    redis.delete(f"nba_mcp:ratelimit:{new.info.name}")


def test_install_makes_the_hook_list_and_an_in_process_cache(engine: Engine) -> None:
    app = Starlette(routes=[Route("/health", print_nothing)])

    install(app, settings=settings(), engine=engine, redis=None)

    assert app.state.shutdown_hooks == [app.state.request_log.close]
    assert not app.state.cache.shared
    app.state.request_log.close()


def print_nothing() -> None:
    return None


async def _run_hooks(app: Starlette) -> None:
    for hook in app.state.shutdown_hooks:
        hook()
