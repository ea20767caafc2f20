"""The synthesis tool: synthesize (answers in prose from LLMs that call the other tools)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from nba_mcp.catalog import render
from nba_mcp.catalog.spec import AnyTool, HttpRoute, Services, ToolArguments, ToolSpec
from nba_mcp.errors import InvalidInput
from nba_mcp.synthesis import loop, pipeline
from nba_mcp.synthesis.types import Mode, ModelRef, SynthesisResult


class SynthesizeArguments(ToolArguments):
    question: Annotated[
        str,
        Field(
            min_length=1,
            max_length=20_000,
            description="The question, in plain words.",
            examples=["Who led the league in scoring in 2018-19, and with how many points?"],
        ),
    ]
    models: Annotated[
        list[Annotated[str, Field(max_length=140)]] | None,
        Field(
            max_length=5,
            description="provider:model, in order (fallbacks, checker, judge); default "
            "NBA_MCP_SYNTHESIS_MODELS.",
            examples=[["openai:gpt-4.1-mini", "anthropic:claude-sonnet-4-5"]],
        ),
    ] = None
    mode: Annotated[
        Mode,
        Field(description="single (fallbacks), verify (a second model checks) or judge."),
    ] = "single"
    max_cost_usd: Annotated[
        float | None, Field(ge=0, le=100, description="Budget of the run in USD.")
    ] = None
    max_tool_calls: Annotated[
        int | None, Field(ge=0, le=100, description="Budget of the run in tool calls.")
    ] = None
    timeout_seconds: Annotated[
        float | None, Field(gt=0, le=600, description="Budget of the run in seconds.")
    ] = None
    use_cache: Annotated[
        bool, Field(description="Answer identical model requests from the cache.")
    ] = True


def synthesize(services: Services, args: SynthesizeArguments) -> SynthesisResult:
    """Answer a question in prose with one or several LLMs that call this server's tools;
    every number is cited ([1] → the recorded tool call) and checked against the results,
    and the run's cost, tokens and calls are reported. Modes: single (the next models are
    fallbacks), verify (a second model checks the first's numbers) and judge (every model
    answers, the last merges and lists where they disagree)."""
    settings = services.settings
    question = args.question.strip()
    if not question:
        raise InvalidInput("The question is empty.")
    if len(question) > settings.synthesis_max_question_chars:
        raise InvalidInput(
            f"The question has {len(question)} characters; at most "
            f"{settings.synthesis_max_question_chars}."
        )
    models = [ModelRef.parse(m) for m in (args.models or settings.synthesis_models)]
    request = pipeline.Request(
        question=question, models=models, mode=args.mode, max_cost_usd=args.max_cost_usd,
        max_tool_calls=args.max_tool_calls, timeout_seconds=args.timeout_seconds,
        use_cache=args.use_cache,
    )  # fmt: skip
    return loop.run(pipeline.synthesize(services, request))


TOOLS: tuple[AnyTool, ...] = (
    ToolSpec(synthesize, SynthesizeArguments, SynthesisResult,
             render.of_result(render.synthesis), pipeline.synthesize,
             HttpRoute("POST", "/v1/synthesize"), scope="synthesize", cached=False,
             reports_progress=True, open_world=True),
)  # fmt: skip
