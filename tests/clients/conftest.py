"""A tiny scripted HTTP server standing in for the vendor, and client fixtures.

Each test queues the replies it wants (``server.reply(...)``) or installs a route
function (``server.route = fn``, returning a body, or ``(status, body[, headers])``);
every request is recorded in ``server.requests``.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from exam_sandbox.client.janison import JanisonClient
from exam_sandbox.client.surpass import SurpassClient

USER, PASSWORD = "alice", "s3cret"
TZ = "GMT Standard Time"


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
    def raw_query(self) -> str:
        return urlsplit(self.target).query

    @property
    def query(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(self.raw_query, keep_blank_values=True).items()}

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

    def encode(self) -> tuple[bytes, dict[str, str]]:
        headers = dict(self.headers)
        if self.body is None:
            return b"", headers
        if isinstance(self.body, bytes | str):
            data = self.body.encode() if isinstance(self.body, str) else self.body
            headers.setdefault("Content-Type", "application/xml; charset=utf-8")
            return data, headers
        headers.setdefault("Content-Type", "application/json; charset=utf-8")
        return json.dumps(self.body).encode(), headers


class ScriptedServer:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.script: deque[Reply] = deque()
        self.route: Callable[[Recorded], Any] | None = None
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                rec = Recorded(self.command, self.path, dict(self.headers.items()),
                               self.rfile.read(length) if length else b"")
                outer.requests.append(rec)
                if outer.script:
                    reply = outer.script.popleft()
                elif outer.route is not None:
                    reply = outer.route(rec)
                    if isinstance(reply, tuple):  # (status, body[, headers])
                        reply = Reply(*reply)
                    elif not isinstance(reply, Reply):  # a bare body: 200
                        reply = Reply(200, reply)
                else:
                    reply = Reply(500, {"errors": [{"ErrorCode": 0, "Message": "unscripted"}]})
                if reply.delay:
                    time.sleep(reply.delay)
                data, headers = reply.encode()
                try:
                    self.send_response(reply.status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # the client gave up (timeout tests)
                    pass

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def reply(self, status: int = 200, body: Any = None, *, headers: dict[str, str] | None = None,
              delay: float = 0.0) -> None:
        self.script.append(Reply(status, body, headers or {}, delay))

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# ----------------------------------------------------------------- Surpass envelopes


def page_env(items: list[Any], *, count: int | None = None, top: int | None = None,
             skip: int | None = None, next_link: str | None = None,
             prev_link: str | None = None) -> dict[str, Any]:
    page_count = None if count is None or not top else -(-count // top)
    return {"count": count, "top": top, "skip": skip, "pageCount": page_count,
            "nextPageLink": next_link, "prevPageLink": prev_link, "response": items,
            "errors": [], "serverTimeZone": TZ}


def write_env(id: int | None = None, reference: str | None = None, href: str | None = None,
              **extra: Any) -> dict[str, Any]:
    env: dict[str, Any] = {"id": id}
    if reference is not None:
        env["reference"] = reference
    env.update({"href": href, "errors": [], "serverTimeZone": TZ, **extra})
    return env


def error_env(*errors: tuple[int, str], write: bool = True) -> dict[str, Any]:
    errs = [{"ErrorCode": c, "Message": m} for c, m in errors]
    if write:
        return {"id": None, "href": None, "errors": errs, "serverTimeZone": TZ}
    env = page_env([])
    env["response"], env["errors"] = None, errs
    return env


class Envelopes:
    """The Surpass envelopes, for tests to build replies with (a fixture: ``env``)."""

    page = staticmethod(page_env)
    write = staticmethod(write_env)
    error = staticmethod(error_env)
    tz = TZ


@pytest.fixture
def env() -> type[Envelopes]:
    return Envelopes


@pytest.fixture
def server():
    srv = ScriptedServer()
    srv.start()
    yield srv
    srv.stop()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_client(server: ScriptedServer, sleeps: list[float]):
    clients: list[SurpassClient] = []

    def make(**kwargs: Any) -> SurpassClient:
        kwargs.setdefault("sleep", sleeps.append)
        base = kwargs.pop("base_url", server.url + "/surpass")
        client = SurpassClient(base, USER, PASSWORD, **kwargs)
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.close()


@pytest.fixture
def surpass(make_client) -> SurpassClient:
    return make_client()


# ----------------------------------------------------------------- Janison envelopes

JANISON_KEY, JANISON_TOKEN = "sub-key-1", "static-token-1"


def janison_page(items: list[Any], *, count: int | None = None, top: int | None = None,
                 skip: int | None = None, next_link: str | None = None,
                 prev_link: str | None = None) -> dict[str, Any]:
    page_count = None if count is None or not top else -(-count // top)
    return {"count": count, "top": top, "skip": skip, "pageCount": page_count,
            "nextPageLink": next_link, "prevPageLink": prev_link, "response": items,
            "errors": []}


def janison_write(id: int | None = None, reference: str | None = None,
                  href: str | None = None, **extra: Any) -> dict[str, Any]:
    env: dict[str, Any] = {"id": id}
    if reference is not None:
        env["reference"] = reference
    env.update({"href": href, "errors": [], **extra})
    return env


def janison_error(*errors: tuple[int, str, str | None], write: bool = True) -> dict[str, Any]:
    errs = [{"code": c, "message": m, "field": f} for c, m, f in errors]
    env = {"id": None, "href": None} if write else janison_page([])
    env["errors"] = errs
    if not write:
        env["response"] = None
    return env


def apim_error(status: int, message: str) -> dict[str, Any]:
    return {"statusCode": status, "message": message}


class JanisonEnvelopes:
    """The Janison envelopes, for tests to build replies with (a fixture: ``jenv``)."""

    page = staticmethod(janison_page)
    write = staticmethod(janison_write)
    error = staticmethod(janison_error)
    apim = staticmethod(apim_error)
    key = JANISON_KEY
    token = JANISON_TOKEN


@pytest.fixture
def jenv() -> type[JanisonEnvelopes]:
    return JanisonEnvelopes


@pytest.fixture
def make_janison(server: ScriptedServer, sleeps: list[float]):
    """``make_janison(**kwargs)``: a JanisonClient on the scripted server (static token
    unless a token source is given)."""
    clients: list[JanisonClient] = []
    sources = ("token", "token_provider", "client_id", "client_secret", "token_url")

    def make(**kwargs: Any) -> JanisonClient:
        kwargs.setdefault("sleep", sleeps.append)
        if not any(k in kwargs for k in sources):
            kwargs["token"] = JANISON_TOKEN
        base = kwargs.pop("base_url", server.url + "/janison/api")
        key = kwargs.pop("subscription_key", JANISON_KEY)
        client = JanisonClient(base, key, **kwargs)
        clients.append(client)
        return client

    yield make
    for c in clients:
        c.close()


@pytest.fixture
def janison(make_janison) -> JanisonClient:
    return make_janison()
