"""``nba-mcp ops perf-report``: the request log of a date range as Markdown and HTML with
charts: requests per hour, p50/p95/p99 by route and by tool, error rate, availability, top
API keys, rate-limited and refused requests; and from the synthesis ledger, model cost by
day, API key and model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import Engine

from nba_mcp.ops import charts, documents
from nba_mcp.ops.documents import Section, Written
from nba_mcp.ops.perfstats import Latency, PerfStats, compute, window
from nba_mcp.ops.prometheus import RangeResult, range_queries
from nba_mcp.synthesis.ledger import cost_by_day


def perf_report(
    *, engine: Engine, start: dt.date, end: dt.date, output: Path, prometheus: str | None = None
) -> tuple[PerfStats, Written]:
    """Compute the figures and write ``perf-<start>-<end>.md``/``.html`` and PNGs to ``output``;
    with ``prometheus`` (its base URL), its range queries over the same window too."""
    stats = compute(engine=engine, start=start, end=end)
    stem = f"perf-{start}-{end}"
    output.mkdir(parents=True, exist_ok=True)
    drawn: list[Path] = []
    sections = [_summary(stats)]
    if stats.per_hour:
        drawn.append(charts.bars(output / f"{stem}-requests-per-hour.png",
                                 labels=list(stats.per_hour), title="Requests per hour (UTC)",
                                 series={"requests": list(stats.per_hour.values())},
                                 ylabel="requests"))  # fmt: skip
    sections.append(Section(title="Requests per hour (UTC)", columns=["hour", "requests"],
                            rows=[[h, str(n)] for h, n in stats.per_hour.items()],
                            chart=drawn[-1].name if drawn else None))  # fmt: skip
    for label, groups in (("route", stats.by_route), ("tool", stats.by_tool)):
        chart = None
        if groups:
            chart = charts.bars(output / f"{stem}-latency-by-{label}.png",
                                labels=[g.name for g in groups], ylabel="ms",
                                title=f"Latency by {label} (ms)",
                                series={p: [getattr(g, f"{p}_ms") for g in groups]
                                        for p in ("p50", "p95", "p99")})  # fmt: skip
            drawn.append(chart)
        sections.append(_latency_section(f"Latency by {label}", label, groups,
                                         chart.name if chart else None))  # fmt: skip
    sections.append(Section(title="Top API keys by requests", columns=["key", "requests"],
                            rows=[[k.key_name, str(k.requests)] for k in stats.top_keys]))  # fmt: skip
    sections.append(Section(
        title="Rate-limited (429) and refused (401, 403) requests",
        text=[f"Refused: {_counts(stats.refused)}."], columns=["key", "429 answers"],
        rows=[[k.key_name, str(k.requests)] for k in stats.rate_limited],
    ))  # fmt: skip
    sections.append(_synthesis(engine, start, end))
    if prometheus is not None:
        begin, stop = window(start, end)
        for index, found in enumerate(range_queries(url=prometheus, start=begin, end=stop)):
            section, chart = _prometheus_section(found, output / f"{stem}-prometheus-{index}.png")
            sections.append(section)
            drawn += [chart] if chart else []
    title = f"NBA MCP Synthesis performance, {start} to {end}"
    return stats, documents.write(directory=output, stem=stem, title=title, sections=sections,
                                  charts=drawn)  # fmt: skip


def _summary(stats: PerfStats) -> Section:
    overall = stats.overall
    rows = [["requests", str(stats.requests)], ["5xx answers", str(stats.errors)],
            ["error rate", f"{stats.error_rate:.4%}"], ["availability", f"{stats.availability:.4%}"]]  # fmt: skip
    if overall is not None:
        rows += [["p50 (ms)", f"{overall.p50_ms:.3f}"], ["p95 (ms)", f"{overall.p95_ms:.3f}"],
                 ["p99 (ms)", f"{overall.p99_ms:.3f}"]]  # fmt: skip
    text = ["From the request_log table; times are UTC, the end date included. "
            "Availability is the share of requests not answered 5xx."]  # fmt: skip
    return Section(title="Summary", text=text, columns=["figure", "value"], rows=rows)


def _latency_section(title: str, label: str, groups: list[Latency], chart: str | None) -> Section:
    return Section(
        title=title, columns=[label, "requests", "5xx", "p50 ms", "p95 ms", "p99 ms"], chart=chart,
        rows=[[g.name, str(g.requests), str(g.errors), f"{g.p50_ms:.3f}", f"{g.p95_ms:.3f}",
               f"{g.p99_ms:.3f}"] for g in groups],
    )  # fmt: skip


def _synthesis(engine: Engine, start: dt.date, end: dt.date) -> Section:
    """Model cost by day, API key and model, from the synthesis ledger."""
    with engine.connect() as conn:
        found = cost_by_day(conn, start=start, end=end)
    text = ["From the synthesis_runs and synthesis_calls tables (every ask / synthesize run). "
            "Calls whose price is unknown are counted apart, not guessed."]  # fmt: skip
    if not found:
        text.append("No synthesis run in this window.")
    return Section(
        title="Synthesis cost by day, key and model", text=text,
        columns=["day", "key", "model", "runs", "calls", "input tokens", "output tokens",
                 "cost (USD)", "unpriced calls"],
        rows=[[str(d.day), d.key_name or "(no key)", d.model, str(d.runs), str(d.calls),
               str(d.input_tokens), str(d.output_tokens), f"{d.cost_usd:.6f}",
               str(d.unpriced_calls)] for d in found],
    )  # fmt: skip


def _prometheus_section(found: RangeResult, path: Path) -> tuple[Section, Path | None]:
    rows = []
    for series in found.series:
        values = [v for _, v in series.points]
        name = ", ".join(f"{k}={v}" for k, v in sorted(series.labels.items())) or "all"
        if values:
            rows.append([name, str(len(values)), f"{min(values):.4g}",
                         f"{sum(values) / len(values):.4g}", f"{max(values):.4g}"])  # fmt: skip
    chart = None
    if rows:
        chart = charts.lines(path, title=found.title, ylabel=found.title,
                             series={r[0]: s.points for r, s in zip(rows, found.series, strict=False)})  # fmt: skip
    section = Section(title=f"Prometheus: {found.title}", text=[f"Query: {found.query}"],
                      columns=["series", "points", "min", "mean", "max"], rows=rows,
                      chart=chart.name if chart else None)  # fmt: skip
    if not rows:
        section.text.append("No data in this window.")
    return section, chart


def _counts(found: dict[str, int]) -> str:
    return ", ".join(f"{n} × {status}" for status, n in found.items()) or "none"
