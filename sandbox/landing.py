"""The root of the sandbox: ``GET /`` says what is here, and an unknown path says so in JSON.

The landing page lists each vendor from its ``ProviderDescription`` (title, summary, the
base URL a client is given, its docs and OpenAPI document, the demo tenant's credentials)
and the sandbox's own pages: the tenants, the controls' docs and ``/health``. It names no
vendor: adding one adds a section here by itself.

A browser (which asks for ``text/html``) gets a page; anything else, curl's ``*/*``
included, gets the same content as JSON. Paths outside every vendor mount that match
nothing (and wrong methods on those that do) answer in the ``/_sandbox`` error shape,
``{"error": {"status": 404, "message": ...}}``, never Flask's HTML page: the vendors
answer their own unknown paths in their own envelopes.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import metadata

from flask import Blueprint, Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from .core.demo import DEMO_TENANT_ID
from .core.description import ProviderDescription
from .core.guard import token_presented

ADMIN = "/_sandbox"
CONSOLE = "/console"
# The tenants the page links to the console of; the console lists them all.
TENANTS_LISTED = 20


def _version() -> str | None:
    try:
        return metadata.version("exam-sandbox")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return None


def landing(root: str, descriptions: list[ProviderDescription]) -> dict:
    """What the landing page shows, with absolute URLs under ``root`` (no trailing /)."""
    return {
        "name": "exam-sandbox",
        "version": _version(),
        "url": root + "/",
        "summary": "An offline sandbox of e-assessment vendors' scheduling APIs: each "
        "vendor's own paths, envelopes, errors and status codes, one isolated tenant per "
        "test.",
        "providers": [
            {
                "name": d.name,
                "title": d.title,
                "summary": d.summary,
                "base_url": root + d.client_base_path,
                "api_url": root + d.api_path,
                "docs": root + d.docs_path + "/",
                "openapi": root + d.openapi_path,
                "demo_credentials": dict(d.demo_credentials),
            }
            for d in descriptions
        ],
        "demo_tenant": DEMO_TENANT_ID,
        "sandbox": {
            "tenants": f"{root}{ADMIN}/tenants",
            "demo_tenant": f"{root}{ADMIN}/tenants/{DEMO_TENANT_ID}",
            "docs": f"{root}{ADMIN}/docs",
            "openapi": f"{root}{ADMIN}/openapi.json",
            "console": f"{root}{CONSOLE}",
            "demo_console": f"{root}{CONSOLE}/tenants/{DEMO_TENANT_ID}",
        },
        "health": f"{root}/health",
    }


def console_open() -> bool:
    token = current_app.extensions["exam_sandbox"].config.admin_token
    return token is None or token_presented(request.headers, token)


def wants_html() -> bool:
    """True for a browser: it names ``text/html`` and likes it at least as well as JSON.
    curl's ``*/*`` and a client asking for ``application/json`` get JSON."""
    accept = request.accept_mimetypes
    named = any(value == "text/html" for value, quality in accept if quality > 0)
    return named and accept["text/html"] >= accept["application/json"]


def error_body(status: int, message: str):
    """The ``/_sandbox`` error shape."""
    response = jsonify({"error": {"status": status, "message": message}})
    response.status_code = status
    return response


def install_landing(
    app: Flask,
    descriptions: list[ProviderDescription],
    tenants: Callable[[int], tuple[list[str], int]] | None = None,
) -> None:
    """``GET /`` and JSON errors for every path the root app answers. ``tenants(n)``
    gives the first ``n`` tenant ids and how many there are, for the page's links into
    the console (listed only where the console itself would answer: no admin token is
    set, or the browser presents it)."""
    # The blueprint carries the template folder: the root app's import name is not a
    # module, so Flask could not find templates next to it.
    bp = Blueprint("landing", __name__, template_folder="templates")

    @bp.get("/")
    def index():
        content = landing(request.host_url.rstrip("/"), descriptions)
        if wants_html():
            shown, total = ([], 0)
            if tenants is not None and console_open():
                shown, total = tenants(TENANTS_LISTED)
            return render_template(
                "exam_sandbox/landing.html", **content, tenants=shown, tenant_total=total
            )
        return jsonify(content)

    app.register_blueprint(bp)

    # By status, not by HTTPException: a blueprint's own handlers (the controls') still
    # come first, and any app-wide HTTPException handler keeps the other statuses.
    app.register_error_handler(404, _not_found)
    app.register_error_handler(405, _method_not_allowed)


def _message(error: HTTPException) -> str:
    # flask-smorest's abort(..., message=...) puts its message in ``data``.
    data = getattr(error, "data", None)
    given = data.get("message") if isinstance(data, dict) else None
    return given or error.description or error.name


def _not_found(error: HTTPException):
    if request.url_rule is not None:  # a route that exists said "not found": its words
        return error_body(404, _message(error))
    return error_body(
        404, f"No such path: {request.path}. What the sandbox serves is listed at "
        f"{request.host_url}"
    )


def _method_not_allowed(error: HTTPException):
    response = error_body(405, f"{request.method} is not allowed on {request.path}")
    allowed = getattr(error, "valid_methods", None)
    if allowed:
        response.headers["Allow"] = ", ".join(sorted(allowed))
    return response
