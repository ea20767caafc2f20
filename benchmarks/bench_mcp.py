"""MCP tool-call speed: in process, and over streamable HTTP with concurrent clients.

Targets (issue "MCP server"): a warm in-process ``player_season_stats`` call in under
5 ms on SQLite and 10 ms on PostgreSQL (median); over streamable HTTP (one uvicorn
worker on loopback, 16 concurrent clients) at least 300 calls/s with a p95 under 100 ms.
HTTP is measured twice: with 16 sessions of the Python SDK's client in this process
(the client itself then competes with the server for the machine's cores), and with 16
connections of wrk (when installed; else locust users) in a second process, each POSTing
the stateless JSON-RPC call. Each
figure is the median of the runs.

The throughput ratios (a cached MCP call next to the cached REST answer and ``/health``,
uncached next to cached, one worker and one per CPU) are printed by
``benchmarks/throughput.py`` and at the end of ``benchmarks/bench_http.py``.

    uv run python benchmarks/bench_mcp.py [--runs 3] [--calls 200] [--clients 16]
        [--per-client 25] [--seconds 10] [--backend sqlite|postgresql|both] [--postgres URL]
        [--env NBA_MCP_NAME=VALUE ...]  (HTTP server settings, for A/B runs)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import time

import wrk
from bench_http import add_env_argument, locust, server, settings
from common import PG_URL, loaded
from mcp import Client
from sqlalchemy import Engine

from nba_mcp.catalog.spec import Services
from nba_mcp.config import Settings
from nba_mcp.mcp.server import build_server
from nba_mcp.result_cache import ResultCache

TOOL = "player_season_stats"
ARGUMENTS = {"player": "Stephen Curry", "season": "2015-16"}
# One stateless JSON-RPC POST per call, as any streamable-HTTP client sends it.
CALL = json.dumps(
    {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
     "params": {"name": TOOL, "arguments": ARGUMENTS}}
)  # fmt: skip
MCP_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
IN_PROCESS_TARGET_MS = {"sqlite": 5.0, "postgresql": 10.0}


async def in_process(engine: Engine, calls: int, *, cached: bool) -> float:
    """Median milliseconds of one warm call through the SDK's in-memory client, with the
    in-process result cache ``serve`` uses, or without any cache."""
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    cache = ResultCache.from_settings(settings, engine=engine, redis=None) if cached else None
    server = build_server(Services(settings, engine, cache))
    async with Client(server) as client:
        for _ in range(5):
            await client.call_tool(TOOL, ARGUMENTS)
        times = []
        for _ in range(calls):
            started = time.perf_counter()
            result = await client.call_tool(TOOL, ARGUMENTS)
            times.append(time.perf_counter() - started)
            assert not result.is_error
    return statistics.median(times) * 1000


async def over_http(base: str, clients: int, per_client: int) -> tuple[float, float]:
    """(calls/s, p95 ms) of ``clients`` concurrent sessions making ``per_client`` calls each."""
    latencies: list[float] = []
    opened: list[None] = []
    all_open, ready = asyncio.Event(), asyncio.Event()

    async def one_client() -> None:
        async with Client(f"{base}/mcp") as client:
            await client.call_tool(TOOL, ARGUMENTS)  # warm the session
            opened.append(None)
            if len(opened) == clients:
                all_open.set()
            await ready.wait()
            for _ in range(per_client):
                started = time.perf_counter()
                result = await client.call_tool(TOOL, ARGUMENTS)
                latencies.append(time.perf_counter() - started)
                assert not result.is_error

    tasks = [asyncio.create_task(one_client()) for _ in range(clients)]
    await all_open.wait()  # every session open before the clock starts
    started = time.perf_counter()
    ready.set()
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - started
    return len(latencies) / elapsed, statistics.quantiles(latencies, n=20)[-1] * 1000


def run(backend: str, args: argparse.Namespace) -> None:
    with loaded(backend, args.postgres) as engine:
        for cached in (False, True):
            medians = [
                asyncio.run(in_process(engine, args.calls, cached=cached)) for _ in range(args.runs)
            ]
            ms = statistics.median(medians)
            target = IN_PROCESS_TARGET_MS[backend]
            print(
                f"{backend:<10} in process ({'cached' if cached else 'uncached'}) {TOOL} warm "
                f"median {ms:6.2f} ms (target < {target:g} ms: "
                f"{'ok' if ms < target else 'ABOVE TARGET'}) | {args.calls} calls x {args.runs} runs"
            )
        url = engine.url.render_as_string(hide_password=False)
        for label, env in (("uncached", {"NBA_MCP_CACHE_TTL_SECONDS": "0"}), ("cached", {})):
            with server(url, settings(args) | env) as (base, _pid):
                sdk = [
                    asyncio.run(over_http(base, args.clients, args.per_client))
                    for _ in range(args.runs)
                ]
                generated = [generate(base, args) for _ in range(args.runs)]
            generator = "wrk" if wrk.available() else "locust"
            report(backend, f"{label}, SDK clients in this process", sdk, args)
            report(backend, f"{label}, {generator} in a second process", generated, args)


def generate(base: str, args: argparse.Namespace) -> tuple[float, float]:
    """(calls/s, p95 ms) of ``args.clients`` connections POSTing the call: wrk when it is
    installed (it leaves the cores to the server), else locust."""
    if wrk.available():
        rate, p95, _p99, _errors = wrk.run(
            f"{base}/mcp", connections=args.clients, seconds=args.seconds, method="POST",
            body=CALL, headers=MCP_HEADERS,
        )  # fmt: skip
        return rate, p95
    rate, p95, _failures = locust(
        base, "/mcp", args.clients, args.seconds, MCP_HEADERS, method="POST", body=CALL,
        percentile="95%",
    )  # fmt: skip
    return rate, p95


def report(
    backend: str, label: str, runs: list[tuple[float, ...]], args: argparse.Namespace
) -> None:
    rate = statistics.median(r[0] for r in runs)
    p95 = statistics.median(r[1] for r in runs)
    print(
        f"{backend:<10} streamable HTTP {args.clients} clients ({label}): {rate:6.0f} "
        f"calls/s (target >= 300: {'ok' if rate >= 300 else 'BELOW TARGET'}) | p95 "
        f"{p95:5.0f} ms (target < 100: {'ok' if p95 < 100 else 'ABOVE TARGET'}) | "
        f"runs {args.runs}"
    )


def main() -> None:
    logging.disable(logging.INFO)  # the SDK client logs every request
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--per-client", type=int, default=25)
    parser.add_argument("--seconds", type=int, default=10, help="Length of a locust run.")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--postgres", default=PG_URL)
    add_env_argument(parser)
    args = parser.parse_args()
    for backend in ("sqlite", "postgresql") if args.backend == "both" else (args.backend,):
        run(backend, args)


if __name__ == "__main__":
    main()
