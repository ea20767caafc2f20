"""The words of the synthesis pipeline: model references, usage, calls, citations, results.

The result's keys (``answer``, ``status``, ``mode``, ``citations``, ``checks``, ``calls``,
``cost_usd``, ``disagreements``) are an interface: the CLI's ``--json``, REST and the MCP
structured result carry exactly this model.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal, TypeAlias

from pydantic import BaseModel, Field

from nba_mcp.errors import InvalidInput

Mode: TypeAlias = Literal["single", "verify", "judge"]
Role: TypeAlias = Literal["answer", "draft", "verify", "judge", "repair"]
Status: TypeAlias = Literal["ok", "partial", "failed"]

_REF = re.compile(r"^([a-z][a-z0-9_-]{0,31}):(\S{1,100})$")


class ModelRef(BaseModel, frozen=True):
    """``provider:model``, e.g. ``openai:gpt-4.1-mini`` or ``local:qwen2.5-7b``."""

    provider: str
    model: str

    @classmethod
    def parse(cls, text: str) -> ModelRef:
        found = _REF.match(text.strip())
        if found is None:
            raise InvalidInput(
                f"A model is written provider:model, like openai:gpt-4.1-mini, not {text!r}."
            )
        return cls(provider=found.group(1), model=found.group(2))

    def __str__(self) -> str:
        return f"{self.provider}:{self.model}"


class Usage(BaseModel):
    """Tokens of one model call, from the provider's usage fields."""

    input_tokens: int = 0
    output_tokens: int = 0
    cached_input_tokens: int = Field(default=0, description="Part of input_tokens.")

    @property
    def total(self) -> int:
        return self.input_tokens + self.output_tokens


class ToolCall(BaseModel):
    """A model's request to run a tool."""

    call_id: str = Field(description="The provider's id of the request.")
    name: str
    arguments: dict[str, Any]


class Completion(BaseModel):
    """One model reply: text, tool calls or both, with its usage (what the cache keeps)."""

    text: str = ""
    tool_calls: list[ToolCall] = Field(default_factory=list)
    usage: Usage = Field(default_factory=Usage)
    stop_reason: str | None = None


class CallRecord(BaseModel):
    """One model call of a run, as the result and the ledger show it."""

    provider: str
    model: str
    role: Role
    input_tokens: int = 0
    output_tokens: int = 0
    cached_input_tokens: int = 0
    cost_usd: float | None = Field(description="null when the model's price is unknown.")
    started_at: dt.datetime | None = Field(default=None, description="UTC.")
    latency_ms: float
    status: Literal["ok", "error", "cached"]
    error: str | None = Field(default=None, description="Why the call failed (fallback).")


class Citation(BaseModel):
    """A recorded tool call, cited in the answer as ``[id]``."""

    id: int
    tool: str
    arguments: dict[str, Any]
    result_hash: str = Field(description="SHA-256 of the result's canonical JSON.")


class NumberCheck(BaseModel):
    """The deterministic check of the answer's numbers against the cited results."""

    numbers: int = 0
    matched: int = 0
    unmatched: list[str] = Field(default_factory=list)


class Disagreement(BaseModel):
    """A numeric claim the models of a ``judge`` run did not agree on."""

    claim: str = Field(description="What the number is about, in the answers' words.")
    values: dict[str, str] = Field(description="provider:model -> the value it gave.")


class SynthesisResult(BaseModel):
    answer: str
    status: Status
    mode: Mode
    citations: list[Citation] = Field(default_factory=list)
    checks: NumberCheck = Field(default_factory=NumberCheck)
    calls: list[CallRecord] = Field(default_factory=list)
    cost_usd: float | None = Field(description="null when any call's price is unknown.")
    disagreements: list[Disagreement] = Field(default_factory=list)
    changes: list[str] = Field(
        default_factory=list, description="verify: what the checking model changed."
    )
    stopped_by: str | None = Field(
        default=None, description="For a partial run: the limit that stopped it."
    )
    prices: str = Field(default="", description="The price table used (package and version).")
