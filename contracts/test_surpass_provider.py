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
the examples and scenarios, for a deeper run than ``make test`` can afford.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.stateful import run_state_machine_as_test
from schemathesis.specs.openapi.checks import use_after_free

from sandbox.app import create_app, default_config
from sandbox.providers.surpass.errors import RULES

CONTRACT = Path(__file__).parent / "openapi" / "surpass.json"
# Per operation and phase, and scenarios per family: the suite's time budget (make test
# stays under 5 minutes). SURPASS_PROVIDER_SCALE=10 runs ten times as many, to dig deeper.
SCALE = int(os.environ.get("SURPASS_PROVIDER_SCALE", "1"))
MAX_EXAMPLES = 20 * SCALE
STATEFUL_SCENARIOS = 30 * SCALE
STATEFUL_STEPS = 10
NOW = "2026-01-01T09:00:00Z"  # the tenants' frozen clock: before every seeded session

CONFIG = SchemathesisConfig.from_dict(
    {
        # Each operation's run is seeded from this (schemathesis derives one per
        # operation), so every run, on every xdist worker, sends the same requests.
        "seed": 20_261_122,
        "generation": {
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",  # no example database carrying cases between runs
            # Surpass, as ASP.NET Web API, binds the query parameters and headers it knows
            # and ignores the rest (as it ignores unknown body members: docs/providers/
            # surpass.md, "Unknown body members are ignored"); an extra one is not an
            # invalid request, so negative cases do not add them.
            "allow-extra-parameters": False,
        },
        "checks": {
            # Surpass answers every business-rule and query rejection with 400, never
            # 409 or 422 (docs/providers/surpass-wire.md, "Status codes": "validation, bad
            # query, bad state transition, business rule: 400"): a schema-valid request can
            # rightly get 400 when the data it names breaks a rule (a used reference, CA-2;
            # a $filter naming no property, FILTER-1; a subject that is not Archived,
            # SU-3 ...). What the contract can state, it must: field_rules_hold fails
            # any such 400 that cites a rule about one field's form.
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "400", "401", "403", "404", "409", "429",
                                      "5xx"],
            },
        },
        "phases": {
            "stateful": {
                # The run follows the contract's own links, not ones schemathesis guesses,
                # and spends its steps on valid requests (invalid ones are the
                # per-operation tests' job).
                "inference": {"algorithms": []},
                "generation": {"mode": "positive"},
            },
        },
    }
)

schema = schemathesis.openapi.from_path(CONTRACT, config=CONFIG)

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


def field_rules_hold(ctx, response, case) -> None:
    """A request the contract calls valid breaks no rule the contract states.

    The counterpart of answering business rules with 400 (see ``CONFIG``): a 400 for a
    schema-valid request must come from the data it names, never from its form.
    """
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return None
    if response.status_code != 400:
        return None
    try:
        errors = json.loads(response.content).get("errors") or []
    except (ValueError, AttributeError):
        return None  # not the error envelope: the schema checks report that
    broken = [e for e in errors if e.get("ErrorCode") in FIELD_RULES]
    if broken:
        raise AssertionError(
            "A request the contract calls valid was refused for its form; the contract "
            f"does not state this rule: {broken}"
        )
    return None


# The app is built at import so that every operation, and every check that sends a
# request of its own (ignored_auth, unsupported_method ...), reaches it in-process.
_DATA = tempfile.TemporaryDirectory(prefix="exam-sandbox-provider-")
APP = create_app(default_config(database_url=f"sqlite:///{Path(_DATA.name) / 'sandbox.db'}"))
schema.app = APP


@pytest.fixture(scope="module", autouse=True)
def _sandbox_app():
    yield APP
    APP.extensions["exam_sandbox"].db.dispose()
    _DATA.cleanup()


@pytest.fixture()
def tenant():
    """A fresh tenant (POST /_sandbox/tenants); schemathesis calls as its Surpass user."""
    http = APP.test_client()
    response = http.post("/_sandbox/tenants", json={"seed": 7})
    assert response.status_code == 201, response.json
    creds = response.json["credentials"]["surpass"]
    # A frozen clock: what is "in the past" (TS-27) is the same on every run.
    frozen = http.put(f"/_sandbox/tenants/{response.json['tenant']}/clock", json={"now": NOW})
    assert frozen.status_code == 200, frozen.json
    schema.config.update(basic_auth=(creds["username"], creds["password"]))
    yield response.json["tenant"]
    http.delete(f"/_sandbox/tenants/{response.json['tenant']}")


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
    class SurpassMachine(schema.include(tag_regex=FAMILIES[family]).as_state_machine()):
        def setup(self):
            # Every scenario starts from the seeded data: the same steps get the same
            # answers, which Hypothesis needs to generate consistently.
            reset = APP.test_client().post(f"/_sandbox/tenants/{tenant}/reset")
            assert reset.status_code == 200, reset.json

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            excluded = [use_after_free] if case.operation.label == RETIRED_STAYS_READABLE else []
            case.validate_response(
                response,
                additional_checks=[field_rules_hold],
                excluded_checks=excluded,
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    run_state_machine_as_test(
        SurpassMachine,
        settings=settings(
            max_examples=STATEFUL_SCENARIOS,
            stateful_step_count=STATEFUL_STEPS,
            derandomize=True,
            database=None,
            deadline=None,
            # Generation only, as schemathesis runs state machines: a replay would meet
            # the data of the scenarios before it, so shrinking cannot reproduce a step.
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        ),
    )
