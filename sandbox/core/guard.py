"""What the sandbox trusts about a request before any route sees it.

The sandbox is a local tool, and ``/_sandbox`` has no per-user auth by design; what it
must not be is reachable from any web page the developer happens to open. Three checks:

- **Host** (every path, vendor paths too: the demo credentials are public). A page on
  ``evil.example`` whose name is re-pointed at 127.0.0.1 (DNS rebinding) reaches the
  sandbox with ``Host: evil.example``; only the sandbox's own names are answered.
- **Origin** (``/_sandbox`` writes). A cross-origin "simple" request (a form post) is
  sent by the browser without asking; it carries the page's ``Origin`` (and
  ``Sec-Fetch-Site``), which must be the sandbox's own. Control writes must also be
  ``application/json``, a type no form can send without a CORS preflight, which the
  sandbox never grants.
- **Admin token** (``/_sandbox``, optional): when configured, every control request
  carries it, for a sandbox other machines can reach.

Vendor-neutral: ``install_guard`` protects the root app (``/health``, ``/_sandbox``),
``host_guard`` each vendor app, which renders the refusal in its own envelope.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode, urlsplit

from flask import Flask, Response, jsonify, redirect, request
from werkzeug.http import parse_cookie

from .errors import ErrorDetail, PermissionDenied
from .provider import SandboxConfig

ADMIN_PREFIX = "/_sandbox"
ANY_HOST = "*"
WILDCARD_BINDS = frozenset({"", "0.0.0.0", "::", "[::]"})
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
CONTROL_TYPE = "application/json"
TOKEN_HEADER = "X-Sandbox-Admin-Token"
TOKEN_CHALLENGE = 'Bearer realm="exam-sandbox admin"'
DEFAULT_PORTS = {"http": 80, "https": 443}
# The console (``/console``): when an admin token is set, a browser signs in once with it
# and then carries this cookie, which the controls accept in the token's stead.
CONSOLE_PREFIX = "/console"
CONSOLE_SIGN_IN = CONSOLE_PREFIX + "/sign-in"
CONSOLE_STATIC = CONSOLE_PREFIX + "/static"
CONSOLE_COOKIE = "exam_sandbox_console"
COOKIE_PURPOSE = b"exam-sandbox console sign-in"
# Sec-Fetch-Site values a browser sends for a request another site's page made.
FOREIGN_FETCH_SITES = frozenset({"cross-site", "same-site"})


# --- Host ------------------------------------------------------------------------------


def split_host(value: str) -> tuple[str, int | None] | None:
    """``(name, port)`` of a Host header (``name``, ``name:port``, ``[v6]:port``), the
    name lower-cased without a trailing dot; ``None`` if it is not one."""
    value = value.strip().lower()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        port_text = rest[1:] if rest else None
    else:
        name, colon, port_text = value.partition(":")
        if not colon:
            port_text = None
    if port_text is not None and not (port_text.isdigit() and int(port_text) <= 65535):
        return None
    name = name.rstrip(".")
    if not name or any(c.isspace() or c in "/\\@?#" for c in name):
        return None
    return name, int(port_text) if port_text is not None else None


def _ip(name: str):
    try:
        return ipaddress.ip_address(name)
    except ValueError:
        return None


def is_loopback_name(name: str) -> bool:
    """localhost (and its subdomains, which browsers resolve to loopback), 127/8, ::1."""
    name = name.strip("[]").lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    address = _ip(name)
    return address is not None and address.is_loopback


@lru_cache(maxsize=1)
def machine_names() -> frozenset[str]:
    """This machine's host names, which clients use to reach a wildcard bind. Once per
    process: ``getfqdn`` may ask DNS."""
    names = {socket.gethostname()}
    names.add(socket.getfqdn())
    names |= {n.split(".")[0] for n in names}
    return frozenset(n.lower().rstrip(".") for n in names if n)


@dataclass(frozen=True)
class HostPolicy:
    """Which ``Host`` headers the sandbox answers to."""

    bind_host: str
    allowed: frozenset[str]

    @classmethod
    def from_config(cls, config: SandboxConfig) -> HostPolicy:
        allowed = set()
        for entry in config.allowed_hosts:
            entry = entry.strip().lower()
            if entry == ANY_HOST or entry.startswith("."):
                allowed.add(entry)
            elif (parsed := split_host(entry)) is not None:
                allowed.add(parsed[0])  # a port given with a name is ignored
        return cls(config.bind_host.strip().lower(), frozenset(allowed))

    @property
    def wildcard(self) -> bool:
        return self.bind_host in WILDCARD_BINDS

    def permits(self, host_header: str | None) -> bool:
        # No Host at all: HTTP/1.0 or a local tool, never a browser.
        if ANY_HOST in self.allowed or host_header is None:
            return True
        parsed = split_host(host_header)
        if parsed is None:
            return False
        name = parsed[0]
        if is_loopback_name(name) or name in self.allowed:
            return True
        if any(p.startswith(".") and (name.endswith(p) or name == p[1:]) for p in self.allowed):
            return True
        if not self.wildcard:
            return name == self.bind_host.strip("[]")
        # A wildcard bind answers on every address of the machine, so any address of its
        # family is "the bound address"; an address is never a rebinding attack (the
        # page's origin is that address itself). Names: the machine's own only.
        address = _ip(name)
        if address is not None:
            return self.bind_host in ("::", "[::]") or address.version == 4
        return name in machine_names()

    def refusal_message(self, host_header: str | None) -> str:
        return (
            f"Host '{host_header}' is not one of this sandbox's names; a request for another "
            "name may be a DNS rebinding attack. Start the sandbox with --allow-host NAME "
            "(or EXAM_SANDBOX_ALLOWED_HOSTS) to answer to it"
        )


# --- Origin, Content-Type, token -------------------------------------------------------


def _authority(name: str, port: int | None, scheme: str) -> tuple[str, int | None]:
    return name.strip("[]"), port if port is not None else DEFAULT_PORTS.get(scheme)


def same_origin(origin: str, host_header: str | None) -> bool:
    """Whether ``Origin`` names the host (and port) the request was sent to.

    The scheme is not compared: behind a TLS proxy the sandbox sees http while the page
    is https; the port defaults to the Origin's scheme's on both sides.
    """
    if not host_header or origin.strip().lower() == "null":
        return False
    parts = urlsplit(origin.strip().lower())
    if parts.scheme not in DEFAULT_PORTS or parts.path or parts.query:
        return False
    theirs = split_host(parts.netloc)
    ours = split_host(host_header)
    if theirs is None or ours is None:
        return False
    return _authority(*theirs, parts.scheme) == _authority(*ours, parts.scheme)


def tokens_match(given: str | None, expected: str) -> bool:
    """Constant-time comparison, so the token cannot be guessed byte by byte by timing."""
    return hmac.compare_digest((given or "").encode(), expected.encode())


def console_cookie_value(admin_token: str) -> str:
    """What the console's sign-in cookie holds: derived from the token, so the cookie
    never carries the token itself, and changing the token signs every browser out."""
    return hmac.new(admin_token.encode(), COOKIE_PURPOSE, hashlib.sha256).hexdigest()


def cookie_grants(headers, admin_token: str) -> bool:
    """The console's cookie stands for the token on requests the console's own pages
    make: never on one another site's page made (``Sec-Fetch-Site``), which SameSite
    alone would let through from another port of the same host."""
    if (headers.get("Sec-Fetch-Site") or "").lower() in FOREIGN_FETCH_SITES:
        return False
    given = parse_cookie(headers.get("Cookie", "")).get(CONSOLE_COOKIE)
    return given is not None and hmac.compare_digest(
        given.encode(), console_cookie_value(admin_token).encode()
    )


def token_presented(headers, admin_token: str) -> bool:
    """The admin token, as a header (any client) or as the console's cookie."""
    return tokens_match(presented_token(headers), admin_token) or cookie_grants(
        headers, admin_token
    )


