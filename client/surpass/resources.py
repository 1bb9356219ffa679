"""Resource methods of :class:`.client.SurpassClient` other than scheduling.

Candidate, Centre, Subject, CentreSubjectAssociation, Test, Country and County: list
(lazy ``iter_*`` and one-page ``*_page``), get, and the writes each resource has. Kept
apart from ``client.py`` only to keep files small; use them through ``SurpassClient``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Unpack

from exam_sandbox.client.core.http import Timeout
from exam_sandbox.client.core.paging import Paginator
from exam_sandbox.client.core.resources import IterQuery, ListMethods, ListQuery, PageQuery
from exam_sandbox.client.surpass.models import (
    Candidate,
    Centre,
    CentreSubjectAssociation,
    Country,
    County,
    Model,
    Page,
    Ref,
    Subject,
    Test,
    WriteResult,
    ref,
    refs,
)
from exam_sandbox.client.surpass.wire import compact, wire_datetime

Key = int | str | Ref | Model  # a Model: any fetched object, by its id (else reference)
Json = dict[str, Any]

__all__ = ["IterQuery", "Key", "ListQuery", "PageQuery", "ResourceMethods"]


class ResourceMethods(ListMethods):
    """Mixed into ``SurpassClient``: lists come from :class:`..core.resources.ListMethods`,
    the client provides the rest of the plumbing declared below."""

    if TYPE_CHECKING:

        def _get(self, resource: str, model: Any, key: Key, timeout: Timeout | None,
                 *, keycode: bool = False) -> Any: ...

        def _write(self, method: str, resource: str, key: Key | None = None,
                   body: Mapping[str, Any] | None = None, *, root: str = "request",
                   keycode: bool = False, timeout: Timeout | None = None) -> WriteResult: ...

    # ------------------------------------------------------------------ Candidate

    def iter_candidates(self, **query: Unpack[IterQuery]) -> Paginator[Candidate]:
        """Every candidate matching the query, fetched lazily page by page."""
        return self._iter("Candidate", Candidate, **query)

    def candidates_page(self, **query: Unpack[PageQuery]) -> Page[Candidate]:
        """One page of candidates with ``count``/``page_count``/links."""
        return self._page("Candidate", Candidate, **query)

    def get_candidate(self, key: Key, *, timeout: Timeout | None = None) -> Candidate:
        """By id (``int``) or reference (``str``)."""
        return self._get("Candidate", Candidate, key, timeout)

    def create_candidate(
        self, *, first_name: str, last_name: str, date_of_birth: dt.date | str,
        reference: str | None = None, middle_name: str | None = None,
        gender: str | None = None, email: str | None = None, tel: str | None = None,
        uln: str | None = None, reasonable_adjustments: bool | None = None,
        is_external: bool | None = None, expiry_date: dt.date | str | None = None,
        centres: Sequence[Key] | None = None, subjects: Sequence[Key] | None = None,
        extended_demographics: str | None = None, timeout: Timeout | None = None,
    ) -> WriteResult:
        body = _candidate_body(locals())
        return self._write("POST", "Candidate", body=body, root="candidate", timeout=timeout)

    def update_candidate(
        self, key: Key, *, first_name: str | None = None, last_name: str | None = None,
        date_of_birth: dt.date | str | None = None, middle_name: str | None = None,
        gender: str | None = None, email: str | None = None, tel: str | None = None,
        uln: str | None = None, reasonable_adjustments: bool | None = None,
        is_external: bool | None = None, expiry_date: dt.date | str | None = None,
        centres: Sequence[Key] | None = None, subjects: Sequence[Key] | None = None,
        extended_demographics: str | None = None, retired: bool | None = None,
        timeout: Timeout | None = None,
    ) -> WriteResult:
        """PUT by id or reference; only the fields given are sent (the reference is fixed)."""
        body = _candidate_body(locals())
        return self._write("PUT", "Candidate", key, body, root="candidate", timeout=timeout)

    # ------------------------------------------------------------------ Centre

    def iter_centres(self, **query: Unpack[IterQuery]) -> Paginator[Centre]:
        return self._iter("Centre", Centre, **query)

    def centres_page(self, **query: Unpack[PageQuery]) -> Page[Centre]:
        return self._page("Centre", Centre, **query)

    def get_centre(self, key: Key, *, timeout: Timeout | None = None) -> Centre:
        return self._get("Centre", Centre, key, timeout)

    def create_centre(
        self, *, name: str, reference: str | None = None,
        randomise_test_forms: bool | None = None,
        hide_subjects_included_in_subject_groups: bool | None = None,
        exclude_item_statistics: bool | None = None, address_line1: str | None = None,
        address_line2: str | None = None, town: str | None = None,
        post_code: str | None = None, county: Key | None = None, country: Key | None = None,
        timeout: Timeout | None = None,
    ) -> WriteResult:
        body = _centre_body(locals())
        return self._write("POST", "Centre", body=body, root="centre", timeout=timeout)

    def update_centre(
        self, key: Key, *, name: str | None = None,
        randomise_test_forms: bool | None = None,
        hide_subjects_included_in_subject_groups: bool | None = None,
        exclude_item_statistics: bool | None = None, address_line1: str | None = None,
        address_line2: str | None = None, town: str | None = None,
        post_code: str | None = None, county: Key | None = None, country: Key | None = None,
        timeout: Timeout | None = None,
    ) -> WriteResult:
        body = _centre_body(locals())
        return self._write("PUT", "Centre", key, body, root="centre", timeout=timeout)

    def delete_centre(self, key: Key, *, timeout: Timeout | None = None) -> WriteResult:
        """DELETE a centre: Surpass retires it (status ``Retired``)."""
        return self._write("DELETE", "Centre", key, timeout=timeout)

    # ------------------------------------------------------------------ Subject

    def iter_subjects(self, **query: Unpack[IterQuery]) -> Paginator[Subject]:
        return self._iter("Subject", Subject, **query)

    def subjects_page(self, **query: Unpack[PageQuery]) -> Page[Subject]:
        return self._page("Subject", Subject, **query)

    def get_subject(self, key: Key, *, timeout: Timeout | None = None) -> Subject:
        return self._get("Subject", Subject, key, timeout)

    def create_subject(
        self, *, name: str, primary_centre: Key | None = None, reference: str | None = None,
        delivery_type: str | None = None, html_only: bool | None = None,
        subject_master_list: bool | None = None,
        enable_checkboxes_in_item_authoring: bool | None = None,
        timeout: Timeout | None = None,
    ) -> WriteResult:
        body = _subject_body(locals())
        return self._write("POST", "Subject", body=body, root="subject", timeout=timeout)

    def update_subject(
        self, key: Key, *, name: str | None = None, primary_centre: Key | None = None,
        status: str | None = None, delivery_type: str | None = None,
        html_only: bool | None = None, subject_master_list: bool | None = None,
        enable_checkboxes_in_item_authoring: bool | None = None,
        timeout: Timeout | None = None,
    ) -> WriteResult:
        body = _subject_body(locals())
        return self._write("PUT", "Subject", key, body, root="subject", timeout=timeout)

    def delete_subject(self, key: Key, *, timeout: Timeout | None = None) -> WriteResult:
        """Only an Archived subject without items can be deleted."""
        return self._write("DELETE", "Subject", key, timeout=timeout)

    # ------------------------------------------------------------------ CentreSubjectAssociation

    def iter_centre_subject_associations(
        self, **query: Unpack[IterQuery]
    ) -> Paginator[CentreSubjectAssociation]:
        return self._iter("CentreSubjectAssociation", CentreSubjectAssociation, **query)

    def centre_subject_associations_page(
        self, **query: Unpack[PageQuery]
    ) -> Page[CentreSubjectAssociation]:
        return self._page("CentreSubjectAssociation", CentreSubjectAssociation, **query)

    def get_centre_subject_association(
        self, id: int, *, timeout: Timeout | None = None
    ) -> CentreSubjectAssociation:
        return self._get("CentreSubjectAssociation", CentreSubjectAssociation, _id(id), timeout)

    def create_centre_subject_association(
        self, *, centre: Key, subject: Key, primary: bool | None = None,
        timeout: Timeout | None = None,
    ) -> WriteResult:
        body = compact({"centre": ref(centre), "subject": ref(subject), "primary": primary})
        return self._write("POST", "CentreSubjectAssociation", body=body,
                           root="centreSubjectAssociation", timeout=timeout)

    def update_centre_subject_association(
        self, id: int, *, centre: Key | None = None, subject: Key | None = None,
        primary: bool | None = None, timeout: Timeout | None = None,
    ) -> WriteResult:
        body = compact({"centre": ref(centre), "subject": ref(subject), "primary": primary})
        return self._write("PUT", "CentreSubjectAssociation", _id(id), body,
                           root="centreSubjectAssociation", timeout=timeout)

    def delete_centre_subject_association(
        self, id: int, *, timeout: Timeout | None = None
    ) -> WriteResult:
        return self._write("DELETE", "CentreSubjectAssociation", _id(id), timeout=timeout)

    # ------------------------------------------------------------------ Test

    def iter_tests(self, **query: Unpack[IterQuery]) -> Paginator[Test]:
        return self._iter("Test", Test, **query)

    def tests_page(self, **query: Unpack[PageQuery]) -> Page[Test]:
        return self._page("Test", Test, **query)

    def get_test(self, key: Key, *, timeout: Timeout | None = None) -> Test:
        return self._get("Test", Test, key, timeout)

    # ------------------------------------------------------------------ Country / County

    def iter_countries(self, **query: Unpack[IterQuery]) -> Paginator[Country]:
        return self._iter("Country", Country, **query)

    def countries_page(self, **query: Unpack[PageQuery]) -> Page[Country]:
        return self._page("Country", Country, **query)

    def get_country(self, id: int, *, timeout: Timeout | None = None) -> Country:
        return self._get("Country", Country, _id(id), timeout)

    def iter_counties(self, **query: Unpack[IterQuery]) -> Paginator[County]:
        return self._iter("County", County, **query)

    def counties_page(self, **query: Unpack[PageQuery]) -> Page[County]:
        return self._page("County", County, **query)

    def get_county(self, id: int, *, timeout: Timeout | None = None) -> County:
        return self._get("County", County, _id(id), timeout)


def _id(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        value = getattr(value, "id", value)
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"this resource is addressed by integer id only, got {value!r}")
    return value


# The body builders take the calling method's keyword arguments (its ``locals()``) by
# their snake_case names, map them to wire names and drop the ``None``s (not sent).


def _candidate_body(a: Mapping[str, Any]) -> Json:
    return compact({
        "reference": a.get("reference"),
        "firstName": a.get("first_name"),
        "middleName": a.get("middle_name"),
        "lastName": a.get("last_name"),
        "dateOfBirth": wire_datetime(a.get("date_of_birth")),
        "gender": a.get("gender"),
        "email": a.get("email"),
        "tel": a.get("tel"),
        "uln": a.get("uln"),
        "reasonableAdjustments": a.get("reasonable_adjustments"),
        "retired": a.get("retired"),
        "expiryDate": wire_datetime(a.get("expiry_date")),
        "isExternal": a.get("is_external"),
        "centres": refs(a.get("centres")),
        "subjects": refs(a.get("subjects")),
        "extendedDemographics": a.get("extended_demographics"),
    })


def _centre_body(a: Mapping[str, Any]) -> Json:
    return compact({
        "name": a.get("name"),
        "reference": a.get("reference"),
        "randomiseTestForms": a.get("randomise_test_forms"),
        "hideSubjectsIncludedInSubjectGroups": a.get("hide_subjects_included_in_subject_groups"),
        "excludeItemStatistics": a.get("exclude_item_statistics"),
        "addressLine1": a.get("address_line1"),
        "addressLine2": a.get("address_line2"),
        "town": a.get("town"),
        "postCode": a.get("post_code"),
        "county": ref(a.get("county")),
        "country": ref(a.get("country")),
    })


def _subject_body(a: Mapping[str, Any]) -> Json:
    return compact({
        "reference": a.get("reference"),
        "name": a.get("name"),
        "status": a.get("status"),
        "primaryCentre": ref(a.get("primary_centre")),
        "deliveryType": a.get("delivery_type"),
        "htmlOnly": a.get("html_only"),
        "subjectMasterList": a.get("subject_master_list"),
        "enableCheckboxesInItemAuthoring": a.get("enable_checkboxes_in_item_authoring"),
    })
