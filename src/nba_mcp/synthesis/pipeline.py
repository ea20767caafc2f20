"""The synthesis pipeline: models answer with real tool calls, a check verifies every number.

``single``: the first model answers; the next ones are its fallbacks. ``verify``: a model
drafts with tools, the next one checks each number of the draft against the recorded
results (calling tools itself where needed) and writes the corrected answer and what it
changed. ``judge``: every model answers on its own, then the last one merges the answers
and names the numeric claims on which they differ.

Then, whatever the mode, :func:`nba_mcp.synthesis.numbers.check` (code, not a model)
matches every number of the final answer to a value of a result its sentence cites; if
some do not match, the final model gets one repair round, and what still does not match
is listed in ``checks.unmatched``. One :class:`~nba_mcp.synthesis.budget.Budget` covers
the run; a model call that fails (timeout, HTTP 429 or 5xx, a connection error, a bad
key) falls back to the next model and the reason is recorded.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from nba_mcp.catalog import context
from nba_mcp.catalog.spec import Services
from nba_mcp.errors import InvalidInput
from nba_mcp.observability import metrics
from nba_mcp.synthesis import instructions, ledger, numbers, pricing
from nba_mcp.synthesis.budget import Budget, BudgetExhausted
from nba_mcp.synthesis.providers import Conversation, ModelFailure, client_for
from nba_mcp.synthesis.recorder import Recorder, tools
from nba_mcp.synthesis.types import (
    CallRecord,
    Completion,
    Disagreement,
    Mode,
    ModelRef,
    NumberCheck,
    Role,
    SynthesisResult,
    Usage,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Request:
    """One question for the pipeline, with the models to ask and the run's limits."""

    question: str
    models: list[ModelRef]
    mode: Mode = "single"
    max_cost_usd: float | None = None
    max_tool_calls: int | None = None
    timeout_seconds: float | None = None
    use_cache: bool = True


class Started(NamedTuple):
    """When one model call started: the wall-clock time, and the clock for its latency."""

    at: dt.datetime
    clock: float


class NoAnswer(Exception):
    """Every model of a step failed; the reasons are in the run's calls."""


@dataclass
class Run:
    """The state of one run: its budget, recorded tools and calls."""

    services: Services
    request: Request
    budget: Budget
    recorder: Recorder
    calls: list[CallRecord] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    best: str = ""  # the latest answer a model finished: what a stopped run returns

    async def call(self, ref: ModelRef, role: Role, conversation: Conversation) -> Completion:
        """One model call, from the cache when the same request was answered at this data
        version; priced, timed, counted against the budget, recorded."""
        self.budget.before_model_call()
        settings = self.services.settings
        offered = tools()
        key = {
            "model": str(ref), "conversation": conversation.as_key(),
            "tools": [spec.name for spec in offered],
            "max_tokens": settings.synthesis_max_output_tokens,
        }  # fmt: skip
        cache = self.services.cache if self.request.use_cache else None
        started = Started(dt.datetime.now(dt.UTC), time.perf_counter())
        found = cache.lookup("synthesis:model", key, Completion) if cache is not None else None
        if found is not None:
            self._record(ref, role, found, None, started, status="cached")
            return found
        timeout = min(settings.synthesis_call_timeout_seconds, self.budget.remaining_seconds())
        try:
            completion = await client_for(ref, settings).complete(
                ref.model, conversation, offered,
                max_tokens=settings.synthesis_max_output_tokens,
                timeout=max(timeout, 0.1),
            )  # fmt: skip
        except ModelFailure as failure:
            self._record(ref, role, Completion(), failure.reason, started, status="error")
            if failure.reason == "timeout" and self.budget.remaining_seconds() <= 0:
                raise BudgetExhausted("time") from None  # the run's clock, not the model
            metrics.SYNTHESIS_FALLBACKS.labels(
                provider=ref.provider, model=ref.model, reason=failure.reason.split(" (")[0]
            ).inc()
            log.warning("model %s failed (%s): falling back", ref, failure.reason)
            raise
        if cache is not None:
            cache.store("synthesis:model", key, completion)
        self._record(ref, role, completion, None, started, status="ok")
        return completion

    def _record(
        self, ref: ModelRef, role: Role, completion: Completion, error: str | None,
        started: Started, *, status: Literal["ok", "error", "cached"],
    ) -> None:  # fmt: skip
        # A cached reply reached no model: it spends nothing and costs nothing.
        usage = Usage() if status == "cached" else completion.usage
        cost = pricing.price_call(ref, usage, overrides=self.services.settings.llm_prices)
        self.budget.spent(usage, cost)
        record = CallRecord(
            provider=ref.provider, model=ref.model, role=role,
            input_tokens=usage.input_tokens, output_tokens=usage.output_tokens,
            cached_input_tokens=usage.cached_input_tokens, cost_usd=cost,
            started_at=started.at, latency_ms=round((time.perf_counter() - started.clock) * 1000, 1),
            status=status, error=error,
        )  # fmt: skip
        self.calls.append(record)
        ledger.observe_call(record)

    async def converse(self, ref: ModelRef, role: Role, conversation: Conversation) -> str:
        """The model's final text once it stops calling tools (each call run and recorded)."""
        while True:
            completion = await self.call(ref, role, conversation)
            if not completion.tool_calls:
                return completion.text.strip()
            conversation.assistant(completion)
            for requested in completion.tool_calls:
                self.budget.before_tool_call()
                conversation.tool_result(requested.call_id, await self.recorder.run(requested))

    async def first_that_answers(
        self, refs: Iterable[ModelRef], role: Role, system: str, message: str
    ) -> tuple[ModelRef, str]:
        """The first model of ``refs`` that answers, the others being its fallbacks."""
        for ref in refs:
            conversation = Conversation(system)
            conversation.user(message)
            try:
                text = await self.converse(ref, role, conversation)
            except ModelFailure:
                continue
            if text and role in ("answer", "draft"):
                self.best = text
            return ref, text
        raise NoAnswer


