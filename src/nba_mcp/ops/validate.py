"""``nba-mcp ops validate``: prove a deployment works as users use it, over HTTP only.

Checks, each pass or fail with a reason: ``/health`` and ``/ready``; authentication
enforced (no key -> 401 on REST and MCP; a key without the ``sql`` scope -> 403 when one
is given); every tool of :data:`~nba_mcp.ops.known_answers.QUESTIONS` answers its known
question exactly over REST and over MCP (streamable HTTP, the SDK's client); the expected
metric names exposed; then a short bounded load (p50/p95/p99 from the client's side).
"""

from __future__ import annotations

import datetime as dt
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

import anyio
import httpx
from pydantic import BaseModel

from nba_mcp.ops.known_answers import QUESTIONS, REFUSALS, Question, Refusal
from nba_mcp.ops.perfstats import percentile

Group = Literal["health", "auth", "rest", "mcp", "metrics", "load"]
EXPECTED_METRICS = (
    "nba_mcp_http_requests_total", "nba_mcp_http_request_duration_seconds",
    "nba_mcp_tool_calls_total", "nba_mcp_tool_duration_seconds",
    "nba_mcp_backup_last_success_timestamp_seconds",
    "nba_mcp_data_latest_game_timestamp_seconds", "nba_mcp_build_info",
)  # fmt: skip
TIMEOUT_SECONDS = 30.0
#: The known answers are JSON: a chart's route answers with its PNG unless only JSON is accepted.
ACCEPT_JSON = {"Accept": "application/json"}


class Check(BaseModel):
    group: Group
    name: str
    ok: bool
    detail: str
    latency_ms: float | None = None


class LoadFigures(BaseModel):
    requests: int
    concurrency: int
    failed: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    seconds: float


class Validation(BaseModel):
    url: str
    checked_at: dt.datetime
    checks: list[Check]
    load: LoadFigures | None
    tools_without_question: list[str]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)


def validate(
    *, url: str, api_key: str | None, limited_key: str | None, load_requests: int,
    concurrency: int, now: dt.datetime,
) -> Validation:  # fmt: skip
    """Run every check against ``url``; never raises for a failed check (it is a result)."""
    base = url.rstrip("/")
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
    with httpx.Client(base_url=base, timeout=TIMEOUT_SECONDS, headers=headers) as client:
        checks = [*_health(client), *_auth(base, limited_key)]
        checks += [_rest(client, question) for question in QUESTIONS]
        checks += [_rest_refusal(client, refusal) for refusal in REFUSALS]
        checks.append(_metrics(client))
        mcp_checks, served = anyio.run(_mcp, base, headers)
        checks += mcp_checks
        load = _load(client, load_requests, concurrency) if load_requests else None
    if load is not None:
        checks.append(Check(group="load", name="bounded load", ok=load.failed == 0,
                            detail=f"{load.requests} requests, {load.failed} failed, "
                            f"p95 {load.p95_ms:.1f} ms"))  # fmt: skip
    known = {q.tool for q in QUESTIONS} | {r.tool for r in REFUSALS}
    return Validation(url=base, checked_at=now, checks=checks, load=load,
                      tools_without_question=sorted(set(served) - known))  # fmt: skip


def _health(client: httpx.Client) -> list[Check]:
    found = []
    for path, good in (("/health", ("ok",)), ("/ready", ("ok", "degraded"))):
        started = time.perf_counter()
        try:
            response = client.get(path)
            state = response.json().get("status")
            ok = response.status_code == 200 and state in good
            detail = f"HTTP {response.status_code}, status {state}"
        except (httpx.HTTPError, ValueError, AttributeError) as exc:
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        found.append(Check(group="health", name=path, ok=ok, detail=detail,
                           latency_ms=_ms(started)))  # fmt: skip
    return found


def _auth(base: str, limited_key: str | None) -> list[Check]:
    found = []
    with httpx.Client(base_url=base, timeout=TIMEOUT_SECONDS) as anonymous:
        for name, send in (
            ("REST without a key", lambda: anonymous.get("/v1/standings", params={"season": "2015-16"})),
            ("MCP without a key", lambda: anonymous.post("/mcp", json=_ping(),
                                                          headers=_mcp_headers())),
        ):  # fmt: skip
            found.append(_expect_status(name, send, 401))
        if limited_key:
            found.append(_expect_status(
                "REST with a key lacking the sql scope",
                lambda: anonymous.post("/v1/sql", json={"query": "SELECT 1"},
                                       headers={"Authorization": f"Bearer {limited_key}"}),
                403,
            ))  # fmt: skip
        else:
            found.append(Check(group="auth", name="wrong scope -> 403", ok=True,
                               detail="not checked: pass --limited-key (a key without sql)"))  # fmt: skip
    return found


def _expect_status(name: str, send: Any, status: int) -> Check:
    started = time.perf_counter()
    try:
        got = send().status_code
        ok, detail = got == status, f"HTTP {got}, expected {status}"
    except httpx.HTTPError as exc:
        ok, detail = False, f"{type(exc).__name__}: {exc}"
    return Check(group="auth", name=name, ok=ok, detail=detail, latency_ms=_ms(started))


def _rest(client: httpx.Client, question: Question) -> Check:
    started = time.perf_counter()
    try:
        response = client.request(question.method, question.path, params=question.query,
                                  json=question.body, headers=ACCEPT_JSON)  # fmt: skip
        if response.status_code != 200:
            return Check(group="rest", name=question.tool, ok=False, latency_ms=_ms(started),
                         detail=f"{question.method} {question.path}: HTTP {response.status_code}")  # fmt: skip
        return _judge("rest", question, response.json(), started)
    except (httpx.HTTPError, ValueError) as exc:
        return Check(group="rest", name=question.tool, ok=False, latency_ms=_ms(started),
                     detail=f"{type(exc).__name__}: {exc}")  # fmt: skip


