"""Provider conformance: the sandbox's Cirrus API against the committed contract.

Schemathesis generates requests for every operation in ``contracts/openapi/cirrus.json``
(the committed document, not the one the app serves: the drift test keeps the two equal)
and sends them to the sandbox in-process, through WSGI, with a fresh tenant's EAPI token
(``Authorization: EAPI <token>``). Every built-in check runs, response-schema
conformance included, plus ``field_rules_hold``. No network, no server process.

* ``test_operation_conforms``: one test per operation (so xdist spreads them), each a
  seeded Hypothesis run of the examples, coverage and fuzzing phases, from the tenant's
  seeded data.
* ``test_stateful_links``: per resource family, a state machine that follows the
  contract's OpenAPI links (sandbox/providers/cirrus/openapi.py, ``LINKS``): schedule,
  read back, change, add candidates, read the first candidate's results, delete; create
  a non-published schedule and read, change, delete it; create an assessment and read
  it. Every scenario starts from the seeded data.

Random data almost never meets Cirrus's business rules together, so in half of the
valid cases the values those rules judge are put right (``tamed``, below). The shared
setup is ``provider_suite.py``.
``CIRRUS_PROVIDER_SCALE=10`` multiplies the examples and scenarios.
"""

from __future__ import annotations

import copy
import json
import os
import re

import pytest
import schemathesis
from contract import path_of
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from provider_suite import InProcessSandbox, config, message_rules_hold, run_stateful, scale
from schemathesis.specs.openapi.checks import missing_required_header

from exam_sandbox.providers.cirrus.errors import RULES
from exam_sandbox.providers.cirrus.fixtures import ASSESSMENTS

SCALE = scale("cirrus")
MAX_EXAMPLES = 10 * SCALE  # per operation and phase
STATEFUL_SCENARIOS = 15 * SCALE  # per family
NOW = "2026-01-01T09:00:00Z"  # the tenant's frozen clock: the same answers on every run

schema = schemathesis.openapi.from_path(
    path_of("cirrus"),
    config=config(
        max_examples=MAX_EXAMPLES,
        # Cirrus answers every refusal of a request it understood with 400 (an unknown
        # external id, S4/SCH-1/AS-10; an unpublished assessment, S5; a window too short
        # for the assessment, S8; an owner it does not know, AS-9 ...; interface page):
        # a schema-valid request can rightly get one. Nothing else: not 403 (the token
        # is good), not 429 (far from the daily limit), not 5xx.
        expected_statuses=["2xx", "400"],
    ),
)

# Rules about the form of one field (presence, type, length, format, enum) or of the
# request itself: the contract can state them, so a 400 for a valid request must not
# cite them. Left out on purpose: rules between fields or items, which OpenAPI 3.0 cannot
# state (S16d a candidate listed twice, S17 an adjustment without SpecialNeeds, S18 an
# AttemptExtId for EXTERNAL_ATTEMPTS, RES-1 CandidateExtId unless AttemptExtId), and the
# ones that depend on data (S8 the assessment's duration) or on a setting (S19).
FIELD_RULES = message_rules_hold(
    [RULES[rule_id].message for rule_id in (
        "REQ-1", "REQ-2", "REQ-4",
        "S1", "S2", "S3", "S6a", "S6b", "S9", "S10", "S14", "S15", "S16a", "S16b", "S16c",
        "SCH-4", "SCH-5",
        "AS-1", "AS-2", "AS-3", "AS-4", "AS-5", "AS-6",
    )],
    # GET /results states no rule of form: its one, RES-1 (CandidateExtId unless
    # AttemptExtId), is between parameters, and its message is S9's.
    skip=("GET /api/v1/integrations/results",),
)  # fmt: skip

# Built at import, with the tenant: schemathesis puts credentials on a case when it
# generates it, and it generates some (the coverage phase's) while collecting.
SANDBOX = InProcessSandbox()
schema.app = SANDBOX.app
TENANT = SANDBOX.create_tenant(seed=7, now=NOW)
TOKEN = TENANT["credentials"]["cirrus"]["token"]
PUBLISHED = tuple(external_id for external_id, _, _, published, _ in ASSESSMENTS if published)


@schema.auth(refresh_interval=None)
class TenantToken:
    """The tenant's EAPI token on every case, except where a negative case leaves it out
    on purpose (schemathesis decides)."""

    def get(self, case, context):
        return TOKEN

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"EAPI {data}"


# ``tamed``: random data almost never meets Cirrus's business rules together (a published
# assessment, S4-S5; a window long enough for it, S8; an adjustment only with special
# needs, S17; an AttemptExtId for external attempts, S18; a known owner, AS-9 ...), so a
# valid POST /schedule would nearly never succeed and no link from it would be followed.
# In half of the valid cases of these operations, the values those rules judge are put
# right; the form of every field stays as generated. The contract has no examples to
# offer instead.
def _tame_schedule(body: dict, assessment: str) -> None:
    schedule = body.get("Schedule")
    if isinstance(schedule, dict):
        body["Schedule"] = _tame_window({**schedule, "AssessmentExtId": assessment})
    body.pop("Workflow", None)
    body["Candidates"] = _tame_candidates(body.get("Candidates"))


def _tame_candidates(candidates) -> list:
    out, seen = [], set()
    for candidate in candidates if isinstance(candidates, list) else []:
        if not isinstance(candidate, dict) or candidate.get("CandidateExtId") in seen:
            continue
        seen.add(candidate.get("CandidateExtId"))
        candidate = {k: v for k, v in candidate.items() if k != "AttemptExtId"}
        if candidate.get("SpecialNeeds") is not True:
            candidate.pop("ReasonableAdjustmentPercentage", None)
        out.append(candidate)
    return out or [
        {
            "CandidateExtId": "TAMED-1",
            "FirstName": "Ada",
            "LastName": "Lovelace",
            "Email": "ada@example.org",
        }
    ]


