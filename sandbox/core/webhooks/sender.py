"""One attempt: POST the exact body to the receiver, signed, with short timeouts.

A 2xx answer is a delivery; any other status, a refused connection, a timeout or any
other transport error is a failed attempt, listed with what happened. Redirects are not
followed (a 3xx is a failure, as it is for most webhook senders), and the answer's body
is not read: only its status matters.
"""

from __future__ import annotations

from dataclasses import dataclass

from .signing import SIGNATURE_HEADER, signature

USER_AGENT = "exam-sandbox-webhooks/1"
ERROR_TEXT_LIMIT = 300


@dataclass(frozen=True)
class Timeouts:
    connect: float = 3.0
    read: float = 5.0


def send(
    url: str,
    body: bytes,
    content_type: str,
    webhook_secret: str,
    timeouts: Timeouts,
    *,
    headers: dict[str, str] | None = None,
) -> dict:
    """Make one attempt; ``{"status": int}`` or ``{"error": str}``."""
    import requests  # here: a sandbox that sends no webhook never pays for importing it

    sent = {
        "Content-Type": content_type,
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: signature(webhook_secret, body),
        **(headers or {}),
    }
    try:
        response = requests.post(
            url,
            data=body,
            headers=sent,
            timeout=(timeouts.connect, timeouts.read),
            allow_redirects=False,
            stream=True,  # the status is all we want: the body is never read
        )
    except requests.Timeout as exc:
        return {"error": _text("timeout", exc)}
    except requests.ConnectionError as exc:
        return {"error": _text("connection failed", exc)}
    except requests.RequestException as exc:  # an invalid URL, too many headers ...
        return {"error": _text(type(exc).__name__, exc)}
    try:
        return {"status": response.status_code}
    finally:
        response.close()


def _text(kind: str, exc: Exception) -> str:
    detail = str(exc)
    return f"{kind}: {detail}"[:ERROR_TEXT_LIMIT] if detail else kind
