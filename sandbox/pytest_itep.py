"""iTEP's controls on the pytest plugin's tenant (:class:`ItepControls`, mixed into
``sandbox_tenant``): its API keys, an ``ItepClient``, and the controls under
``/_sandbox/tenants/<id>/itep`` that stand in for what happens at iTEP::

    def test_results_arrive(itep_client, sandbox_tenant, webhook_receiver):
        sandbox_tenant.itep_tracking_code("ACME", webhook_receiver.url)
        got = itep_client.assign_test_id(Candidate("Ada", "ada@example.org", "HR-1"),
                                         oid="HR-1", tracking_code="ACME")
        sandbox_tenant.itep_set_status(got.test_id, "Complete", scores={"Grammar": 4.2})
        (received,) = webhook_receiver.wait_for(1)

Plain JSON over ``/_sandbox``, like every control; the sandbox package itself is never
imported here.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    import requests

    from exam_sandbox.client.itep import ItepClient

__all__ = ["ItepControls", "ItepMessage", "ItepTest"]


@dataclass(frozen=True)
class ItepTest:
    """A test ID as iTEP's controls show it (``sandbox_tenant.itep_test(test_id)``).
    After :meth:`ItepControls.itep_set_status`, ``previous_status`` is the status it
    left and ``webhook`` the id of the results webhook delivery the move fired (listed
    by ``sandbox_tenant.webhooks()``), if it fired one."""

    test_id: str
    product_code: str
    status: str
    available: bool
    assigned_to: dict[str, Any] | None
    oid: str | None
    tracking_code: str | None
    emailed_to: str | None
    source: str
    levels: dict[str, float] | None
    duration: int | None
    previous_status: str | None = None
    webhook: int | None = None

    @classmethod
    def from_admin(cls, row: dict[str, Any]) -> ItepTest:
        return cls(**{f.name: row.get(f.name) for f in fields(cls)})


@dataclass(frozen=True)
class ItepMessage:
    """One e-mail ``assign_and_email`` sent (the sandbox's outbox): to whom, which test
    ID, and the text."""

    id: int
    to: str
    test_id: str
    subject: str
    body: str
    sent_at: str

    @classmethod
    def from_admin(cls, row: dict[str, Any]) -> ItepMessage:
        return cls(**{f.name: row.get(f.name) for f in fields(cls)})


class ItepControls:
    """iTEP on ``sandbox_tenant`` (a mixin of the plugin's ``SandboxTenant``): its API
    keys, a client, and the controls under ``/_sandbox/tenants/<id>/itep`` that stand in
    for what happens at iTEP (buying test IDs, a candidate taking the test, the site's
    tracking codes, a key revoked on the PRODUCT CODE screen)."""

    credentials: dict[str, dict[str, str]]

    if TYPE_CHECKING:

        def admin(self, method: str, path: str = "", **kwargs: Any) -> requests.Response: ...

        def client(self, name: str, **options: Any) -> Any: ...

    @property
    def itep_api_key(self) -> str:
        """The AP product's API key (sent as ``X-API-Key`` or ``?api_key=``)."""
        return self.credentials["itep"]["api_key"]

    def itep_key(self, product_code: str = "AP") -> str:
        """The API key of ``product_code`` (``"AP"`` or ``"BP"``)."""
        itep = self.credentials["itep"]
        own = product_code == itep["product_code"]
        return itep["api_key" if own else f"api_key_{product_code.lower()}"]

    def itep_client(self, api_key: str | None = None, **options: Any) -> ItepClient:
        """An iTEP client for this tenant: the AP key, or ``api_key`` (``itep_key("BP")``);
        ``options`` go to ``ItepClient`` (``key_in="query"``, ``assigned_to_as="text"``,
        ``retries=0``, ``session=`` ...)."""
        if api_key is not None:
            options["api_key"] = api_key
        return self.client("itep", **options)

    def itep_add_inventory(self, count: int, product_code: str = "AP") -> list[str]:
        """Buy ``count`` more test IDs of ``product_code``: Ready and unassigned, so
        assignable at once. Returns them, in the order they will be handed out."""
        return self.admin(
            "POST",
            "/itep/inventory",
            expect=201,
            json={
                "product_code": product_code,
                "count": count,
            },
        ).json()["test_ids"]

    def itep_available_tests(self, product_code: str | None = None) -> list[ItepTest]:
        """The AVAILABLE TESTS panel: exactly the available test IDs (Ready, an empty
        Assigned-to), of one product code or all."""
        params = {"product_code": product_code} if product_code else {}
        rows = self.admin("GET", "/itep/available-tests", params=params).json()["test_ids"]
        return [ItepTest.from_admin(row) for row in rows]

    def itep_export(self, format: str = "csv", product_code: str | None = None) -> bytes:
        """The AVAILABLE TESTS panel's download: ``"csv"`` (a header row, then one row
        per available test ID) or ``"xlsx"`` (a workbook; read it with openpyxl)."""
        params = {"format": format, **({"product_code": product_code} if product_code else {})}
        return self.admin("GET", "/itep/available-tests", params=params).content

    def itep_test(self, test_id: str) -> ItepTest:
        """A test ID of this tenant: status, Assigned-to, oid, tracking code, levels."""
        return ItepTest.from_admin(self.admin("GET", f"/itep/tests/{_segment(test_id)}").json())

    def itep_set_status(
        self,
        test_id: str,
        status: str,
        *,
        scores: dict[str, float] | None = None,
        duration: int | None = None,
    ) -> ItepTest:
        """Move a test to ``status`` (``"Incomplete"``, ``"Finished"``, ``"Complete"``,
        ``"Ready"`` to reset it ...: either list of labels). ``scores`` are section levels
        0.0-6.0 by section name (``{"Grammar": 4.2}``; the others from the seed),
        ``duration`` minutes. A test with a tracking code fires the results webhook on
        Complete, Invalidated, Problem, a reset and (if the code says so) Finished."""
        body: dict[str, Any] = {"status": status}
        if scores is not None:
            body["scores"] = dict(scores)
        if duration is not None:
            body["duration"] = duration
        return ItepTest.from_admin(
            self.admin("POST", f"/itep/tests/{_segment(test_id)}/status", json=body).json()
        )

    def itep_tracking_code(
        self, code: str, url: str, *, on_finished: bool = False
    ) -> dict[str, Any]:
        """Create or replace a tracking code: a test assigned with it POSTs its results
        to ``url`` (also on Finished with ``on_finished``). Returns ``{"code", "url",
        "on_finished"}``."""
        return self.admin(
            "PUT",
            f"/itep/tracking-codes/{_segment(code)}",
            json={
                "url": url,
                "on_finished": on_finished,
            },
        ).json()

    def itep_outbox(self) -> list[ItepMessage]:
        """The e-mails ``assign_and_email`` sent, oldest first."""
        return [ItepMessage.from_admin(row) for row in self.admin("GET", "/itep/outbox").json()]

    def itep_revoke_key(self, product_code: str = "AP", *, revoked: bool = True) -> None:
        """Revoke a product's API key (iTEP then answers 401 ``invalid_api_key``), or
        restore it with ``revoked=False``."""
        self.admin("PUT", f"/itep/api-keys/{_segment(product_code)}", json={"revoked": revoked})


def _segment(value: str) -> str:
    return quote(value, safe="")
