"""Cirrus's two envelopes (interface page, "Error bodies").

* The Content envelope, ``{"Content": ..., "Success": bool, "Errors": null | [...]}``:
  every answer of /assessment, /external/schedule and /results errors.
* The ASP.NET shape on POST /schedule and /schedule/add-candidates: a bare success
  (``{"Result", "Schedule", "Candidates"}``) and ``{"Message": "Bad request | <text>"}``
  (what a real client parses). The site setting ``errorEnvelope: "content"`` switches
  both to the Content envelope, successes included.
"""

from __future__ import annotations

from flask import g, jsonify, request

from exam_sandbox.core.errors import SandboxError

from .errors import messages

# The operations that answer in the ASP.NET shape (paths inside the Cirrus app).
MESSAGE_PATHS = frozenset(
    {"/api/v1/integrations/schedule", "/api/v1/integrations/schedule/add-candidates"}
)
DEFAULT_ENVELOPE = "message"


def message_shaped() -> bool:
    """Whether this request is answered in the ASP.NET shape: a /schedule operation on a
    site whose ``errorEnvelope`` is "message" (the default, also before auth)."""
    if request.path.rstrip("/").lower() not in MESSAGE_PATHS:
        return False
    settings = getattr(g, "cirrus_settings", None)
    return (settings or {}).get("errorEnvelope", DEFAULT_ENVELOPE) == "message"


def content(value) -> dict:
    return {"Content": value, "Success": True, "Errors": None}


def scheduled(body: dict) -> dict:
    """A /schedule success in the shape the site answers."""
    return body if message_shaped() else content(body)


def render_error(error: SandboxError):
    texts = messages(error)
    if message_shaped():
        text = texts[0]
        body = {"Message": f"Bad request | {text}" if error.status == 400 else text}
    else:
        body = {"Content": None, "Success": False, "Errors": texts}
    response = jsonify(body)
    response.status_code = error.status
    response.headers.update(error.headers)
    return response
