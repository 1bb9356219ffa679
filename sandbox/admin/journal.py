"""``/_sandbox/tenants/<id>/journal``: the tenant's recorded vendor calls."""

from __future__ import annotations

from flask.views import MethodView

from ..core import journal
from ..core.provider import SandboxContext
from ..core.tenant_service import TenantService
from .blueprint import AdminBlueprint
from .schemas import JournalClearedSchema, JournalQuerySchema, JournalSchema


def journal_blueprint(context: SandboxContext, service: TenantService) -> AdminBlueprint:
    blp = AdminBlueprint(
        "journal",
        __name__,
        url_prefix="/_sandbox/tenants/<tenant_id>/journal",
        description="What the tenant's vendor calls were, and what they were answered",
    )
    db = context.db
    limit = context.config.journal_limit

    @blp.route("")
    class Journal(MethodView):
        @blp.arguments(JournalQuerySchema, location="query")
        @blp.response(200, JournalSchema)
        @blp.alt_response(400, response="BAD_REQUEST")
        @blp.alt_response(404, response="NOT_FOUND")
        def get(self, query: dict, tenant_id: str):
            """The tenant's calls, oldest first, optionally filtered"""
            context.journal.flush()  # this process's queued entries of reads first
            # Read in a write transaction: journal writes queued before this read, any
            # worker's, land first (core/journal_queue.py).
            with db.session(write=True) as session:
                service.require(session, tenant_id)
                found = journal.entries(session, tenant_id, limit=limit, **query)
            return {"entries": found, "count": len(found)}

        @blp.response(200, JournalClearedSchema)
        @blp.alt_response(404, response="NOT_FOUND")
        def delete(self, tenant_id: str):
            """Forget the tenant's calls"""
            context.journal.flush()  # or a queued entry would outlive the clearing
            with db.session(write=True) as session:
                service.require(session, tenant_id)
                return {"removed": journal.clear(session, tenant_id)}

    return blp
