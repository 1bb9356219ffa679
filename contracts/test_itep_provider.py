"""Provider conformance: the sandbox's iTEP API against the committed contract.

Schemathesis generates requests for every operation in ``contracts/openapi/itep.json``
(the committed document, not the one the app serves: the drift test keeps the two equal)
and sends them to the sandbox in-process, through WSGI, with a fresh tenant's AP key
(``X-API-Key``). Every built-in check runs, response-schema conformance included, plus
``field_rules_hold`` (iTEP's error body is one item, ``{"error": "<code>", "message"}``).
No network, no server process.

``test_operation_conforms``: one test per operation (so xdist spreads them), each a
seeded Hypothesis run of the examples, coverage and fuzzing phases, from the tenant's
seeded data. The contract has no links (an assigned test ID is read back only through
``/_sandbox``), so there is no stateful run.

Random data seldom meets iTEP's business rules (a tracking code the site has; an e-mail
address for the email call), so in valid cases the values those rules judge are often
put right (``tamed``, below). A tenant's inventory runs out after 20 assigns of a
product: the tenant is reset for each operation and given ``INVENTORY`` more test IDs,
so successes keep coming (the 409 of an empty inventory is an expected status all the
same). The shared setup is ``provider_suite.py``. ``ITEP_PROVIDER_SCALE=10`` multiplies
the examples.
"""

from __future__ import annotations

import copy
import json
import os

import pytest
import schemathesis
from contract import path_of
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from provider_suite import InProcessSandbox, config, field_rules_hold, scale

from exam_sandbox.providers.itep.errors import CODES

SCALE = scale("itep")
MAX_EXAMPLES = 50 * SCALE  # per operation and phase
NOW = "2026-01-01T09:00:00Z"  # the tenant's frozen clock: the same answers on every run
INVENTORY = 100  # test IDs added per operation's run, beyond the seeded 20
TRACKING_CODE = "PROVIDER-TRACK"  # the tenant's one tracking code (a control makes it)
# Nothing listens there: assigning never sends the webhook, only a status change does.
TRACKING_URL = "http://127.0.0.1:9/itep/results"

schema = schemathesis.openapi.from_path(
    path_of("itep"),
    config=config(
        max_examples=MAX_EXAMPLES,
        # iTEP's business rules answer 400 (a tracking code the site does not have; no
        # e-mail address for the email call, I8) and 409 (no available test ID, I5), as
        # docs/providers/itep-wire.md's table says: a schema-valid request can rightly
        # get them. Nothing else: not 401 (the key is good), not 5xx.
        expected_statuses=["2xx", "400", "409"],
    ),
)

# Rules about the form of one field or of the request itself, so a 400 for a valid
# request must not cite them: a JSON object body (REQ-1, REQ-2); assigned_to required,
# an object or the JSON text of one (I3); oid and tracking_code strings of 1-100
# characters, or null (OID-1, TRK-1); the email call's assigned_to.email an address
# (I8). Where the contract cannot state one (I3 on a string) or does not (I8), KNOWN
# below says so. Left out on purpose: the ones that depend on data (an unknown tracking
# code, TRK-2) or on a setting (I4, requireCandidateDetails, off here).
FORM_RULES = ("REQ-1", "REQ-2", "I3", "OID-1", "TRK-1", "I8")
FIELD_RULES = field_rules_hold(
    {CODES[rule_id] for rule_id in FORM_RULES}, code_key="error", errors_of=lambda body: [body]
)

# Built at import, with the tenant: schemathesis puts credentials on a case when it
# generates it, and it generates some (the coverage phase's) while collecting.
SANDBOX = InProcessSandbox()
schema.app = SANDBOX.app
TENANT = SANDBOX.create_tenant(seed=7, now=NOW)
API_KEY = TENANT["credentials"]["itep"]["api_key"]


@schema.auth(refresh_interval=None)
class TenantKey:
    """The tenant's AP key as ``X-API-Key`` on every case, except where a negative case
    leaves it out on purpose (schemathesis decides)."""

    def get(self, case, context):
        return API_KEY

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["X-API-Key"] = data


