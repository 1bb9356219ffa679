"""Provider conformance: the sandbox's Janison API against the committed contract.

Schemathesis generates requests for every operation in ``contracts/openapi/janison.json``
(the committed document, not the one the app serves: the drift test keeps the two equal)
and sends them to the sandbox in-process, through WSGI, with a fresh tenant's
subscription key and bearer token. Every built-in check runs, response-schema
conformance included, plus ``field_rules_hold``. No network, no server process.

* ``test_operation_conforms``: one test per operation (so xdist spreads them), each a
  seeded Hypothesis run of the examples, coverage and fuzzing phases, from the tenant's
  seeded data.
* ``test_stateful_links``: per resource family, a state machine that follows the
  contract's OpenAPI links (sandbox/providers/janison/openapi.py): create, read back,
  change, retire; book, resit, retire; from a result, book again. Every scenario starts
  from the seeded data.

The shared setup is ``provider_suite.py``. ``JANISON_PROVIDER_SCALE=10`` multiplies the
examples and scenarios, for a deeper run than ``make test`` can afford.
"""

from __future__ import annotations

import pytest
import schemathesis
from contract import path_of
from hypothesis import HealthCheck, settings
from provider_suite import InProcessSandbox, config, field_rules_hold, run_stateful, scale

from exam_sandbox.providers.janison.errors import RULES

SCALE = scale("janison")
MAX_EXAMPLES = 10 * SCALE  # per operation and phase
STATEFUL_SCENARIOS = 15 * SCALE  # per family
# The tenant's frozen clock, the eve of the simplest date Hypothesis draws (2000-01-01):
# a booking the links make on it is not in the past (ENR-3); earlier dates still are.
NOW = "1999-12-31T09:00:00Z"

schema = schemathesis.openapi.from_path(
    path_of("janison"),
    config=config(
        max_examples=MAX_EXAMPLES,
        # Janison's business rules answer 400 (a reference naming nothing, JC-2; a
        # candidate listed twice, ENR-1; a $filter naming no property, FILTER-1 ...), 404
        # (an id naming nothing, NF-1) and 409 (a reference taken, DUP-1 and JU-1b; a
        # retired record changed, RET-1; a sat schedule retired, ENR-5), as
        # docs/providers/janison-wire.md's status table says: a schema-valid request can
        # rightly get them. Nothing else: not 401 (the credentials are good), not 5xx.
        expected_statuses=["2xx", "400", "404", "409"],
    ),
)
# Rules about the form of one field or of the request itself: the contract states them.
FIELD_RULES = field_rules_hold(
    (
        RULES[rule_id].code
        for rule_id in (
            "REQ-1", "REQ-2", "REQ-4", "PAGE-1", "PAGE-2",
            "JU-1a", "JC-1", "JCE-1", "JTS-1", "JTS-2", "JTSC-1a",
        )
    ),
    code_key="code",
)  # fmt: skip

# Built at import, with the tenant: schemathesis puts credentials on a case when it
# generates it, and it generates some (the coverage phase's) while collecting.
SANDBOX = InProcessSandbox()
schema.app = SANDBOX.app
TENANT = SANDBOX.create_tenant(seed=7, now=NOW)
CREDENTIALS = TENANT["credentials"]["janison"]


@schema.auth(refresh_interval=None)
class TenantCredentials:
    """The tenant's subscription key and static bearer token on every case, except where
    a negative case leaves them out on purpose (schemathesis decides)."""

    def get(self, case, context):
        return CREDENTIALS

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Ocp-Apim-Subscription-Key"] = data["subscriptionKey"]
        case.headers["Authorization"] = f"Bearer {data['token']}"


@pytest.fixture(scope="module", autouse=True)
def _sandbox_app():
    yield SANDBOX.app
    SANDBOX.close()


@pytest.fixture()
def tenant():
    """The tenant, back to its seeded data for each operation's run."""
    SANDBOX.reset(TENANT["tenant"])
    return TENANT["tenant"]


@schema.parametrize()
# One seeded tenant for all of an operation's examples, on purpose: they share its data.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_operation_conforms(case, tenant):
    case.call_and_validate(additional_checks=[FIELD_RULES])


# The stateful run, one resource family at a time: a machine with few rules follows a
# chain of links far more often in the same steps.
FAMILIES = {
    "catalogue": "^(test|testpackage|component)$",
    "people": "^(user|candidate)$",
    "centres": "^(centre|user|candidate)$",
    "scheduling": "^(result|testschedule|testschedulecomponent)$",
}
# DELETE retires a candidate or a centre and keeps it readable (JC-3, JCE-1 in
# docs/providers/janison.md): reading it afterwards is not a use after free.
RETIRED_STAYS_READABLE = ("GET /api/candidate/{candidate_id}", "GET /api/centre/{centre_id}")


@pytest.mark.parametrize("family", FAMILIES)
def test_stateful_links(family, tenant):
    run_stateful(
        schema,
        FAMILIES[family],
        name="Janison",
        reset=lambda: SANDBOX.reset(tenant),
        checks=[FIELD_RULES],
        scenarios=STATEFUL_SCENARIOS,
        readable_after_delete=RETIRED_STAYS_READABLE,
    )
