"""LLM providers through their official SDKs: OpenAI's and Anthropic's async clients.

Built in, with the SDKs' own environment variables: ``openai`` (``OPENAI_API_KEY``,
``OPENAI_BASE_URL``), ``anthropic`` (``ANTHROPIC_API_KEY``, ``ANTHROPIC_BASE_URL``) and
``deepseek`` (OpenAI-compatible, ``DEEPSEEK_API_KEY``). ``NBA_MCP_LLM_PROVIDERS`` adds any
OpenAI- or Anthropic-compatible server (vLLM, llama.cpp, Ollama, a gateway).

A client speaks our neutral :class:`Conversation` and answers a
:class:`~nba_mcp.synthesis.types.Completion`; every failure of a call becomes a
:class:`ModelFailure` that says why in a few words (``timeout``, ``HTTP 429``, ``bad key``)
so that the pipeline can fall back to the next model and record the reason. The SDKs
load with the first call (they cost a worker memory it may never need).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol

from nba_mcp.config import Settings
from nba_mcp.errors import InvalidInput
from nba_mcp.synthesis.types import Completion, ModelRef, ToolCall, Usage

if TYPE_CHECKING:
    from nba_mcp.catalog.spec import AnyTool

Kind = Literal["openai", "anthropic"]
_ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]{0,63}$")
_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


@dataclass(frozen=True)
class Provider:
    """Where a provider's models are served, and which environment variable holds its key."""

    name: str
    kind: Kind
    base_url: str | None  # None: the SDK's own default (and its *_BASE_URL variable)
    api_key_env: str | None  # None: a local server that needs no key


BUILT_IN: dict[str, Provider] = {
    "openai": Provider("openai", "openai", None, "OPENAI_API_KEY"),
    "anthropic": Provider("anthropic", "anthropic", None, "ANTHROPIC_API_KEY"),
    "deepseek": Provider("deepseek", "openai", "https://api.deepseek.com", "DEEPSEEK_API_KEY"),
}


def providers(settings: Settings) -> dict[str, Provider]:
    """The built-in providers and those of ``NBA_MCP_LLM_PROVIDERS`` (which may replace them)."""
    found = dict(BUILT_IN)
    for name, entry in settings.llm_providers.items():
        found[name] = _configured(name, entry)
    return found


def _configured(name: str, entry: dict[str, str]) -> Provider:
    where = f"NBA_MCP_LLM_PROVIDERS[{name!r}]"
    kind: Kind
    if entry.get("kind") == "openai":
        kind = "openai"
    elif entry.get("kind") == "anthropic":
        kind = "anthropic"
    else:
        raise InvalidInput(
            f'{where}: "kind" must be "openai" or "anthropic", not {entry.get("kind")!r}.'
        )
    base_url = entry.get("base_url")
    if base_url is not None and not _URL.match(base_url):
        raise InvalidInput(f'{where}: "base_url" must be an http(s) URL.')
    key_env = entry.get("api_key_env")
    if key_env is not None and not _ENV_NAME.match(key_env):
        raise InvalidInput(f'{where}: "api_key_env" must name an environment variable.')
    unknown = sorted(set(entry) - {"kind", "base_url", "api_key_env"})
    if unknown:
        raise InvalidInput(f"{where}: unknown field(s) {', '.join(unknown)}.")
    return Provider(name, kind, base_url, key_env)


@dataclass
class Turn:
    """One message of a conversation, in no provider's format."""

    role: Literal["user", "assistant", "tool"]
    text: str = ""
    tool_calls: list[ToolCall] = field(default_factory=list)
    tool_call_id: str | None = None  # for role "tool": the request it answers


@dataclass
class Conversation:
    system: str
    turns: list[Turn] = field(default_factory=list)

    def user(self, text: str) -> None:
        self.turns.append(Turn("user", text))

    def assistant(self, completion: Completion) -> None:
        self.turns.append(Turn("assistant", completion.text, list(completion.tool_calls)))

    def tool_result(self, call_id: str, content: str) -> None:
        self.turns.append(Turn("tool", content, tool_call_id=call_id))

    def as_key(self) -> dict[str, Any]:
        """The conversation as plain data: what identifies a model request in the cache."""
        return {
            "system": self.system,
            "turns": [
                {"role": t.role, "text": t.text, "tool_call_id": t.tool_call_id,
                 "tool_calls": [c.model_dump() for c in t.tool_calls]}
                for t in self.turns
            ],
        }  # fmt: skip


