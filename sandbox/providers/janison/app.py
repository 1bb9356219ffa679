"""The Janison Insights Flask app, mounted at ``/janison``: APIM auth, Janison's
envelopes, the OpenAPI document. The frame is core's (``build_vendor_app``)."""

from __future__ import annotations

from functools import partial

from flask import Flask, g, jsonify, request
from flask.json.provider import DefaultJSONProvider

from exam_sandbox.core import request_scope
from exam_sandbox.core.auth_cache import CredentialCache
from exam_sandbox.core.envelopes import NULL_PAGING
from exam_sandbox.core.errors import SandboxError
from exam_sandbox.core.provider import SandboxContext, settings_of
from exam_sandbox.core.vendor_app import VendorFrame, build_vendor_app, http_exception_renderer

from .auth import KEY_HEADER, authenticate
from .errors import RULES, ApimError, OAuthError, errors_list, rule
from .openapi import INFO_DESCRIPTION, JanisonSpecPlugin
from .routes import BLUEPRINTS
from .schemas.common import ErrorEnvelope

SECURITY_SCHEMES = {
    "subscriptionKey": {"type": "apiKey", "in": "header", "name": KEY_HEADER},
    "bearer": {"type": "http", "scheme": "bearer"},
}


class JanisonJSONProvider(DefaultJSONProvider):
    sort_keys = False  # bodies keep the seed's field order
    ensure_ascii = False


def render_error(error: SandboxError):
    """A Janison error body: the operation's envelope with its data fields null; APIM's
    body for auth failures, OAuth2's for the token endpoint."""
    if isinstance(error, ApimError):
        body = {"statusCode": error.status, "message": error.message}
    elif isinstance(error, OAuthError):
        body = {"error": error.error, "error_description": error.description}
    elif request.method in ("GET", "HEAD"):
        body = {**NULL_PAGING, "response": None, "errors": errors_list(error)}
    else:
        body = {"id": None, "href": None, "errors": errors_list(error)}
    response = jsonify(body)
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


def _unexpected() -> SandboxError:
    return SandboxError(rule("REQ-7"), status=500)


def _authenticate(provider, cache: CredentialCache) -> None:
    if request.path.startswith("/oauth2/"):
        return  # the token endpoint is Azure AD's, not behind APIM (any verb)
    tenant = authenticate(request_scope.reader(), cache)
    scope = request_scope.open_scope(tenant, settings_of(provider, tenant))
    g.janison_settings = scope.settings  # for the edge's paging


def create_janison_app(context: SandboxContext, provider) -> Flask:
    frame = VendorFrame(
        provider_name=provider.name,
        title="Janison Insights event scheduling (exam-sandbox)",
        version="assumed",
        description=INFO_DESCRIPTION,
        error_schema=ErrorEnvelope,
        blueprints=BLUEPRINTS,
        render_error=render_error,
        render_http_exception=http_exception_renderer(RULES, render_error),
        unexpected_error=_unexpected,
        # One cache per app: two apps on two databases never share credentials.
        authenticate=partial(_authenticate, provider, CredentialCache()),
        security_schemes=SECURITY_SCHEMES,
        security=[{"subscriptionKey": [], "bearer": []}],
        public_endpoints=frozenset({"oauth2.Token"}),
        case_insensitive=("api",),
        json_provider=JanisonJSONProvider,
        spec_plugins=(JanisonSpecPlugin(),),
    )
    app = build_vendor_app(context, frame)
    app.extensions["janison_provider"] = provider
    return app
