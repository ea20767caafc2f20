"""``ops perf-report`` over a request log filled by real requests to a running server; every
figure is checked against SQL over the same rows, and the charts are valid PNG images."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from sqlalchemy import Engine, func, select, text

from nba_mcp.db.models import RequestLog, table_of
from nba_mcp.errors import InvalidInput
from nba_mcp.ops.perfreport import perf_report
from nba_mcp.ops.perfstats import Latency, window
from nba_mcp.security.keys import create_key
from nba_mcp.service import build_app
from nba_mcp.synthesis.ledger import record_run
from nba_mcp.synthesis.types import CallRecord, SynthesisResult
from tests.cli.invoke import Cli, env_for
from tests.ops.conftest import settings
from tests.ops.servers import serve_app

LOG = table_of(RequestLog)


def _traffic(engine: Engine) -> int:
    alpha = create_key(engine, name="alpha", scopes="read").key
    beta = create_key(engine, name="beta", scopes="read").key
    app = build_app(settings(rate_limit_per_minute=1, rate_limit_burst=6), engine)
    sent = 0
    with serve_app(app) as base, httpx.Client(base_url=base, timeout=30) as client:

        def get(path: str, key: str | None = None, **params: str) -> None:
            nonlocal sent
            headers = {"Authorization": f"Bearer {key}"} if key else {}
            client.get(path, params=params, headers=headers)
            sent += 1

        for name in ("GSW", "BOS", "nowhere"):
            get("/v1/teams/search", alpha, name=name)
        get("/v1/standings", alpha, season="2015-16")
        get("/v1/standings", alpha, season="1900-01")
        client.post("/v1/sql", json={"sql": "SELECT 1"},
                    headers={"Authorization": f"Bearer {alpha}"})  # fmt: skip
        sent += 1
        get("/v1/standings", None, season="2015-16")
        get("/v1/standings", "nbamcp_wrong_key", season="2015-16")
        for _ in range(9):
            get("/v1/teams/search", beta, name="LAL")
    deadline = time.monotonic() + 20
    while _count(engine) < sent:  # the log is written off the request path
        assert time.monotonic() < deadline, f"{_count(engine)} of {sent} requests logged"
        time.sleep(0.05)
    return sent


def _count(engine: Engine, where: str = "1 = 1") -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(text(f"SELECT COUNT(*) FROM request_log WHERE {where}")).scalar_one()
        )


def test_figures_equal_sql_over_the_same_rows(engine: Engine, tmp_path: Path) -> None:
    sent = _traffic(engine)
    today = dt.datetime.now(dt.UTC).date()

    stats, written = perf_report(engine=engine, start=today, end=today, output=tmp_path / "r")

    assert stats.requests == sent == _count(engine)
    assert stats.errors == _count(engine, "status >= 500")
    assert stats.refused == {"401": _count(engine, "status = 401"),
                             "403": _count(engine, "status = 403")}  # fmt: skip
    assert stats.refused["401"] >= 2 and stats.refused["403"] == 1
    assert [(k.key_name, k.requests) for k in stats.rate_limited] == [
        ("beta", _count(engine, "status = 429 AND key_name = 'beta'"))
    ]
    assert stats.rate_limited[0].requests == 3
    with engine.connect() as conn:
        by_key = dict(conn.execute(select(func.coalesce(LOG.c.key_name, "(none)"), func.count())
                                   .group_by(LOG.c.key_name)).all())  # fmt: skip
        by_route = dict(conn.execute(select(LOG.c.route, func.count()).group_by(LOG.c.route)).all())
    assert {k.key_name: k.requests for k in stats.top_keys} == by_key
    assert {r.name: r.requests for r in stats.by_route} == by_route
    assert sum(stats.per_hour.values()) == sent
    if engine.dialect.name == "postgresql":
        _percentiles_match_percentile_cont(engine, stats.by_route)

    body = written.markdown.read_text()
    assert f"| requests | {sent} |" in body
    assert "<td>beta</td><td>3</td>" in written.html.read_text()
    assert len(written.charts) == 2  # per hour, by route (no tool calls through REST search)
    for chart in written.charts:
        assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        with Image.open(chart) as image:
            image.verify()
            assert image.size[0] >= 600
        assert chart.name in body


def _percentiles_match_percentile_cont(engine: Engine, groups: list[Latency]) -> None:
    query = text(
        "SELECT route, percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms), "
        "percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms), "
        "percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) FROM request_log GROUP BY route"
    )
    with engine.connect() as conn:
        expected = {r[0]: tuple(round(v, 3) for v in r[1:]) for r in conn.execute(query)}
    assert {g.name: (g.p50_ms, g.p95_ms, g.p99_ms) for g in groups} == expected


def test_the_cli_writes_the_report(cli: Cli, engine: Engine, tmp_path: Path) -> None:
    env = env_for(engine.url.render_as_string(hide_password=False), data_dir=str(tmp_path))

    outcome = cli.main("ops", "perf-report", "--start-date", "2026-01-01", "--end-date",
                       "2026-01-31", "--output", str(tmp_path / "out"), "--json", env=env)  # fmt: skip

    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.json()["figures"]["requests"] == 0
    assert (tmp_path / "out" / "perf-2026-01-01-2026-01-31.html").is_file()


def test_a_reversed_or_huge_window_is_refused() -> None:
    with pytest.raises(InvalidInput, match="before the start date"):
        window(dt.date(2026, 2, 1), dt.date(2026, 1, 1))
    with pytest.raises(InvalidInput, match="At most 366 days"):
        window(dt.date(2020, 1, 1), dt.date(2026, 1, 1))


def test_prometheus_range_queries_join_the_report(engine: Engine, tmp_path: Path) -> None:
    from tests.ops.servers import receiver

    def answer(query: dict[str, list[str]]) -> dict[str, Any]:
        start = float(query["start"][0])
        if "synthesis_cost" in query["query"][0]:
            result = [{"metric": {"provider": "openai", "model": "gpt-x"},
                       "values": [[start, "0.5"], [start + 3600, "1.5"]]}]  # fmt: skip
        else:
            result = [{"metric": {}, "values": [[start, "2"], [start + 60, "NaN"],
                                                [start + 120, "4"]]}]  # fmt: skip
        return {"status": "success", "data": {"resultType": "matrix", "result": result}}

    with receiver() as prometheus:
        prometheus.answer_get = answer
        _, written = perf_report(engine=engine, start=dt.date(2026, 11, 1),
                                 end=dt.date(2026, 11, 2), output=tmp_path,
                                 prometheus=prometheus.url)  # fmt: skip

    asked = prometheus.gets
    assert [q["_path"][0] for q in asked] == ["/api/v1/query_range"] * 4
    assert asked[0]["query"] == ["sum(rate(nba_mcp_http_requests_total[5m]))"]
    begin = dt.datetime(2026, 11, 1, tzinfo=dt.UTC).timestamp()
    assert (asked[0]["start"], asked[0]["end"], asked[0]["step"]) == (
        [f"{begin:.0f}"], [f"{begin + 2 * 86400:.0f}"], ["173s"])  # fmt: skip
    body = written.markdown.read_text()
    assert "| all | 2 | 2 | 3 | 4 |" in body  # the NaN point left out
    assert "| model=gpt-x, provider=openai | 2 | 0.5 | 1 | 1.5 |" in body
    assert len(written.charts) == 4  # one per query; no request-log charts for an empty log


def test_a_prometheus_that_refuses_is_a_clear_failure(engine: Engine, tmp_path: Path) -> None:
    from nba_mcp.errors import CheckFailed
    from tests.ops.servers import receiver

    with receiver() as prometheus:
        prometheus.answer_get = lambda _: {"status": "error", "error": "parse error at char 5"}
        with pytest.raises(CheckFailed, match=r"Prometheus refused the query: .* parse error"):
            perf_report(engine=engine, start=dt.date(2026, 11, 1), end=dt.date(2026, 11, 1),
                        output=tmp_path, prometheus=prometheus.url)  # fmt: skip


def test_synthesis_cost_by_day_key_and_model_comes_from_the_ledger(
    engine: Engine, tmp_path: Path
) -> None:
    def call(cost: float | None) -> CallRecord:
        return CallRecord(provider="openai", model="gpt-4.1-mini", role="answer",
                          input_tokens=1000, output_tokens=100, cost_usd=cost,
                          latency_ms=500.0, status="ok")  # fmt: skip

    at = dt.datetime(2026, 1, 5, 9, 30, tzinfo=dt.UTC)
    for key, calls in (("alpha", [call(0.0006), call(0.0004)]), ("alpha", [call(None)])):
        result = SynthesisResult(answer="73-9 [1].", status="ok", mode="single", calls=calls,
                                 cost_usd=None)  # fmt: skip
        record_run(engine, result, question="Q?", started_at=at, finished_at=at,
                   key_name=key, tool_calls=1)  # fmt: skip

    _, written = perf_report(engine=engine, start=dt.date(2026, 1, 1),
                             end=dt.date(2026, 1, 31), output=tmp_path)  # fmt: skip

    markdown = written.markdown.read_text()
    assert "Synthesis cost by day, key and model" in markdown
    assert "| 2026-01-05 | alpha | openai:gpt-4.1-mini | 2 | 3 | 3000 | 300 | 0.001000 | 1 |" in (
        markdown
    )
