"""``/_sandbox``: controls over tenants, in plain JSON (never a vendor's shape).

Tenants, their clocks, each vendor's site settings, the journal and reset. A vendor adds
its own controls (e.g. Surpass users) through ``Provider.admin_blueprint``.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from ..core import journal
from ..core.bodies import control_json
from ..core.clock import format_instant
from ..core.errors import ErrorDetail, NotFound, SandboxError
from ..core.provider import Provider, SandboxContext, settings_of
from ..core.tenant_service import TenantService
from ..core.tenants import list_tenant_ids
from .schemas import ClockUpdateSchema, JournalQuerySchema, TenantCreateSchema


def _error(status: int, message: str, details=None):
    body = {"error": {"status": status, "message": message}}
    if details:
        body["error"]["details"] = details
    return jsonify(body), status


def _body(schema):
    payload = control_json(request.get_data(), is_json=request.is_json)
    try:
        return schema.load(payload)
    except ValidationError as exc:
        raise _AdminValidation(exc.messages) from exc


class _AdminValidation(Exception):
    def __init__(self, messages):
        super().__init__("Invalid request body")
        self.messages = messages


def clock_view(tenant) -> dict:
    clock = tenant.clock
    return {"now": format_instant(clock.now()), "frozen": clock.frozen}


def create_admin_blueprint(context: SandboxContext, providers: list[Provider]) -> Blueprint:
    bp = Blueprint("sandbox_admin", __name__, url_prefix="/_sandbox")
    service = TenantService(providers)
    by_name = {p.name: p for p in providers}
    db = context.db

    @bp.errorhandler(SandboxError)
    def _sandbox_error(exc: SandboxError):
        return _error(exc.status, exc.message)

    @bp.errorhandler(_AdminValidation)
    def _validation(exc: _AdminValidation):
        return _error(400, str(exc), exc.messages)

    @bp.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        return _error(exc.code or 500, exc.description or exc.name)

    def tenant_view(tenant) -> dict:
        return {
            "tenant": tenant.id,
            "seed": tenant.seed,
            "credentials": service.credentials(tenant),
            "clock": clock_view(tenant),
        }

    @bp.get("/tenants")
    def list_tenants():
        with db.session(write=False) as session:
            return jsonify(tenants=list_tenant_ids(session))

    @bp.post("/tenants")
    def create_tenant():
        args = _body(TenantCreateSchema())
        with db.session(write=True) as session:
            tenant = service.create(session, seed=args.get("seed"), tenant_id=args.get("tenant"))
            view = tenant_view(tenant)
        return jsonify(view), 201

    @bp.get("/tenants/<tenant_id>")
    def get_tenant(tenant_id: str):
        with db.session(write=False) as session:
            return jsonify(tenant_view(service.require(session, tenant_id)))

    @bp.delete("/tenants/<tenant_id>")
    def delete_tenant(tenant_id: str):
        with db.session(write=True) as session:
            service.delete(session, tenant_id)
        return "", 204

    @bp.post("/tenants/<tenant_id>/reset")
    def reset_tenant(tenant_id: str):
        with db.session(write=True) as session:
            return jsonify(tenant_view(service.reset(session, tenant_id)))

    @bp.get("/tenants/<tenant_id>/clock")
    def get_clock(tenant_id: str):
        with db.session(write=False) as session:
            return jsonify(clock_view(service.require(session, tenant_id)))

    @bp.put("/tenants/<tenant_id>/clock")
    def put_clock(tenant_id: str):
        change = _body(ClockUpdateSchema())
        with db.session(write=True) as session:
            tenant = service.require(session, tenant_id)
            clock = tenant.clock
            if "now" in change:
                clock = clock.frozen_at_instant(change["now"])
            if "advance_seconds" in change:
                clock = clock.advanced(change["advance_seconds"])
            if change.get("frozen") is False:
                clock = clock.running()
            elif change.get("frozen") is True and not clock.frozen:
                clock = clock.frozen_now()
            tenant.clock = clock
            return jsonify(clock_view(tenant))

    def _provider(name: str) -> Provider:
        if name not in by_name:
            raise NotFound(ErrorDetail(404, f"No provider '{name}'"))
        return by_name[name]

    @bp.get("/tenants/<tenant_id>/settings/<provider_name>")
    def get_settings(tenant_id: str, provider_name: str):
        provider = _provider(provider_name)
        with db.session(write=False) as session:
            return jsonify(settings_of(provider, service.require(session, tenant_id)))

    @bp.patch("/tenants/<tenant_id>/settings/<provider_name>")
    def patch_settings(tenant_id: str, provider_name: str):
        provider = _provider(provider_name)
        changes = _body(provider.settings_schema(partial=True))
        # Only the fields the caller sent: the schema's defaults must not overwrite.
        sent = request.get_json(silent=True) or {}
        changes = {k: v for k, v in changes.items() if k in sent}
        with db.session(write=True) as session:
            tenant = service.require(session, tenant_id)
            merged = {**tenant.settings_for(provider.name), **changes}
            tenant.replace_settings(provider.name, merged)
            return jsonify(settings_of(provider, tenant))

    @bp.get("/tenants/<tenant_id>/journal")
    def get_journal(tenant_id: str):
        try:
            query = JournalQuerySchema().load(request.args)
        except ValidationError as exc:
            raise _AdminValidation(exc.messages) from exc
        with db.session(write=False) as session:
            service.require(session, tenant_id)
            found = journal.entries(session, tenant_id, limit=context.config.journal_limit, **query)
        return jsonify(entries=found, count=len(found))

    @bp.delete("/tenants/<tenant_id>/journal")
    def clear_journal(tenant_id: str):
        with db.session(write=True) as session:
            service.require(session, tenant_id)
            removed = journal.clear(session, tenant_id)
        return jsonify(removed=removed)

    for provider in providers:
        extra = provider.admin_blueprint(context)
        if extra is not None:
            bp.register_blueprint(extra, url_prefix=f"/tenants/<tenant_id>/{provider.name}")
    return bp