def _tame_window(body: dict) -> dict:
    """A start the sandbox takes (1900-9000, see KNOWN), no end (S7 derives one)."""
    start = body.get("StartDateTime")
    if isinstance(start, str) and len(start) > 4:
        body["StartDateTime"] = "2030" + start[4:]
    body.pop("EndDateTime", None)
    return body


def _tame_external(body: dict, assessment: str) -> None:
    body["AssessmentExternalId"] = assessment
    _tame_window(body)


def _tame_patch(body: dict, assessment: str) -> None:
    _tame_window(body)
    body.pop("PIN", None)  # SCH-3: none on an activated schedule


def _tame_assessment(body: dict, assessment: str) -> None:
    body.pop("Owner", None)  # AS-9: an owner the site knows; the setting's when none


def _tame_add(body: dict, assessment: str) -> None:
    body["Candidates"] = _tame_candidates(body.get("Candidates"))


TAMERS = {
    "POST /api/v1/integrations/schedule": _tame_schedule,
    "POST /api/v1/integrations/schedule/add-candidates": _tame_add,
    "POST /api/v1/integrations/external/schedule": _tame_external,
    "PATCH /api/v1/integrations/external/schedule/{external_id}": _tame_patch,
    "POST /api/v1/integrations/assessment": _tame_assessment,
}
READ_ASSESSMENT = "GET /api/v1/integrations/assessment/{external_id}"


@schema.hook
def flatmap_case(context, case):
    """``tamed`` (above): in half of the valid cases, what the business rules judge is
    put right; a read of an assessment names a seeded one."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return st.just(case)
    label = case.operation.label
    choice = st.tuples(st.booleans(), st.sampled_from(PUBLISHED))
    if label == READ_ASSESSMENT:
        return choice.map(lambda drawn: _read(case, *drawn))
    tamer = TAMERS.get(label)
    if tamer is None or not isinstance(case.body, dict):
        return st.just(case)
    return choice.map(lambda drawn: _tamed(case, tamer, *drawn))


def _read(case, tame: bool, external_id: str):
    if tame:
        case.path_parameters = {**case.path_parameters, "external_id": external_id}
    return case


def _tamed(case, tamer, tame: bool, assessment: str):
    if tame:
        body = copy.deepcopy(case.body)
        tamer(body, assessment)
        case.body = body
    return case


# --------------------------------------------------------------------------- KNOWN
# Disagreements between the sandbox and its document that this suite found and that the
# document cannot state: recognised narrowly, from the request that showed it, and
# forgiven; any other failure fails the test. CIRRUS_PROVIDER_STRICT=1 forgives none.
# (K2-K6, found the same way, were fixed in the sandbox and its schemas.)
STRICT = os.environ.get("CIRRUS_PROVIDER_STRICT") == "1"
INSTANT = re.compile(r"^'([\w.\[\]]+)' is not a valid RFC 3339 date and time$")


def _at(body, dotted: str):
    """The value at ``Schedule.StartDateTime`` / ``Candidates[0].FirstName`` in ``body``."""
    node = body
    for part in re.findall(r"\w+|\[\d+\]", dotted):
        if part.startswith("["):
            index = int(part[1:-1])
            node = node[index] if isinstance(node, list) and index < len(node) else None
        else:
            node = node.get(part) if isinstance(node, dict) else None
    return node


def _year_outside_1900_9000(value) -> bool:
    """K1: an RFC 3339 instant the sandbox refuses as not one (core/clock.py keeps every
    instant in 1900-9000, and wire.parse_instant says "not a valid RFC 3339 date and
    time"); the contract's ``format: date-time`` states no range."""
    return (
        isinstance(value, str)
        and len(value) >= 4
        and value[:4].isdigit()
        and not 1900 <= int(value[:4]) <= 9000
    )


def _forgiven_refusal(case, message: str) -> bool:
    found = INSTANT.match(message)
    return bool(found) and _year_outside_1900_9000(_at(case.body, found[1]))


@schema.hook
def filter_failure(context, failure, case, response):
    """Keep every failure but the KNOWN ones (above)."""
    if STRICT:
        return True
    title = failure.title
    if title == "Custom check failed: `field_rules_hold`" and response.status_code == 400:
        try:
            sent = json.loads(response.content)
        except ValueError:
            return True
        messages = sent.get("Errors") or [re.sub(r"^Bad request \| ", "", sent.get("Message", ""))]
        return not all(_forgiven_refusal(case, m) for m in messages)
    return True


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
    # Cirrus answers a missing Authorization header 403 "Not allowed to use external
    # API", as every other refusal of the token (A1, confirmed); schemathesis wants 401
    # there and cannot be told otherwise. ``ignored_auth`` still checks the 403.
    case.call_and_validate(
        additional_checks=[FIELD_RULES], excluded_checks=[missing_required_header]
    )


# The stateful run, one resource family at a time: a machine with few rules follows a
# chain of links far more often in the same steps.
FAMILIES = {
    "scheduling": "^(schedule|external|results)$",
    "external": "^external$",
    "assessments": "^assessment$",
}


@pytest.mark.parametrize("family", FAMILIES)
def test_stateful_links(family, tenant):
    run_stateful(
        schema,
        FAMILIES[family],
        name="Cirrus",
        reset=lambda: SANDBOX.reset(tenant),
        checks=[FIELD_RULES],
        scenarios=STATEFUL_SCENARIOS,
    )
