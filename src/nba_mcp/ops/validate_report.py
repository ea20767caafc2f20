"""The deployment validation written as Markdown and HTML with PNG charts."""

from __future__ import annotations

from pathlib import Path

from nba_mcp.ops import charts, documents
from nba_mcp.ops.documents import Section, Written
from nba_mcp.ops.validate import Validation


def write_validation(validation: Validation, *, output: Path) -> Written:
    stem = f"validation-{validation.checked_at:%Y%m%dT%H%M%SZ}"
    output.mkdir(parents=True, exist_ok=True)
    failed = [c for c in validation.checks if not c.ok]
    verdict = "PASSED" if not failed else f"FAILED ({len(failed)} of {len(validation.checks)})"
    sections = [Section(
        title="Result",
        text=[f"{verdict}: {validation.url} at {validation.checked_at:%Y-%m-%d %H:%M:%S} UTC.",
              "Tools the server lists without a known question here (not checked): "
              + (", ".join(validation.tools_without_question) or "none") + "."],
    )]  # fmt: skip
    drawn: list[Path] = []
    timed = {c.name: c.latency_ms or 0.0 for c in validation.checks if c.group == "rest"}
    over_mcp = {c.name: c.latency_ms or 0.0 for c in validation.checks if c.group == "mcp"}
    tools = [t for t in timed if t in over_mcp]
    if tools:
        drawn.append(charts.bars(output / f"{stem}-tools.png", labels=tools, ylabel="ms",
                                 title="Known question, one call (ms)",
                                 series={"REST": [timed[t] for t in tools],
                                         "MCP": [over_mcp[t] for t in tools]}))  # fmt: skip
    for group in ("health", "auth", "rest", "mcp", "metrics", "load"):
        rows = [["pass" if c.ok else "FAIL", c.name, c.detail,
                 "" if c.latency_ms is None else f"{c.latency_ms:.1f}"]
                for c in validation.checks if c.group == group]  # fmt: skip
        if rows:
            chart = drawn[0].name if group == "mcp" and drawn else None
            sections.append(Section(title=_TITLES[group], columns=["result", "check", "detail", "ms"],
                                    rows=rows, chart=chart))  # fmt: skip
    load = validation.load
    if load is not None:
        drawn.append(charts.bars(output / f"{stem}-load.png", labels=["p50", "p95", "p99"],
                                 series={"ms": [load.p50_ms, load.p95_ms, load.p99_ms]},
                                 title=f"Latency under load ({load.requests} requests, "
                                 f"{load.concurrency} at a time)", ylabel="ms"))  # fmt: skip
        sections.append(Section(
            title="Latency under load", chart=drawn[-1].name, columns=["figure", "value"],
            rows=[["requests", str(load.requests)], ["concurrency", str(load.concurrency)],
                  ["failed", str(load.failed)], ["p50 ms", f"{load.p50_ms:.2f}"],
                  ["p95 ms", f"{load.p95_ms:.2f}"], ["p99 ms", f"{load.p99_ms:.2f}"],
                  ["seconds", f"{load.seconds:.2f}"]],
        ))  # fmt: skip
    return documents.write(directory=output, stem=stem, sections=sections, charts=drawn,
                           title=f"Deployment validation of {validation.url}")  # fmt: skip


_TITLES = {"health": "Health and readiness", "auth": "Authentication enforced",
           "rest": "Known answers over REST", "mcp": "Known answers over MCP",
           "metrics": "Metrics exposed", "load": "Bounded load"}  # fmt: skip
