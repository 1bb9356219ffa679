"""A vendor request's access to the database, and the journal entry that records it.

A request's writes commit only when its answer is a success; any error status rolls them
back, so a rejected request never leaves half a record. The journal entry is written
whatever the outcome, once the request is tied to a tenant (after authentication).

Authentication ends by opening the request's scope (``open_scope``): one ``RequestScope``
the routes hand to the vendor's rule functions, which never read ``flask.g`` themselves.

Reads take no lock; the write session, opened only when the request writes
(``RequestDatabase``), holds the writer queue, so it is closed on every path out of a request,
whatever raises (flush, journal, commit, rollback, another after_request): one failed
request must never keep every later writer waiting. A success whose commit fails is
answered as the vendor answers a crash, never as the success it no longer is.
"""

from __future__ import annotations

import logging
from time import perf_counter

from flask import Flask, Response, g, request
from sqlalchemy.orm import Session
from werkzeug.exceptions import InternalServerError, RequestEntityTooLarge

from . import journal
from .provider import SandboxContext
from .scope import RequestScope
from .tenant_criterion import bind_session
from .tenants import Tenant

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
log = logging.getLogger(__name__)


def writes(view):
    """Mark a view of a safe method (GET) that may write: a vendor read with a side
    effect kept in the database, such as a call counted against a daily limit. Put it
    above the other decorators of the view."""
    view.sandbox_writes = True
    return view


def _may_write(app: Flask) -> bool:
    if request.method not in SAFE_METHODS:
        return True
    view = app.view_functions.get(request.endpoint or "")
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        method = request.method.lower()
        # MethodView answers HEAD with ``get`` when it has no ``head``: so does this.
        view = getattr(view_class, method, None) or (
            getattr(view_class, "get", None) if method == "head" else None
        )
    return getattr(view, "sandbox_writes", False)


class RequestDatabase:
    """A request's sessions, opened when first needed.

    Reads run in a read session, which takes no lock. The write session, which holds the
    writers' queue and SQLite's write lock (``BEGIN IMMEDIATE``), opens only when asked
    for: by ``write()`` (a hot path about to re-check and insert) or by the ORM
    ``session()`` of a request that may write (a cold path, which holds it from its
    first statement). Once it is open, every read runs in it, so it sees the latest.
    """

    __slots__ = ("db", "may_write", "tenant_id", "reader", "writer", "_current")

    def __init__(self, db, *, may_write: bool) -> None:
        self.db = db
        self.may_write = may_write
        self.tenant_id: str | None = None
        self.reader: Session | None = None
        self.writer: Session | None = None
        self._current = None  # the connection hot-path SQL runs on, once asked for

    def bind(self, tenant_id: str) -> None:
        self.tenant_id = tenant_id
        for opened in (self.reader, self.writer):
            if opened is not None:
                bind_session(opened, tenant_id)

    def _open(self, *, write: bool) -> Session:
        opened = self.db.open_session(write=write)
        if self.tenant_id is not None:
            bind_session(opened, self.tenant_id)
        return opened

    def session(self) -> Session:
        if self.may_write:
            self.write()
            return self.writer
        if self.reader is None:
            self.reader = self._open(write=False)
        return self.reader

    def read_session(self) -> Session:
        """A session for reads only (authentication): the write session once open, else
        the read session, whatever the method, so reading takes no lock."""
        if self.writer is not None:
            return self.writer
        if self.reader is None:
            self.reader = self._open(write=False)
        return self.reader

    def connection(self):
        writer = self.writer
        if writer is not None:
            # What the ORM has pending, before SQL beside it reads. A hot path holds no
            # ORM object, and asking the session costs more than the statement.
            if writer.identity_map or writer.new:
                writer.flush()
            if self._current is None:
                self._current = writer.connection()
            return self._current
        if self._current is None:
            if self.reader is None:
                self.reader = self._open(write=False)
            self._current = self.reader.connection()
        return self._current

    def write(self) -> None:
        if self.writer is None:
            if not self.may_write:
                raise RuntimeError(f"a {request.method} request cannot write")
            self.writer = self._open(write=True)
            self._current = None
            if self.reader is not None:  # its snapshot is no longer wanted
                reader, self.reader = self.reader, None
                _quietly(reader.rollback, "end a request's reads")
                _quietly(reader.close, "close a request's read session")

    def close_reader(self) -> None:
        reader, self.reader, self._current = self.reader, None, None
        if reader is not None:
            _quietly(reader.rollback, "end a request's reads")
            _quietly(reader.close, "close a request's read session")


def session() -> Session:
    """The current request's ORM session (a write session, for a request that may
    write: it holds the writers' queue from here until the request ends)."""
    return g.sandbox_db.session()


