"""Vendor-neutral HTTP transport shared by every vendor client.

What lives here, and nowhere else:

* one ``requests.Session`` per client (or one you pass in, which is then never closed
  or mutated by us);
* a (connect, read) timeout on every request, overridable per call;
* retries with capped exponential backoff and jitter on connection errors, timeouts,
  429 and 5xx -- for idempotent methods only (never POST), honouring ``Retry-After``;
* mapping of HTTP failures onto the error kinds of :mod:`exam_sandbox.client.core.errors`.

A vendor client supplies two things: its error family (:func:`~.errors.error_family`,
so ``except SurpassError`` works), and an ``error_parser`` that pulls the vendor's
``(code, message)`` pairs out of an error body.
"""

from __future__ import annotations

import email.utils
import json as _json
import logging
import random
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

import requests

from exam_sandbox.client.core.errors import (
    NEUTRAL,
    ApiConnectionError,
    ApiError,
    ApiTimeoutError,
    ErrorDetail,
    ErrorTypes,
)

__all__ = [
    "ErrorParser",
    "HttpClient",
    "Timeout",
    "encode_query",
    "parse_error_body",
    "parse_retry_after",
    "user_agent",
]

CLIENT_VERSION = "0.1.0"
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
#: 501 Not Implemented and 505 HTTP Version Not Supported will not get better by waiting.
NON_RETRYABLE_5XX = frozenset({501, 505})

Timeout = float | tuple[float, float]

log = logging.getLogger(__name__)

_CONNECTION_FAILURES = (
    requests.exceptions.ConnectionError,
    requests.exceptions.ChunkedEncodingError,
)


def user_agent(product: str) -> str:
    """``exam-sandbox-<product>/<version> python-requests/<version>``."""
    return f"exam-sandbox-{product}/{CLIENT_VERSION} python-requests/{requests.__version__}"


# --------------------------------------------------------------------------- error bodies


ErrorParser = Callable[[requests.Response], list[ErrorDetail]]


def parse_error_body(response: requests.Response) -> list[ErrorDetail]:
    """Best-effort, vendor-neutral: ``{"errors": [{"code"|"ErrorCode", "message"|...}]}``."""
    try:
        data = response.json()
    except ValueError:
        return []
    if not isinstance(data, Mapping):
        return []
    items = data.get("errors")
    if isinstance(items, list):
        out = []
        for item in items:
            if isinstance(item, Mapping):
                low = {str(k).lower(): v for k, v in item.items()}
                code = low.get("errorcode", low.get("code"))
                msg = low.get("message", low.get("detail", low.get("title", "")))
                field = low.get("field")
                out.append(ErrorDetail(code, str(msg), None if field is None else str(field)))
            else:
                out.append(ErrorDetail(None, str(item)))
        return out
    for key in ("message", "error", "detail"):
        if isinstance(data.get(key), str):
            return [ErrorDetail(None, data[key])]
    return []


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds to wait: delta-seconds or an HTTP-date; ``None`` if unusable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:  # pragma: no cover - older Pythons
        return None
    current = time.time() if now is None else now
    return max(0.0, when.timestamp() - current)


_QUERY_SAFE = ",/:'()$@"


def encode_query(params: Mapping[str, Any]) -> str:
    """Encode a query string, keeping ``$`` in keys and OData punctuation readable.

    ``None`` values are dropped, booleans become ``true``/``false``, sequences repeat the key.
    """
    parts = []
    for key, value in params.items():
        values = value if isinstance(value, list | tuple) else [value]
        for v in values:
            if v is None:
                continue
            if isinstance(v, bool):
                v = "true" if v else "false"
            parts.append(quote(str(key), safe="$") + "=" + quote(str(v), safe=_QUERY_SAFE))
    return "&".join(parts)


# --------------------------------------------------------------------------- transport


