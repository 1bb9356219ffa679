"""Resource methods of :class:`.client.JanisonClient` other than scheduling.

User, candidate, test, testpackage, component, centre and result: list (lazy ``iter_*``
and one-page ``*_page``), get, and the writes each resource has in the seed. Kept apart
from ``client.py`` only to keep files small; use them through ``JanisonClient``.

Keys: an ``int`` is an id, a ``str`` a reference, or pass a :class:`Ref` or a fetched
object. The wire addresses records by id only (``/candidate/12``), so a reference costs
one extra request: a list call filtered on ``reference eq '...'``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Unpack

from exam_sandbox.client.core.http import Timeout
from exam_sandbox.client.core.paging import Paginator
from exam_sandbox.client.core.resources import IterQuery, ListMethods, ListQuery, PageQuery
from exam_sandbox.client.janison.models import (
    Candidate,
    Centre,
    Component,
    Gender,
    Model,
    Page,
    Ref,
    Result,
    Test,
    TestPackage,
    User,
    WriteResult,
    ref,
    refs,
)
from exam_sandbox.client.janison.wire import coerce_enum, compact, format_date

Key = int | str | Ref | Model | Mapping[str, Any]  # a Model: any fetched object, by its id
Keys = Key | Iterable[Key]  # one key or several
Json = dict[str, Any]

__all__ = ["IterQuery", "Key", "Keys", "ListQuery", "PageQuery", "ResourceMethods"]
Day = dt.date | str  # a date, or an ISO 'YYYY-MM-DD' string


class ResourceMethods(ListMethods):
    """Mixed into ``JanisonClient``: lists come from :class:`..core.resources.ListMethods`,
    the client provides the rest of the plumbing declared below."""

    if TYPE_CHECKING:

        def _get(self, resource: str, model: Any, key: Key, timeout: Timeout | None) -> Any: ...

        def _write(self, method: str, resource: str, key: Key | None = None,
                   body: Mapping[str, Any] | None = None, *,
                   timeout: Timeout | None = None) -> WriteResult: ...

    # ------------------------------------------------------------------ user

    def iter_users(self, **query: Unpack[IterQuery]) -> Paginator[User]:
        """Every user matching the query, fetched lazily page by page."""
        return self._iter("user", User, **query)

    def users_page(self, **query: Unpack[PageQuery]) -> Page[User]:
        """One page of users with ``count``/``page_count``/links."""
        return self._page("user", User, **query)

    def get_user(self, key: Key, *, timeout: Timeout | None = None) -> User:
        """By id (``int``) or reference (``str``)."""
        return self._get("user", User, key, timeout)

    def create_user(
        self, *, user_name: str, reference: str, first_name: str | None = None,
        middle_name: str | None = None, last_name: str | None = None,
        date_of_birth: Day | None = None, gender: Gender | str | None = None,
        expiry: Day | None = None, address_line1: str | None = None,
        address_line2: str | None = None, town: str | None = None, county: str | None = None,
        country: str | None = None, post_code: str | None = None, email: str | None = None,
        phone: str | None = None, centres: Keys | None = None, tests: Keys | None = None,
        timeout: Timeout | None = None,
    ) -> WriteResult:
        """POST user (only a user that does not exist yet: a duplicate is a ConflictError)."""
        return self._write("POST", "user", body=_user_body(locals()), timeout=timeout)

    def update_user(
        self, key: Key, *, user_name: str | None = None, first_name: str | None = None,
        middle_name: str | None = None, last_name: str | None = None,
        date_of_birth: Day | None = None, gender: Gender | str | None = None,
        expiry: Day | None = None, address_line1: str | None = None,
        address_line2: str | None = None, town: str | None = None, county: str | None = None,
        country: str | None = None, post_code: str | None = None, email: str | None = None,
        phone: str | None = None, centres: Keys | None = None, tests: Keys | None = None,
        timeout: Timeout | None = None,
    ) -> WriteResult:
        """PUT user/{id}: only the fields given are sent."""
        return self._write("PUT", "user", key, _user_body(locals()), timeout=timeout)

    # ------------------------------------------------------------------ candidate

    def iter_candidates(self, **query: Unpack[IterQuery]) -> Paginator[Candidate]:
        return self._iter("candidate", Candidate, **query)

    def candidates_page(self, **query: Unpack[PageQuery]) -> Page[Candidate]:
        return self._page("candidate", Candidate, **query)

    def get_candidate(self, key: Key, *, timeout: Timeout | None = None) -> Candidate:
        return self._get("candidate", Candidate, key, timeout)

    def create_candidate(
        self, *, reference: str, first_name: str, last_name: str, date_of_birth: Day,
        gender: Gender | str, centres: Keys, tests: Keys, middle_name: str | None = None,
        uln: str | None = None, expiry: Day | None = None, address_line1: str | None = None,
        address_line2: str | None = None, town: str | None = None,
        county_id: str | None = None, country_id: str | None = None,
        post_code: str | None = None, email: str | None = None, phone: str | None = None,
        timeout: Timeout | None = None,
    ) -> WriteResult:
        """POST candidate; ``centres`` and ``tests`` are keys (one or a sequence)."""
        return self._write("POST", "candidate", body=_candidate_body(locals()), timeout=timeout)

    def update_candidate(
        self, key: Key, *, first_name: str | None = None, last_name: str | None = None,
        date_of_birth: Day | None = None, gender: Gender | str | None = None,
        centres: Keys | None = None, tests: Keys | None = None, middle_name: str | None = None,
        uln: str | None = None, expiry: Day | None = None, address_line1: str | None = None,
        address_line2: str | None = None, town: str | None = None,
        county_id: str | None = None, country_id: str | None = None,
        post_code: str | None = None, email: str | None = None, phone: str | None = None,
        retired: bool | None = None, timeout: Timeout | None = None,
    ) -> WriteResult:
        """PUT candidate/{id}: only the fields given are sent (a retired one: ConflictError)."""
        return self._write("PUT", "candidate", key, _candidate_body(locals()), timeout=timeout)

    def delete_candidate(self, key: Key, *, timeout: Timeout | None = None) -> WriteResult:
        """DELETE candidate/{id}: Janison retires the candidate (GET still returns it)."""
        return self._write("DELETE", "candidate", key, timeout=timeout)

    # ------------------------------------------------------------- test, testpackage, component

    def iter_tests(self, **query: Unpack[IterQuery]) -> Paginator[Test]:
        return self._iter("test", Test, **query)

    def tests_page(self, **query: Unpack[PageQuery]) -> Page[Test]:
        return self._page("test", Test, **query)

    def get_test(self, key: Key, *, timeout: Timeout | None = None) -> Test:
        return self._get("test", Test, key, timeout)

    def iter_test_packages(self, **query: Unpack[IterQuery]) -> Paginator[TestPackage]:
        return self._iter("testpackage", TestPackage, **query)

    def test_packages_page(self, **query: Unpack[PageQuery]) -> Page[TestPackage]:
        return self._page("testpackage", TestPackage, **query)

    def get_test_package(self, key: Key, *, timeout: Timeout | None = None) -> TestPackage:
        return self._get("testpackage", TestPackage, key, timeout)

    def iter_components(self, **query: Unpack[IterQuery]) -> Paginator[Component]:
        return self._iter("component", Component, **query)

    def components_page(self, **query: Unpack[PageQuery]) -> Page[Component]:
        return self._page("component", Component, **query)

    def get_component(self, key: Key, *, timeout: Timeout | None = None) -> Component:
        return self._get("component", Component, key, timeout)

    # ------------------------------------------------------------------ centre

    def iter_centres(self, **query: Unpack[IterQuery]) -> Paginator[Centre]:
        return self._iter("centre", Centre, **query)

    def centres_page(self, **query: Unpack[PageQuery]) -> Page[Centre]:
        return self._page("centre", Centre, **query)

    def get_centre(self, key: Key, *, timeout: Timeout | None = None) -> Centre:
        return self._get("centre", Centre, key, timeout)

    def create_centre(
        self, *, name: str, address_line1: str, town: str, county: str, country: str,
        tests: Keys, centre_admin_user: Key, reference: str | None = None,
        address_line2: str | None = None, post_code: str | None = None,
        timeout: Timeout | None = None,
    ) -> WriteResult:
        """POST centre; ``centre_admin_user`` is a user key."""
        return self._write("POST", "centre", body=_centre_body(locals()), timeout=timeout)

    def update_centre(
        self, key: Key, *, name: str | None = None, address_line1: str | None = None,
        town: str | None = None, county: str | None = None, country: str | None = None,
        tests: Keys | None = None, centre_admin_user: Key | None = None,
        address_line2: str | None = None, post_code: str | None = None,
        retired: bool | None = None, timeout: Timeout | None = None,
    ) -> WriteResult:
        """PUT centre/{id}: only the fields given are sent."""
        return self._write("PUT", "centre", key, _centre_body(locals()), timeout=timeout)

    def delete_centre(self, key: Key, *, timeout: Timeout | None = None) -> WriteResult:
        """DELETE centre/{id}: Janison retires the centre."""
        return self._write("DELETE", "centre", key, timeout=timeout)

    # ------------------------------------------------------------------ result

    def iter_results(self, **query: Unpack[IterQuery]) -> Paginator[Result]:
        return self._iter("result", Result, **query)

    def results_page(self, **query: Unpack[PageQuery]) -> Page[Result]:
        return self._page("result", Result, **query)

    def get_result(self, key: Key, *, timeout: Timeout | None = None) -> Result:
        return self._get("result", Result, key, timeout)


# The body builders take the calling method's keyword arguments (its ``locals()``) by
# their snake_case names, map them to the seed's wire names and drop the ``None``s.


def _date(value: Day | None) -> str | None:
    return None if value is None else format_date(value)


def _text(cls: type[enum.StrEnum], value: Any) -> str | None:
    """An enum member or a name matching one -> its wire value; anything else as given."""
    if value is None:
        return None
    member = coerce_enum(cls, value)
    return member.value if isinstance(member, cls) else str(value)


def _person(a: Mapping[str, Any]) -> Json:
    return {
        "firstName": a.get("first_name"),
        "middleName": a.get("middle_name"),
        "lastName": a.get("last_name"),
        "dateOfBirth": _date(a.get("date_of_birth")),
        "gender": _text(Gender, a.get("gender")),
        "expiry": _date(a.get("expiry")),
        "addressLine1": a.get("address_line1"),
        "addressLine2": a.get("address_line2"),
        "town": a.get("town"),
        "postCode": a.get("post_code"),
        "email": a.get("email"),
        "phone": a.get("phone"),
        "centres": refs(a.get("centres")),
        "tests": refs(a.get("tests")),
    }


def _user_body(a: Mapping[str, Any]) -> Json:
    return compact({
        "reference": a.get("reference"),
        "userName": a.get("user_name"),
        **_person(a),
        "county": a.get("county"),
        "country": a.get("country"),
    })


def _candidate_body(a: Mapping[str, Any]) -> Json:
    return compact({
        "reference": a.get("reference"),
        **_person(a),
        "uln": a.get("uln"),
        "countyID": a.get("county_id"),
        "countryID": a.get("country_id"),
        "retired": a.get("retired"),
    })


def _centre_body(a: Mapping[str, Any]) -> Json:
    return compact({
        "reference": a.get("reference"),
        "name": a.get("name"),
        "addressLine1": a.get("address_line1"),
        "addressLine2": a.get("address_line2"),
        "town": a.get("town"),
        "county": a.get("county"),
        "country": a.get("country"),
        "postCode": a.get("post_code"),
        "tests": refs(a.get("tests")),
        "centreAdminUser": ref(a.get("centre_admin_user")),
        "retired": a.get("retired"),
    })
