"""Where the Janison client's bearer token comes from.

Three sources, one per way of calling :class:`.client.JanisonClient`:

* ``token="..."``: a fixed token (the sandbox's static tenant token never expires);
* ``token_provider=callable``: called before every request, e.g. around MSAL's
  ``acquire_token_for_client`` (which caches); it may return the token string or MSAL's
  result mapping (``{"access_token": ...}`` or ``{"error", "error_description"}``);
* ``client_id``/``client_secret``/``token_url``: the OAuth2 client-credentials grant,
  the token cached until shortly before ``expires_in`` runs out.

On a 401 the client asks its source to :meth:`renew` the token that failed and retries
once if the source then gives a different one. The token request never carries the
subscription key or a bearer token, and is not retried (it is a POST).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol
from urllib.parse import urlencode

from exam_sandbox.client.core.http import HttpClient, Timeout
from exam_sandbox.client.janison.errors import AuthenticationError, JanisonError, ValidationError
from exam_sandbox.client.janison.wire import compact, decode_json, parse_int

__all__ = ["ClientCredentials", "ProvidedToken", "StaticToken", "TokenSource"]

log = logging.getLogger(__name__)


class TokenSource(Protocol):
    kind: str

    def token(self, timeout: Timeout | None = None) -> str:
        """A bearer token to send now."""
        ...

    def renew(self, failed: str) -> bool:
        """``failed`` was refused: forget it; ``True`` if asking again may give another."""
        ...


class StaticToken:
    kind = "token"

    def __init__(self, token: str) -> None:
        if not isinstance(token, str) or not token.strip():
            raise ValueError("token must be a non-empty string")
        self._token = token.strip()

    def token(self, timeout: Timeout | None = None) -> str:
        return self._token

    def renew(self, failed: str) -> bool:
        return False


class ProvidedToken:
    kind = "token_provider"

    def __init__(self, provider: Callable[[], Any]) -> None:
        if not callable(provider):
            raise TypeError("token_provider must be a callable returning a token")
        self._provider = provider

    def token(self, timeout: Timeout | None = None) -> str:
        value = self._provider()
        if isinstance(value, Mapping):  # an MSAL result
            if isinstance(value.get("access_token"), str) and value["access_token"]:
                return value["access_token"]
            error = str(value.get("error") or "no_token")
            text = str(value.get("error_description") or error)
            raise AuthenticationError(f"token_provider gave no token: {text}",
                                      errors=[(error, text)])
        if not isinstance(value, str) or not value.strip():
            raise AuthenticationError(f"token_provider returned {type(value).__name__}, "
                                      "not a token string")
        return value.strip()

    def renew(self, failed: str) -> bool:
        return True  # the provider may refresh; retried only if the answer differs


class ClientCredentials:
    """The OAuth2 client-credentials grant against ``token_url``, with a cached token.

    The token is reused until ``margin`` seconds (at most half its lifetime) before
    ``expires_in`` runs out, measured with ``clock`` from just before the request.
    """

    kind = "client_credentials"

    def __init__(
        self,
        http: HttpClient,
        token_url: str,
        client_id: str,
        client_secret: str,
        scope: str | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        margin: float = 60.0,
    ) -> None:
        if not token_url.startswith(("http://", "https://")):
            raise ValueError(f"token_url must start with http:// or https://, got {token_url!r}")
        if not client_id or not client_secret:
            raise ValueError("client_id and client_secret must be non-empty")
        self.token_url = token_url
        self._http = http
        self._form = compact({"grant_type": "client_credentials", "client_id": client_id,
                              "client_secret": client_secret, "scope": scope})
        self._clock = clock
        self._margin = margin
        self._lock = threading.Lock()
        self._token: str | None = None
        self._expires_at: float | None = None

    def token(self, timeout: Timeout | None = None) -> str:
        with self._lock:
            now = self._clock()
            if self._token is not None and (self._expires_at is None or now < self._expires_at):
                return self._token
            token, lifetime = self._fetch(timeout)
            self._token = token
            self._expires_at = (None if lifetime is None
                                else now + lifetime - min(self._margin, lifetime / 2))
            return token

    def renew(self, failed: str) -> bool:
        with self._lock:
            if self._token == failed:
                self._token = self._expires_at = None
        return True

    def _fetch(self, timeout: Timeout | None) -> tuple[str, float | None]:
        url = self.token_url
        try:
            response = self._http.request(
                "POST", url, data=urlencode(self._form),
                headers={"Content-Type": "application/x-www-form-urlencoded",
                         "Accept": "application/json"},
                timeout=timeout,
            )
        except (ValidationError, AuthenticationError) as exc:  # OAuth2: 400 invalid_client...
            raise AuthenticationError(
                f"token request refused: {exc.message}", status=exc.status, errors=exc.errors,
                response=exc.response, method="POST", url=url,
            ) from exc
        try:
            data = decode_json(response)
        except (ValueError, UnicodeDecodeError) as exc:
            raise JanisonError(f"POST {url} -> HTTP {response.status_code}: the token "
                               f"response is not JSON ({exc})", status=response.status_code,
                               response=response, method="POST", url=url) from exc
        token = data.get("access_token")
        if not isinstance(token, str) or not token:
            raise JanisonError(f"POST {url} -> HTTP {response.status_code}: no access_token "
                               "in the token response", status=response.status_code,
                               response=response, method="POST", url=url)
        token_type = data.get("token_type")
        if token_type is not None and str(token_type).lower() != "bearer":
            log.warning("token endpoint issued a %r token; sending it as Bearer", token_type)
        lifetime = parse_int(data.get("expires_in"))
        if not isinstance(lifetime, int):
            return token, None  # no expiry given: reuse until a 401 says otherwise
        return token, float(max(0, lifetime))
