"""A local HTTP server standing in for a vendor, answering canned vendor responses.

It stands in for the vendor, not for our code: each test queues the replies the vendor
would give (``vendor.reply(status, body, headers=..., delay=...)``) and then checks what
the client sent (``vendor.requests``) and made of the answers. Used by the Cirrus and
iTEP client tests (``serving``: the fixture's body).
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(urlsplit(self.target).query, keep_blank_values=True)

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class Vendor:
    """``ThreadingHTTPServer`` on a free port; replies are served in the order queued.
    ``api`` is the path a client's base URL ends in; JSON replies carry ``json_type``."""

    def __init__(self, api: str, json_type: str = "application/json") -> None:
        self.api = api
        self.requests: list[Recorded] = []
        self.script: deque[Reply] = deque()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                outer.requests.append(
                    Recorded(self.command, self.path, dict(self.headers.items()), body)
                )
                reply = outer.script.popleft() if outer.script else Reply(599, "unscripted")
                if reply.delay:
                    time.sleep(reply.delay)
                headers = dict(reply.headers)
                if reply.body is None:
                    data = b""
                elif isinstance(reply.body, bytes | str):
                    data = reply.body.encode() if isinstance(reply.body, str) else reply.body
                    headers.setdefault("Content-Type", "text/plain; charset=utf-8")
                else:
                    data = json.dumps(reply.body).encode()
                    headers.setdefault("Content-Type", json_type)
                try:
                    self.send_response(reply.status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (timeout tests)
                    pass

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def origin(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        return self.origin + self.api

    def reply(
        self,
        status: int = 200,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> None:
        self.script.append(Reply(status, body, headers or {}, delay))

    @property
    def last(self) -> Recorded:
        return self.requests[-1]


def serving(vendor: Vendor) -> Iterator[Vendor]:
    vendor.thread.start()
    yield vendor
    vendor.httpd.shutdown()
    vendor.httpd.server_close()
