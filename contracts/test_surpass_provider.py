"""Provider conformance: the sandbox's Surpass API against the committed contract.

Schemathesis generates requests for every operation in ``contracts/openapi/surpass.json``
(the committed document, not the one the app serves: the drift test keeps the two equal)
and sends them to the sandbox in-process, through WSGI, as a fresh tenant's own user.
Every built-in check runs, response-schema conformance included, plus one of ours
(``field_rules_hold``). No network, no server process.

* ``test_operation_conforms``: one test per operation (so xdist spreads them), each a
  seeded Hypothesis run of the examples, coverage and fuzzing phases: the same requests
  on every run and on every machine.
* ``test_stateful_links``: per resource family, a state machine that follows the
  contract's OpenAPI links (sandbox/providers/surpass/openapi.py): create, read back,
  change, delete. Its draws are derandomized and every scenario starts from the seeded
  data; whether a step uses each value a link offers is schemathesis' own coin toss,
  which it keeps out of Hypothesis on purpose, so two runs may take other paths.

A failure prints the request as a curl command. ``SURPASS_PROVIDER_SCALE=10`` multiplies
the examples and scenarios, for a deeper run than ``make test`` can afford. The setup
every vendor's provider suite shares is ``provider_suite.py``.
"""

from __future__ import annotations

import provider_suite
import pytest
import schemathesis
from contract import path_of
from hypothesis import HealthCheck, settings
from provider_suite import InProcessSandbox, config, run_stateful

from exam_sandbox.providers.surpass.errors import RULES

# Per operation and phase, and scenarios per family: the suite's time budget (make test
# stays under 5 minutes). SURPASS_PROVIDER_SCALE=10 runs ten times as many, to dig deeper.
SCALE = provider_suite.scale("surpass")
MAX_EXAMPLES = 20 * SCALE
STATEFUL_SCENARIOS = 30 * SCALE
NOW = "2026-01-01T09:00:00Z"  # the tenants' frozen clock: before every seeded session

schema = schemathesis.openapi.from_path(
    path_of("surpass"),
    config=config(
        max_examples=MAX_EXAMPLES,
        # Surpass answers every business-rule and query rejection with 400, never 409 or
        # 422 (docs/providers/surpass-wire.md, "Status codes": "validation, bad query,
        # bad state transition, business rule: 400"): a schema-valid request can rightly
        # get 400 when the data it names breaks a rule (a used reference, CA-2; a $filter
        # naming no property, FILTER-1; a subject that is not Archived, SU-3 ...). What
        # the contract can state, it must: field_rules_hold fails any such 400 that
        # cites a rule about one field's form.
        expected_statuses=["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"],
    ),
)

# ErrorCodes of rules about the form of one field (presence, type, length, format,
# range) or of the request itself; the contract states every one of them.
FIELD_RULES = frozenset(
    RULES[rule_id].code
    for rule_id in (
        "REQ-1", "REQ-2", "REQ-4", "PAGE-1", "PAGE-2",
        "TS-1", "TS-2", "TS-3", "TS-4", "TS-5", "TS-6", "TS-21", "TS-22", "TS-23", "TS-24",
        "CA-1", "CA-3", "CA-4", "CE-1", "CE-2", "SU-1",
    )
)


# A request the contract calls valid breaks no rule the contract states: the
# counterpart of answering business rules with 400 (above).
field_rules_hold = provider_suite.field_rules_hold(FIELD_RULES, code_key="ErrorCode")

# The app is built at import so that every operation, and every check that sends a
# request of its own (ignored_auth, unsupported_method ...), reaches it in-process.
SANDBOX = InProcessSandbox()
APP = SANDBOX.app
schema.app = APP


@pytest.fixture(scope="module", autouse=True)
def _sandbox_app():
    yield APP
    SANDBOX.close()


@pytest.fixture()
def tenant():
    """A fresh tenant (POST /_sandbox/tenants); schemathesis calls as its Surpass user."""
    # A frozen clock: what is "in the past" (TS-27) is the same on every run.
    made = SANDBOX.create_tenant(seed=7, now=NOW)
    creds = made["credentials"]["surpass"]
    schema.config.update(basic_auth=(creds["username"], creds["password"]))
    yield made["tenant"]
    SANDBOX.delete_tenant(made["tenant"])


@schema.parametrize()
# One tenant for all of an operation's examples, on purpose: they share its data.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_operation_conforms(case, tenant):
    case.call_and_validate(additional_checks=[field_rules_hold])


# The stateful run, one resource family at a time: a machine with few rules follows a
# chain of links (create, read back, change, delete) far more often in the same steps.
FAMILIES = {
    "lookups": "^(Test|Country|County)$",
    "candidates": "^Candidate$",
    "centres": "^(Centre|Subject|CentreSubjectAssociation)$",
    "scheduling": "^(TestSchedule|TestSession)$",
}


# DELETE /Centre retires the centre and keeps it readable (docs/providers/surpass.md:
# "DELETE ... sets status Retired, keeps the row"): reading it after a delete is not a
# use after free. Only that read is spared the check.
RETIRED_STAYS_READABLE = "GET /api/v2/Centre/{centre_id}"


@pytest.mark.parametrize("family", FAMILIES)
def test_stateful_links(family, tenant):
    run_stateful(
        schema,
        FAMILIES[family],
        name="Surpass",
        # Every scenario starts from the seeded data: the same steps get the same
        # answers, which Hypothesis needs to generate consistently.
        reset=lambda: SANDBOX.reset(tenant),
        checks=[field_rules_hold],
        scenarios=STATEFUL_SCENARIOS,
        readable_after_delete=(RETIRED_STAYS_READABLE,),
    )
