"""The Surpass API v2 Flask app, mounted at ``/surpass``: auth, envelopes, OpenAPI."""

from __future__ import annotations

import logging

from flask import Flask, g, jsonify, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from sandbox.core import request_scope
from sandbox.core.docs import docs_blueprint
from sandbox.core.errors import SandboxError
from sandbox.core.provider import SandboxContext, settings_of

from .auth import authenticate
from .errors import errors_list, method_not_allowed, rule
from .paging import server_time_zone
from .routes import BLUEPRINTS
from .schemas.common import ErrorEnvelope
from .settings import SurpassSettingsSchema
from .wire import SurpassJSONProvider

log = logging.getLogger(__name__)
OPENAPI_ENDPOINTS = {"api-docs.openapi_json", "static"}
DOCS_PREFIX = "interactive_docs."
SPEC_INFO = {
    "description": (
        "Surpass API v2 scheduling, as served by exam-sandbox. Paths, envelopes and rules "
        "follow the vendor; what is assumed is listed in docs/providers/surpass.md."
    ),
    "components": {"securitySchemes": {"basic": {"type": "http", "scheme": "basic"}}},
    "security": [{"basic": []}],
}


class SurpassApi(Api):
    ERROR_SCHEMA = ErrorEnvelope
    DEFAULT_ERROR_RESPONSE_NAME = "DEFAULT_ERROR"

    def handle_http_exception(self, error: HTTPException):
        return render_http_exception(error)


def render_error(error: SandboxError):
    """A Surpass error body: the envelope of the operation with its data fields null."""
    if request.method in ("GET", "HEAD"):
        body = {
            "count": None,
            "top": None,
            "skip": None,
            "pageCount": None,
            "nextPageLink": None,
            "prevPageLink": None,
            "response": None,
        }
    else:
        body = {"id": None, "href": None}
    body["errors"] = errors_list(error)
    body["serverTimeZone"] = server_time_zone()
    response = jsonify(body)
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


def render_http_exception(error: HTTPException):
    status = error.code or 500
    if status == 404:
        detail = rule("REQ-6", uri=request.url)
    elif status == 405:
        return render_error(method_not_allowed(request.method))
    elif status == 413:
        detail = rule("REQ-3")
    else:
        detail = rule("REQ-1", field="request", problem=error.description or error.name)
    return render_error(SandboxError(detail, status=status))


class CaseInsensitiveResources:
    """ASP.NET routes ignore case; Werkzeug's don't. Canonicalise ``/api/v2/<Resource>``."""

    def __init__(self, app, resources: list[str]):
        self.app = app
        self.canonical = {r.lower(): r for r in resources}

    def __call__(self, environ, start_response):
        parts = environ.get("PATH_INFO", "").split("/")
        if len(parts) >= 4 and parts[1].lower() == "api" and parts[2].lower() == "v2":
            parts[1], parts[2] = "api", "v2"
            parts[3] = self.canonical.get(parts[3].lower(), parts[3])
            environ["PATH_INFO"] = "/".join(parts)
        return self.app(environ, start_response)


def create_surpass_app(context: SandboxContext, provider) -> Flask:
    app = Flask("exam-sandbox.surpass")
    app.json = SurpassJSONProvider(app)
    app.config.update(
        MAX_CONTENT_LENGTH=context.config.max_body_bytes,
        API_TITLE="Surpass API v2 (exam-sandbox)",
        API_VERSION="v2",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={**SPEC_INFO, "servers": [{"url": "/surpass"}]},
    )
    request_scope.install(app, context, provider.name)

    @app.before_request
    def _authenticate() -> None:
        endpoint = request.endpoint or ""
        if endpoint in OPENAPI_ENDPOINTS or endpoint.startswith(DOCS_PREFIX):
            return
        user, tenant = authenticate(request_scope.session())
        request_scope.bind_tenant(tenant)
        g.surpass_user = user
        g.surpass_settings = settings_of(provider, tenant)
        g.surpass_now = tenant.clock.now()

    api = SurpassApi(app)
    for blueprint in BLUEPRINTS:
        api.register_blueprint(blueprint)
    app.register_blueprint(docs_blueprint(title="Surpass API v2 (exam-sandbox)"))
    app.register_error_handler(SandboxError, render_error)
    app.register_error_handler(HTTPException, render_http_exception)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unexpected error in the Surpass sandbox")
        detail = rule("REQ-1", field="server", problem="An unexpected error occurred")
        return render_error(SandboxError(detail, status=500))

    app.wsgi_app = CaseInsensitiveResources(app.wsgi_app, [b.resource for b in BLUEPRINTS])
    app.extensions["surpass_settings_schema"] = SurpassSettingsSchema
    return app
