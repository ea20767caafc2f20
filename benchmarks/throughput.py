"""Throughput ratios measured side by side in one run: what a cached answer costs next to
``/health``, over REST and over MCP.

Targets (issue "Throughput"), as ratios of requests/s on one worker, because absolute
figures drift a lot on shared machines and ratios taken in one run do not:

- a cached REST answer >= 0.5 x ``/health``;
- a cached MCP ``tools/call`` >= 0.8 x the cached REST answer;
- an uncached MCP call >= 0.5 x the cached MCP call;
- p95 under 50 ms at 16 connections.

Every figure is wrk (one thread, ``--connections`` connections) from a second process
against ``nba-mcp serve --transport http --workers N``, no API key, rate limit off, access
log off; the rounds interleave the endpoints so that each round measures all of them in
the same minute, and the table shows the medians of the rounds. The same answer is asked
everywhere: ``player_season_stats`` for Stephen Curry, 2015-16.

    uv run python benchmarks/throughput.py [--rounds 3] [--seconds 10] [--connections 16]
        [--workers 1,auto] [--backend sqlite|postgresql] [--postgres URL]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import wrk
from common import PG_URL, loaded

PLAYER = "/v1/players/Stephen%20Curry/season?season=2015-16"
CALL = json.dumps(
    {"jsonrpc": "2.0", "id": 1, "method": "tools/call",
     "params": {"name": "player_season_stats",
                "arguments": {"player": "Stephen Curry", "season": "2015-16"}}}
)  # fmt: skip
MCP_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
UNCACHED = {"NBA_MCP_CACHE_TTL_SECONDS": "0"}
RATIO_TARGETS = {
    "REST cached / /health": 0.5,
    "MCP cached / REST cached": 0.8,
    "MCP uncached / MCP cached": 0.5,
}
P95_TARGET_MS = 50.0


@dataclass(frozen=True)
class Endpoint:
    name: str
    path: str
    method: str = "GET"
    body: str | None = None
    headers: dict[str, str] | None = None
    cached: bool = True


ENDPOINTS = (
    Endpoint("/health", "/health"),
    Endpoint("REST cached", PLAYER),
    Endpoint("MCP cached", "/mcp", "POST", CALL, MCP_HEADERS),
    Endpoint("REST uncached", PLAYER, cached=False),
    Endpoint("MCP uncached", "/mcp", "POST", CALL, MCP_HEADERS, cached=False),
)


def worker_pids(pid: int) -> list[int]:
    """The uvicorn workers of server ``pid`` (its children), or the server itself."""
    children: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        children.extend(int(child) for child in text)
    # --workers N: a supervisor, a multiprocessing helper and N workers.
    workers = [c for c in children if b"resource_tracker" not in _cmdline(c)]
    return workers or [pid]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_worker_set(
    url: str, workers: int, args: argparse.Namespace, server: Callable[..., Any]
) -> tuple[dict[str, list[wrk.Result]], list[float]]:
    """wrk figures of every endpoint over ``args.rounds`` rounds, and RSS per worker."""
    results: dict[str, list[wrk.Result]] = {e.name: [] for e in ENDPOINTS}
    rss: list[float] = []
    env = {"NBA_MCP_ACCESS_LOG": "false"}
    with (
        server(url, env, workers=workers) as (cached_base, cached_pid),
        server(url, env | UNCACHED, workers=workers) as (uncached_base, _),
    ):
        for base in (cached_base, uncached_base):  # warm: imports, first query, cache
            for endpoint in ENDPOINTS:
                for _ in range(3):
                    _request(base, endpoint)
        for _ in range(args.rounds):
            for endpoint in ENDPOINTS:
                base = cached_base if endpoint.cached else uncached_base
                results[endpoint.name].append(
                    wrk.measure(
                        base + endpoint.path, connections=args.connections,
                        seconds=args.seconds, method=endpoint.method, body=endpoint.body,
                        headers=endpoint.headers,
                    )
                )  # fmt: skip
        rss = [rss_mib(pid) for pid in worker_pids(cached_pid)]
    return results, rss


def _request(base: str, endpoint: Endpoint) -> None:
    response = httpx.request(
        endpoint.method, base + endpoint.path, content=endpoint.body,
        headers=endpoint.headers, timeout=60,
    )  # fmt: skip
    response.raise_for_status()
    if b'"isError":true' in response.content:
        raise SystemExit(f"{endpoint.name} answered an error: {response.text[:200]}")


def report(label: str, results: dict[str, list[wrk.Result]], rss: list[float]) -> None:
    rates = {name: statistics.median(r.rate for r in runs) for name, runs in results.items()}
    print(f"\n{label}; RSS per worker {', '.join(f'{m:.0f} MiB' for m in rss)}")
    print(f"  {'endpoint':<16}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}  rounds (req/s)")
    for name, runs in results.items():
        p50 = statistics.median(r.p50_ms for r in runs)
        p95 = statistics.median(r.p95_ms for r in runs)
        errors = sum(r.errors for r in runs)
        flag = "" if p95 < P95_TARGET_MS else f"  (p95 target < {P95_TARGET_MS:g} ms: ABOVE)"
        each = " / ".join(f"{r.rate:,.0f}" for r in runs)
        print(f"  {name:<16}{rates[name]:>9,.0f}{p50:>9.1f}{p95:>9.1f}{errors:>8}  {each}{flag}")
    pairs = {
        "REST cached / /health": ("REST cached", "/health"),
        "MCP cached / REST cached": ("MCP cached", "REST cached"),
        "MCP uncached / MCP cached": ("MCP uncached", "MCP cached"),
    }
    for ratio, (top, bottom) in pairs.items():
        value = rates[top] / rates[bottom]
        target = RATIO_TARGETS[ratio]
        verdict = "ok" if value >= target else "BELOW TARGET"
        print(f"  {ratio:<28} {value:5.2f} (target >= {target}: {verdict})")


def main() -> None:
    from bench_http import server

    from nba_mcp.cli.serve import available_cpus

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", default="1,auto", help="Comma-separated; auto = CPUs.")
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres", default=PG_URL)
    args = parser.parse_args()
    if not wrk.available():
        raise SystemExit("throughput.py needs wrk (Debian: apt-get install wrk)")
    cpus = available_cpus()
    counts = [cpus if w == "auto" else int(w) for w in args.workers.split(",")]
    print(
        f"throughput: backend {args.backend}, wrk {args.connections} connections x "
        f"{args.seconds} s, {args.rounds} rounds, {cpus} CPUs, load average before "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    with loaded(args.backend, args.postgres) as engine:
        url = engine.url.render_as_string(hide_password=False)
        for workers in counts:
            results, rss = one_worker_set(url, workers, args, server)
            report(f"{workers} worker{'s' if workers > 1 else ''}", results, rss)
    print(f"\nload average after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
