"""The synthesis pipeline's own overhead, with scripted providers that answer at once.

Targets (issue "Synthesis"): for a two-tool question (two tool calls, then an answer citing
both) the pipeline's own time per run, that is the run's wall-clock minus the time spent
waiting on the model calls, has a median of at most 20 ms; and 16 concurrent runs finish
without an error. The models are the scripted OpenAI-compatible server of the tests
(tests/synthesis/scripted.py) on 127.0.0.1; the tools read a fresh load of the real data.

    uv run python benchmarks/bench_synthesis.py [--runs 50] [--concurrent 16]
        [--backend sqlite|postgresql] [--postgres URL]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' scripted provider

from common import PG_URL, loaded
from tests.synthesis.scripted import Request, Say, ScriptedProvider, Tool, Tools

from nba_mcp.catalog import BY_NAME
from nba_mcp.catalog.invoke import invoke
from nba_mcp.catalog.spec import Services
from nba_mcp.config import Settings

QUESTION = "Compare Stephen Curry's and James Harden's points per game in 2015-16."
CURRY = {"player": "Stephen Curry", "season": "2015-16"}
HARDEN = {"player": "James Harden", "season": "2015-16"}


def answer(request: Request) -> str:
    curry, harden = (r["result"]["rows"][-1]["per_game"]["pts"] for r in request.tool_results)
    return f"Curry averaged {curry} points per game [1] and Harden {harden} [2] in 2015-16."


def turn() -> list[Any]:
    return [Tools([Tool("player_season_stats", CURRY), Tool("player_season_stats", HARDEN)]),
            Say(answer)]  # fmt: skip


def one_run(services: Services, model: str = "m1") -> tuple[float, float, dict[str, Any]]:
    """(wall seconds, seconds waiting on models, result) of one run."""
    started = time.perf_counter()
    arguments = {"question": QUESTION, "models": [f"scripted:{model}"], "use_cache": False}
    result = invoke(services, BY_NAME["synthesize"], arguments).data
    wall = time.perf_counter() - started
    waiting = sum(call["latency_ms"] for call in result["calls"]) / 1000
    return wall, waiting, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--concurrent", type=int, default=16)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--postgres", default=PG_URL)
    options = parser.parse_args()
    with ScriptedProvider() as provider, loaded(options.backend, options.postgres) as engine:
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            llm_providers={"scripted": {"kind": "openai", "base_url": provider.openai_base_url}},
            llm_prices={
                "scripted:m1": {"input": 0.4, "output": 1.6},
                **{
                    f"scripted:c{n}": {"input": 0.4, "output": 1.6}
                    for n in range(options.concurrent)
                },
            },
        )
        services = Services(settings, engine)
        provider.script("m1", turn() * (options.runs + 1))
        for n in range(options.concurrent):  # a model each: a script is one conversation
            provider.script(f"c{n}", turn())
        one_run(services)  # warm: imports, the SDK's client, the tools' memo
        overheads, walls = [], []
        for _ in range(options.runs):
            wall, waiting, result = one_run(services)
            assert result["status"] == "ok" and result["checks"]["matched"] == 2, result
            overheads.append(wall - waiting)
            walls.append(wall)
        with ThreadPoolExecutor(options.concurrent) as pool:
            started = time.perf_counter()
            done = list(pool.map(lambda n: one_run(services, f"c{n}"), range(options.concurrent)))
            together = time.perf_counter() - started
        failed = [r for _, _, r in done if r["status"] != "ok" or r["checks"]["unmatched"]]
    median = statistics.median(overheads) * 1000
    print(f"bench_synthesis: backend {options.backend}, scripted provider on 127.0.0.1")
    print(f"two-tool run, pipeline overhead  median {median:6.2f} ms (target <= 20 ms: "
          f"{'ok' if median <= 20 else 'ABOVE TARGET'}) | run wall-clock median "
          f"{statistics.median(walls) * 1000:.2f} ms | runs {options.runs}")  # fmt: skip
    print(f"{options.concurrent} concurrent runs               {len(failed)} failed "
          f"({'ok' if not failed else 'FAILURES'}) | all done in {together * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
