"""A scripted LLM provider: a real HTTP server on 127.0.0.1 speaking two wire formats.

The official SDKs talk to it unchanged, so the synthesis pipeline is tested through its real
provider clients and real HTTP, with the model's replies fixed by the test::

    with ScriptedProvider() as provider:
        provider.script("gpt-test", [Tool("player_season", {"player": "Stephen Curry"}),
                                     Say(lambda r: f"{r.tool_results[0]['pts']} points [1].")])
        client = openai.AsyncOpenAI(base_url=provider.openai_base_url, api_key="k")

Endpoints (non-streaming only):

- ``POST /v1/chat/completions`` -- OpenAI Chat Completions;
- ``POST /v1/messages`` -- Anthropic Messages.

Each request for a model takes that model's next scripted step: :class:`Tool` / :class:`Tools`
(the reply asks for tool calls), :class:`Say` (a text reply, possibly computed from the
:class:`Request`), :class:`Fail` (an HTTP error in the provider's error shape) or :class:`Hang`
(a late reply, to trigger client timeouts). A request the real API would refuse (a tool result
without its tool call, a missing ``max_tokens``, a wrong key under :meth:`require_key`) gets
that API's 4xx and takes no step; an unscripted or exhausted model gets a 500 saying so.
"""

from __future__ import annotations

import errno
import itertools
import json
import random
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal
from urllib.parse import urlsplit

Api = Literal["openai", "anthropic"]
#: ``(input, output, cached)`` tokens, written verbatim to the API's usage fields: OpenAI
#: ``prompt_tokens`` / ``completion_tokens`` / ``prompt_tokens_details.cached_tokens``,
#: Anthropic ``input_tokens`` / ``output_tokens`` / ``cache_read_input_tokens``. (OpenAI
#: counts cached tokens inside ``prompt_tokens``; Anthropic counts them apart.)
Usage = tuple[int, int, int]

PATHS: dict[str, Api] = {"/v1/chat/completions": "openai", "/v1/messages": "anthropic"}
PORTS = range(20000, 32000)
SECRET_HEADERS = frozenset({"authorization", "x-api-key"})