class ModelFailure(Exception):
    """A model call that failed; ``reason`` is short and holds no secret."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ModelClient(Protocol):
    async def complete(
        self, model: str, conversation: Conversation, tools: list[AnyTool], *,
        max_tokens: int, timeout: float,
    ) -> Completion: ...  # fmt: skip


#: One client per provider, base URL and key, for the life of the process: making one costs
#: ~20 ms (the SDK builds an HTTP client and its TLS context), and a kept one reuses its
#: connections. They are used on the synthesis event loop only (nba_mcp.synthesis.loop).
_CLIENTS: dict[tuple[str, Kind, str | None, str], ModelClient] = {}
_CLIENTS_LOCK = threading.Lock()


def client_for(ref: ModelRef, settings: Settings) -> ModelClient:
    """The client of ``ref``'s provider; :class:`InvalidInput` when it cannot be made."""
    known = providers(settings)
    provider = known.get(ref.provider)
    if provider is None:
        raise InvalidInput(
            f"Unknown provider {ref.provider!r} in {ref}; the providers are "
            f"{', '.join(sorted(known))} (add more with NBA_MCP_LLM_PROVIDERS)."
        )
    key = "not-needed"
    if provider.api_key_env is not None:
        key = os.environ.get(provider.api_key_env, "")
        if not key:
            raise InvalidInput(
                f"No API key for {ref.provider}: set {provider.api_key_env} to use {ref}."
            )
    identity = (
        provider.name,
        provider.kind,
        provider.base_url,
        hashlib.sha256(key.encode()).hexdigest(),
    )
    with _CLIENTS_LOCK:
        client = _CLIENTS.get(identity)
        if client is None:
            made = OpenAIClient if provider.kind == "openai" else AnthropicClient
            client = _CLIENTS[identity] = made(provider, key)
    return client


def tool_schemas(tools: list[AnyTool]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(spec.name, spec.description, spec.input_schema) for spec in tools]


class OpenAIClient:
    """Chat Completions, the API every OpenAI-compatible server speaks."""

    def __init__(self, provider: Provider, key: str) -> None:
        import openai

        self._sdk = openai
        self._client = openai.AsyncOpenAI(api_key=key, base_url=provider.base_url, max_retries=0)

    async def complete(
        self, model: str, conversation: Conversation, tools: list[AnyTool], *,
        max_tokens: int, timeout: float,
    ) -> Completion:  # fmt: skip
        messages: list[dict[str, Any]] = [{"role": "system", "content": conversation.system}]
        for turn in conversation.turns:
            if turn.role == "tool":
                messages.append(
                    {"role": "tool", "tool_call_id": turn.tool_call_id, "content": turn.text}
                )
            elif turn.role == "assistant" and turn.tool_calls:
                messages.append({
                    "role": "assistant", "content": turn.text or None,
                    "tool_calls": [
                        {"id": c.call_id, "type": "function",
                         "function": {"name": c.name, "arguments": json.dumps(c.arguments)}}
                        for c in turn.tool_calls
                    ],
                })  # fmt: skip
            else:
                messages.append({"role": turn.role, "content": turn.text})
        functions = [
            {"type": "function", "function": {"name": n, "description": d, "parameters": s}}
            for n, d, s in tool_schemas(tools)
        ]
        try:
            reply = await self._client.chat.completions.create(
                model=model, messages=messages,  # type: ignore[arg-type]
                tools=functions or self._sdk.omit,  # type: ignore[arg-type]
                max_tokens=max_tokens, timeout=timeout,
            )  # fmt: skip
        except self._sdk.APIError as exc:
            raise ModelFailure(_reason(exc, self._sdk)) from None
        if not reply.choices:
            raise ModelFailure("an empty reply")
        message = reply.choices[0].message
        calls = []
        for call in message.tool_calls or []:
            function = getattr(call, "function", None)
            if function is None:
                continue
            calls.append(ToolCall(call_id=call.id, name=function.name,
                                  arguments=_arguments(function.arguments)))  # fmt: skip
        usage = reply.usage
        cached = 0
        if usage is not None and usage.prompt_tokens_details is not None:
            cached = usage.prompt_tokens_details.cached_tokens or 0
        return Completion(
            text=message.content or "",
            tool_calls=calls,
            usage=Usage(
                input_tokens=usage.prompt_tokens if usage else 0,
                output_tokens=usage.completion_tokens if usage else 0,
                cached_input_tokens=cached,
            ),
            stop_reason=reply.choices[0].finish_reason,
        )


