"""iTEP test-ID client: ``ItepClient(base_url, api_key, ...)``.

iTEP publishes no API reference: no host, path, field or error code was found. The
sandbox fixes one (``docs/providers/itep-wire.md``) and this client speaks it, with
everything a real site could do differently as an option whose default is the
sandbox's: the base URL (:data:`~.wire.SANDBOX_URL` is the sandbox's), the two route
names, where the API key goes (``key_in="header"``: ``X-API-Key``; ``"query"``:
``?api_key=``; ``key_name=`` renames either) and how ``assigned_to`` is encoded
(``assigned_to_as="object"`` or ``"text"``). This module never imports the sandbox: it
is the independent second implementation the contract tests compare.

An API key belongs to one product code (it is made on iTEP's PRODUCT CODE screen), so
the test IDs a client gets are that product's::

    with ItepClient("http://127.0.0.1:8080/itep/api/v1", api_key) as itep:
        got = itep.assign_test_id(Candidate("Ada Lovelace", "ada@example.com", "HR-1"),
                                  oid="HR-1", tracking_code="ACME-HR")
        print(got.test_id)  # "123982B8AP"

Errors are the kinds of :mod:`.errors`. Both assign calls are POSTs and never retried
(a retry could assign a second test ID); ``retries`` applies to idempotent calls made
with :meth:`ItepClient.request` only.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from typing import Any

import requests

from exam_sandbox.client.core.errors import ApiError, ErrorDetail
from exam_sandbox.client.core.http import HttpClient, Timeout
from exam_sandbox.client.itep.errors import ERRORS, error_class
from exam_sandbox.client.itep.resources import ResourceMethods
from exam_sandbox.client.itep.wire import (
    ASSIGN_AND_EMAIL_PATH,
    ASSIGN_PATH,
    KEY_HEADER,
    KEY_PARAM,
    AssignedToAs,
    KeyIn,
    decode,
    error_parser,
)

__all__ = ["ApiKeyAuth", "ItepClient"]


class ApiKeyAuth(requests.auth.AuthBase):
    """Puts the API key on each request as it is sent: a header, or a query parameter.

    Added at send time, so the key is in no URL this client builds: error messages and
    logs name the URL without it.
    """

    def __init__(self, key: str, *, key_in: KeyIn = "header", name: str | None = None) -> None:
        if key_in not in ("header", "query"):
            raise ValueError(f"key_in must be 'header' or 'query', got {key_in!r}")
        self.key = key
        self.key_in = key_in
        self.name = name or (KEY_HEADER if key_in == "header" else KEY_PARAM)

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        if self.key_in == "header":
            r.headers[self.name] = self.key
        else:
            r.prepare_url(r.url, {self.name: self.key})
        return r

    def __repr__(self) -> str:
        return f"ApiKeyAuth(key_in={self.key_in!r}, name={self.name!r})"


class _ItepHttp(HttpClient):
    """The shared transport, with iTEP's kinds picked by code (:func:`error_class`), the
    code in the message, and the key struck from transport failures' messages."""

    def __init__(self, base_url: str, *, key_param: str | None, **kwargs: Any) -> None:
        super().__init__(base_url, **kwargs)
        # ?<key_param>=<anything> in a message (the key, however it was percent-encoded)
        self._key_in_url = (
            None if key_param is None else re.compile(rf"([?&]{re.escape(key_param)}=)[^&#\s'\"]*")
        )

    def make_error(
        self,
        status: int,
        details: list[ErrorDetail],
        *,
        cls: type[ApiError] | None = None,
        **kwargs: Any,
    ) -> ApiError:
        error = super().make_error(
            status, details, cls=cls or error_class(status, details), **kwargs
        )
        code = getattr(error, "code", None)
        marker = f"HTTP {status}: "
        if code is not None and marker in error.message and all(d.message != code for d in details):
            _reword(error, error.message.replace(marker, f"{marker}{code}: ", 1))
        return error

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            return super().request(method, path, **kwargs)
        except ERRORS.transport as error:
            # urllib3 names the full URL (?api_key=... with key_in="query") in its text.
            redacted = self._redact(error.message)
            if redacted != error.message:
                _reword(error, redacted)
                error.__cause__ = None
                error.__suppress_context__ = True
                raise error from None
            raise

    def _redact(self, text: str) -> str:
        return text if self._key_in_url is None else self._key_in_url.sub(r"\1***", text)


