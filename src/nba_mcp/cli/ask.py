"""``nba-mcp ask QUESTION``: an answer in prose from LLMs that call the tools, numbers checked.

It is the catalogue's ``synthesize`` (the same call REST's ``POST /v1/synthesize`` and the
MCP tool make), with the run's limits as options; ``--eval`` runs the shipped question
set (or a file of the same form) against the models instead and prints how each did.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from nba_mcp.cli.context import app_context
from nba_mcp.cli.output import console, emit_json, table
from nba_mcp.errors import InvalidInput

if TYPE_CHECKING:  # the catalogue (every query, pandas) loads when a question is asked
    from nba_mcp.catalog.spec import Services


def ask(
    ctx: typer.Context,
    question: Annotated[str | None, typer.Argument(help="The question, in quotes.")] = None,
    model: Annotated[
        list[str] | None,
        typer.Option("--model", help="provider:model; repeat for fallbacks, checker or judge."),
    ] = None,
    mode: Annotated[str, typer.Option("--mode", help="single, verify or judge.")] = "single",
    max_cost_usd: Annotated[
        float | None, typer.Option("--max-cost-usd", help="Budget of the run in USD.")
    ] = None,
    max_tool_calls: Annotated[
        int | None, typer.Option("--max-tool-calls", help="Budget of the run in tool calls.")
    ] = None,
    timeout: Annotated[
        float | None, typer.Option("--timeout", help="Budget of the run in seconds.")
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Ask the models even for a repeated request.")
    ] = False,
    evaluate: Annotated[
        Path | None,
        typer.Option("--eval", help="Run a question set (JSON; 'shipped' for the built-in one)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Answer a question with LLMs that call the NBA tools; every number is cited and checked."""
    from nba_mcp.catalog import tool
    from nba_mcp.catalog.invoke import invoke, parse_arguments

    arguments: dict[str, Any] = {
        "models": model or None, "mode": mode, "max_cost_usd": max_cost_usd,
        "max_tool_calls": max_tool_calls, "timeout_seconds": timeout, "use_cache": not no_cache,
    }  # fmt: skip
    spec = tool("synthesize")
    if evaluate is not None:
        _evaluate(ctx, evaluate, arguments, as_json)
        return
    if question is None:
        raise InvalidInput('Give a question: nba-mcp ask "Who led the league in scoring?"')
    arguments["question"] = question
    parse_arguments(spec, arguments)  # bad options are said before anything is opened
    answer = invoke(_services(ctx), spec, arguments)
    if as_json:
        emit_json(answer.data)
    else:
        console.print(answer.text, markup=False, highlight=False)


def _services(ctx: typer.Context) -> Services:
    from nba_mcp.catalog.spec import Services
    from nba_mcp.redis_client import connect_redis
    from nba_mcp.result_cache import ResultCache

    context = app_context(ctx)
    engine = context.engine(serving=True)
    # A one-shot command asks the data version per call rather than open a watch for it.
    settings = context.settings
    cache = ResultCache(
        engine=engine, redis=connect_redis(settings), ttl_seconds=settings.cache_ttl_seconds,
        max_entries=settings.cache_max_entries, watch=False,
    )  # fmt: skip
    ctx.call_on_close(cache.close)
    return Services(settings=context.settings, engine=engine, cache=cache)


def _evaluate(ctx: typer.Context, path: Path, arguments: dict[str, Any], as_json: bool) -> None:
    """Every question of the set through every model given, scored on the known answers."""
    from nba_mcp.catalog import tool
    from nba_mcp.catalog.invoke import invoke
    from nba_mcp.synthesis import evaluation

    questions = evaluation.load_questions(None if str(path) == "shipped" else path)
    models = arguments.pop("models") or app_context(ctx).settings.synthesis_models
    if not models:
        raise InvalidInput("No model to evaluate: pass --model provider:model.")
    services = _services(ctx)
    spec = tool("synthesize")
    rows = []
    for name in models:
        for question in questions:
            started = time.perf_counter()
            answer = invoke(
                services, spec, {**arguments, "question": question.question, "models": [name]}
            ).data
            rows.append(evaluation.Outcome(
                model=name, question_id=question.id,
                correct=evaluation.score(answer["answer"], question.expected),
                cost_usd=answer["cost_usd"],
                latency_ms=(time.perf_counter() - started) * 1000,
            ))  # fmt: skip
    summary = evaluation.summarize(rows).models
    if as_json:
        emit_json({"questions": len(questions), "models": [s.model_dump() for s in summary]})
        return
    console.print(table(
        f"Evaluation: {len(questions)} questions",
        ["model", "correct", "accuracy", "cost (USD)", "median latency (ms)"],
        [(s.model, f"{s.correct}/{s.questions}", f"{s.accuracy:.0%}",
          "unknown" if s.cost_usd is None else f"{s.cost_usd:.4f}",
          f"{s.median_latency_ms:.0f}") for s in summary],
    ))  # fmt: skip