async def synthesize(services: Services, request: Request) -> SynthesisResult:
    """Answer ``request``; see the module's docstring. Never raises for a model's failure:
    the result's ``status`` says ``failed`` (no model answered) or ``partial`` (a limit)."""
    settings = services.settings
    if not request.models:
        raise InvalidInput(
            "No model to ask: pass --model provider:model (or models=[...]), or set "
            "NBA_MCP_SYNTHESIS_MODELS."
        )
    budget = Budget(
        max_cost_usd=_given(request.max_cost_usd, settings.synthesis_max_cost_usd),
        max_tokens=settings.synthesis_max_tokens,
        max_tool_calls=int(_given(request.max_tool_calls, settings.synthesis_max_tool_calls)),
        max_steps=settings.synthesis_max_steps,
        seconds=_given(request.timeout_seconds, settings.synthesis_timeout_seconds),
    )
    run = Run(services, request, budget, Recorder(services))
    for ref in request.models:
        client_for(ref, settings)  # an unknown provider or a missing key: said before any call
    started_at = dt.datetime.now(dt.UTC)
    answer, status, stopped_by = "", "ok", None
    checks = NumberCheck()  # a run no model answered has nothing to check
    disagreements: list[Disagreement] = []
    try:
        context.report("answering", 0.1)
        if request.mode == "single":
            final, answer = await run.first_that_answers(
                request.models, "answer", instructions.ANSWER, request.question
            )
        elif request.mode == "verify":
            final, answer = await _verify(run)
        else:
            final, answer, disagreements = await _judge(run)
        context.report("checking numbers", 0.8)
        answer, checks = await _repaired(run, final, answer)
    except BudgetExhausted as exhausted:
        status, stopped_by = "partial", exhausted.limit
        metrics.SYNTHESIS_BUDGET_STOPS.labels(limit=exhausted.limit).inc()
        answer = (
            answer
            or run.best
            or f"The run stopped before an answer: its {exhausted.limit} budget was spent."
        )
        checks = numbers.check(answer, run.recorder.results)[0]
    except NoAnswer:
        status = "failed"
        reasons = "; ".join(f"{c.provider}:{c.model} ({c.error})" for c in run.calls if c.error)
        answer = f"No model could answer: {reasons or 'none was asked'}."
    metrics.SYNTHESIS_UNMATCHED.inc(len(checks.unmatched))
    result = SynthesisResult(
        answer=answer, status=status,
        mode=request.mode, citations=run.recorder.citations, checks=checks, calls=run.calls,
        cost_usd=_total_cost(run.calls), disagreements=disagreements, stopped_by=stopped_by,
        prices=pricing.price_table_version(settings.llm_prices), changes=run.changes,
    )  # fmt: skip
    metrics.SYNTHESIS_REQUESTS.labels(status=result.status).inc()
    await asyncio.to_thread(_keep, services, result, request.question, started_at,
                            budget.tool_calls)  # fmt: skip
    context.report("done", 1.0)
    return result


