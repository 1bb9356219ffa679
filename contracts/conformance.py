"""Consumer conformance, for any vendor: a client's requests and a vendor's answers
against that vendor's committed contract (:class:`contract.Contract`).

* Requests: :class:`Recorder` keeps every request a client sends through a real
  transport; :meth:`RequestChecker.violations` lists everything about one the contract
  does not allow: no such operation, an undeclared or invalid query or header parameter,
  a missing required one, missing credentials of the contract's security schemes, a
  body the operation does not take or that fails its request schema (``jsonschema``).
* Responses: :class:`ResponseCases` enumerates every operation and response status of
  the contract and draws bodies from each response schema (``schema_strategies``);
  :class:`StubVendor` serves one to the client in place of the vendor.

The vendor's test module says how its client is driven and what it must return.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import jsonschema
import requests
from contract import Contract, Operation
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from schema_strategies import from_schema

# Headers any HTTP client sends; every other header must be a declared parameter (or a
# credential of the operation's security schemes).
TRANSPORT_HEADERS = frozenset({
    "user-agent", "accept", "accept-encoding", "connection", "content-type", "content-length",
})  # fmt: skip
FORM = "application/x-www-form-urlencoded"
_FORMATS = jsonschema.Draft7Validator.FORMAT_CHECKER


def validator(schema: dict[str, Any]) -> jsonschema.Draft7Validator:
    """A JSON Schema validator that also checks ``format`` (dates, date-times)."""
    return jsonschema.Draft7Validator(schema, format_checker=_FORMATS)


# --------------------------------------------------------------------------- requests


class RequestChecker:
    """Checks requests against ``contract``; the vendor is mounted at its server URL
    (``/surpass``), on any host."""

    def __init__(self, contract: Contract) -> None:
        self.contract = contract

    def operation(self, request: requests.PreparedRequest) -> Operation | None:
        return self.contract.match(request.method, urlsplit(request.url).path)

    def violations(self, request: requests.PreparedRequest) -> list[str]:
        """Everything about ``request`` the contract does not allow ([] if it conforms)."""
        parts = urlsplit(request.url)
        op = self.operation(request)
        if op is None:
            return [f"{request.method} {parts.path} is no operation of the contract"]
        problems = []
        sent = parse_qsl(parts.query, keep_blank_values=True)
        keys = _credential_params(op)
        for name, value in sent:
            if name in keys:
                continue
            param = op.parameter("query", name)
            if param is None:
                problems.append(f"query parameter {name!r} is not declared by {op.id}")
            else:
                problems += self._check_value(f"query {name}", value, param.get("schema", {}))
        names = {k for k, _ in sent}
        for p in op.parameters:
            if p.get("required") and p["in"] == "query" and p["name"] not in names:
                problems.append(f"required query parameter {p['name']!r} missing")
        credentials = {h.lower() for h in _credential_headers(op)}
        for name, value in request.headers.items():
            if name.lower() in TRANSPORT_HEADERS or name.lower() in credentials:
                continue
            param = op.parameter("header", name)
            if param is None:
                problems.append(f"header {name!r} is not declared by {op.id}")
            else:
                problems += self._check_value(f"header {name}", value, param.get("schema", {}))
        problems += _check_security(op, request)
        problems += self._check_body(op, request)
        return problems

    def _check_value(self, what: str, raw: str, schema: dict[str, Any]) -> list[str]:
        schema = self.contract.json_schema(schema)
        value: Any = raw
        kind = schema.get("type")
        if kind == "integer" and re.fullmatch(r"-?\d+", raw):
            value = int(raw)
        elif kind == "boolean" and raw in ("true", "false"):
            value = raw == "true"
        errors = sorted(validator(schema).iter_errors(value), key=str)
        return [f"{what}={raw!r}: {e.message}" for e in errors]

    def _check_body(self, op: Operation, request: requests.PreparedRequest) -> list[str]:
        body = request.body
        declared = op.spec.get("requestBody")
        if not body:
            return [f"{op.id} requires a body"] if declared and declared.get("required") else []
        if declared is None:
            return [f"{op.id} takes no body, but one was sent"]
        ctype = request.headers.get("Content-Type", "").split(";")[0].strip()
        if ctype not in declared["content"]:
            return [f"Content-Type {ctype!r} is not one of {sorted(declared['content'])}"]
        text = body.decode() if isinstance(body, bytes) else body
        data = dict(parse_qsl(text, keep_blank_values=True)) if ctype == FORM else json.loads(text)
        check = validator(op.request_schema(ctype))
        return [
            f"body{''.join(f'[{p!r}]' for p in e.absolute_path)}: {e.message}"
            for e in sorted(check.iter_errors(data), key=str)
        ]


def _credential_headers(op: Operation) -> set[str]:
    """The headers that carry the credentials of any of ``op``'s security schemes."""
    names = set()
    for alternative in op.security:
        for scheme in alternative.values():
            if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
                names.add(scheme["name"])
            elif scheme.get("type") == "http":
                names.add("Authorization")
    return names


def _credential_params(op: Operation) -> set[str]:
    """The query parameters that carry the credentials of any of ``op``'s security
    schemes (an API key ``in: query``)."""
    return {
        scheme["name"]
        for alternative in op.security
        for scheme in alternative.values()
        if scheme.get("type") == "apiKey" and scheme.get("in") == "query"
    }