# ``tamed``: random data seldom meets iTEP's business rules, so in valid cases, drawn
# independently (half of the cases each), what they judge is put right: the tracking
# code is the tenant's (or none), and ``assigned_to`` names an e-mail address (the email
# call's I8; the other call ignores it), as an object or, if a string was generated, as
# the JSON text of one. The form of every other member stays as generated; the contract
# has no examples to offer instead.
def _tame_tracking_code(body: dict, keep: bool) -> None:
    if body.get("tracking_code") is not None:
        if keep:
            body["tracking_code"] = TRACKING_CODE
        else:
            del body["tracking_code"]


def _tame_assigned_to(body: dict) -> None:
    value = body.get("assigned_to")
    if isinstance(value, str):
        found = _object_of_text(value) or {"name": value}
        body["assigned_to"] = json.dumps({**found, "email": "tamed@example.org"})
    else:
        found = value if isinstance(value, dict) else {}
        body["assigned_to"] = {**found, "email": "tamed@example.org"}


@schema.hook
def flatmap_case(context, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or not isinstance(case.body, dict):
        return st.just(case)
    return st.tuples(st.booleans(), st.booleans(), st.booleans()).map(
        lambda drawn: _tamed(case, *drawn)
    )


def _tamed(case, tracking_code: bool, keep: bool, assigned_to: bool):
    if tracking_code or assigned_to:
        body = copy.deepcopy(case.body)
        if tracking_code:
            _tame_tracking_code(body, keep)
        if assigned_to:
            _tame_assigned_to(body)
        case.body = body
    return case


def _object_of_text(value) -> dict | None:
    """The object ``value`` is the JSON text of, or None."""
    try:
        found = json.loads(value)
    except (TypeError, ValueError):
        return None
    return found if isinstance(found, dict) else None


# --------------------------------------------------------------------------- KNOWN
# Disagreements between the sandbox and its document that this suite found and that the
# document cannot state: recognised narrowly, from the request that showed them, and
# forgiven; any other failure fails the test. ITEP_PROVIDER_STRICT=1 forgives none.
# (K2, the email call's address, and K3's empty object were fixed in the document.)
STRICT = os.environ.get("ITEP_PROVIDER_STRICT") == "1"


def _k1_text_not_an_object(case, code: str) -> bool:
    """K1: I3 refuses an ``assigned_to`` string that is not the JSON text of an object;
    the contract's ``{"type": "string"}`` cannot say "the JSON text of an object"."""
    value = case.body.get("assigned_to") if isinstance(case.body, dict) else None
    return code == CODES["I3"] and isinstance(value, str) and _object_of_text(value) is None


def _k3_empty_object_as_text(case, code: str) -> bool:
    """K3: I3 refuses the JSON text of an empty object (``"{}"``, ``" { } "``: empty is
    what makes a Ready test ID available); the contract says ``minProperties: 1`` of the
    object, but of the text it can only say ``type: string``."""
    value = case.body.get("assigned_to") if isinstance(case.body, dict) else None
    return code == CODES["I3"] and isinstance(value, str) and _object_of_text(value) == {}


KNOWN = (_k1_text_not_an_object, _k3_empty_object_as_text)


def _forgiven_refusal(case, response) -> bool:
    try:
        code = json.loads(response.content).get("error")
    except (ValueError, AttributeError):
        return False
    return any(known(case, code) for known in KNOWN)


@schema.hook
def filter_failure(context, failure, case, response):
    """Keep every failure but the KNOWN ones (above)."""
    if STRICT:
        return True
    if failure.title == "Custom check failed: `field_rules_hold`" and response.status_code == 400:
        return not _forgiven_refusal(case, response)
    return True


@pytest.fixture(scope="module", autouse=True)
def _sandbox_app():
    yield SANDBOX.app
    SANDBOX.close()


@pytest.fixture()
def tenant():
    """The tenant, back to its seeded data for each operation's run, with its tracking
    code and ``INVENTORY`` more AP test IDs."""
    tenant_id = TENANT["tenant"]
    SANDBOX.reset(tenant_id)
    http = SANDBOX.app.test_client()
    controls = f"/_sandbox/tenants/{tenant_id}/itep"
    made = http.put(f"{controls}/tracking-codes/{TRACKING_CODE}", json={"url": TRACKING_URL})
    assert made.status_code == 200, made.json
    added = http.post(f"{controls}/inventory", json={"product_code": "AP", "count": INVENTORY})
    assert added.status_code == 201, added.json
    return tenant_id


@schema.parametrize()
# One seeded tenant for all of an operation's examples, on purpose: they share its data.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_operation_conforms(case, tenant):
    case.call_and_validate(additional_checks=[FIELD_RULES])
