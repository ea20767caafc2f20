"""wrk, the C load generator (Debian: ``apt-get install wrk``), when it is installed.

It costs the machine far less CPU than a Python load generator, which matters on a
2-core box where generator and server share the cores.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import NamedTuple

SCRIPT = """
wrk.method = {method}
wrk.body = {body}
{headers}
done = function(summary, latency, requests)
  io.write(string.format('{{"requests": %d, "seconds": %f, "p50_ms": %f, "p95_ms": %f, "p99_ms": %f, "errors": %d}}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect
      + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


def available() -> bool:
    return shutil.which("wrk") is not None


def lua(text: str | None) -> str:
    return "nil" if text is None else json.dumps(text)


class Result(NamedTuple):
    """One wrk run: requests/s, latency percentiles in ms, errors (non-2xx included)."""

    rate: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int


def run(
    url: str, *, connections: int, seconds: int, method: str = "GET",
    body: str | None = None, headers: dict[str, str] | None = None,
) -> tuple[float, float, float, int]:  # fmt: skip
    """One wrk run: (requests/s, p95 ms, p99 ms, errors incl. non-2xx)."""
    result = measure(
        url, connections=connections, seconds=seconds, method=method, body=body, headers=headers
    )
    return result.rate, result.p95_ms, result.p99_ms, result.errors


def measure(
    url: str, *, connections: int, seconds: int, method: str = "GET",
    body: str | None = None, headers: dict[str, str] | None = None,
) -> Result:  # fmt: skip
    """One wrk run with one thread and ``connections`` connections."""
    header_lines = "\n".join(
        f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in (headers or {}).items()
    )
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "run.lua"
        script.write_text(SCRIPT.format(method=lua(method), body=lua(body), headers=header_lines))
        done = subprocess.run(
            ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script), url],
            capture_output=True, text=True, check=True, timeout=seconds + 60,
        )  # fmt: skip
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return Result(
        result["requests"] / result["seconds"],
        result["p50_ms"],
        result["p95_ms"],
        result["p99_ms"],
        result["errors"],
    )
