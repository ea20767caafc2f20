"""Local stand-ins for outside services, on 127.0.0.1 ports below 32768: an S3 server
(moto in server mode), an HTTP receiver that records what it is sent, and a fake
``kubectl`` that records its arguments."""

from __future__ import annotations

import contextlib
import http.server
import json
import random
import socket
import stat
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit


def low_port() -> int:
    """A free port below the kernel's outgoing range (32768 and up)."""
    for _ in range(200):
        port = random.randint(20000, 32000)
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port below 32768")


@contextlib.contextmanager
def s3_server(bucket: str) -> Iterator[str]:
    """A real S3-compatible endpoint (moto server) holding an empty ``bucket``."""
    import boto3
    from moto.server import ThreadedMotoServer

    port = low_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    try:
        client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                              aws_access_key_id="test", aws_secret_access_key="test")  # fmt: skip
        client.create_bucket(Bucket=bucket)
        yield endpoint
    finally:
        server.stop()


@dataclass
class Receiver:
    """Records every POST: path, headers and JSON body; answers ``status`` with ``reply``."""

    url: str
    posts: list[dict[str, Any]] = field(default_factory=list)
    status: int = 202
    reply: dict[str, Any] = field(default_factory=lambda: {"status": "success"})
    gets: list[dict[str, list[str]]] = field(default_factory=list)
    answer_get: Callable[[dict[str, list[str]]], dict[str, Any]] | None = None


@contextlib.contextmanager
def receiver(path: str = "/") -> Iterator[Receiver]:
    port = low_port()
    found = Receiver(url=f"http://127.0.0.1:{port}{path}")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            found.posts.append({"path": self.path, "headers": dict(self.headers),
                                "json": json.loads(body or b"null")})  # fmt: skip
            payload = json.dumps(found.reply).encode()
            self.send_response(found.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self) -> None:
            query = parse_qs(urlsplit(self.path).query)
            found.gets.append(query | {"_path": [urlsplit(self.path).path]})
            body = found.answer_get(query) if found.answer_get else {}
            payload = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *_: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def fake_kubectl(directory: Path, answers: dict[str, str]) -> tuple[Path, Path]:
    """A ``kubectl`` in ``directory`` that appends its argv (one JSON list per line) to a log
    and prints the answer whose key is the first two arguments joined by a space
    (``get pods``), or exits 1 when there is none. Returns (program, log)."""
    log = directory / "kubectl-calls.jsonl"
    table = directory / "kubectl-answers.json"
    table.write_text(json.dumps(answers))
    program = directory / "kubectl"
    program.write_text(
        f"#!{sys.executable}\n"
        "import json, sys\n"
        f"with open({str(log)!r}, 'a') as out: out.write(json.dumps(sys.argv[1:]) + '\\n')\n"
        f"answers = json.load(open({str(table)!r}))\n"
        "key = ' '.join(sys.argv[1:3])\n"
        "if key not in answers: sys.stderr.write('no such thing\\n'); sys.exit(1)\n"
        "sys.stdout.write(answers[key])\n"
    )
    program.chmod(program.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return program, log


def calls(log: Path) -> list[list[str]]:
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text().splitlines()]


@contextlib.contextmanager
def serve_app(app: Any) -> Iterator[str]:
    """Serve an ASGI app with uvicorn on a low port in a thread; yields its base URL."""
    import time

    import uvicorn

    port = low_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="on"))  # fmt: skip
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.02)  # polling until uvicorn reports it listens
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
