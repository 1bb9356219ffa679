"""The score report a webhook's ``score_report_url`` leads to:
``GET /itep/t/<tenant>/reports/<TestID>``, 200 ``text/html`` with the test's levels and
CEFR by section (as the webhook last reported them, or as they would be now); 404 for a
test the tenant does not hold. Not part of the API (no key, not in the OpenAPI document):
it stands in for iTEP's formatted score report."""

from __future__ import annotations

from flask import Blueprint, Response, current_app
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import select

from exam_sandbox.core import request_scope
from exam_sandbox.core.provider import settings_of
from exam_sandbox.core.scope import RequestScope
from exam_sandbox.core.tenants import Tenant

from .tables import IProduct, ITest
from .webhook import levels_of
from .wire import cefr_of, label

report_bp = Blueprint("itep_report", __name__)
ENDPOINT = "itep_report.report"
_PAGES = Environment(
    loader=PackageLoader("exam_sandbox.providers.itep", "templates"),
    autoescape=select_autoescape(default=True),
)


def report_path(tenant_id: str, test_id: str) -> str:
    return f"/itep/t/{tenant_id}/reports/{test_id}"


@report_bp.get("/t/<string:tenant_id>/reports/<string:test_id>")
def report(tenant_id: str, test_id: str) -> Response:
    session = request_scope.reader().read_session()
    found = session.execute(
        select(ITest, IProduct, Tenant)
        .join(IProduct, IProduct.pk == ITest.product_pk)
        .join(Tenant, Tenant.id == ITest.tenant_id)
        .where(ITest.tenant_id == tenant_id, ITest.test_id == test_id)
    ).first()
    if found is None:
        return Response(
            _PAGES.get_template("report_unknown.html").render(), status=404, mimetype="text/html"
        )
    test, product, tenant = found
    provider = current_app.extensions["itep_provider"]
    scope = RequestScope.for_tenant(session, tenant, settings_of(provider, tenant))
    bands = scope.settings["cefrBands"]
    levels = levels_of(scope, test, product.sections)
    overall = round(sum(levels.values()) / len(levels), 1)
    page = _PAGES.get_template("report.html").render(
        test=test,
        status=label(test.status, scope.settings["statusLabels"]),
        product=product,
        overall=overall,
        overall_cefr=cefr_of(overall, bands),
        sections=[(s, level, cefr_of(level, bands)) for s, level in levels.items()],
    )
    return Response(page, status=200, mimetype="text/html")