def presented_token(headers) -> str | None:
    scheme, _, value = headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return headers.get(TOKEN_HEADER)


@dataclass(frozen=True)
class Refusal:
    status: int
    message: str
    headers: tuple[tuple[str, str], ...] = ()


def check_origin(method: str, headers) -> Refusal | None:
    """A write another site's page made is refused (the controls' and the console's)."""
    if method in WRITE_METHODS:
        origin = headers.get("Origin")
        if origin is not None and not same_origin(origin, headers.get("Host")):
            return Refusal(403, f"Cross-origin request refused: Origin '{origin}' is not this "
                                "sandbox's own; /_sandbox controls are not for other pages")
        fetch_site = (headers.get("Sec-Fetch-Site") or "").lower()
        if fetch_site in FOREIGN_FETCH_SITES:
            return Refusal(403, f"Cross-origin request refused (Sec-Fetch-Site: {fetch_site}); "
                                "/_sandbox controls are not for other pages")
    return None


def check_control(method: str, headers, mimetype: str, admin_token: str | None
                  ) -> Refusal | None:
    """What is wrong with a ``/_sandbox`` request (its Host already checked), if anything."""
    if (refusal := check_origin(method, headers)) is not None:
        return refusal
    if admin_token is not None and not token_presented(headers, admin_token):
        return Refusal(401, "This sandbox requires its admin token on /_sandbox: send "
                            f"'Authorization: Bearer <token>' or '{TOKEN_HEADER}: <token>'",
                       (("WWW-Authenticate", TOKEN_CHALLENGE),))
    if method in BODY_METHODS and mimetype != CONTROL_TYPE:
        shown = mimetype or "none"
        return Refusal(415, f"Content-Type must be {CONTROL_TYPE} on a control write "
                            f"(got {shown}); send {{}} when there is nothing else to say")
    return None


