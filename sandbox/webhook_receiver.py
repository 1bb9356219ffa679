"""A real local HTTP server that receives webhooks, for tests (the ``webhook_receiver``
fixture of the pytest plugin) and for anyone trying the sandbox's webhooks by hand.

It records every request (method, path, headers, the exact body bytes, and the body
parsed as JSON or as a form) and answers 200, unless told to fail or to hang for the
next requests::

    with WebhookReceiver() as receiver:
        receiver.fail(times=2, status=500)   # the next two requests get a 500
        ...                                  # give receiver.url to the sandbox
        first, second, third = receiver.wait_for(3, timeout=10)
        assert receiver.verify(tenant_webhook_secret, third)

Only the standard library (``http.server``, a thread): it imports nothing of the sandbox,
so it checks signatures on its own, as a real receiver would.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

__all__ = ["ReceivedRequest", "WebhookReceiver"]

SIGNATURE_HEADER = "X-Sandbox-Signature"
MAX_BODY = 16 * 1024 * 1024


@dataclass(frozen=True)
class ReceivedRequest:
    """One request as it arrived; ``json`` or ``form`` is set when the body parses so."""

    method: str
    path: str  # without the query string
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    received_at: float = field(default_factory=time.time)  # wall time, seconds
    answered: int = 200  # the status the receiver chose for it

    def header(self, name: str, default: str | None = None) -> str | None:
        """A header by name, whatever its case."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return default

    @property
    def content_type(self) -> str:
        return (self.header("Content-Type") or "").split(";")[0].strip().lower()

    @property
    def signature(self) -> str | None:
        return self.header(SIGNATURE_HEADER)

    @property
    def json(self) -> Any:
        """The body as JSON; None when it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def form(self) -> dict[str, str] | None:
        """A form body (``application/x-www-form-urlencoded``) as a dict of its fields
        (the last value of a repeated one); None for any other content type."""
        if self.content_type != "application/x-www-form-urlencoded":
            return None
        parsed = parse_qs(self.body.decode("utf-8", "replace"), keep_blank_values=True)
        return {name: values[-1] for name, values in parsed.items()}


class WebhookReceiver:
    """A ``ThreadingHTTPServer`` on ``host`` (a free port unless ``port`` is given) in a
    thread of its own. ``url`` is where to send; any path and method is accepted."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, path: str = "/hooks") -> None:
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._requests: list[ReceivedRequest] = []
        self._plan: deque[tuple[int, float]] = deque()  # (status, seconds to hang) per request
        self._closing = threading.Event()
        self.status = 200  # the answer once the plan is used up
        self.path = path
        self._server = ThreadingHTTPServer((host, port), self._handler_class())
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> WebhookReceiver:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                kwargs={"poll_interval": 0.05},
                name="webhook-receiver",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; a request hanging meanwhile is answered at once."""
        self._closing.set()
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(5)
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> WebhookReceiver:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """``http://127.0.0.1:<port>/hooks``: where the sandbox should send."""
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{self.path}"

    # -- what it answers ---------------------------------------------------------------------

    def fail(self, times: int = 1, status: int = 500) -> None:
        """Answer ``status`` to the next ``times`` requests (after any planned before)."""
        with self._lock:
            self._plan.extend([(status, 0.0)] * times)

    def hang(self, seconds: float, times: int = 1, status: int = 200) -> None:
        """Wait ``seconds`` before answering each of the next ``times`` requests (the
        request is recorded when it arrives, before the wait)."""
        with self._lock:
            self._plan.extend([(status, seconds)] * times)

    # -- what it received -------------------------------------------------------------------

    @property
    def requests(self) -> list[ReceivedRequest]:
        """Every request so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    def clear(self) -> None:
        with self._lock:
            self._requests.clear()

    def wait_for(self, count: int = 1, timeout: float = 10.0) -> list[ReceivedRequest]:
        """Block until ``count`` requests have arrived in all; return them all. Raises
        ``AssertionError`` (listing what did arrive) when they do not within ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self._requests) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    got = [f"{r.method} {r.path} {r.body[:80]!r}" for r in self._requests]
                    raise AssertionError(
                        f"expected {count} webhook request(s) within {timeout} s, "
                        f"got {len(got)}: {got}"
                    )
                self._arrived.wait(left)
            return list(self._requests)

    @staticmethod
    def signature_of(secret: str, body: bytes) -> str:
        """``sha256=<hex>``: the HMAC-SHA256 of ``body`` keyed with ``secret``'s UTF-8."""
        return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()

    @classmethod
    def verify(cls, secret: str, request: ReceivedRequest) -> bool:
        """Whether ``request`` carries the right ``X-Sandbox-Signature`` for ``secret``."""
        sent = request.signature
        return sent is not None and hmac.compare_digest(
            cls.signature_of(secret, request.body), sent
        )

    # -- serving ------------------------------------------------------------------------------

    def _next_answer(self) -> tuple[int, float]:
        with self._lock:
            return self._plan.popleft() if self._plan else (self.status, 0.0)

    def _received(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(min(length, MAX_BODY)) if length > 0 else b""
        status, hang = self._next_answer()
        split = urlsplit(handler.path)
        request = ReceivedRequest(
            method=handler.command,
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers=dict(handler.headers.items()),
            body=body,
            answered=status,
        )
        with self._arrived:
            self._requests.append(request)
            self._arrived.notify_all()
        if hang > 0:
            self._closing.wait(hang)
        try:
            handler.send_response(status)
            handler.send_header("Content-Length", "0")
            handler.send_header("Connection", "close")
            handler.end_headers()
        except OSError:  # the sender gave up waiting (its timeout): nothing to answer
            pass

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _receive(self) -> None:
                receiver._received(self)
                self.close_connection = True

            do_POST = do_PUT = do_PATCH = do_GET = do_DELETE = _receive

            def log_message(self, *_args) -> None:  # quiet: tests read .requests
                pass

        return Handler
