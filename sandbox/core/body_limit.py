"""One size limit for every body, however it is framed.

werkzeug enforces ``MAX_CONTENT_LENGTH`` (413, each app in its own error format) from the
``Content-Length`` header. A chunked body has no such header, and what werkzeug then does
depends on the server: an empty body, or one silently cut at the limit. So a body sent
without a length is read here, up to one byte past the limit, and handed on with the
length it turned out to have: werkzeug's own check then answers 413 exactly as it does for
a body that declared its length, and a body under the limit reads as it was sent.
"""

from __future__ import annotations

import io


def _streams_a_body(environ: dict) -> bool:
    """A body framed without a length: chunked, or a server that says it ends the stream.
    Anything else without a length has no body, and reading it could block."""
    if environ.get("CONTENT_LENGTH", "").strip():
        return False
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    return chunked or bool(environ.get("wsgi.input_terminated"))


def _read_at_most(stream, size: int) -> bytes:
    parts, remaining = [], size
    while remaining > 0:
        part = stream.read(min(remaining, 64 * 1024))
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)


class LengthForStreamedBodies:
    """WSGI middleware: give a body sent without ``Content-Length`` its length, reading
    no more than ``limit + 1`` bytes of it."""

    def __init__(self, app, limit: int) -> None:
        self.app = app
        self.limit = limit

    def __call__(self, environ, start_response):
        if _streams_a_body(environ):
            body = _read_at_most(environ["wsgi.input"], self.limit + 1)
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            # The length now frames the body: werkzeug ignores CONTENT_LENGTH while a
            # chunked Transfer-Encoding is declared.
            environ.pop("HTTP_TRANSFER_ENCODING", None)
            environ.pop("wsgi.input_terminated", None)
        return self.app(environ, start_response)
