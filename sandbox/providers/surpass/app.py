"""The Surpass API v2 Flask app, mounted at ``/surpass``: auth, envelopes, OpenAPI."""

from __future__ import annotations

from functools import partial

from flask import Flask, g, jsonify, request

from exam_sandbox.core import request_scope
from exam_sandbox.core.auth_cache import CredentialCache
from exam_sandbox.core.envelopes import NULL_PAGING
from exam_sandbox.core.errors import SandboxError
from exam_sandbox.core.provider import SandboxContext, settings_of
from exam_sandbox.core.vendor_app import VendorFrame, build_vendor_app, http_exception_renderer

from .auth import authenticate
from .errors import RULES, errors_list, rule
from .openapi import INFO_DESCRIPTION, SurpassSpecPlugin
from .paging import server_time_zone
from .routes import BLUEPRINTS
from .schemas.common import ErrorEnvelope
from .settings import SurpassSettingsSchema
from .wire import SurpassJSONProvider


def render_error(error: SandboxError):
    """A Surpass error body: the envelope of the operation with its data fields null."""
    if request.method in ("GET", "HEAD"):
        body = {
            **NULL_PAGING,
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


def _authenticate(provider, cache: CredentialCache) -> None:
    user, tenant = authenticate(request_scope.reader(), cache)
    scope = request_scope.open_scope(tenant, settings_of(provider, tenant), user=user)
    g.surpass_settings = scope.settings  # for the edge's paging and XML parsing


def _unexpected() -> SandboxError:
    detail = rule("REQ-1", field="server", problem="An unexpected error occurred")
    return SandboxError(detail, status=500)


def create_surpass_app(context: SandboxContext, provider) -> Flask:
    frame = VendorFrame(
        provider_name=provider.name,
        title="Surpass API v2 (exam-sandbox)",
        version="v2",
        description=INFO_DESCRIPTION,
        error_schema=ErrorEnvelope,
        blueprints=BLUEPRINTS,
        render_error=render_error,
        render_http_exception=http_exception_renderer(RULES, render_error),
        unexpected_error=_unexpected,
        # One cache per app: two apps on two databases never share credentials.
        authenticate=partial(_authenticate, provider, CredentialCache()),
        security_schemes={"basic": {"type": "http", "scheme": "basic"}},
        security=[{"basic": []}],
        # ASP.NET routes ignore case; Werkzeug's don't: canonicalise /api/v2/<Resource>.
        case_insensitive=("api", "v2"),
        json_provider=SurpassJSONProvider,
        spec_plugins=(SurpassSpecPlugin(),),
    )
    app = build_vendor_app(context, frame)
    app.extensions["surpass_settings_schema"] = SurpassSettingsSchema
    return app
