"""One database session per vendor request, and the journal entry that records it.

A request's writes commit only when its answer is a success; any error status rolls them
back, so a rejected request never leaves half a record. The journal entry is written
whatever the outcome, once the request is tied to a tenant (after authentication).

Authentication ends by opening the request's scope (``open_scope``): one ``RequestScope``
the routes hand to the vendor's rule functions, which never read ``flask.g`` themselves.

A write session holds the writer queue, so it is closed on every path out of a request,
whatever raises (flush, journal, commit, rollback, another after_request): one failed
request must never keep every later writer waiting. A success whose commit fails is
answered as the vendor answers a crash, never as the success it no longer is.
"""

from __future__ import annotations

import logging
from time import perf_counter

from flask import Flask, Response, g, request
from sqlalchemy.orm import Session
from werkzeug.exceptions import InternalServerError

from . import journal
from .provider import SandboxContext
from .scope import RequestScope
from .tenants import Tenant

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
log = logging.getLogger(__name__)


def session() -> Session:
    """The current request's session."""
    return g.sandbox_session


def bind_tenant(tenant: Tenant) -> None:
    """Tie the request's journal entry to a tenant (a request that reads no rules, such
    as the token endpoint, needs no more than this)."""
    # What the journal needs, read now as plain values: after a failed flush the tenant
    # row can no longer be read, and the journal must not depend on it.
    g.sandbox_stamp = (tenant.id, tenant.clock.now())


def open_scope(tenant: Tenant, settings: dict, *, user=None) -> RequestScope:
    """The request's scope, built once from what authentication found: no query. Its
    session reads only ``tenant``'s rows from here on."""
    bind_tenant(tenant)
    built = RequestScope.for_tenant(
        session(), tenant, settings, user=user, now=g.sandbox_stamp[1]
    )
    g.sandbox_scope = built
    return built


def scope() -> RequestScope:
    """The current request's scope (for routes; rule functions take it as an argument)."""
    return g.sandbox_scope


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
        stamp = g.get("sandbox_stamp")
        try:
            if response.status_code < 400 and request.method not in SAFE_METHODS:
                try:
                    if stamp is not None:
                        _journal(current, stamp, response)
                    current.commit()
                    return response
                except Exception as exc:
                    # Not kept, so not a success: the vendor's answer to a crash instead.
                    response = _failure(exc)
            else:
                _quietly(current.rollback, "roll back a request")
        finally:
            _quietly(current.close, "close a request's session")
        if stamp is not None:
            _journal_apart(stamp, response)
        return response

    @app.teardown_request
    def _teardown(_exc) -> None:
        # Reached with the session still open only when no after_request closed it (an
        # earlier after_request raised, or the exception propagated).
        leftover = g.pop("sandbox_session", None)
        if leftover is not None:
            _quietly(leftover.rollback, "roll back an unfinished request")
            _quietly(leftover.close, "close an unfinished request's session")

    def _failure(exc: Exception) -> Response:
        """The app's own answer to ``exc`` (a vendor app renders its unexpected error)."""
        try:
            return app.make_response(app.handle_user_exception(exc))
        except Exception:
            log.exception("could not render a failed commit")
            return InternalServerError().get_response()

    def _journal_apart(stamp: tuple, response: Response) -> None:
        try:
            with db.session(write=True) as journal_session:
                _journal(journal_session, stamp, response)
        except Exception:
            log.exception("could not journal a request")

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


def _quietly(step, what: str) -> None:
    """Run a clean-up step; its failure is logged and must not stop the next one."""
    try:
        step()
    except Exception:
        log.exception("could not %s", what)