class AnthropicClient:
    """The Messages API (Anthropic's, and servers that speak it)."""

    def __init__(self, provider: Provider, key: str) -> None:
        import anthropic

        self._sdk = anthropic
        self._client = anthropic.AsyncAnthropic(
            api_key=key, base_url=provider.base_url, max_retries=0
        )

    async def complete(
        self, model: str, conversation: Conversation, tools: list[AnyTool], *,
        max_tokens: int, timeout: float,
    ) -> Completion:  # fmt: skip
        messages: list[dict[str, Any]] = []
        for turn in conversation.turns:
            if turn.role == "tool":
                block = {"type": "tool_result", "tool_use_id": turn.tool_call_id,
                         "content": turn.text}  # fmt: skip
                if (
                    messages
                    and messages[-1]["role"] == "user"
                    and isinstance(messages[-1]["content"], list)
                ):
                    messages[-1]["content"].append(block)
                else:
                    messages.append({"role": "user", "content": [block]})
            elif turn.role == "assistant":
                content: list[dict[str, Any]] = []
                if turn.text:
                    content.append({"type": "text", "text": turn.text})
                content += [
                    {"type": "tool_use", "id": c.call_id, "name": c.name, "input": c.arguments}
                    for c in turn.tool_calls
                ]
                messages.append({"role": "assistant", "content": content})
            else:
                messages.append({"role": "user", "content": turn.text})
        specs = [
            {"name": n, "description": d, "input_schema": s} for n, d, s in tool_schemas(tools)
        ]
        try:
            reply = await self._client.messages.create(
                model=model, system=conversation.system,
                messages=messages,  # type: ignore[arg-type]
                tools=specs or self._sdk.omit,  # type: ignore[arg-type]
                max_tokens=max_tokens, timeout=timeout,
            )  # fmt: skip
        except self._sdk.APIError as exc:
            raise ModelFailure(_reason(exc, self._sdk)) from None
        text = "".join(getattr(b, "text", "") for b in reply.content if b.type == "text")
        calls = [
            ToolCall(call_id=b.id, name=b.name,
                     arguments=b.input if isinstance(b.input, dict) else {})
            for b in reply.content
            if b.type == "tool_use"
        ]  # fmt: skip
        usage = reply.usage
        cached = getattr(usage, "cache_read_input_tokens", None) or 0
        return Completion(
            text=text,
            tool_calls=calls,
            usage=Usage(
                input_tokens=usage.input_tokens + cached,
                output_tokens=usage.output_tokens,
                cached_input_tokens=cached,
            ),
            stop_reason=reply.stop_reason,
        )


def _arguments(text: str | None) -> dict[str, Any]:
    """A tool call's arguments, which a model writes as JSON text (sometimes badly)."""
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {"_unparsed": (text or "")[:200]}
    return value if isinstance(value, dict) else {"_unparsed": str(value)[:200]}


def _reason(exc: Exception, sdk: Any) -> str:
    """Why a call failed, in a few words; never the key, never the request."""
    if isinstance(exc, sdk.APITimeoutError):
        return "timeout"
    if isinstance(exc, sdk.APIConnectionError):
        return "connection error"
    if isinstance(exc, sdk.AuthenticationError | sdk.PermissionDeniedError):
        return f"bad key (HTTP {exc.status_code})"
    if isinstance(exc, sdk.APIStatusError):
        return f"HTTP {exc.status_code}"
    return type(exc).__name__
