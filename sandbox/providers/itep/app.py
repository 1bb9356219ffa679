"""The iTEP Flask app, mounted at ``/itep``: the API key, iTEP's error body, the OpenAPI
document, and the score report page the webhook links to. The frame is core's."""

from __future__ import annotations

from functools import partial

from flask import Flask, jsonify
from flask.json.provider import DefaultJSONProvider

from exam_sandbox.core import request_scope
from exam_sandbox.core.auth_cache import CredentialCache
from exam_sandbox.core.errors import SandboxError
from exam_sandbox.core.provider import SandboxContext, settings_of
from exam_sandbox.core.vendor_app import VendorFrame, build_vendor_app, http_exception_renderer

from .auth import authenticate
from .errors import RULES, error_body, rule
from .openapi import INFO_DESCRIPTION, SECURITY_SCHEMES, ItepSpecPlugin
from .report import ENDPOINT as REPORT_ENDPOINT
from .report import report_bp
from .routes import BLUEPRINTS
from .schemas.assign import ItepError


class ItepJSONProvider(DefaultJSONProvider):
    sort_keys = False
    ensure_ascii = False


def render_error(error: SandboxError):
    response = jsonify(error_body(error))
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


def _unexpected() -> SandboxError:
    return SandboxError(rule("REQ-7"), status=500)


def _authenticate(provider, cache: CredentialCache) -> None:
    tenant, key = authenticate(request_scope.reader(), cache)
    request_scope.open_scope(tenant, settings_of(provider, tenant), user=key)


def create_itep_app(context: SandboxContext, provider) -> Flask:
    frame = VendorFrame(
        provider_name=provider.name,
        title="iTEP test ID provisioning (exam-sandbox)",
        version="assumed",
        description=INFO_DESCRIPTION,
        error_schema=ItepError,
        blueprints=BLUEPRINTS,
        render_error=render_error,
        render_http_exception=http_exception_renderer(RULES, render_error),
        unexpected_error=_unexpected,
        # One cache per app: two apps on two databases never share credentials.
        authenticate=partial(_authenticate, provider, CredentialCache()),
        security_schemes=SECURITY_SCHEMES,
        security=[{"apiKeyHeader": []}, {"apiKeyQuery": []}],
        public_endpoints=frozenset({REPORT_ENDPOINT}),
        json_provider=ItepJSONProvider,
        spec_plugins=(ItepSpecPlugin(),),
    )
    app = build_vendor_app(context, frame)
    app.register_blueprint(report_bp)
    return app
