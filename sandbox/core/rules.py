"""Vendor rules as data: an id from the research notes, the vendor's error code, a message.

Each vendor keeps one ``RuleBook`` (its whole error catalogue in one table, so a
correction is one edit) and raises its rules by id. The id travels with the error, so
tests, the fidelity table and the code all name a rule the same way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from marshmallow import ValidationError

from .errors import (
    ErrorDetail,
    MethodNotAllowed,
    NotFound,
    PermissionDenied,
    SandboxError,
    ValidationFailed,
)


@dataclass(frozen=True)
class Rule:
    id: str
    code: int
    message: str

    def detail(self, **values) -> ErrorDetail:
        return ErrorDetail(self.code, self.message.format(**values), self.id)


class RuleBook:
    """A vendor's rules, in the order they are checked and reported."""

    def __init__(self, *rules: Rule) -> None:
        self._rules = {r.id: r for r in rules}
        self._order = {rule_id: index for index, rule_id in enumerate(self._rules)}

    def __getitem__(self, rule_id: str) -> Rule:
        return self._rules[rule_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._rules)

    def __contains__(self, rule_id: str) -> bool:
        return rule_id in self._rules

    def order(self, rule_id: str | None) -> int:
        """Where a rule sorts among reported errors; details with no rule sort last."""
        return self._order.get(rule_id or "", len(self._order))

    def detail(self, rule_id: str, **values) -> ErrorDetail:
        return self._rules[rule_id].detail(**values)

    def error(self, kind: type[SandboxError], rule_id: str, **values) -> SandboxError:
        return kind(self.detail(rule_id, **values))

    def invalid(self, rule_id: str, **values) -> ValidationFailed:
        return ValidationFailed(self.detail(rule_id, **values))

    def not_found(self, rule_id: str, **values) -> NotFound:
        return NotFound(self.detail(rule_id, **values))

    def forbidden(self, rule_id: str, **values) -> PermissionDenied:
        return PermissionDenied(self.detail(rule_id, **values))

    def schema_error(self, rule_id: str, **values) -> ValidationError:
        """A marshmallow ValidationError carrying the rule's ErrorDetail.

        The detail goes in a list: marshmallow 4 merges the messages of several
        validators on one field as lists, and a bare object there breaks that merge.
        """
        return ValidationError([self.detail(rule_id, **values)])


def http_error(rules: RuleBook, status: int, *, method: str, uri: str, allowed=None,
               description: str = "") -> SandboxError:
    """A routing or protocol error (werkzeug's) as a vendor's, by the request rules every
    vendor's book names: REQ-6 no such resource (formatted with ``uri``), REQ-5 a verb
    the resource does not have (with ``Allow``, RFC 9110 15.5.6), REQ-3 a body too large,
    REQ-1 anything else (``field`` "request", ``problem``)."""
    if status == 404:
        return SandboxError(rules.detail("REQ-6", uri=uri), status=404)
    if status == 405:
        headers = {"Allow": ", ".join(sorted(allowed))} if allowed else None
        return MethodNotAllowed(rules.detail("REQ-5", method=method), headers=headers)
    if status == 413:
        return SandboxError(rules.detail("REQ-3"), status=413)
    problem = description
    return SandboxError(rules.detail("REQ-1", field="request", problem=problem), status=status)