def _text(content: Any) -> str:
    """The text of a message content: a string, or the ``text`` of its text blocks/parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            part.get("text", "")
            for part in content
            if isinstance(part, dict) and part.get("type") == "text"
        )
    return ""


def _parsed(text: str) -> Any:
    """A tool result as the tool meant it: JSON when it parses, else the string."""
    try:
        return json.loads(text)
    except ValueError:
        return text


@dataclass(frozen=True)
class Request:
    """One request the provider received, with the parts a scripted reply wants to read."""

    api: Api
    path: str
    body: dict[str, Any]
    #: Lower-cased names; ``authorization`` and ``x-api-key`` are masked.
    headers: dict[str, str]

    @property
    def model(self) -> str | None:
        """The ``model`` the request names."""
        model = self.body.get("model")
        return model if isinstance(model, str) else None

    @property
    def messages(self) -> list[Any]:
        """The raw ``messages`` list."""
        messages = self.body.get("messages")
        return messages if isinstance(messages, list) else []

    def _dicts(self) -> Iterator[dict[str, Any]]:
        return (m for m in self.messages if isinstance(m, dict))

    @property
    def system(self) -> str:
        """The system prompt: Anthropic's ``system``, or OpenAI's system/developer messages."""
        if self.api == "anthropic":
            return _text(self.body.get("system"))
        return "\n\n".join(
            _text(m.get("content"))
            for m in self._dicts()
            if m.get("role") in ("system", "developer")
        )

    @property
    def tools(self) -> list[str]:
        """The names of the tools the request offers."""
        tools = [t for t in self.body.get("tools") or [] if isinstance(t, dict)]
        if self.api == "anthropic":
            return [str(t.get("name")) for t in tools]
        return [str((t.get("function") or {}).get("name")) for t in tools]

    @property
    def tool_results(self) -> list[Any]:
        """Every tool result in the conversation, in order, parsed as JSON where possible."""
        if self.api == "openai":
            return [
                _parsed(_text(m.get("content"))) for m in self._dicts() if m.get("role") == "tool"
            ]
        return [
            _parsed(_text(block.get("content")))
            for m in self._dicts()
            if isinstance(m.get("content"), list)
            for block in m["content"]
            if isinstance(block, dict) and block.get("type") == "tool_result"
        ]

    @property
    def last_user_text(self) -> str:
        """The text of the last user message that has any (tool results are not text)."""
        texts = [_text(m.get("content")) for m in self._dicts() if m.get("role") == "user"]
        return next((t for t in reversed(texts) if t), "")


@dataclass(frozen=True)
class Tool:
    """A reply asking for one tool call; ``usage`` applies when it is a step by itself."""

    name: str
    arguments: Mapping[str, Any] = field(default_factory=dict)
    usage: Usage | None = None


@dataclass(frozen=True)
class Tools:
    """A reply asking for several tool calls at once, after an optional ``text``."""

    calls: Sequence[Tool]
    text: str = ""
    usage: Usage | None = None


@dataclass(frozen=True)
class Say:
    """A text reply; ``text`` may be computed from the request; ``truncated`` ends it at the token limit."""

    text: str | Callable[[Request], str]
    usage: Usage | None = None
    truncated: bool = False


@dataclass(frozen=True)
class Fail:
    """An HTTP error: ``body`` is the message (str), the whole JSON body (mapping) or a default."""

    status: int
    body: str | Mapping[str, Any] | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Hang:
    """Wait ``seconds`` (cut short when the provider stops), then answer ``then``."""

    seconds: float
    then: Tool | Tools | Say | Fail | None = None


Step = Tool | Tools | Say | Fail | Hang
Reply = tuple[int, dict[str, str], dict[str, Any]]

_OPENAI_ERRORS: dict[int, tuple[str, str | None]] = {
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("permission_error", None),
    404: ("invalid_request_error", "model_not_found"),
    429: ("requests", "rate_limit_exceeded"),
}
_ANTHROPIC_ERRORS = {
    400: "invalid_request_error",
    401: "authentication_error",
    403: "permission_error",
    404: "not_found_error",
    413: "request_too_large",
    429: "rate_limit_error",
    529: "overloaded_error",
}


def _error_body(api: Api, status: int, message: str, request_id: str) -> dict[str, Any]:
    """The JSON body the API sends with an error ``status``."""
    if api == "openai":
        default = ("server_error", None) if status >= 500 else ("invalid_request_error", None)
        kind, code = _OPENAI_ERRORS.get(status, default)
        return {"error": {"message": message, "type": kind, "param": None, "code": code}}
    kind = _ANTHROPIC_ERRORS.get(status, "api_error" if status >= 500 else "invalid_request_error")
    return {"type": "error", "error": {"type": kind, "message": message}, "request_id": request_id}


class _Refused(Exception):
    """A request the real API would refuse with ``status`` (400 unless told)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _check(api: Api, body: dict[str, Any], headers: Mapping[str, str]) -> None:
    """Refuse what the real ``api`` refuses (raises :class:`_Refused`)."""
    if not isinstance(body.get("model"), str) or not body.get("messages"):
        raise _Refused("'model' (a string) and 'messages' (a non-empty list) are required")
    if not isinstance(body["messages"], list):
        raise _Refused("'messages' must be a list")
    if api == "openai":
        _check_openai(body)
    else:
        _check_anthropic(body, headers)