def _check_security(op: Operation, request: requests.PreparedRequest) -> list[str]:
    """Every credential of at least one of the operation's security alternatives."""
    alternatives = op.security
    if not alternatives or any(not a for a in alternatives):
        return []
    found = []
    for alternative in alternatives:
        missing = [
            problem for name, scheme in alternative.items()
            if (problem := _missing_credential(name, scheme, request))
        ]  # fmt: skip
        if not missing:
            return []
        found += missing
    return found


def _missing_credential(name: str, scheme: dict[str, Any], request: requests.PreparedRequest
                        ) -> str | None:
    headers = request.headers
    if scheme.get("type") == "apiKey" and scheme.get("in") == "query":
        sent = dict(parse_qsl(urlsplit(request.url).query, keep_blank_values=True))
        if not sent.get(scheme["name"], "").strip():
            return f"no {scheme['name']} query parameter (the contract's security scheme {name!r})"
        return None
    if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
        if not headers.get(scheme["name"], "").strip():
            return f"no {scheme['name']} header (the contract's security scheme {name!r})"
        return None
    if scheme.get("type") == "http":
        kind = str(scheme.get("scheme", "")).capitalize()  # Basic, Bearer
        value = headers.get("Authorization", "")
        if not value.startswith(f"{kind} ") or not value[len(kind) + 1 :].strip():
            return f"no {kind} Authorization header (the contract's security scheme {name!r})"
        return None
    return f"security scheme {name!r} ({scheme.get('type')}) cannot be checked"


class Recorder(HTTPAdapter):
    """A real transport that keeps every request it sends."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[requests.PreparedRequest] = []

    def send(self, request, **kwargs):
        self.sent.append(request)
        return super().send(request, **kwargs)


def unsent_operations(contract: Contract, sent: Iterable[requests.PreparedRequest]) -> list[str]:
    """The operations of ``contract`` none of the requests ``sent`` is for."""
    seen = {op.id for r in sent if (op := contract.match(r.method, urlsplit(r.url).path))}
    return [op.id for op in contract.operations if op.id not in seen]


# --------------------------------------------------------------------------- responses


class StubVendor(HTTPAdapter):
    """Stands in for a vendor's site: answers every request with one canned response."""

    def __init__(self, status: int, body: bytes, content_type: str) -> None:
        super().__init__()
        self.status, self.body, self.content_type = status, body, content_type
        self.requests: list[requests.PreparedRequest] = []

    def send(self, request, **kwargs):
        self.requests.append(request)
        response = requests.Response()
        response.status_code = self.status
        response.reason = "Canned"
        response._content = self.body
        response.headers = CaseInsensitiveDict({"Content-Type": self.content_type})
        response.url = request.url
        response.request = request
        return response


def stub_session(vendor: StubVendor) -> requests.Session:
    """A session whose every request goes to ``vendor``: nothing leaves the process."""
    session = requests.Session()
    session.trust_env = False  # no proxy lookups from the environment either
    session.mount("http://", vendor)
    session.mount("https://", vendor)
    return session


class ResponseCases:
    """Every (operation, status) a vendor may answer, by the contract, and body strategies.

    A ``default`` response stands for ``default_statuses``: any other status the vendor
    may send. Operations in ``skip`` are left out (say why where you skip them).
    """

    def __init__(self, contract: Contract, default_statuses: tuple[int, ...],
                 skip: Iterable[str] = ()) -> None:
        self.contract = contract
        left_out = set(skip)
        self.all = [
            (op, status)
            for op in contract.operations
            if op.id not in left_out
            for declared in op.statuses
            for status in (default_statuses if declared == "default" else (int(declared),))
        ]
        self.successes = [(op, status) for op, status in self.all if status < 300]
        self.failures = [(op, status) for op, status in self.all if status >= 300]
        self._strategies: dict[tuple[str, int], tuple[st.SearchStrategy, Any]] = {}

    @staticmethod
    def ids(cases: list[tuple[Operation, int]]) -> list[str]:
        return [f"{op.id} {status}" for op, status in cases]

    def body_strategy(self, op: Operation, status: int
                      ) -> tuple[st.SearchStrategy, jsonschema.Draft7Validator]:
        key = (op.id, status)
        if key not in self._strategies:
            declared = str(status) if str(status) in op.statuses else "default"
            schema = op.response_schema(declared)
            self._strategies[key] = (from_schema(schema), validator(schema))
        return self._strategies[key]

    def draw(self, op: Operation, status: int, data: st.DataObject) -> Any:
        """A body the contract allows for ``op`` answering ``status``."""
        strategy, schema = self.body_strategy(op, status)
        body = data.draw(strategy, label="body")
        schema.validate(body)  # the generator's own honesty: the vendor sent a legal body
        return body


def examples(count: int) -> settings:
    """The consumer suites' hypothesis settings: ``count`` examples per case, the same
    ones every run (derandomized, no example database), no deadline, no health checks
    (the stand-in vendor's round trip is slow for hypothesis's taste)."""
    return settings(
        max_examples=count,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
