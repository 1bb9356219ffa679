"""One database session per vendor request, and the journal entry that records it.

A request's writes commit only when its answer is a success; any error status rolls them
back, so a rejected request never leaves half a record. The journal entry is written
whatever the outcome, once the request is tied to a tenant (after authentication).
"""

from __future__ import annotations

import logging
from time import perf_counter

from flask import Flask, Response, g, request
from sqlalchemy.orm import Session

from . import journal
from .provider import SandboxContext
from .tenants import Tenant

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
log = logging.getLogger(__name__)


def session() -> Session:
    """The current request's session."""
    return g.sandbox_session


def bind_tenant(tenant: Tenant) -> None:
    """Tie the request to a tenant: its rows, its clock, its journal."""
    g.sandbox_tenant = tenant


def current_tenant() -> Tenant:
    return g.sandbox_tenant


def install(app: Flask, context: SandboxContext, provider_name: str) -> None:
    db = context.db

    @app.before_request
    def _open() -> None:
        g.sandbox_started = perf_counter()
        g.sandbox_session = db.open_session(write=request.method not in SAFE_METHODS)

    @app.after_request
    def _finish(response: Response) -> Response:
        current = g.pop("sandbox_session", None)
        if current is None:
            return response
        tenant = g.get("sandbox_tenant")
        # Read before the transaction ends: a rollback expires the tenant row.
        stamp = (tenant.id, tenant.clock.now()) if tenant is not None else None
        try:
            if response.status_code < 400 and request.method not in SAFE_METHODS:
                if stamp is not None:
                    _journal(current, stamp, response)
                current.commit()
                return response
            current.rollback()
        finally:
            current.close()
        if stamp is not None:
            with db.session(write=True) as journal_session:
                _journal(journal_session, stamp, response)
        return response

    @app.teardown_request
    def _teardown(_exc) -> None:
        # Reached with the session still open only when no response was made.
        leftover = g.pop("sandbox_session", None)
        if leftover is not None:
            leftover.rollback()
            leftover.close()

    def _journal(target: Session, stamp: tuple, response: Response) -> None:
        tenant_id, at = stamp
        try:
            body = b"" if response.direct_passthrough else response.get_data()
            journal.record(
                target,
                tenant_id=tenant_id,
                at=at,
                provider=provider_name,
                method=request.method,
                path=request.script_root + request.path,
                query=request.query_string.decode("latin-1"),
                request_headers=request.headers,
                request_body=request.get_data(cache=True),
                status=response.status_code,
                response_body=body,
                duration_ms=(perf_counter() - g.sandbox_started) * 1000,
                limit=context.config.journal_limit,
            )
        except Exception:  # the journal must never turn an answer into a failure
            log.exception("could not journal a request")