def reader() -> RequestDatabase:
    """The current request's database access (for authentication: its reads take no
    lock, whatever the method)."""
    return g.sandbox_db


def bind_tenant(tenant: Tenant) -> None:
    """Tie the request's journal entry to a tenant (a request that reads no rules, such
    as the token endpoint, needs no more than this)."""
    # What the journal needs, read now as plain values: after a failed flush the tenant
    # row can no longer be read, and the journal must not depend on it.
    g.sandbox_stamp = (tenant.id, tenant.clock.now())


def open_scope(tenant: Tenant, settings: dict, *, user=None) -> RequestScope:
    """The request's scope, built once from what authentication found: no query. What it
    reads is ``tenant``'s rows only from here on."""
    bind_tenant(tenant)
    access = g.sandbox_db
    access.bind(tenant.id)
    built = RequestScope(
        access=access,
        tenant_id=tenant.id,
        seed=tenant.seed,
        settings=settings,
        now=g.sandbox_stamp[1],
        user=user,
    )
    g.sandbox_scope = built
    return built


def scope() -> RequestScope:
    """The current request's scope (for routes; rule functions take it as an argument)."""
    return g.sandbox_scope


def install(app: Flask, context: SandboxContext, provider_name: str) -> None:
    db = context.db
    journal_limit = context.config.journal_limit

    @app.before_request
    def _open() -> None:
        g.sandbox_started = perf_counter()
        g.sandbox_db = RequestDatabase(db, may_write=_may_write(app))

    @app.after_request
    def _finish(response: Response) -> Response:
        access = g.pop("sandbox_db", None)
        if access is None:
            return response
        stamp = g.get("sandbox_stamp")
        written = access.writer
        access.writer = None
        kept = False
        try:
            access.close_reader()
            if written is not None and response.status_code < 400:
                # Entries of this process's earlier reads go first, so the journal keeps
                # the order requests were answered in (core/journal_queue.py).
                earlier = context.journal.drain_into(written)
                try:
                    if stamp is not None:
                        _journal(written, stamp, response)
                    written.commit()
                    kept = True
                except Exception as exc:
                    context.journal.put_back(earlier)
                    # Not kept, so not a success: the vendor's answer to a crash instead.
                    response = _failure(exc)
            elif written is not None:
                _quietly(written.rollback, "roll back a request")
        finally:
            if written is not None:
                _quietly(written.close, "close a request's session")
        if stamp is not None and not kept:
            _journal_later(stamp, response)
        return response

    @app.teardown_request
    def _teardown(_exc) -> None:
        # Reached with sessions still open only when no after_request closed them (an
        # earlier after_request raised, or the exception propagated).
        leftover = g.pop("sandbox_db", None)
        if leftover is None:
            return
        leftover.close_reader()
        if leftover.writer is not None:
            written, leftover.writer = leftover.writer, None
            _quietly(written.rollback, "roll back an unfinished request")
            _quietly(written.close, "close an unfinished request's session")

    def _failure(exc: Exception) -> Response:
        """The app's own answer to ``exc`` (a vendor app renders its unexpected error)."""
        try:
            return app.make_response(app.handle_user_exception(exc))
        except Exception:
            log.exception("could not render a failed commit")
            return InternalServerError().get_response()

    def _journal_later(stamp: tuple, response: Response) -> None:
        """A request that wrote nothing: its entry is queued, the writers' lock is not
        waited for (core/journal_queue.py)."""
        try:
            context.journal.put(journal.make_entry(**_call(stamp, response)))
        except Exception:
            log.exception("could not journal a request")

    def _call(stamp: tuple, response: Response) -> dict:
        tenant_id, at = stamp
        body = b"" if response.direct_passthrough else response.get_data()
        return dict(
            tenant_id=tenant_id,
            at=at,
            provider=provider_name,
            method=request.method,
            path=request.script_root + request.path,
            query=request.query_string.decode("latin-1"),
            request_headers=request.headers,
            request_body=_request_body(),
            status=response.status_code,
            response_body=body,
            duration_ms=(perf_counter() - g.sandbox_started) * 1000,
        )

    def _journal(target: Session, stamp: tuple, response: Response) -> None:
        try:
            journal.record(target, limit=journal_limit, **_call(stamp, response))
        except Exception:  # the journal must never turn an answer into a failure
            log.exception("could not journal a request")


# What the journal shows for a body refused for its size (413): it was never read.
OVERSIZED_BODY = b"(not kept: the body was over the size limit)"


def _request_body() -> bytes:
    try:
        return request.get_data(cache=True)
    except RequestEntityTooLarge:
        return OVERSIZED_BODY


def _quietly(step, what: str) -> None:
    """Run a clean-up step; its failure is logged and must not stop the next one."""
    try:
        step()
    except Exception:
        log.exception("could not %s", what)
