"""The Cirrus Flask app, mounted at ``/cirrus``: EAPI auth, Cirrus's two envelopes, the
OpenAPI document, and the launch page. The frame is core's (``build_vendor_app``)."""

from __future__ import annotations

from functools import partial

from flask import Flask, g
from flask.json.provider import DefaultJSONProvider

from exam_sandbox.core import request_scope
from exam_sandbox.core.auth_cache import CredentialCache
from exam_sandbox.core.errors import SandboxError
from exam_sandbox.core.provider import SandboxContext, settings_of
from exam_sandbox.core.vendor_app import VendorFrame, build_vendor_app, http_exception_renderer

from .auth import authenticate
from .envelopes import render_error
from .errors import RULES, rule
from .launch import ENDPOINT as LAUNCH_ENDPOINT
from .launch import launch_bp
from .openapi import INFO_DESCRIPTION, SECURITY_SCHEMES, CirrusSpecPlugin
from .routes import BLUEPRINTS
from .schemas.common import ContentError


class CirrusJSONProvider(DefaultJSONProvider):
    sort_keys = False  # bodies keep the documented field order
    ensure_ascii = False


def _unexpected() -> SandboxError:
    return SandboxError(rule("REQ-7"), status=500)


def _authenticate(provider, cache: CredentialCache) -> None:
    tenant, token = authenticate(request_scope.reader(), cache)
    scope = request_scope.open_scope(tenant, settings_of(provider, tenant))
    g.cirrus_settings = scope.settings  # the envelope an error is answered in
    g.cirrus_token = token  # /results counts calls per token


def create_cirrus_app(context: SandboxContext, provider) -> Flask:
    frame = VendorFrame(
        provider_name=provider.name,
        title="Cirrus Assessment integrations API (exam-sandbox)",
        version="v1",
        description=INFO_DESCRIPTION,
        error_schema=ContentError,
        blueprints=BLUEPRINTS,
        render_error=render_error,
        render_http_exception=http_exception_renderer(RULES, render_error),
        unexpected_error=_unexpected,
        # One cache per app: two apps on two databases never share credentials.
        authenticate=partial(_authenticate, provider, CredentialCache()),
        security_schemes=SECURITY_SCHEMES,
        security=[{"eapi": []}],
        public_endpoints=frozenset({LAUNCH_ENDPOINT}),
        # ASP.NET routes ignore case: /API/v1/Integrations/Schedule is /schedule.
        case_insensitive=("api", "v1", "integrations"),
        json_provider=CirrusJSONProvider,
        spec_plugins=(CirrusSpecPlugin(),),
    )
    app = build_vendor_app(context, frame)
    app.register_blueprint(launch_bp)
    return app