def _check_openai(body: dict[str, Any]) -> None:
    """Refuse what Chat Completions refuses: bad shapes and tool messages out of order."""
    if body.get("stream"):
        raise _Refused("ScriptedProvider does not stream; send stream=false")
    pending: list[str] = []
    for i, message in enumerate(body["messages"]):
        role = message.get("role") if isinstance(message, dict) else None
        if role not in ("system", "developer", "user", "assistant", "tool"):
            raise _Refused(f"Invalid value for 'messages[{i}].role': {role!r}")
        if role == "tool":
            if message.get("tool_call_id") not in pending:
                raise _Refused(
                    "Invalid parameter: messages with role 'tool' must be a response to a "
                    "preceeding message with 'tool_calls'."
                )
            pending.remove(message["tool_call_id"])
            continue
        if pending:
            raise _Refused(
                "An assistant message with 'tool_calls' must be followed by tool messages "
                f"responding to each 'tool_call_id'. The following tool_call_ids did not have "
                f"response messages: {', '.join(pending)}"
            )
        if role == "assistant":
            pending = [call.get("id") for call in message.get("tool_calls") or []]
    if pending:
        raise _Refused(f"tool_call_ids without response messages: {', '.join(pending)}")
    for i, tool in enumerate(body.get("tools") or []):
        if tool.get("type") != "function" or not (tool.get("function") or {}).get("name"):
            raise _Refused(
                f"Invalid 'tools[{i}]': expected {{'type': 'function', 'function': {{'name': ...}}}}"
            )


