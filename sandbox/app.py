"""``create_app(config) -> Flask``: the root app with the landing page (``/``), ``/health``,
``/_sandbox`` and the console (``/console``), and every vendor's own Flask app mounted
under ``/<vendor>``.

Each vendor is a separate Flask app behind werkzeug's ``DispatcherMiddleware`` so that it
owns everything a real vendor owns: its OpenAPI document, its error envelope (even for a
path it does not know) and its URL space. They share one ``Database``.
"""

from __future__ import annotations

import os

from flask import Flask, jsonify
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from .admin.api import install_admin
from .console import install_console
from .core.body_limit import LengthForStreamedBodies
from .core.db import Database, sqlite_url_for
from .core.guard import install_guard
from .core.provider import Provider, SandboxConfig, SandboxContext
from .core.tenant_service import TenantService
from .core.tenants import first_tenants
from .landing import install_landing
from .migrations.schema import SchemaChange, bring_to_head, require_head
from .providers import all_providers


def default_config(**overrides) -> SandboxConfig:
    if "database_url" not in overrides:
        overrides["database_url"] = sqlite_url_for(None)
    return SandboxConfig(**overrides)


def prepare_database(
    config: SandboxConfig, providers: list[Provider] | None = None, *, migrate: bool = True
) -> SchemaChange:
    """Bring the schema to the newest revision (creating, adopting or upgrading it) and
    ensure the demo tenant; run once, before any worker serves. Says what the schema
    needed. ``migrate=False`` changes no schema and fails unless it is the newest
    (``schema.SchemaNotCurrent``). Replicas starting at once on one database are safe
    either way: the schema changes, and the demo tenant is made, under the writers'
    lock, so the later ones find what the first one made."""
    providers = providers if providers is not None else all_providers()
    db = Database(config.database_url)
    try:
        change = bring_to_head(db) if migrate else require_head(db)
        with db.session(write=True) as session:
            TenantService(providers).ensure_demo(session, seed=config.default_seed)
    finally:
        db.dispose()
    return change


def create_app(
    config: SandboxConfig | None = None,
    *,
    providers: list[Provider] | None = None,
    prepare: bool = True,
) -> Flask:
    config = config or default_config()
    providers = providers if providers is not None else all_providers()
    if prepare:
        prepare_database(config, providers)

    context = SandboxContext(db=Database(config.database_url), config=config)
    app = Flask("exam-sandbox")
    app.config["MAX_CONTENT_LENGTH"] = config.max_body_bytes
    app.extensions["exam_sandbox"] = context
    # Host of every root request; Origin, Content-Type and token of /_sandbox controls.
    install_guard(app, config)

    @app.get("/health")
    def health():
        # ``worker``: the process that answered (one of ``serve``'s workers), so a
        # supervisor or a test can tell that every worker is up.
        return jsonify(status="ok", providers=[p.name for p in providers], worker=os.getpid())

    # GET / lists what is served; unknown paths outside the vendors answer 404 in JSON.
    def first_tenant_ids(limit: int) -> tuple[list[str], int]:
        with context.db.session(write=False) as session:
            shown, total = first_tenants(session, limit)
            return [t.id for t in shown], total

    install_landing(app, [p.description for p in providers], first_tenant_ids)

    install_admin(app, context, providers)  # /_sandbox, its openapi.json and docs
    install_console(app, context, providers)  # /console: the pages a demo is shown on
    mounts = {f"/{p.name}": p.create_app(context) for p in providers}
    app.wsgi_app = DispatcherMiddleware(app.wsgi_app, mounts)
    # Outermost, so chunked bodies meet the same size limit in every mounted app.
    app.wsgi_app = LengthForStreamedBodies(app.wsgi_app, config.max_body_bytes)
    if prepare:
        # An app that prepared its own database serves it: deliveries left pending by an
        # earlier run go out now. (Workers of `serve` are built unprepared and resume in
        # sandbox/wsgi.py, after the fork: a thread would not survive it.)
        context.webhooks.resume()
    return app