def _reword(error: ApiError, message: str) -> None:
    error.message = message
    error.args = (message,)


class ItepClient(ResourceMethods):
    """Client for iTEP's test-ID calls. Use as a context manager to close it.

    ``api_key`` is a key from the PRODUCT CODE screen. ``key_in`` says where it goes
    (``"header"``, the default, or ``"query"``: then it is in every URL, and so in
    server and proxy logs) and ``key_name`` under which name (``X-API-Key`` /
    ``api_key`` by default). ``assign_path`` and ``assign_and_email_path`` are the two
    routes under ``base_url``; ``assigned_to_as`` the default encoding of
    ``assigned_to`` (each call may override it).

    ``timeout`` is seconds, or ``(connect, read)``, for every call (overridable per
    call with ``timeout=``). ``retries`` bounds the retries of idempotent calls sent
    with :meth:`request` (on connection errors, timeouts, 429 and 5xx, honouring
    ``Retry-After`` up to ``retry_after_max``); the assign calls are POSTs and are
    never retried. ``session`` is used as given and never closed. ``sleep`` is
    injectable for tests.
    """

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        key_in: KeyIn = "header",
        key_name: str | None = None,
        assign_path: str = ASSIGN_PATH,
        assign_and_email_path: str = ASSIGN_AND_EMAIL_PATH,
        assigned_to_as: AssignedToAs = "object",
        timeout: Timeout = (5.0, 30.0),
        retries: int = 3,
        retry_after_max: float = 60.0,
        backoff_factor: float = 0.5,
        backoff_max: float = 30.0,
        session: requests.Session | None = None,
        headers: Mapping[str, str] | None = None,
        sleep: Callable[[float], Any] = time.sleep,
    ) -> None:
        if assigned_to_as not in ("object", "text"):
            raise ValueError(f"assigned_to_as must be 'object' or 'text', got {assigned_to_as!r}")
        key = _api_key(api_key)
        self.auth = ApiKeyAuth(key, key_in=key_in, name=key_name)
        self.assign_path = _route("assign_path", assign_path)
        self.assign_and_email_path = _route("assign_and_email_path", assign_and_email_path)
        self.assigned_to_as = assigned_to_as
        self._http = _ItepHttp(
            base_url,
            key_param=self.auth.name if self.auth.key_in == "query" else None,
            auth=self.auth,
            timeout=timeout,
            retries=retries,
            session=session,
            headers={"Accept": "application/json", **(headers or {})},
            product="itep-client",
            backoff_factor=backoff_factor,
            backoff_max=backoff_max,
            retry_after_max=retry_after_max,
            sleep=sleep,
            error_types=ERRORS,
            error_parser=error_parser,
        )
        self.base_url = self._http.base_url

    @property
    def key_in(self) -> KeyIn:
        return self.auth.key_in

    def __repr__(self) -> str:
        return f"ItepClient(base_url={self.base_url!r}, key_in={self.key_in!r})"

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        body: Any = None,
        timeout: Timeout | None = None,
    ) -> Any:
        """Send any request under the base URL with the API key; return its decoded JSON
        (``{}`` for an empty body). Raises the kinds of :mod:`.errors`; an answer < 400
        that is not JSON raises ``ItepError``."""
        method = method.upper()
        response = self._http.request(method, path, params=params, json=body, timeout=timeout)
        try:
            return decode(response)
        except (ValueError, UnicodeDecodeError) as exc:
            url = self._http.url_for(path)
            raise ERRORS.base(
                f"{method} {url} -> HTTP {response.status_code}: the body is not JSON ({exc})",
                status=response.status_code,
                response=response,
                method=method,
                url=url,
            ) from exc


def _api_key(value: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("api_key must be a non-empty string (a key from the PRODUCT CODE screen)")
    key = value.strip()
    if any(c.isspace() or not c.isprintable() for c in key):
        raise ValueError("the API key cannot contain whitespace or control characters")
    return key


def _route(name: str, value: str) -> str:
    if not isinstance(value, str) or not value.strip("/ "):
        raise ValueError(f"{name} must be a path under the base URL, got {value!r}")
    return value.strip().strip("/")
