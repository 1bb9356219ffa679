"""Vendor-neutral handling of a vendor's response envelope: decode it, raise its errors.

Both vendors answer with an envelope whose ``errors`` list may be filled even on a 2xx;
that is still a failure. A vendor supplies how to decode a body and read its errors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import requests

from exam_sandbox.client.core.errors import ApiError, ErrorDetail
from exam_sandbox.client.core.http import ErrorParser, HttpClient

__all__ = ["Decode", "ReadErrors", "error_parser_for", "read_envelope"]

Decode = Callable[[requests.Response], dict[str, Any]]
ReadErrors = Callable[[Mapping[str, Any]], list[ErrorDetail]]


def error_parser_for(decode: Decode, errors: ReadErrors) -> ErrorParser:
    """For the transport: the errors of an error response, ``[]`` if none can be read."""

    def error_parser(response: requests.Response) -> list[ErrorDetail]:
        try:
            return errors(decode(response))
        except (ValueError, UnicodeDecodeError):
            return []

    return error_parser


def read_envelope(
    http: HttpClient,
    response: requests.Response,
    method: str,
    *,
    decode: Decode,
    errors: ReadErrors,
    vendor: str,
    status_codes: bool = False,
) -> dict[str, Any]:
    """The envelope of a 2xx ``response``, or the error it carries raised.

    A body that does not decode raises the client's base error; a non-empty ``errors``
    list raises a validation error, or with ``status_codes`` the kind whose HTTP status
    the first error's code is (when it is one, ``>= 400``).
    """
    kinds = http.error_types
    try:
        envelope = decode(response)
    except (ValueError, UnicodeDecodeError) as exc:
        raise kinds.base(
            f"{method} {response.url} -> HTTP {response.status_code}: "
            f"the body is not a {vendor} envelope ({exc})",
            status=response.status_code, response=response, method=method,
            url=response.url,
        ) from exc
    details = errors(envelope)
    if not details:
        return envelope
    cls: type[ApiError] = kinds.validation
    code = details[0].code
    if status_codes and isinstance(code, int) and not isinstance(code, bool) and code >= 400:
        kind = kinds.for_status(code)
        if kind is not kinds.base:
            cls = kind
    raise http.make_error(response.status_code, details, response=response, method=method,
                          url=response.url, cls=cls)
