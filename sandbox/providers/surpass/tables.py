"""Surpass's tables. Every row belongs to one tenant (``TenantScoped``); relations use
the global ``pk``, the wire shows the per-tenant ``id``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exam_sandbox.core.db import Base, TenantScoped, code_point_order, link_table, tenant_unique

candidate_centre = link_table("surpass", "candidate", "centre")
candidate_subject = link_table("surpass", "candidate", "subject")
user_centre = link_table("surpass", "user", "centre")
user_subject = link_table("surpass", "user", "subject")


class Country(TenantScoped, Base):
    __tablename__ = "surpass_country"
    __table_args__ = (tenant_unique("surpass_country", "id"),)
    name: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(3))


class County(TenantScoped, Base):
    __tablename__ = "surpass_county"
    __table_args__ = (tenant_unique("surpass_county", "id"),)
    name: Mapped[str] = mapped_column(String(100))
    country_pk: Mapped[int] = mapped_column(ForeignKey("surpass_country.pk", ondelete="CASCADE"))
    country: Mapped[Country] = relationship(lazy="joined")


class Centre(TenantScoped, Base):
    __tablename__ = "surpass_centre"
    __table_args__ = (
        tenant_unique("surpass_centre", "id"),
        tenant_unique("surpass_centre", "reference"),
    )
    reference: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(16), default="Active")
    randomise_test_forms: Mapped[bool] = mapped_column(Boolean, default=True)
    hide_subjects_in_groups: Mapped[bool] = mapped_column(Boolean, default=False)
    exclude_item_statistics: Mapped[bool] = mapped_column(Boolean, default=False)
    address_line1: Mapped[str | None] = mapped_column(String(100))
    address_line2: Mapped[str | None] = mapped_column(String(100))
    town: Mapped[str | None] = mapped_column(String(100))
    post_code: Mapped[str | None] = mapped_column(String(20))
    county_pk: Mapped[int | None] = mapped_column(ForeignKey("surpass_county.pk"))
    country_pk: Mapped[int | None] = mapped_column(ForeignKey("surpass_country.pk"))
    county: Mapped[County | None] = relationship(lazy="joined")
    country: Mapped[Country | None] = relationship(lazy="joined")


class Subject(TenantScoped, Base):
    __tablename__ = "surpass_subject"
    __table_args__ = (
        tenant_unique("surpass_subject", "id"),
        tenant_unique("surpass_subject", "reference"),
    )
    reference: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(32), default="Active")
    primary_centre_pk: Mapped[int | None] = mapped_column(ForeignKey("surpass_centre.pk"))
    primary_centre: Mapped[Centre | None] = relationship(lazy="joined")
    delivery_type: Mapped[str] = mapped_column(String(16), default="OnScreen")
    html_only: Mapped[bool] = mapped_column(Boolean, default=False)
    subject_master_list: Mapped[bool] = mapped_column(Boolean, default=False)
    enable_checkboxes: Mapped[bool] = mapped_column(Boolean, default=False)
    item_count: Mapped[int] = mapped_column(Integer, default=0)


class CentreSubjectAssociation(TenantScoped, Base):
    __tablename__ = "surpass_centre_subject"
    __table_args__ = (
        tenant_unique("surpass_centre_subject", "id"),
        UniqueConstraint("centre_pk", "subject_pk", name="uq_surpass_csa_pair"),
    )
    centre_pk: Mapped[int] = mapped_column(ForeignKey("surpass_centre.pk", ondelete="CASCADE"))
    subject_pk: Mapped[int] = mapped_column(ForeignKey("surpass_subject.pk", ondelete="CASCADE"))
    primary: Mapped[bool] = mapped_column(Boolean, default=False)
    centre: Mapped[Centre] = relationship(lazy="joined")
    subject: Mapped[Subject] = relationship(lazy="joined")


class Candidate(TenantScoped, Base):
    __tablename__ = "surpass_candidate"
    __table_args__ = (
        tenant_unique("surpass_candidate", "id"),
        tenant_unique("surpass_candidate", "reference"),
        # id last: a filtered page is ordered by id, so the index serves filter and order.
        Index("ix_surpass_candidate_last_name", "tenant_id", "last_name", "id"),
        Index("ix_surpass_candidate_first_name", "tenant_id", "first_name", "id"),
    )
    reference: Mapped[str] = mapped_column(String(50))
    first_name: Mapped[str] = mapped_column(String(50))
    middle_name: Mapped[str | None] = mapped_column(String(50))
    last_name: Mapped[str] = mapped_column(String(50))
    date_of_birth: Mapped[date] = mapped_column(Date)
    gender: Mapped[str] = mapped_column(String(16), default="Unspecified")
    email: Mapped[str | None] = mapped_column(String(254))
    tel: Mapped[str | None] = mapped_column(String(40))
    uln: Mapped[str | None] = mapped_column(String(20))
    reasonable_adjustments: Mapped[bool] = mapped_column(Boolean, default=False)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    expiry_date: Mapped[date | None] = mapped_column(Date)
    is_external: Mapped[bool] = mapped_column(Boolean, default=False)
    extended_demographics: Mapped[str | None] = mapped_column(Text)
    centres: Mapped[list[Centre]] = relationship(
        secondary=candidate_centre, lazy="selectin", order_by="Centre.id"
    )
    subjects: Mapped[list[Subject]] = relationship(
        secondary=candidate_subject, lazy="selectin", order_by="Subject.id"
    )


class Test(TenantScoped, Base):
    __tablename__ = "surpass_test"
    __table_args__ = (
        tenant_unique("surpass_test", "id"),
        # TS rules find the test by reference (not unique: a site may reuse one).
        Index("ix_surpass_test_reference", "tenant_id", "reference", "id"),
    )
    reference: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default="Live")
    requires_invigilation: Mapped[bool] = mapped_column(Boolean, default=False)
    enable_user_associations: Mapped[bool] = mapped_column(Boolean, default=False)
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    subject_pk: Mapped[int] = mapped_column(ForeignKey("surpass_subject.pk", ondelete="CASCADE"))
    subject: Mapped[Subject] = relationship(lazy="joined")
    forms: Mapped[list[TestForm]] = relationship(
        back_populates="test", lazy="selectin", order_by="TestForm.id"
    )


class TestForm(TenantScoped, Base):
    __tablename__ = "surpass_test_form"
    __table_args__ = (
        tenant_unique("surpass_test_form", "id"),
        # A test's forms, in id order (Test.forms, form auto-selection).
        Index("ix_surpass_test_form_test", "test_pk", "id"),
    )
    reference: Mapped[str] = mapped_column(String(50))
    name: Mapped[str] = mapped_column(String(200))
    test_pk: Mapped[int] = mapped_column(ForeignKey("surpass_test.pk", ondelete="CASCADE"))
    test: Mapped[Test] = relationship(back_populates="forms")


class User(TenantScoped, Base):
    """A Surpass API user: who Basic auth names, what it may do, where."""

    __tablename__ = "surpass_user"
    __table_args__ = (
        tenant_unique("surpass_user", "id"),
        tenant_unique("surpass_user", "username"),
        Index("ix_surpass_user_username", "username"),
    )
    username: Mapped[str] = mapped_column(String(100))
    reference: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(64))
    permissions: Mapped[list] = mapped_column(JSON, default=list)
    # An "all centres and subjects" flag keeps the tenant's own user cheap to create and
    # true to its definition as new centres and subjects are added.
    all_associations: Mapped[bool] = mapped_column(Boolean, default=False)
    centres: Mapped[list[Centre]] = relationship(
        secondary=user_centre, lazy="selectin", order_by="Centre.id"
    )
    subjects: Mapped[list[Subject]] = relationship(
        secondary=user_subject, lazy="selectin", order_by="Subject.id"
    )


class TestSession(TenantScoped, Base):
    """A scheduled exam: what POST TestSchedule creates and /TestSession reads."""

    __tablename__ = "surpass_test_session"
    __table_args__ = (
        tenant_unique("surpass_test_session", "id"),
        tenant_unique("surpass_test_session", "keycode"),
        Index("ix_surpass_session_candidate_test", "candidate_pk", "test_pk", "state"),
        # TS PIN sharing: the first session at a centre, for a test, on a day (ordered by id).
        Index("ix_surpass_session_pin", "tenant_id", "centre_pk", "test_pk", "start_date", "id"),
        # Form auto-selection counts a test's sessions per form.
        Index("ix_surpass_session_test_form", "test_pk", "test_form_pk"),
        # Lists by centre (`centre/reference eq 'X' and state eq 1`, compiled to
        # centre_pk IN (...)): the count reads the index alone, the page no table rows
        # but the 40 it returns.
        Index("ix_surpass_session_centre_state", "tenant_id", "centre_pk", "state", "id"),
    )
    keycode: Mapped[str] = mapped_column(String(8))
    pin: Mapped[str] = mapped_column(String(12))
    state: Mapped[int] = mapped_column(Integer, default=1)
    candidate_pk: Mapped[int] = mapped_column(
        ForeignKey("surpass_candidate.pk", ondelete="CASCADE")
    )
    centre_pk: Mapped[int] = mapped_column(ForeignKey("surpass_centre.pk", ondelete="CASCADE"))
    test_pk: Mapped[int] = mapped_column(ForeignKey("surpass_test.pk", ondelete="CASCADE"))
    test_form_pk: Mapped[int] = mapped_column(
        ForeignKey("surpass_test_form.pk", ondelete="CASCADE")
    )
    candidate: Mapped[Candidate] = relationship(lazy="joined")
    centre: Mapped[Centre] = relationship(lazy="joined")
    test: Mapped[Test] = relationship(lazy="joined")
    test_form: Mapped[TestForm] = relationship(lazy="joined")
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    start_time: Mapped[str] = mapped_column(String(4))
    end_time: Mapped[str] = mapped_column(String(4))
    scheduled_from: Mapped[datetime] = mapped_column(DateTime)
    scheduled_to: Mapped[datetime] = mapped_column(DateTime)
    enforce_times: Mapped[bool] = mapped_column(Boolean, default=False)
    requires_invigilation: Mapped[bool] = mapped_column(Boolean, default=False)
    marked_externally: Mapped[bool] = mapped_column(Boolean, default=False)
    purchase_order: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str | None] = mapped_column(String(8))
    test_tags: Mapped[list] = mapped_column(JSON, default=list)
    # Everything else the request carried (adjustments, breaks, marker, ...), as sent.
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    void_reason: Mapped[int | None] = mapped_column(Integer)
    void_message: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


# startswith(lastName,'Ham') is compiled to a range on lower(last_name) (core/odata/prefix.py
# says why); this expression index serves it, the count from the index alone. Declared
# after the class: an expression index needs the mapped column.
Index(
    "ix_surpass_candidate_last_name_folded",
    Candidate.tenant_id,
    code_point_order(func.lower(Candidate.last_name)),  # "C" collation on PostgreSQL
)
