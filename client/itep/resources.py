"""The calls of :class:`.client.ItepClient`: the two that hand out a test ID.

iTEP documents two calls with "the same request body and parameters": one returns an
available test ID assigned to your candidate, the other also has iTEP e-mail the test
ID and the test material to the candidate. Kept apart from ``client.py`` only to keep
files small; use them through ``ItepClient``.

Neither is retried, whatever ``retries`` says: a POST that timed out or got a 5xx may
still have assigned a test ID, and sending it again would assign a second one.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from exam_sandbox.client.core.http import Timeout
from exam_sandbox.client.core.resources import ClientBase
from exam_sandbox.client.itep.errors import ERRORS
from exam_sandbox.client.itep.models import Assignment, Candidate
from exam_sandbox.client.itep.wire import AssignedToAs, assignment_body

__all__ = ["AssignedTo", "ResourceMethods", "assigned_to_object"]

#: A :class:`Candidate`; a mapping (any JSON object); another dataclass or an object
#: with ``to_wire()``; or the JSON text of an object.
AssignedTo = Candidate | Mapping[str, Any] | str | Any


class ResourceMethods(ClientBase):
    """Mixed into ``ItepClient``, which provides ``request()`` and the options below."""

    assign_path: str
    assign_and_email_path: str
    assigned_to_as: AssignedToAs

    if TYPE_CHECKING:

        def request(
            self,
            method: str,
            path: str,
            *,
            params: Mapping[str, Any] | None = None,
            body: Any = None,
            timeout: Timeout | None = None,
        ) -> Any: ...

    def assign_test_id(
        self,
        assigned_to: AssignedTo,
        *,
        oid: str | None = None,
        tracking_code: str | None = None,
        assigned_to_as: AssignedToAs | None = None,
        timeout: Timeout | None = None,
    ) -> Assignment:
        """``POST /test-ids/assign``: take an available test ID of the key's product code
        (Ready, with an empty Assigned-to) and assign it to ``assigned_to``; you deliver
        the test ID to the candidate yourself.

        ``assigned_to`` is who takes the test: a :class:`Candidate` (name, e-mail and
        your own reference, as iTEP recommends), or any JSON object. It is sent as an
        object, or with ``assigned_to_as="text"`` as a string holding its JSON text
        (which of the two iTEP expects is not known; the client's default is used when
        not given). ``oid`` is your system's id for this test, sent back as the results
        webhook's ``OID``; ``tracking_code`` makes the test fire that webhook.

        Raises ``ValidationError`` (``code`` says which rule), ``MissingApiKeyError`` /
        ``InvalidApiKeyError``, or ``NoAvailableTestIdsError`` when the inventory is
        empty. **Not retried**: after a timeout or a 5xx the test ID may have been
        assigned all the same, so a retry could use up a second one; look the candidate
        up in iTEP (the AVAILABLE TESTS export) before sending it again.
        """
        return self._assign(
            self.assign_path, assigned_to, oid, tracking_code, assigned_to_as, timeout
        )

    def assign_and_email(
        self,
        assigned_to: AssignedTo,
        *,
        oid: str | None = None,
        tracking_code: str | None = None,
        assigned_to_as: AssignedToAs | None = None,
        timeout: Timeout | None = None,
    ) -> Assignment:
        """``POST /test-ids/assign-and-email``: as :meth:`assign_test_id`, and iTEP
        e-mails the test ID and the test material to ``assigned_to``'s ``email``
        (``result.emailed_to``). Without an e-mail address iTEP refuses it
        (``ValidationError``, ``code == "candidate_email_required"``) and assigns nothing.

        **Not retried**, for the reason :meth:`assign_test_id` gives; a retry could
        also send the candidate a second e-mail with another test ID.
        """
        return self._assign(
            self.assign_and_email_path, assigned_to, oid, tracking_code, assigned_to_as, timeout
        )

    def _assign(
        self,
        path: str,
        assigned_to: AssignedTo,
        oid: str | None,
        tracking_code: str | None,
        how: AssignedToAs | None,
        timeout: Timeout | None,
    ) -> Assignment:
        body = assignment_body(
            assigned_to_object(assigned_to),
            how or self.assigned_to_as,
            _optional_text("oid", oid),
            _optional_text("tracking_code", tracking_code),
        )
        answer = self.request("POST", path, body=body, timeout=timeout)
        assignment = Assignment.from_wire(answer)
        if not isinstance(answer, Mapping) or not assignment.test_id:
            raise ERRORS.base(
                f"POST {path}: the answer names no test_id (a test ID may have been "
                f"assigned all the same): {answer!r}"
            )
        return assignment


def assigned_to_object(value: AssignedTo) -> dict[str, Any]:
    """The Assigned-to JSON object of ``value`` (see :data:`AssignedTo`).

    An empty object is refused (``ValueError``): iTEP counts a Ready test ID with an
    empty Assigned-to as available, so it could be handed out again.
    """
    if isinstance(value, Candidate):
        found: Any = value.to_wire()
    elif isinstance(value, Mapping):
        found = dict(value)
    elif isinstance(value, str):
        try:
            found = json.loads(value)
        except ValueError:
            raise ValueError(f"assigned_to text must be the JSON of an object: {value!r}") from None
        if not isinstance(found, dict):
            raise ValueError(f"assigned_to text must be the JSON of an object: {value!r}")
    elif callable(getattr(value, "to_wire", None)):
        found = value.to_wire()
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        found = {k: v for k, v in dataclasses.asdict(value).items() if v is not None}
    else:
        raise TypeError(
            "assigned_to is a Candidate, a mapping, a dataclass or the JSON text of an "
            f"object, not {type(value).__name__}"
        )
    if not isinstance(found, Mapping):
        raise TypeError(f"assigned_to must make a JSON object, got {found!r}")
    if not found:
        raise ValueError(
            "assigned_to is empty: a Ready test ID with an empty Assigned-to counts as "
            "available at iTEP; send at least the candidate's name, email and reference"
        )
    return dict(found)


def _optional_text(name: str, value: str | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"{name} must be a string, got {type(value).__name__}")
