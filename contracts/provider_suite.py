"""Provider conformance, for any vendor: schemathesis against the sandbox, in-process.

What every vendor's provider suite shares (``test_<vendor>_provider.py`` keeps what is
its own: the statuses its business rules answer, the rules its contract states, how it
authenticates, its resource families):

* :func:`config`: seeded, deterministic generation, no example database, no extra
  parameters in negative cases, every built-in check with ``positive_data_acceptance``
  given the vendor's expected statuses, a stateful phase that follows only the
  contract's own links with valid requests;
* :class:`InProcessSandbox`: the app built at import (every check that sends a request
  of its own reaches it through WSGI too), on a temporary database, with tenants;
* :func:`field_rules_hold`: the counterpart of accepting a 400 for a valid request: it
  must not cite a rule about the request's form, which the contract must state
  (:func:`message_rules_hold`: the same for errors that carry only a message);
* :func:`run_stateful`: one resource family's state machine, each scenario from the
  reset tenant, ``use_after_free`` spared only where a deleted record stays readable.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.generation.stateful import run_state_machine_as_test
from schemathesis.specs.openapi.checks import use_after_free

from exam_sandbox.app import create_app, default_config

SEED = 20_261_122
STATEFUL_STEPS = 10


def scale(vendor: str) -> int:
    """``<VENDOR>_PROVIDER_SCALE=10`` multiplies examples and scenarios, for a deeper run
    than ``make test`` can afford."""
    return int(os.environ.get(f"{vendor.upper()}_PROVIDER_SCALE", "1"))


def config(*, max_examples: int, expected_statuses: list[str]) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            # Each operation's run is seeded from this (schemathesis derives one per
            # operation), so every run, on every xdist worker, sends the same requests.
            "seed": SEED,
            "generation": {
                "max-examples": max_examples,
                "deterministic": True,
                "database": "none",  # no example database carrying cases between runs
                # Both vendors are ASP.NET Web APIs (assumed for Janison), which bind the
                # query parameters and headers they know and ignore the rest, as they
                # ignore unknown body members (each fidelity table says so): an extra one
                # is not an invalid request, so negative cases do not add them.
                "allow-extra-parameters": False,
            },
            "checks": {
                # The statuses a schema-valid request may rightly get, when the data it
                # names breaks a business rule: each vendor's own (its test says why).
                "positive_data_acceptance": {"expected-statuses": expected_statuses},
            },
            "phases": {
                "stateful": {
                    # The run follows the contract's own links, not ones schemathesis
                    # guesses, and spends its steps on valid requests (invalid ones are
                    # the per-operation tests' job).
                    "inference": {"algorithms": []},
                    "generation": {"mode": "positive"},
                },
            },
        }
    )


class InProcessSandbox:
    """A sandbox app on a temporary database, and tenants on it (``/_sandbox``)."""

    def __init__(self) -> None:
        self._data = tempfile.TemporaryDirectory(prefix="exam-sandbox-provider-")
        database = f"sqlite:///{Path(self._data.name) / 'sandbox.db'}"
        self.app = create_app(default_config(database_url=database))

    def create_tenant(self, *, seed: int, now: str) -> dict[str, Any]:
        """A fresh tenant (``POST /_sandbox/tenants``) whose clock is frozen at ``now``:
        what is "in the past" is the same on every run. Returns the answer: ``tenant``,
        ``credentials`` ..."""
        http = self.app.test_client()
        response = http.post("/_sandbox/tenants", json={"seed": seed})
        assert response.status_code == 201, response.json
        frozen = http.put(f"/_sandbox/tenants/{response.json['tenant']}/clock",
                          json={"now": now})
        assert frozen.status_code == 200, frozen.json
        return response.json

    def reset(self, tenant: str) -> None:
        """Back to the seeded data: the same steps get the same answers."""
        reset = self.app.test_client().post(f"/_sandbox/tenants/{tenant}/reset", json={})
        assert reset.status_code == 200, reset.json

    def delete_tenant(self, tenant: str) -> None:
        self.app.test_client().delete(f"/_sandbox/tenants/{tenant}")

    def close(self) -> None:
        self.app.extensions["exam_sandbox"].db.dispose()
        self._data.cleanup()


def field_rules_hold(codes: Collection[int | str], code_key: str,
                     errors_of: Callable[[Any], Any] | None = None) -> Callable[..., None]:
    """A check: a request the contract calls valid breaks no rule the contract states.

    ``codes`` are the error codes of rules about the form of one field (presence, type,
    length, format, range) or of the request itself, as the vendor's error items carry
    them under ``code_key``. The counterpart of answering business rules with 400: a 400
    for a schema-valid request must come from the data it names, never from its form.

    ``errors_of``: the error items of a 400's decoded body; by default its ``errors``
    list (``{"errors": [{<code_key>: ...}]}``); iTEP's body is one item itself
    (``lambda body: [body]``).
    """
    stated = frozenset(codes)
    items = errors_of or (lambda body: body.get("errors") or [])

    def field_rules_hold(ctx, response, case) -> None:
        if case.meta is None or not case.meta.generation.mode.is_positive:
            return None
        if response.status_code != 400:
            return None
        try:
            errors = items(json.loads(response.content))
        except (ValueError, AttributeError):
            return None  # not the error envelope: the schema checks report that
        broken = [e for e in errors if isinstance(e, dict) and e.get(code_key) in stated]
        if broken:
            raise AssertionError(
                "A request the contract calls valid was refused for its form; the contract "
                f"does not state this rule: {broken}"
            )
        return None

    return field_rules_hold


def message_rules_hold(templates: Iterable[str], *, skip: Collection[str] = ()
                       ) -> Callable[..., None]:
    """:func:`field_rules_hold` for a vendor whose errors carry no code, only a message
    (Cirrus): ``templates`` are the messages of the rules about the form of one field or
    of the request, ``{placeholders}`` matching any text. A 400 for a request the
    contract calls valid must cite none of them, in either error body
    (``{"Errors": ["<message>"]}`` or ``{"Message": "Bad request | <message>"}``).

    ``skip``: operation labels (``GET /api/x``) left unchecked, where a rule the
    contract cannot state shares its message with one it can (a message names no rule).
    """
    patterns = [_template_pattern(t) for t in templates]
    skipped = frozenset(skip)

    def field_rules_hold(ctx, response, case) -> None:
        if case.meta is None or not case.meta.generation.mode.is_positive:
            return None
        if case.operation.label in skipped:
            return None
        if response.status_code != 400:
            return None
        try:
            body = json.loads(response.content)
        except ValueError:
            return None  # not an error body: the schema checks report that
        broken = [m for m in _messages(body) if any(p.fullmatch(m) for p in patterns)]
        if broken:
            raise AssertionError(
                "A request the contract calls valid was refused for its form; the contract "
                f"does not state this rule: {broken}"
            )
        return None

    return field_rules_hold


def _template_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{[^{}]*\}", template)
    return re.compile(".+?".join(re.escape(p) for p in parts), re.DOTALL)


def _messages(body: Any) -> list[str]:
    if not isinstance(body, dict):
        return []
    found = [m for m in body.get("Errors") or [] if isinstance(m, str)]
    message = body.get("Message")
    if isinstance(message, str):
        found.append(re.sub(r"^Bad request \| ", "", message))
    return found


def run_stateful(schema, tag_regex: str, *, name: str, reset: Callable[[], None],
                 checks: list[Callable[..., None]], scenarios: int,
                 readable_after_delete: Collection[str] = ()) -> None:
    """Follow the links among the operations tagged ``tag_regex`` for ``scenarios``
    scenarios of up to ``STATEFUL_STEPS`` steps, each from ``reset()`` data (``name``:
    the vendor's, for the machine's name in a failure).

    ``readable_after_delete``: operation labels (``GET /api/x/{id}``) whose record a
    DELETE retires and keeps readable; reading it afterwards is not a use after free.
    """
    spared = frozenset(readable_after_delete)

    class Machine(schema.include(tag_regex=tag_regex).as_state_machine()):
        def setup(self):
            reset()

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            excluded = [use_after_free] if case.operation.label in spared else []
            case.validate_response(
                response,
                additional_checks=checks,
                excluded_checks=excluded,
                transport_kwargs=kwargs or None,
                recorder=self.recorder,
            )

    Machine.__name__ = Machine.__qualname__ = f"{name}Machine"  # as failures print it
    run_state_machine_as_test(
        Machine,
        settings=settings(
            max_examples=scenarios,
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
