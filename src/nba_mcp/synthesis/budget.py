"""One budget per run, across all its models: cost, tokens, tool calls, steps, wall-clock.

Each limit is checked before the step it would pay for (a model call, a tool call); the
first one reached stops the run, which then returns what it has (``status: "partial"``,
``stopped_by``: the limit's name).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from nba_mcp.synthesis.types import Usage


class BudgetExhausted(Exception):
    """A limit of the run's budget was reached; ``limit`` names it."""

    def __init__(self, limit: str) -> None:
        super().__init__(f"the run's {limit} budget is spent")
        self.limit = limit


@dataclass
class Budget:
    max_cost_usd: float
    max_tokens: int
    max_tool_calls: int
    max_steps: int
    seconds: float
    clock: Callable[[], float] = time.monotonic
    cost_usd: float = 0.0
    tokens: int = 0
    tool_calls: int = 0
    steps: int = 0
    started: float = field(init=False)

    def __post_init__(self) -> None:
        self.started = self.clock()

    def remaining_seconds(self) -> float:
        return self.seconds - (self.clock() - self.started)

    def before_model_call(self) -> None:
        if self.steps >= self.max_steps:
            raise BudgetExhausted("steps")
        if self.tokens >= self.max_tokens:
            raise BudgetExhausted("tokens")
        if self.cost_usd >= self.max_cost_usd:
            raise BudgetExhausted("cost")
        if self.remaining_seconds() <= 0:
            raise BudgetExhausted("time")
        self.steps += 1

    def before_tool_call(self) -> None:
        if self.tool_calls >= self.max_tool_calls:
            raise BudgetExhausted("tool_calls")
        if self.remaining_seconds() <= 0:
            raise BudgetExhausted("time")
        self.tool_calls += 1

    def spent(self, usage: Usage, cost_usd: float | None) -> None:
        self.tokens += usage.total
        self.cost_usd += cost_usd or 0.0
