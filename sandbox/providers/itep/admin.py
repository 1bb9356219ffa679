"""iTEP's controls, under ``/_sandbox/tenants/<id>/itep`` (interface page): add
inventory, export the AVAILABLE TESTS panel (JSON, CSV, XLSX), the outbox, read a test,
move a test through its statuses (the results webhook), tracking codes, and revoking a
product's key. Plain JSON, like every sandbox control; each builds the scope a vendor
request would and calls the same rule functions."""

from __future__ import annotations

from contextlib import contextmanager

from flask import Response, request
from flask.views import MethodView

from exam_sandbox.admin.blueprint import AdminBlueprint
from exam_sandbox.core.clock import format_instant
from exam_sandbox.core.errors import ErrorDetail, NotFound
from exam_sandbox.core.provider import SandboxContext, settings_of
from exam_sandbox.core.scope import RequestScope
from exam_sandbox.core.tenants import get_tenant

from . import admin_schemas as s
from .exports import CSV_TYPE, XLSX_TYPE, as_csv, as_xlsx
from .models import inventory
from .models.statuses import move
from .report import report_path
from .wire import canonical, label


def test_out(view: inventory.TestView, vocabulary: str) -> dict:
    test = view.test
    return {
        "test_id": test.test_id,
        "product_code": view.product_code,
        "status": label(test.status, vocabulary),
        "available": test.available,
        "assigned_to": test.assigned_to,
        "oid": test.oid,
        "tracking_code": test.tracking_code,
        "emailed_to": test.emailed_to,
        "source": test.source,
        "levels": test.levels,
        "duration": test.duration,
    }


def create_admin_blueprint(context: SandboxContext, provider) -> AdminBlueprint:
    blp = AdminBlueprint(
        "itep",
        __name__,
        description="iTEP controls: inventory, the AVAILABLE TESTS export, the outbox, "
        "test statuses (the results webhook), tracking codes, API keys",
    )

    @contextmanager
    def tenant_scope(tenant_id: str, *, write: bool):
        with context.db.session(write=write) as session:
            tenant = get_tenant(session, tenant_id)
            if tenant is None:
                raise NotFound(ErrorDetail(404, f"No tenant '{tenant_id}'"))
            yield RequestScope.for_tenant(session, tenant, settings_of(provider, tenant))

    @blp.route("/inventory")
    class Inventory(MethodView):
        @blp.arguments(s.InventoryIn)
        @blp.response(201, s.InventoryOut)
        @blp.alt_response(404, response="NOT_FOUND", description="No such tenant")
        def post(self, body: dict, tenant_id: str):
            """Add test IDs to the inventory (Ready, unassigned: assignable at once)"""
            with tenant_scope(tenant_id, write=True) as scope:
                made = inventory.add_inventory(scope, body["product_code"], body["count"])
                return {"test_ids": made}

    @blp.route("/available-tests")
    class Available(MethodView):
        @blp.arguments(s.AvailableArgs, location="query")
        @blp.response(
            200,
            s.AvailableOut,
            description="JSON; `format=csv` answers text/csv "
            "with a header row, `format=xlsx` a spreadsheetml workbook",
        )
        @blp.alt_response(404, response="NOT_FOUND", description="No such tenant")
        def get(self, args: dict, tenant_id: str):
            """The AVAILABLE TESTS panel: exactly the available test IDs"""
            with tenant_scope(tenant_id, write=False) as scope:
                views = inventory.available(scope, args.get("product_code"))
                vocabulary = scope.settings["statusLabels"]
            name = f"available-tests-{args.get('product_code') or 'all'}"
            if args["format"] == "csv":
                return _download(as_csv(views, vocabulary), CSV_TYPE, f"{name}.csv")
            if args["format"] == "xlsx":
                return _download(as_xlsx(views, vocabulary), XLSX_TYPE, f"{name}.xlsx")
            return {"test_ids": [test_out(v, vocabulary) for v in views]}

    @blp.route("/outbox")
    class Outbox(MethodView):
        @blp.response(200, s.MessageOut(many=True))
        @blp.alt_response(404, response="NOT_FOUND", description="No such tenant")
        def get(self, tenant_id: str):
            """The e-mails assign-and-email sent, oldest first"""
            with tenant_scope(tenant_id, write=False) as scope:
                return [
                    {
                        "id": m.id,
                        "to": m.recipient,
                        "test_id": m.test_id,
                        "subject": m.subject,
                        "body": m.body,
                        "sent_at": format_instant(m.sent_at),
                    }
                    for m in inventory.outbox(scope)
                ]

    @blp.route("/tests/<string:test_id>")
    class TestById(MethodView):
        @blp.response(200, s.TestOut)
        @blp.alt_response(404, response="NOT_FOUND", description="No such tenant or test ID")
        def get(self, tenant_id: str, test_id: str):
            """A test: status, Assigned-to, oid, tracking code"""
            with tenant_scope(tenant_id, write=False) as scope:
                return test_out(inventory.find_test(scope, test_id), scope.settings["statusLabels"])

    @blp.route("/tests/<string:test_id>/status")
    class Status(MethodView):
        @blp.arguments(s.StatusIn)
        @blp.response(200, s.MovedOut)
        @blp.alt_response(400, response="BAD_REQUEST", description="Unknown status or section")
        @blp.alt_response(404, response="NOT_FOUND", description="No such tenant or test ID")
        def post(self, body: dict, tenant_id: str, test_id: str):
            """Move a test to a status (fires the results webhook on its triggers)"""
            with tenant_scope(tenant_id, write=True) as scope:
                url = request.host_url.rstrip("/") + report_path(tenant_id, test_id)
                moved = move(
                    scope,
                    test_id,
                    canonical(body["status"]),
                    levels=body["scores"],
                    duration=body["duration"],
                    report_url=url,
                )
                vocabulary = scope.settings["statusLabels"]
                return {
                    **test_out(moved.view, vocabulary),
                    "previous_status": label(moved.previous, vocabulary),
                    "webhook": moved.webhook,
                }

    @blp.route("/tracking-codes/<string:code>")
    class TrackingCode(MethodView):
        @blp.arguments(s.TrackingCodeIn)
        @blp.response(200, s.TrackingCodeOut)
        @blp.alt_response(404, response="NOT_FOUND", description="No such tenant")
        def put(self, body: dict, tenant_id: str, code: str):
            """Create or replace a tracking code: its webhook URL and on_finished"""
            with tenant_scope(tenant_id, write=True) as scope:
                found, _ = inventory.put_tracking_code(
                    scope, code, body["url"], body["on_finished"]
                )
                return {"code": found.code, "url": found.url, "on_finished": found.on_finished}

    @blp.route("/api-keys/<string:product_code>")
    class ApiKey(MethodView):
        @blp.arguments(s.KeyIn)
        @blp.response(200, s.KeyOut)
        @blp.alt_response(404, response="NOT_FOUND", description="No such tenant or product")
        def put(self, body: dict, tenant_id: str, product_code: str):
            """Revoke (or restore) a product's API key (I2: invalid_api_key)"""
            with tenant_scope(tenant_id, write=True) as scope:
                owner = inventory.set_key_revoked(scope, product_code, body["revoked"])
                return {"product_code": owner.code, "revoked": owner.key_revoked}

    return blp


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
