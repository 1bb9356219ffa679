"""The frame every vendor's Flask app shares: flask-smorest with the vendor's error
schema, one database session per request, authentication before any route, every error
(typed, HTTP or unexpected) rendered in the vendor's own envelope, and offline docs.

A vendor describes itself in a ``VendorFrame`` and calls ``build_vendor_app``; what stays
in the vendor package is only what differs: its renderer, its auth, its blueprints.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask import Flask, Response, request
from flask.json.provider import JSONProvider
from flask_smorest import Api
from marshmallow import Schema
from werkzeug.exceptions import HTTPException

from . import request_scope
from .docs import docs_blueprint
from .errors import SandboxError
from .guard import host_guard
from .provider import SandboxContext
from .rules import http_error

log = logging.getLogger(__name__)
# Served without authentication: the OpenAPI document and the interactive docs.
OPENAPI_ENDPOINTS = frozenset({"api-docs.openapi_json", "static"})
DOCS_PREFIX = "interactive_docs."


@dataclass(frozen=True)
class VendorFrame:
    """What a vendor app is made of.

    ``authenticate`` runs before every route but the docs and ``public_endpoints``; it
    binds the request to a tenant (``request_scope.bind_tenant``) or raises.
    ``unexpected_error`` is the error a crash is answered with (status 500).
    ``case_insensitive`` names the path segments under which resource names are matched
    without regard to case (e.g. ``("api", "v2")``), as ASP.NET routes are.
    """

    provider_name: str
    title: str
    version: str
    description: str
    error_schema: type[Schema]
    blueprints: list
    render_error: Callable[[SandboxError], Response]
    render_http_exception: Callable[[HTTPException], Response]
    unexpected_error: Callable[[], SandboxError]
    authenticate: Callable[[], None]
    security_schemes: dict = field(default_factory=dict)
    security: list = field(default_factory=list)
    public_endpoints: frozenset[str] = frozenset()
    case_insensitive: tuple[str, ...] | None = None
    json_provider: type[JSONProvider] | None = None
    # apispec plugins that add to the OpenAPI document what the schemas cannot say.
    spec_plugins: tuple = ()


def http_exception_renderer(rules, render_error: Callable[[SandboxError], Response]):
    """``VendorFrame.render_http_exception`` for a vendor whose book names the request
    rules (``rules.http_error``): a werkzeug error rendered in the vendor's envelope."""

    def render_http_exception(error: HTTPException) -> Response:
        return render_error(
            http_error(
                rules,
                error.code or 500,
                method=request.method,
                uri=request.url,
                allowed=getattr(error, "valid_methods", None),
                description=error.description or error.name,
            )
        )

    return render_http_exception


class CaseInsensitiveResources:
    """Canonicalise ``/<prefix...>/<Resource>``: the prefix segments and the resource name
    are matched without regard to case; the rest of the path is left alone."""

    def __init__(self, app, prefix: tuple[str, ...], resources: Iterable[str]):
        self.app = app
        self.prefix = tuple(p.lower() for p in prefix)
        self.canonical = {r.lower(): r for r in resources}

    def __call__(self, environ, start_response):
        parts = environ.get("PATH_INFO", "").split("/")
        depth = len(self.prefix)
        head = [part.lower() for part in parts[1 : depth + 1]]
        if len(parts) >= depth + 2 and tuple(head) == self.prefix:
            parts[1 : depth + 1] = self.prefix
            parts[depth + 1] = self.canonical.get(parts[depth + 1].lower(), parts[depth + 1])
            environ["PATH_INFO"] = "/".join(parts)
        return self.app(environ, start_response)


def build_vendor_app(context: SandboxContext, frame: VendorFrame) -> Flask:
    app = Flask(f"exam-sandbox.{frame.provider_name}")
    if frame.json_provider is not None:
        app.json = frame.json_provider(app)
    spec_options: dict = {"info": {"description": frame.description}}
    if frame.security_schemes:
        spec_options["components"] = {"securitySchemes": frame.security_schemes}
    if frame.security:
        spec_options["security"] = frame.security
    spec_options["servers"] = [{"url": f"/{frame.provider_name}"}]
    app.config.update(
        MAX_CONTENT_LENGTH=context.config.max_body_bytes,
        API_TITLE=frame.title,
        API_VERSION=frame.version,
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS=spec_options,
    )
    # Before the request scope opens a session: a foreign Host (DNS rebinding) is refused
    # in the vendor's own envelope, and no database work is done for it.
    app.before_request(host_guard(context.config))
    request_scope.install(app, context, frame.provider_name)

    @app.before_request
    def _authenticate() -> None:
        endpoint = request.endpoint or ""
        if (
            endpoint in OPENAPI_ENDPOINTS
            or endpoint in frame.public_endpoints
            or endpoint.startswith(DOCS_PREFIX)
        ):
            return
        frame.authenticate()

    class VendorApi(Api):
        ERROR_SCHEMA = frame.error_schema
        DEFAULT_ERROR_RESPONSE_NAME = "DEFAULT_ERROR"

        def handle_http_exception(self, error: HTTPException):
            return frame.render_http_exception(error)

    api = VendorApi(app, spec_kwargs={"extra_plugins": list(frame.spec_plugins)})
    for blueprint in frame.blueprints:
        api.register_blueprint(blueprint)
    app.register_blueprint(docs_blueprint(title=frame.title))
    app.register_error_handler(SandboxError, frame.render_error)
    app.register_error_handler(HTTPException, frame.render_http_exception)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unexpected error in the %s sandbox", frame.provider_name)
        return frame.render_error(frame.unexpected_error())

    if frame.case_insensitive is not None:
        app.wsgi_app = CaseInsensitiveResources(
            app.wsgi_app, frame.case_insensitive, [b.resource for b in frame.blueprints]
        )
    return app