def _blocks(message: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    content = message.get("content")
    blocks = content if isinstance(content, list) else []
    return [b for b in blocks if isinstance(b, dict) and b.get("type") == kind]


def _check_anthropic(body: dict[str, Any], headers: Mapping[str, str]) -> None:
    """Refuse what Messages refuses: bad shapes and tool results not answering tool uses."""
    if "anthropic-version" not in headers:
        raise _Refused("anthropic-version: header is required")
    if not isinstance(body.get("max_tokens"), int):
        raise _Refused("max_tokens: Field required")
    if body.get("stream"):
        raise _Refused("ScriptedProvider does not stream; send stream=false")
    pending: set[Any] = set()
    for i, message in enumerate(body["messages"]):
        role = message.get("role") if isinstance(message, dict) else None
        if role not in ("user", "assistant"):
            raise _Refused(
                f'messages.{i}.role: Input should be "user" or "assistant", got {role!r}'
            )
        answered = {b.get("tool_use_id") for b in _blocks(message, "tool_result")}
        if role == "user" and answered - pending:
            raise _Refused(
                f"messages.{i}.content: unexpected `tool_use_id` found in `tool_result` blocks: "
                f"{', '.join(map(str, answered - pending))}. Each `tool_result` block must have a "
                "corresponding `tool_use` block in the previous message."
            )
        if pending - answered:
            raise _Refused(
                f"messages.{i}: `tool_use` ids were found without `tool_result` blocks "
                f"immediately after: {', '.join(sorted(pending - answered))}"
            )
        pending = (
            {b.get("id") for b in _blocks(message, "tool_use")} if role == "assistant" else set()
        )
    for i, tool in enumerate(body.get("tools") or []):
        if not tool.get("name") or "input_schema" not in tool:
            raise _Refused(f"tools.{i}: 'name' and 'input_schema' are required")


class ScriptedProvider:
    """The scripted OpenAI + Anthropic server; start it with ``with`` or :meth:`start`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._scripts: dict[str, list[Step]] = {}
        self._used: dict[str, int] = {}
        self._requests: list[Request] = []
        self._key: str | None = None
        self._ids = itertools.count(1)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> ScriptedProvider:
        """Listen on a free 127.0.0.1 port below 32768 and serve in a background thread."""
        if self._server is not None:
            raise RuntimeError("ScriptedProvider is already started")
        for port in random.sample(PORTS, 200):
            try:
                self._server = _Server(("127.0.0.1", port), self)
                break
            except OSError as exc:
                if exc.errno != errno.EADDRINUSE:
                    raise
        else:
            raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")
        self._stopping.clear()
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, wake any :class:`Hang`, and close the listening socket."""
        if self._server is None:
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server = self._thread = None

    def __enter__(self) -> ScriptedProvider:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port it listens on."""
        if self._server is None:
            raise RuntimeError("ScriptedProvider is not started")
        return int(self._server.server_address[1])

    @property
    def anthropic_base_url(self) -> str:
        """``base_url`` for ``anthropic.Anthropic`` / ``AsyncAnthropic``."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def openai_base_url(self) -> str:
        """``base_url`` for ``openai.OpenAI`` / ``AsyncOpenAI``."""
        return f"{self.anthropic_base_url}/v1"

    # -- scripting and inspection ----------------------------------------------------------

    def script(self, model: str, steps: Sequence[Step]) -> None:
        """Set ``model``'s replies: one step per request for that model, in order."""
        with self._lock:
            self._scripts[model] = list(steps)
            self._used[model] = 0

    def remaining(self, model: str) -> int:
        """How many of ``model``'s scripted steps no request has taken yet."""
        with self._lock:
            return len(self._scripts.get(model, [])) - self._used.get(model, 0)

    def require_key(self, key: str | None) -> None:
        """Answer 401 unless the request carries ``key`` (``None``: accept any key).

        OpenAI takes it as ``Authorization: Bearer``; Anthropic as that or ``x-api-key``.
        """
        with self._lock:
            self._key = key

    @property
    def requests(self) -> list[Request]:
        """Every request to either endpoint, in the order received."""
        with self._lock:
            return list(self._requests)

    def reset(self) -> None:
        """Forget scripts, recorded requests and the required key."""
        with self._lock:
            self._scripts.clear()
            self._used.clear()
            self._requests.clear()
            self._key = None

    # -- answering -------------------------------------------------------------------------

    def respond(self, path: str, headers: Mapping[str, str], raw: bytes) -> Reply | None:
        """The ``(status, headers, JSON body)`` for one POST; ``None`` for an unknown path."""
        api = PATHS.get(urlsplit(path).path)
        if api is None:
            return None
        n = next(self._ids)
        request_id = f"req_{n:06d}"
        reply_headers = {"x-request-id" if api == "openai" else "request-id": request_id}
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = None
        masked = {k: "***" if k in SECRET_HEADERS else v for k, v in headers.items()}
        request = Request(api, path, body if isinstance(body, dict) else {}, masked)
        with self._lock:
            self._requests.append(request)
            key = self._key
        try:
            if key is not None and not _has_key(api, headers, key):
                raise _Refused(
                    "Incorrect API key provided" if api == "openai" else "invalid x-api-key", 401
                )
            if not isinstance(body, dict):
                raise _Refused("We could not parse the JSON body of your request.")
            _check(api, body, headers)
            step = self._take(body["model"])
            if isinstance(step, Hang):
                self._stopping.wait(step.seconds)
                step = step.then or Say("(a reply after hanging)")
            if isinstance(step, Fail):
                if isinstance(step.body, Mapping):
                    return step.status, {**reply_headers, **step.headers}, dict(step.body)
                message = step.body or f"scripted failure {step.status}"
                error = _error_body(api, step.status, message, request_id)
                return step.status, {**reply_headers, **step.headers}, error
            turn = _Turn.of(step, request, len(raw))
            render = _openai_body if api == "openai" else _anthropic_body
            return 200, reply_headers, render(turn, request.model, n)
        except _Refused as refused:
            status, message = refused.status, str(refused)
        except Exception as exc:  # a scripted callable failed: tell the test through the 500
            status, message = 500, f"scripted reply failed: {exc!r}"
        return status, reply_headers, _error_body(api, status, message, request_id)

    def _take(self, model: str) -> Step:
        """``model``'s next step, marked as taken."""
        with self._lock:
            if model not in self._scripts:
                raise _Refused(f"ScriptedProvider: no script for model {model!r}", 500)
            steps, used = self._scripts[model], self._used[model]
            if used >= len(steps):
                raise _Refused(
                    f"ScriptedProvider: the script for {model!r} ran out after {used} replies", 500
                )
            self._used[model] = used + 1
            return steps[used]


@dataclass(frozen=True)
class _Turn:
    """An assistant turn before it is put in either API's shape."""

    text: str
    calls: list[Tool]
    usage: Usage
    truncated: bool

    @classmethod
    def of(cls, step: Tool | Tools | Say, request: Request, size: int) -> _Turn:
        """The turn ``step`` gives in answer to ``request`` (``size`` bytes long)."""
        if isinstance(step, Say):
            text = step.text if isinstance(step.text, str) else step.text(request)
            calls: list[Tool] = []
        else:
            text = step.text if isinstance(step, Tools) else ""
            calls = list(step.calls) if isinstance(step, Tools) else [step]
        spoken = text + "".join(c.name + json.dumps(dict(c.arguments)) for c in calls)
        usage = step.usage or (max(1, size // 4), max(1, len(spoken) // 4), 0)
        return cls(text, calls, usage, isinstance(step, Say) and step.truncated)


def _openai_body(turn: _Turn, model: str | None, n: int) -> dict[str, Any]:
    """A Chat Completions ``chat.completion`` object."""
    tokens_in, tokens_out, cached = turn.usage
    message: dict[str, Any] = {"role": "assistant", "content": turn.text or None, "refusal": None}
    if turn.calls:
        message["tool_calls"] = [
            {
                "id": f"call_{n:06d}_{i}",
                "type": "function",
                "function": {"name": c.name, "arguments": json.dumps(dict(c.arguments))},
            }
            for i, c in enumerate(turn.calls)
        ]
    finish = "tool_calls" if turn.calls else "length" if turn.truncated else "stop"
    return {
        "id": f"chatcmpl-{n:06d}",
        "object": "chat.completion",
        "created": 1_700_000_000 + n,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": {
            "prompt_tokens": tokens_in,
            "completion_tokens": tokens_out,
            "total_tokens": tokens_in + tokens_out,
            "prompt_tokens_details": {"cached_tokens": cached, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0},
        },
        "system_fingerprint": None,
    }


def _anthropic_body(turn: _Turn, model: str | None, n: int) -> dict[str, Any]:
    """A Messages ``message`` object."""
    tokens_in, tokens_out, cached = turn.usage
    content: list[dict[str, Any]] = [{"type": "text", "text": turn.text}]
    if turn.calls and not turn.text:
        content = []
    content += [
        {"type": "tool_use", "id": f"toolu_{n:06d}_{i}", "name": c.name, "input": dict(c.arguments)}
        for i, c in enumerate(turn.calls)
    ]
    return {
        "id": f"msg_{n:06d}",
        "type": "message",
        "role": "assistant",
        "model": model,
        "content": content,
        "stop_reason": "tool_use" if turn.calls else "max_tokens" if turn.truncated else "end_turn",
        "stop_sequence": None,
        "usage": {
            "input_tokens": tokens_in,
            "output_tokens": tokens_out,
            "cache_read_input_tokens": cached,
            "cache_creation_input_tokens": 0,
        },
    }


def _has_key(api: Api, headers: Mapping[str, str], key: str) -> bool:
    """Whether the request carries ``key``: as a bearer token, or Anthropic's ``x-api-key``.

    (``anthropic`` 2.x sends its ``api_key`` as ``Authorization: Bearer``, 1.x as ``x-api-key``.)
    """
    bearer = headers.get("authorization") == f"Bearer {key}"
    return bearer or (api == "anthropic" and headers.get("x-api-key") == key)


class _Handler(BaseHTTPRequestHandler):
    """Moves bytes between a connection and :meth:`ScriptedProvider.respond`."""

    protocol_version = "HTTP/1.1"
    timeout = 30  # an idle keep-alive connection closes after this many seconds
    server: _Server

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers.get("content-length") or 0))
        headers = {name.lower(): value for name, value in self.headers.items()}
        reply = self.server.provider.respond(self.path, headers, raw)
        status, extra, body = reply or (404, {}, {"error": {"message": f"no route {self.path}"}})
        payload = json.dumps(body).encode()
        try:
            self.send_response(status)
            for name, value in {"content-type": "application/json", **extra}.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:  # the client gave up (a timeout during a Hang)
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests read :attr:`ScriptedProvider.requests` instead of an access log."""


class _Server(ThreadingHTTPServer):
    """A thread per connection; stopping neither waits for nor is held up by them."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], provider: ScriptedProvider) -> None:
        self.provider = provider
        super().__init__(address, _Handler)
