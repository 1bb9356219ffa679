"""The console's routes: ``/console`` (the tenants), ``/console/tenants/<id>`` (one
tenant), its ``/panels`` (the part the script refreshes) and ``/console/sign-in``."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, make_response, redirect, render_template, request

from ..core.errors import NotFound
from ..core.guard import CONSOLE_COOKIE, console_cookie_value, tokens_match
from ..core.overview import ADMIN_PREFIX
from ..core.provider import Provider, SandboxContext
from ..core.tenant_service import TenantService
from ..core.tenants import first_tenants
from .page_data import journal_part, tenant_page

PREFIX = "/console"
# The tenants the index lists, oldest first; a bench may have made thousands.
TENANTS_SHOWN = 200
# Scripts, styles and frames from the sandbox only: no inline script can run, no other
# site's page can frame the console and have its buttons clicked (clickjacking).
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def tenant_url(tenant_id: str) -> str:
    return f"{PREFIX}/tenants/{tenant_id}"


def install_console(app: Flask, context: SandboxContext, providers: list[Provider]) -> None:
    bp = Blueprint(
        "console",
        __name__,
        url_prefix=PREFIX,
        template_folder="templates",
        static_folder="static",
    )
    service = TenantService(providers)
    db = context.db

    @bp.after_request
    def _headers(response):
        response.headers.update(SECURITY_HEADERS)
        return response

    @bp.get("")
    @bp.get("/")
    def index():
        with db.session(write=False) as session:
            shown, total = first_tenants(session, TENANTS_SHOWN)
            tenants = [{"id": t.id, "seed": t.seed, "created": t.created_at} for t in shown]
        return render_template(
            "console/index.html",
            tenants=tenants,
            total=total,
            create_path=f"{ADMIN_PREFIX}/tenants",
            tenant_url=tenant_url,
        )

    def _page(template: str, tenant_id: str, *, with_journal: bool):
        try:
            with db.session(write=False) as session:
                data = tenant_page(session, service, tenant_id)
            if with_journal:
                context.journal.flush()  # this process's queued entries first
                # As the journal control reads: in a write transaction, so queued entries
                # of any worker land first (core/journal_queue.py). Only the journal: the
                # panels, re-read every few seconds, hold no writers' lock.
                with db.session(write=True) as session:
                    data.update(journal_part(session, tenant_id))
        except NotFound as error:
            return make_response(
                render_template("console/missing.html", message=error.message), 404
            )
        return render_template(template, **data, tenant_url=tenant_url)

    @bp.get("/tenants/<tenant_id>")
    def tenant(tenant_id: str):
        return _page("console/tenant.html", tenant_id, with_journal=True)

    @bp.get("/tenants/<tenant_id>/panels")
    def panels(tenant_id: str):
        return _page("console/panels.html", tenant_id, with_journal=False)

    @bp.route("/sign-in", methods=["GET", "POST"])
    def sign_in():
        token = context.config.admin_token
        if token is None:
            return redirect(PREFIX, 303)
        target = _safe_next(request.values.get("next"))
        if request.method == "GET":
            return render_template("console/sign_in.html", next=target, refused=False)
        if not tokens_match(request.form.get("token"), token):
            page = render_template("console/sign_in.html", next=target, refused=True)
            return make_response(page, 401)
        response = redirect(target, 303)
        response.set_cookie(
            CONSOLE_COOKIE,
            console_cookie_value(token),
            httponly=True,
            samesite="Strict",
            secure=request.is_secure,
            path="/",
        )
        return response

    app.register_blueprint(bp)
    app.add_url_rule(f"{PREFIX}/tenants/", "console_tenants", lambda: redirect(PREFIX, 308))


def _safe_next(target: str | None) -> str:
    """Only a path of the console: never another site (an open redirect)."""
    if not target or not target.startswith(PREFIX) or target.startswith("//"):
        return PREFIX
    if any(c in target for c in "\\\r\n"):
        abort(400)
    return target
