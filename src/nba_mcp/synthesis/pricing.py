"""What one model call costs, in US dollars: the operator's overrides, else genai-prices.

Prices are per million tokens. A call's ``cached_input_tokens`` are part of its
``input_tokens`` (:class:`~nba_mcp.synthesis.types.Usage`): they are charged at the cached
rate and the rest of the input at the input rate.

1. **Overrides** (``NBA_MCP_LLM_PRICES``, key ``provider:model``, rates ``input``,
   ``output`` and optionally ``cached_input``, else cached tokens pay ``input``) win.
2. **genai-prices' bundled table**, read from the package installed with this version and
   never fetched: our providers ``openai``, ``anthropic`` and ``deepseek`` are genai-prices'
   providers of those ids; for any other provider (a local server, a gateway) genai-prices
   finds the provider from the model name alone, as it does when given no provider (a
   ``gpt-`` model is OpenAI's, a ``claude`` model Anthropic's, ``qwen2.5-7b`` nobody's).
   A local server that serves a model under a cloud model's name is therefore priced
   at the cloud's rates: give it an override (zeros) to say otherwise.
3. **Unknown**: ``None``, and one WARNING per model and process; never a guess, never
   an exception.

genai-prices can refresh its table from GitHub in a background thread (``UpdatePrices``);
we never start it, and we price from a snapshot of our own built from the bundled data,
so prices fetched by anything else in the process are not used either. The table is
imported at the first call (it is large), not at start-up.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
from collections.abc import Mapping
from decimal import Decimal
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING

from nba_mcp.synthesis.types import ModelRef, Usage

if TYPE_CHECKING:
    from genai_prices.data_snapshot import DataSnapshot

log = logging.getLogger(__name__)

PACKAGE = "genai-prices"
#: Our provider name -> genai-prices' provider id.
PROVIDER_IDS: Mapping[str, str] = {
    "openai": "openai",
    "anthropic": "anthropic",
    "deepseek": "deepseek",
}
MILLION = Decimal(1_000_000)

_warned: set[str] = set()
_warned_lock = threading.Lock()


def price_call(
    ref: ModelRef,
    usage: Usage,
    *,
    overrides: Mapping[str, Mapping[str, float]],
    at: dt.datetime | None = None,
) -> float | None:
    """The USD cost of one call of ``ref`` with ``usage``; ``None`` when the price is unknown.

    ``at`` is when the call was made (default: now); some prices change by date and
    DeepSeek's by the hour of the day (UTC). A call that used no tokens (one that failed
    before the model answered) costs 0, whatever the model.
    """
    if not _consistent(usage):
        _warn_once(
            f"{ref} usage",
            "cannot price a call of %s: its usage is inconsistent (%s); cost unknown",
            ref,
            usage,
        )
        return None
    if usage.total == 0:
        return 0.0
    rates = overrides.get(str(ref))
    if rates is not None:
        if "input" in rates and "output" in rates:
            return _from_override(rates, usage)
        _warn_once(
            f"{ref} override",
            "the price override of %s needs 'input' and 'output'; using the shipped table",
            ref,
        )
    return _from_table(ref, usage, at=at)


def price_table_version(overrides: Mapping[str, object] | None = None) -> str:
    """The table prices come from, e.g. ``genai-prices 0.2.3 (bundled) + 2 overrides``.

    genai-prices does not say when its bundled data was collected, so the package's
    version is what dates it.
    """
    try:
        found = f"{PACKAGE} {version(PACKAGE)} (bundled)"
    except PackageNotFoundError:
        found = f"{PACKAGE} not installed"
    count = len(overrides or {})
    if count:
        found += f" + {count} override{'s' if count != 1 else ''}"
    return found


def _consistent(usage: Usage) -> bool:
    counts = (usage.input_tokens, usage.output_tokens, usage.cached_input_tokens)
    return min(counts) >= 0 and usage.cached_input_tokens <= usage.input_tokens


def _from_override(rates: Mapping[str, float], usage: Usage) -> float:
    input_rate = _decimal(rates["input"])
    cached_rate = _decimal(rates.get("cached_input", rates["input"]))
    uncached = usage.input_tokens - usage.cached_input_tokens
    cost = (
        uncached * input_rate
        + usage.cached_input_tokens * cached_rate
        + usage.output_tokens * _decimal(rates["output"])
    ) / MILLION
    return float(cost)


def _from_table(ref: ModelRef, usage: Usage, *, at: dt.datetime | None) -> float | None:
    from genai_prices.types import Usage as TableUsage

    provider_id = PROVIDER_IDS.get(ref.provider)
    try:
        calculation = _snapshot().calc(
            TableUsage(
                input_tokens=usage.input_tokens,
                output_tokens=usage.output_tokens,
                cache_read_tokens=usage.cached_input_tokens,
            ),
            ref.model,
            provider_id,
            None,
            at or dt.datetime.now(dt.UTC),
        )
    except LookupError:
        _warn_once(
            str(ref),
            "no price for %s in %s or NBA_MCP_LLM_PRICES; its calls' cost is unknown",
            ref,
            price_table_version(),
        )
        return None
    except ValueError as exc:  # the table's rates cannot price this usage
        _warn_once(f"{ref} usage", "cannot price a call of %s: %s; cost unknown", ref, exc)
        return None
    return float(calculation.total_price)


@functools.cache
def _snapshot() -> DataSnapshot:
    """Our own snapshot of the bundled table: never the one ``UpdatePrices`` may install."""
    from genai_prices.data import providers
    from genai_prices.data_snapshot import DataSnapshot

    return DataSnapshot(providers=providers, from_auto_update=False)


def _decimal(rate: float) -> Decimal:
    return Decimal(str(rate))


def _warn_once(key: str, message: str, *args: object) -> None:
    with _warned_lock:
        if key in _warned:
            return
        _warned.add(key)
    log.warning(message, *args)