def _rest_refusal(client: httpx.Client, refusal: Refusal) -> Check:
    started = time.perf_counter()
    try:
        response = client.request(refusal.method, refusal.path, json=refusal.arguments)
        said = [e.get("message") for e in response.json().get("errors") or []]
    except (httpx.HTTPError, ValueError, AttributeError) as exc:
        return Check(group="rest", name=refusal.tool, ok=False, latency_ms=_ms(started),
                     detail=f"{type(exc).__name__}: {exc}")  # fmt: skip
    ok = response.status_code == 422 and said == [refusal.message]
    detail = refusal.means if ok else f"HTTP {response.status_code}, said {said!r}"
    if response.status_code == 403:
        detail = f"HTTP 403: the key lacks the scope of {refusal.tool}"
    return Check(group="rest", name=refusal.tool, ok=ok, detail=detail, latency_ms=_ms(started))


def _judge(group: Group, question: Question, document: Any, started: float) -> Check:
    latency = _ms(started)
    try:
        got = question.answer(document)
    except (KeyError, IndexError, TypeError) as exc:
        return Check(group=group, name=question.tool, ok=False, latency_ms=latency,
                     detail=f"no answer in the result ({type(exc).__name__}: {exc})")  # fmt: skip
    ok = got == question.expected
    detail = (
        question.means if ok else f"{question.means}: got {got!r}, expected {question.expected!r}"
    )
    return Check(group=group, name=question.tool, ok=ok, detail=detail, latency_ms=latency)


def _metrics(client: httpx.Client) -> Check:
    started = time.perf_counter()
    try:
        response = client.get("/metrics")
    except httpx.HTTPError as exc:
        return Check(group="metrics", name="/metrics", ok=False, detail=str(exc))
    missing = [m for m in EXPECTED_METRICS if f"# TYPE {m} " not in response.text]
    ok = response.status_code == 200 and not missing
    detail = f"HTTP {response.status_code}" + (f", missing {', '.join(missing)}" if missing else
                                               f", all {len(EXPECTED_METRICS)} expected names")  # fmt: skip
    return Check(group="metrics", name="/metrics", ok=ok, detail=detail, latency_ms=_ms(started))


async def _mcp(base: str, headers: dict[str, str]) -> tuple[list[Check], list[str]]:
    import httpx2  # the HTTP client the MCP SDK's transport takes
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    found: list[Check] = []
    try:
        async with (
            httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(TIMEOUT_SECONDS)) as http,
            Client(streamable_http_client(f"{base}/mcp", http_client=http)) as client,
        ):
            served = [tool.name for tool in (await client.list_tools()).tools]
            for question in QUESTIONS:
                started = time.perf_counter()
                if question.tool not in served:
                    found.append(Check(group="mcp", name=question.tool, ok=False,
                                       detail="the server does not list this tool"))  # fmt: skip
                    continue
                result = await client.call_tool(question.tool, question.arguments)
                if result.is_error or result.structured_content is None:
                    text = " ".join(getattr(b, "text", "") for b in result.content)[:200]
                    found.append(Check(group="mcp", name=question.tool, ok=False,
                                       latency_ms=_ms(started), detail=f"tool error: {text}"))  # fmt: skip
                    continue
                found.append(_judge("mcp", question, result.structured_content, started))
            for refusal in REFUSALS:  # last: a refused key may end the session
                found.append(await _mcp_refusal(client, refusal))
    except Exception as exc:  # the SDK raises many kinds (transport, protocol, groups)
        found.append(Check(group="mcp", name="session", ok=False,
                           detail=f"{type(exc).__name__}: {exc}"[:300]))  # fmt: skip
        served = []
    return found, served


def _load(client: httpx.Client, requests: int, concurrency: int) -> LoadFigures:
    gets = [q for q in QUESTIONS if q.method == "GET"]

    def one(index: int) -> tuple[float, bool]:
        question = gets[index % len(gets)]
        started = time.perf_counter()
        try:
            ok = client.get(question.path, params=question.query).status_code == 200
        except httpx.HTTPError:
            ok = False
        return (time.perf_counter() - started) * 1000, ok

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        results = list(pool.map(one, range(requests)))
    latencies = [ms for ms, _ in results]
    return LoadFigures(
        requests=requests, concurrency=concurrency, failed=sum(1 for _, ok in results if not ok),
        p50_ms=round(percentile(latencies, 0.5), 2), p95_ms=round(percentile(latencies, 0.95), 2),
        p99_ms=round(percentile(latencies, 0.99), 2),
        seconds=round(time.perf_counter() - started, 3),
    )  # fmt: skip


def _ping() -> dict[str, Any]:
    return {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}


async def _mcp_refusal(client: Any, refusal: Refusal) -> Check:
    started = time.perf_counter()
    try:
        result = await client.call_tool(refusal.tool, refusal.arguments)
    except Exception as exc:  # a 403 for want of the tool's scope ends the request so
        return Check(group="mcp", name=refusal.tool, ok=False, latency_ms=_ms(started),
                     detail=f"{type(exc).__name__} (does the key hold the tool's scope?)")  # fmt: skip
    text = " ".join(getattr(b, "text", "") for b in result.content)
    ok = result.is_error is True and text == refusal.message
    return Check(group="mcp", name=refusal.tool, ok=ok, latency_ms=_ms(started),
                 detail=refusal.means if ok else f"said {text[:200]!r}")  # fmt: skip


def _mcp_headers() -> dict[str, str]:
    return {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)