class HttpClient:
    """A small, careful wrapper around ``requests.Session`` used by every vendor client."""

    def __init__(
        self,
        base_url: str,
        *,
        auth: Any = None,
        timeout: Timeout = 10,
        retries: int = 3,
        session: requests.Session | None = None,
        headers: Mapping[str, str] | None = None,
        product: str = "client",
        backoff_factor: float = 0.5,
        backoff_max: float = 30.0,
        retry_after_max: float = 120.0,
        sleep: Callable[[float], Any] = time.sleep,
        jitter: Callable[[], float] = random.random,
        error_types: ErrorTypes | None = None,
        error_parser: ErrorParser = parse_error_body,
    ) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base_url must start with http:// or https://, got {base_url!r}")
        if retries < 0:
            raise ValueError("retries must be >= 0")
        self.base_url = base_url.rstrip("/")
        self.timeout = _check_timeout(timeout)
        self.retries = retries
        self.backoff_factor = backoff_factor
        self.backoff_max = backoff_max
        self.retry_after_max = retry_after_max
        self.sleep = sleep
        self.jitter = jitter
        self.error_types = error_types or NEUTRAL
        self.error_parser = error_parser
        self.headers = {"User-Agent": user_agent(product), **(headers or {})}
        self._auth = auth
        self._owns_session = session is None
        self.session = session if session is not None else requests.Session()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    # -- lifecycle
    def close(self) -> None:
        """Close the session if this object created it."""
        if self._owns_session:
            self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests
    def url_for(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: bytes | str | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: Timeout | None = None,
    ) -> requests.Response:
        """Send one request (with retries when safe); return the response if it is < 400.

        Raises the ``error_types`` class for the status, or a transport error.
        """
        method = method.upper()
        url = self.url_for(path)
        if params:
            query = encode_query(params)
            if query:
                url = f"{url}{'&' if '?' in url else '?'}{query}"
        if json is not None:
            data = _json.dumps(json, separators=(",", ":"), ensure_ascii=False).encode()
            headers = {"Content-Type": "application/json", **(headers or {})}
        all_headers = {**self.headers, **(headers or {})}
        to = self.timeout if timeout is None else _check_timeout(timeout)
        idempotent = method in IDEMPOTENT_METHODS
        attempt = 0
        while True:
            response: requests.Response | None = None
            try:
                response = self.session.request(
                    method, url, data=data, headers=all_headers, auth=self._auth, timeout=to
                )
            except requests.exceptions.RequestException as exc:
                error = self._transport_error(exc, method, url)
            else:
                if response.status_code < 400:
                    return response
                error = self._status_error(response, method, url)
            delay = self._retry_delay(error, attempt) if idempotent else None
            if delay is None:
                raise error
            attempt += 1
            log.info("%s %s failed (%s); retry %d/%d in %.2fs",
                     method, url, error, attempt, self.retries, delay)
            if response is not None:
                response.close()
            self.sleep(delay)

    # -- internals
    def _retry_delay(self, error: ApiError, attempt: int) -> float | None:
        """Seconds to wait before retrying ``error``, or ``None`` to give up."""
        if attempt >= self.retries:
            return None
        status = error.status
        retryable = isinstance(error, ApiConnectionError | ApiTimeoutError) or (
            status is not None
            and (status == 429 or (status >= 500 and status not in NON_RETRYABLE_5XX))
        )
        if not retryable:
            return None
        if error.retry_after is not None:
            return error.retry_after if error.retry_after <= self.retry_after_max else None
        base = min(self.backoff_max, self.backoff_factor * (2**attempt))
        return base * (0.5 + 0.5 * self.jitter())  # "equal jitter": [base/2, base]

    def _transport_error(self, exc: Exception, method: str, url: str) -> ApiError:
        kinds = self.error_types
        if isinstance(exc, requests.exceptions.Timeout):
            cls, what = kinds.timeout, "timed out"
        elif isinstance(exc, _CONNECTION_FAILURES):
            cls, what = kinds.connection, "connection failed"
        else:
            cls, what = kinds.transport, "request failed"
        error = cls(f"{method} {url} {what}: {exc}", method=method, url=url)
        error.__cause__ = exc
        return error

    def _status_error(self, response: requests.Response, method: str, url: str) -> ApiError:
        try:
            details = self.error_parser(response)
        except Exception:  # a broken error body must not hide the status
            log.debug("could not parse error body", exc_info=True)
            details = []
        return self.make_error(
            response.status_code, details, response=response, method=method, url=url
        )

    def make_error(
        self,
        status: int,
        details: list[ErrorDetail],
        *,
        response: requests.Response | None = None,
        method: str | None = None,
        url: str | None = None,
        cls: type[ApiError] | None = None,
    ) -> ApiError:
        """Build the exception for ``status`` (vendors also use this for 200-with-errors)."""
        cls = cls or self.error_types.for_status(status)
        reason = (response.reason if response is not None else None) or ""
        text = "; ".join(d.message for d in details) or reason or "error"
        where = f"{method} {url} " if method else ""
        retry_after = None
        if response is not None:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
        return cls(
            f"{where}-> HTTP {status}: {text}",
            status=status,
            errors=details,
            response=response,
            method=method,
            url=url,
            retry_after=retry_after,
        )


def _check_timeout(timeout: Timeout) -> Timeout:
    values = timeout if isinstance(timeout, tuple) else (timeout,)
    if not values or any(v is None or v <= 0 for v in values):
        raise ValueError(f"timeout must be positive seconds or a (connect, read) pair: {timeout!r}")
    return timeout