# --- installing the checks -------------------------------------------------------------


def _json_refusal(refusal: Refusal) -> Response:
    response = jsonify({"error": {"status": refusal.status, "message": refusal.message}})
    response.status_code = refusal.status
    response.headers.update(dict(refusal.headers))
    return response


def install_guard(app: Flask, config: SandboxConfig, admin_prefix: str = ADMIN_PREFIX) -> None:
    """Guard the root app: the Host of every request it serves (``/health``, unknown
    paths, ``/_sandbox``) and the controls' Origin, Content-Type and token. Refusals are
    in the ``/_sandbox`` JSON error shape."""
    policy = HostPolicy.from_config(config)

    @app.before_request
    def _guard() -> Response | None:
        host = request.headers.get("Host")
        if not policy.permits(host):
            return _json_refusal(Refusal(403, policy.refusal_message(host)))
        if request.path == admin_prefix or request.path.startswith(admin_prefix + "/"):
            refusal = check_control(
                request.method, request.headers, request.mimetype, config.admin_token
            )
            if refusal is not None:
                return _json_refusal(refusal)
        elif request.path == CONSOLE_PREFIX or request.path.startswith(CONSOLE_PREFIX + "/"):
            return _console_refusal(config)
        return None


def _console_refusal(config: SandboxConfig) -> Response | None:
    """The console's pages: the same Origin rule on its one write (sign-in), and, with
    an admin token set, the token or the sign-in cookie on every page; a browser without
    either is sent to the sign-in form, which needs neither."""
    refusal = check_origin(request.method, request.headers)
    if refusal is not None:
        return _json_refusal(refusal)
    if config.admin_token is None or request.path == CONSOLE_SIGN_IN:
        return None
    if request.path.startswith(CONSOLE_STATIC + "/"):  # the script and styles: no data
        return None
    if token_presented(request.headers, config.admin_token):
        return None
    if request.method == "GET" and request.accept_mimetypes.accept_html:
        return redirect(f"{CONSOLE_SIGN_IN}?{urlencode({'next': request.full_path})}", 303)
    return _json_refusal(Refusal(401, "This sandbox's console requires its admin token: "
                                      f"sign in at {CONSOLE_SIGN_IN}",
                                 (("WWW-Authenticate", TOKEN_CHALLENGE),)))


def host_guard(config: SandboxConfig) -> Callable[[], None]:
    """A vendor app's ``before_request``: raises a core ``PermissionDenied``, which the
    vendor renders in its own error envelope."""
    policy = HostPolicy.from_config(config)

    def _check_host() -> None:
        host = request.headers.get("Host")
        if not policy.permits(host):
            raise PermissionDenied(ErrorDetail(403, policy.refusal_message(host)))

    return _check_host


def parse_host_list(text: str | None) -> tuple[str, ...]:
    """``EXAM_SANDBOX_ALLOWED_HOSTS``: names separated by commas or spaces."""
    return tuple((text or "").replace(",", " ").split())
