"""The scripted provider speaks OpenAI and Anthropic well enough for the official SDKs, unchanged."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import anthropic
import httpx
import openai
import pytest
from anthropic.types import TextBlock, ToolUseBlock
from openai.types.chat import ChatCompletionMessageFunctionToolCall

from tests.synthesis.scripted import Fail, Hang, Request, Say, ScriptedProvider, Tool, Tools

pytestmark = pytest.mark.anyio

GPT = "gpt-test"
CLAUDE = "claude-test"
CURRY = {"player": "Stephen Curry", "rows": [{"season": "2015-16", "per_game": {"pts": 30.1}}]}
TOOLS_OPENAI: list[Any] = [
    {
        "type": "function",
        "function": {
            "name": "player_season",
            "description": "A player's season stats.",
            "parameters": {"type": "object", "properties": {"player": {"type": "string"}}},
        },
    }
]
TOOLS_ANTHROPIC: list[Any] = [
    {
        "name": "player_season",
        "description": "A player's season stats.",
        "input_schema": {"type": "object", "properties": {"player": {"type": "string"}}},
    }
]


def quote_points(request: Request) -> str:
    return f"Curry averaged {request.tool_results[0]['rows'][-1]['per_game']['pts']} points [1]."


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def gpt(scripted: ScriptedProvider) -> AsyncIterator[openai.AsyncOpenAI]:
    async with openai.AsyncOpenAI(
        base_url=scripted.openai_base_url, api_key="k", max_retries=0
    ) as client:
        yield client


@pytest.fixture
async def claude(scripted: ScriptedProvider) -> AsyncIterator[anthropic.AsyncAnthropic]:
    async with anthropic.AsyncAnthropic(
        base_url=scripted.anthropic_base_url, api_key="k", max_retries=0
    ) as client:
        yield client


async def ask_gpt(client: openai.AsyncOpenAI, model: str = GPT, timeout: float = 5) -> str | None:
    """The text of the reply to a one-line question."""
    reply = await client.chat.completions.create(
        model=model, messages=[{"role": "user", "content": "hi"}], timeout=timeout
    )
    return reply.choices[0].message.content


async def ask_claude(
    client: anthropic.AsyncAnthropic, model: str = CLAUDE, timeout: float = 5
) -> str:
    """The text of the reply to a one-line question."""
    reply = await client.messages.create(
        model=model, max_tokens=100, messages=[{"role": "user", "content": "hi"}], timeout=timeout
    )
    block = reply.content[0]
    assert isinstance(block, TextBlock)
    return block.text


async def test_openai_tool_call_then_answer_quoting_the_tool_result(
    scripted: ScriptedProvider, gpt: openai.AsyncOpenAI
) -> None:
    scripted.script(GPT, [Tool("player_season", {"player": "Stephen Curry"}), Say(quote_points)])
    question = "How many points did Curry average in 2015-16?"
    first = await gpt.chat.completions.create(
        model=GPT,
        messages=[{"role": "system", "content": "Cite."}, {"role": "user", "content": question}],
        tools=TOOLS_OPENAI,
    )
    call = (first.choices[0].message.tool_calls or [])[0]
    assert isinstance(call, ChatCompletionMessageFunctionToolCall)
    assert (call.function.name, json.loads(call.function.arguments)) == (
        "player_season",
        {"player": "Stephen Curry"},
    )
    assert first.choices[0].finish_reason == "tool_calls"
    assert first.model == GPT

    second = await gpt.chat.completions.create(
        model=GPT,
        messages=[
            {"role": "system", "content": "Cite."},
            {"role": "user", "content": question},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": call.id,
                        "type": "function",
                        "function": {
                            "name": call.function.name,
                            "arguments": call.function.arguments,
                        },
                    }
                ],
            },
            {"role": "tool", "tool_call_id": call.id, "content": json.dumps(CURRY)},
        ],
        tools=TOOLS_OPENAI,
    )
    assert second.choices[0].message.content == "Curry averaged 30.1 points [1]."
    assert second.choices[0].finish_reason == "stop"
    usage = second.usage
    assert usage is not None and usage.prompt_tokens_details is not None
    assert usage.prompt_tokens > 0 and usage.completion_tokens > 0
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    assert usage.prompt_tokens_details.cached_tokens == 0
    seen = scripted.requests[-1]
    assert (seen.system, seen.tools, seen.last_user_text) == ("Cite.", ["player_season"], question)
    assert seen.tool_results == [CURRY]
    assert scripted.remaining(GPT) == 0


async def test_anthropic_tool_use_then_answer_quoting_the_tool_result(
    scripted: ScriptedProvider, claude: anthropic.AsyncAnthropic
) -> None:
    scripted.script(CLAUDE, [Tool("player_season", {"player": "Stephen Curry"}), Say(quote_points)])
    question = "How many points did Curry average in 2015-16?"
    first = await claude.messages.create(
        model=CLAUDE,
        max_tokens=500,
        system="Cite.",
        messages=[{"role": "user", "content": question}],
        tools=TOOLS_ANTHROPIC,
    )
    use = first.content[0]
    assert isinstance(use, ToolUseBlock)
    assert (use.name, use.input, first.stop_reason) == (
        "player_season",
        {"player": "Stephen Curry"},
        "tool_use",
    )
    assert use.id.startswith("toolu_")
    assert (first.type, first.role, first.model) == ("message", "assistant", CLAUDE)

    second = await claude.messages.create(
        model=CLAUDE,
        max_tokens=500,
        system="Cite.",
        messages=[
            {"role": "user", "content": question},
            {
                "role": "assistant",
                "content": [
                    {"type": "tool_use", "id": use.id, "name": use.name, "input": use.input}
                ],
            },
            {
                "role": "user",
                "content": [
                    {"type": "tool_result", "tool_use_id": use.id, "content": json.dumps(CURRY)}
                ],
            },
        ],
        tools=TOOLS_ANTHROPIC,
    )
    text = second.content[0]
    assert isinstance(text, TextBlock)
    assert (text.text, second.stop_reason) == ("Curry averaged 30.1 points [1].", "end_turn")
    assert second.usage.input_tokens > 0 and second.usage.output_tokens > 0
    assert second.usage.cache_read_input_tokens == 0
    seen = scripted.requests[-1]
    assert (seen.system, seen.tools, seen.last_user_text) == ("Cite.", ["player_season"], question)
    assert seen.tool_results == [CURRY]


async def test_several_tool_calls_in_one_reply(
    scripted: ScriptedProvider, gpt: openai.AsyncOpenAI, claude: anthropic.AsyncAnthropic
) -> None:
    calls = Tools([Tool("a", {"x": 1}), Tool("b", {"y": 2})], text="Looking both up.")
    scripted.script(GPT, [calls])
    scripted.script(CLAUDE, [calls])

    reply = await gpt.chat.completions.create(
        model=GPT, messages=[{"role": "user", "content": "?"}]
    )
    openai_calls = reply.choices[0].message.tool_calls or []
    assert [c.function.name for c in openai_calls if c.type == "function"] == ["a", "b"]
    assert len({c.id for c in openai_calls}) == 2
    assert reply.choices[0].message.content == "Looking both up."

    message = await claude.messages.create(
        model=CLAUDE, max_tokens=100, messages=[{"role": "user", "content": "?"}]
    )
    assert [block.type for block in message.content] == ["text", "tool_use", "tool_use"]
    assert [b.input for b in message.content if isinstance(b, ToolUseBlock)] == [{"x": 1}, {"y": 2}]


async def test_usage_is_written_as_scripted(
    scripted: ScriptedProvider, gpt: openai.AsyncOpenAI, claude: anthropic.AsyncAnthropic
) -> None:
    scripted.script(GPT, [Say("ok", usage=(1200, 40, 1024))])
    scripted.script(CLAUDE, [Say("ok", usage=(176, 40, 1024))])

    usage = (
        await gpt.chat.completions.create(model=GPT, messages=[{"role": "user", "content": "hi"}])
    ).usage
    assert usage is not None and usage.prompt_tokens_details is not None
    assert (usage.prompt_tokens, usage.completion_tokens, usage.total_tokens) == (1200, 40, 1240)
    assert usage.prompt_tokens_details.cached_tokens == 1024

    message = await claude.messages.create(
        model=CLAUDE, max_tokens=100, messages=[{"role": "user", "content": "hi"}]
    )
    assert (message.usage.input_tokens, message.usage.output_tokens) == (176, 40)
    assert message.usage.cache_read_input_tokens == 1024


async def test_truncated_reply_stops_at_the_token_limit(
    scripted: ScriptedProvider, gpt: openai.AsyncOpenAI, claude: anthropic.AsyncAnthropic
) -> None:
    scripted.script(GPT, [Say("Curry aver", truncated=True)])
    scripted.script(CLAUDE, [Say("Curry aver", truncated=True)])
    reply = await gpt.chat.completions.create(
        model=GPT, messages=[{"role": "user", "content": "?"}]
    )
    assert reply.choices[0].finish_reason == "length"
    message = await claude.messages.create(
        model=CLAUDE, max_tokens=3, messages=[{"role": "user", "content": "?"}]
    )
    assert message.stop_reason == "max_tokens"


@pytest.mark.parametrize(
    ("status", "openai_error", "openai_type", "anthropic_error", "anthropic_type"),
    [
        (
            500,
            openai.InternalServerError,
            "server_error",
            anthropic.InternalServerError,
            "api_error",
        ),
        (429, openai.RateLimitError, "requests", anthropic.RateLimitError, "rate_limit_error"),
        (
            401,
            openai.AuthenticationError,
            "invalid_request_error",
            anthropic.AuthenticationError,
            "authentication_error",
        ),
    ],
)
async def test_fail_raises_the_sdk_error_for_its_status(
    scripted: ScriptedProvider,
    gpt: openai.AsyncOpenAI,
    claude: anthropic.AsyncAnthropic,
    status: int,
    openai_error: type[openai.APIStatusError],
    openai_type: str,
    anthropic_error: type[anthropic.APIStatusError],
    anthropic_type: str,
) -> None:
    scripted.script(GPT, [Fail(status, "boom"), Say("recovered")])
    scripted.script(CLAUDE, [Fail(status, "boom"), Say("recovered")])

    with pytest.raises(openai_error) as raised_openai:
        await ask_gpt(gpt)
    assert raised_openai.value.status_code == status
    assert isinstance(raised_openai.value.body, dict)
    assert (raised_openai.value.body["message"], raised_openai.value.type) == ("boom", openai_type)
    assert await ask_gpt(gpt) == "recovered"

    with pytest.raises(anthropic_error) as raised_anthropic:
        await ask_claude(claude)
    assert raised_anthropic.value.status_code == status
    assert raised_anthropic.value.body == {
        "type": "error",
        "error": {"type": anthropic_type, "message": "boom"},
        "request_id": raised_anthropic.value.request_id,
    }
    assert await ask_claude(claude) == "recovered"


async def test_hang_outlasts_the_client_timeout(
    scripted: ScriptedProvider, gpt: openai.AsyncOpenAI, claude: anthropic.AsyncAnthropic
) -> None:
    scripted.script(GPT, [Hang(2)])
    scripted.script(CLAUDE, [Hang(2)])
    with pytest.raises(openai.APITimeoutError):
        await ask_gpt(gpt, timeout=0.5)
    with pytest.raises(anthropic.APITimeoutError):
        await ask_claude(claude, timeout=0.5)


async def test_required_key_refuses_a_wrong_key_without_taking_a_step(
    scripted: ScriptedProvider,
) -> None:
    scripted.require_key("sk-test")
    scripted.script(GPT, [Say("for the right key")])
    scripted.script(CLAUDE, [Say("for the right key")])
    openai_url, anthropic_url = scripted.openai_base_url, scripted.anthropic_base_url

    async with openai.AsyncOpenAI(base_url=openai_url, api_key="wrong", max_retries=0) as wrong:
        with pytest.raises(openai.AuthenticationError):
            await ask_gpt(wrong)
    async with openai.AsyncOpenAI(base_url=openai_url, api_key="sk-test", max_retries=0) as right:
        assert await ask_gpt(right) == "for the right key"

    async with anthropic.AsyncAnthropic(
        base_url=anthropic_url, api_key="wrong", max_retries=0
    ) as wrong_claude:
        with pytest.raises(anthropic.AuthenticationError):
            await ask_claude(wrong_claude)
    async with anthropic.AsyncAnthropic(
        base_url=anthropic_url, api_key="sk-test", max_retries=0
    ) as right_claude:
        assert await ask_claude(right_claude) == "for the right key"

    assert all(r.headers.get("authorization", "***") == "***" for r in scripted.requests)
    assert all(r.headers.get("x-api-key", "***") == "***" for r in scripted.requests)


async def test_exhausted_or_missing_script_answers_500_saying_so(
    scripted: ScriptedProvider, gpt: openai.AsyncOpenAI, claude: anthropic.AsyncAnthropic
) -> None:
    scripted.script(GPT, [Say("only one")])
    assert await ask_gpt(gpt) == "only one"
    with pytest.raises(openai.InternalServerError, match="ran out after 1 replies"):
        await ask_gpt(gpt)
    with pytest.raises(anthropic.InternalServerError, match="no script for model 'claude-test'"):
        await ask_claude(claude)


async def test_a_failing_say_callable_surfaces_in_the_500(
    scripted: ScriptedProvider, gpt: openai.AsyncOpenAI
) -> None:
    scripted.script(GPT, [Say(quote_points)])  # no tool results to quote
    with pytest.raises(openai.InternalServerError, match="IndexError"):
        await ask_gpt(gpt)


async def test_conversations_the_real_apis_refuse_get_400(
    scripted: ScriptedProvider, gpt: openai.AsyncOpenAI, claude: anthropic.AsyncAnthropic
) -> None:
    scripted.script(GPT, [Say("never")])
    scripted.script(CLAUDE, [Say("never")])
    with pytest.raises(openai.BadRequestError, match="role 'tool' must be a response"):
        await gpt.chat.completions.create(
            model=GPT,
            messages=[
                {"role": "user", "content": "hi"},
                {"role": "tool", "tool_call_id": "call_x", "content": "{}"},
            ],
        )
    with pytest.raises(anthropic.BadRequestError, match="unexpected `tool_use_id`"):
        await claude.messages.create(
            model=CLAUDE,
            max_tokens=10,
            messages=[
                {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "toolu_x"}]}
            ],
        )
    with pytest.raises(anthropic.BadRequestError, match="without `tool_result` blocks"):
        await claude.messages.create(
            model=CLAUDE,
            max_tokens=10,
            messages=[
                {"role": "user", "content": "hi"},
                {
                    "role": "assistant",
                    "content": [{"type": "tool_use", "id": "t1", "name": "a", "input": {}}],
                },
                {"role": "user", "content": "and?"},
            ],
        )
    assert (scripted.remaining(GPT), scripted.remaining(CLAUDE)) == (1, 1)


async def test_requests_are_served_concurrently(
    scripted: ScriptedProvider, gpt: openai.AsyncOpenAI
) -> None:
    scripted.script("slow", [Hang(0.5, then=Say("slow"))])
    scripted.script("fast", [Say("fast")])
    slow = asyncio.create_task(ask_gpt(gpt, "slow"))
    fast = asyncio.create_task(ask_gpt(gpt, "fast"))
    done, _ = await asyncio.wait({slow, fast}, return_when=asyncio.FIRST_COMPLETED)
    assert done == {fast}
    assert await slow == "slow"


def test_sync_clients_work_too(scripted: ScriptedProvider) -> None:
    scripted.script(GPT, [Say("sync gpt")])
    scripted.script(CLAUDE, [Say("sync claude")])
    with openai.OpenAI(base_url=scripted.openai_base_url, api_key="k", max_retries=0) as gpt:
        reply = gpt.chat.completions.create(model=GPT, messages=[{"role": "user", "content": "hi"}])
    assert reply.choices[0].message.content == "sync gpt"
    with anthropic.Anthropic(
        base_url=scripted.anthropic_base_url, api_key="k", max_retries=0
    ) as claude:
        message = claude.messages.create(
            model=CLAUDE, max_tokens=10, messages=[{"role": "user", "content": "hi"}]
        )
    assert message.content[0] == TextBlock(type="text", text="sync claude")


def test_listens_below_the_ephemeral_range_and_reset_forgets_everything(
    scripted: ScriptedProvider,
) -> None:
    assert 20000 <= scripted.port < 32768
    assert scripted.openai_base_url == f"http://127.0.0.1:{scripted.port}/v1"
    scripted.script(GPT, [Say("x")])
    scripted.require_key("sk-test")
    with openai.OpenAI(base_url=scripted.openai_base_url, api_key="k", max_retries=0) as gpt:
        with pytest.raises(openai.AuthenticationError):
            gpt.chat.completions.create(model=GPT, messages=[{"role": "user", "content": "hi"}])
        assert [(r.api, r.path, r.model) for r in scripted.requests] == [
            ("openai", "/v1/chat/completions", GPT)
        ]
        scripted.reset()
        assert scripted.requests == [] and scripted.remaining(GPT) == 0
        with pytest.raises(openai.InternalServerError, match="no script"):
            gpt.chat.completions.create(model=GPT, messages=[{"role": "user", "content": "hi"}])


def test_two_providers_run_side_by_side() -> None:
    with ScriptedProvider() as one, ScriptedProvider() as two:
        assert one.port != two.port
    with pytest.raises(RuntimeError, match="not started"):
        _ = one.port


def test_anthropic_x_api_key_and_a_verbatim_fail_body_over_plain_http(
    scripted: ScriptedProvider,
) -> None:
    scripted.require_key("sk-test")
    scripted.script(CLAUDE, [Fail(529, {"overloaded": True}, headers={"retry-after": "3"})])
    body = {"model": CLAUDE, "max_tokens": 5, "messages": [{"role": "user", "content": "hi"}]}
    headers = {"x-api-key": "sk-test", "anthropic-version": "2023-06-01"}
    reply = httpx.post(f"{scripted.anthropic_base_url}/v1/messages", json=body, headers=headers)
    assert (reply.status_code, reply.json(), reply.headers["retry-after"]) == (
        529,
        {"overloaded": True},
        "3",
    )
    assert scripted.requests[0].headers["x-api-key"] == "***"