async def _verify(run: Run) -> tuple[ModelRef, str]:
    models = run.request.models
    drafter, draft = await run.first_that_answers(
        models, "draft", instructions.ANSWER, run.request.question
    )
    context.report("verifying", 0.5)
    after = models.index(drafter) + 1
    checkers = [*models[after:], *models[:after]] if len(models) > 1 else models
    message = instructions.verify_request(run.request.question, draft, run.recorder.evidence())
    try:
        checker, checked = await run.first_that_answers(
            checkers, "verify", instructions.VERIFY, message
        )
    except NoAnswer:
        return drafter, draft  # the draft stands, its numbers still checked below
    answer, _, changes = checked.partition("\nChanges:")
    run.changes = [
        line.strip()[2:].strip() for line in changes.splitlines()
        if line.strip().startswith("- ") and line.strip()[2:].strip().lower() != "none"
    ]  # fmt: skip
    return checker, answer.strip()


async def _judge(run: Run) -> tuple[ModelRef, str, list[Disagreement]]:
    models = run.request.models

    async def answer_of(ref: ModelRef) -> str | None:
        try:
            return (await run.first_that_answers([ref], "answer", instructions.ANSWER,
                                                 run.request.question))[1]  # fmt: skip
        except NoAnswer:
            return None

    found = await asyncio.gather(*(answer_of(ref) for ref in models))
    answers = {str(ref): text for ref, text in zip(models, found, strict=True) if text}
    if not answers:
        raise NoAnswer
    context.report("judging", 0.6)
    judges = [models[-1], *reversed(models[:-1])]
    message = instructions.judge_request(run.request.question, answers, run.recorder.evidence())
    try:
        judge, merged = await run.first_that_answers(judges, "judge", instructions.JUDGE, message)
    except NoAnswer:
        first = next(iter(answers))
        return ModelRef.parse(first), answers[first], []
    text, disagreements = _parse_judgement(merged, answers)
    return judge, text, disagreements


def _parse_judgement(reply: str, answers: dict[str, str]) -> tuple[str, list[Disagreement]]:
    """The judge's JSON: its answer, and the disagreements whose values each model's answer
    really holds (a value the judge put in a model's mouth is dropped)."""
    body = reply.strip().removeprefix("```json").removeprefix("```").removesuffix("```")
    try:
        document = json.loads(body)
    except ValueError:
        return reply.strip(), []
    if not isinstance(document, dict) or not isinstance(document.get("answer"), str):
        return reply.strip(), []
    kept: list[Disagreement] = []
    for item in document.get("disagreements") or []:
        if not isinstance(item, dict) or not isinstance(item.get("values"), dict):
            continue
        values = {
            str(model): str(value) for model, value in item["values"].items()
            if str(model) in answers and str(value) in answers[str(model)]
        }  # fmt: skip
        if len(values) >= 2 and len(set(values.values())) >= 2:
            kept.append(Disagreement(claim=str(item.get("claim", ""))[:200], values=values))
    return document["answer"].strip(), kept


async def _repaired(run: Run, final: ModelRef, answer: str) -> tuple[str, NumberCheck]:
    """``answer`` and its check, after one repair round when some of its numbers match no
    cited result."""
    checks, claims = numbers.check(answer, run.recorder.results)
    if not checks.unmatched:
        return answer, checks
    context.report("repairing", 0.9)
    cited = sorted({c for claim in claims for c in claim.citations})
    evidence = run.recorder.evidence(cited or None)
    message = instructions.repair_request(run.request.question, answer, checks.unmatched, evidence)
    models = [final, *(ref for ref in run.request.models if ref != final)]
    try:
        _, repaired = await run.first_that_answers(models, "repair", instructions.REPAIR, message)
    except NoAnswer:
        return answer, checks
    if not repaired:
        return answer, checks
    return repaired, numbers.check(repaired, run.recorder.results)[0]


def _given(value: float | None, default: float) -> float:
    return default if value is None else value


def _total_cost(calls: list[CallRecord]) -> float | None:
    if any(call.cost_usd is None for call in calls):
        return None
    return round(sum(call.cost_usd or 0.0 for call in calls), 6)


def _keep(
    services: Services, result: SynthesisResult, question: str, started_at: dt.datetime,
    tool_calls: int,
) -> None:  # fmt: skip
    """The run in the ledger; a database that refuses it costs the ledger row, not the answer."""
    try:
        ledger.record_run(
            services.writer, result, question=question, started_at=started_at,
            finished_at=dt.datetime.now(dt.UTC), key_name=context.caller(),
            tool_calls=tool_calls,
        )  # fmt: skip
    except Exception:
        log.exception("the synthesis ledger could not record a run")
