"""Janison's tables. Every row belongs to one tenant (``TenantScoped``); relations use
the global ``pk``, the wire shows the per-tenant ``id``. Class names carry a ``J`` so
they never clash with another vendor's in SQLAlchemy's shared registry.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from exam_sandbox.core.db import Base, TenantScoped, link_table, tenant_unique

user_centre = link_table("janison", "user", "centre")
user_test = link_table("janison", "user", "test")
candidate_centre = link_table("janison", "candidate", "centre")
candidate_test = link_table("janison", "candidate", "test")
centre_test = link_table("janison", "centre", "test")


def _text(length: int = 100) -> Mapped[str | None]:
    return mapped_column(String(length), nullable=True)


class JTest(TenantScoped, Base):
    __tablename__ = "janison_test"
    __table_args__ = (tenant_unique("janison_test", "id"),)
    reference: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    packages: Mapped[list[JTestPackage]] = relationship(
        back_populates="test", lazy="selectin", order_by="JTestPackage.id"
    )


class JTestPackage(TenantScoped, Base):
    __tablename__ = "janison_testpackage"
    __table_args__ = (
        tenant_unique("janison_testpackage", "id"),
        # JTS-3 finds the package by reference; JTest.packages loads a test's, by id.
        Index("ix_janison_testpackage_reference", "tenant_id", "reference"),
        Index("ix_janison_testpackage_test", "test_pk", "id"),
    )
    reference: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    test_pk: Mapped[int] = mapped_column(ForeignKey("janison_test.pk", ondelete="CASCADE"))
    test: Mapped[JTest] = relationship(back_populates="packages")
    components: Mapped[list[JComponent]] = relationship(
        back_populates="package", lazy="selectin", order_by="JComponent.id"
    )


class JComponent(TenantScoped, Base):
    __tablename__ = "janison_component"
    __table_args__ = (
        tenant_unique("janison_component", "id"),
        # A package's components, by id: every schedule allocates them.
        Index("ix_janison_component_package", "package_pk", "id"),
    )
    reference: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(16))
    # How many versions (forms) of the component exist; one is allocated per sitting.
    versions: Mapped[int] = mapped_column(Integer)
    included_in_total: Mapped[bool] = mapped_column(Boolean, default=True)
    package_pk: Mapped[int] = mapped_column(
        ForeignKey("janison_testpackage.pk", ondelete="CASCADE")
    )
    package: Mapped[JTestPackage] = relationship(back_populates="components")


class JUser(TenantScoped, Base):
    __tablename__ = "janison_user"
    __table_args__ = (
        tenant_unique("janison_user", "id"),
        tenant_unique("janison_user", "reference"),
        tenant_unique("janison_user", "user_name"),
    )
    reference: Mapped[str] = mapped_column(String(100))
    user_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str | None] = _text()
    middle_name: Mapped[str | None] = _text()
    last_name: Mapped[str | None] = _text()
    date_of_birth: Mapped[date | None] = mapped_column(Date, nullable=True)
    gender: Mapped[str | None] = _text(16)
    expiry: Mapped[date | None] = mapped_column(Date, nullable=True)
    address_line1: Mapped[str | None] = _text()
    address_line2: Mapped[str | None] = _text()
    town: Mapped[str | None] = _text()
    county: Mapped[str | None] = _text()
    country: Mapped[str | None] = _text()
    post_code: Mapped[str | None] = _text(20)
    email: Mapped[str | None] = _text(254)
    phone: Mapped[str | None] = _text(40)
    centres: Mapped[list[JCentre]] = relationship(
        secondary=user_centre, lazy="selectin", order_by="JCentre.id"
    )
    tests: Mapped[list[JTest]] = relationship(
        secondary=user_test, lazy="selectin", order_by="JTest.id"
    )


class JCentre(TenantScoped, Base):
    __tablename__ = "janison_centre"
    __table_args__ = (
        tenant_unique("janison_centre", "id"),
        tenant_unique("janison_centre", "reference"),
    )
    reference: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    address_line1: Mapped[str] = mapped_column(String(100))
    address_line2: Mapped[str | None] = _text()
    town: Mapped[str] = mapped_column(String(100))
    county: Mapped[str] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(100))
    post_code: Mapped[str | None] = _text(20)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    admin_user_pk: Mapped[int] = mapped_column(ForeignKey("janison_user.pk", ondelete="CASCADE"))
    admin_user: Mapped[JUser] = relationship(lazy="joined")
    tests: Mapped[list[JTest]] = relationship(
        secondary=centre_test, lazy="selectin", order_by="JTest.id"
    )


class JCandidate(TenantScoped, Base):
    __tablename__ = "janison_candidate"
    __table_args__ = (
        tenant_unique("janison_candidate", "id"),
        tenant_unique("janison_candidate", "reference"),
        # id last: a filtered page is ordered by id, so the index serves filter and order.
        Index("ix_janison_candidate_last_name", "tenant_id", "last_name", "id"),
    )
    reference: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str | None] = _text()
    last_name: Mapped[str] = mapped_column(String(100))
    date_of_birth: Mapped[date] = mapped_column(Date)
    uln: Mapped[str | None] = _text(20)
    gender: Mapped[str] = mapped_column(String(16))
    expiry: Mapped[date | None] = mapped_column(Date, nullable=True)
    address_line1: Mapped[str | None] = _text()
    address_line2: Mapped[str | None] = _text()
    town: Mapped[str | None] = _text()
    county_id: Mapped[str | None] = _text()
    country_id: Mapped[str | None] = _text()
    post_code: Mapped[str | None] = _text(20)
    email: Mapped[str | None] = _text(254)
    phone: Mapped[str | None] = _text(40)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    centres: Mapped[list[JCentre]] = relationship(
        secondary=candidate_centre, lazy="selectin", order_by="JCentre.id"
    )
    tests: Mapped[list[JTest]] = relationship(
        secondary=candidate_test, lazy="selectin", order_by="JTest.id"
    )


class JSchedule(TenantScoped, Base):
    """A test schedule: a group of candidates on a date, for one test package."""

    __tablename__ = "janison_testschedule"
    __table_args__ = (
        tenant_unique("janison_testschedule", "id"),
        tenant_unique("janison_testschedule", "reference"),
    )
    reference: Mapped[str] = mapped_column(String(100))
    package_pk: Mapped[int] = mapped_column(
        ForeignKey("janison_testpackage.pk", ondelete="CASCADE")
    )
    centre_pk: Mapped[int] = mapped_column(ForeignKey("janison_centre.pk", ondelete="CASCADE"))
    test_package_date: Mapped[date] = mapped_column(Date)
    extend_validity_period: Mapped[bool] = mapped_column(Boolean, default=False)
    room_reference: Mapped[str | None] = _text()
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    package: Mapped[JTestPackage] = relationship(lazy="joined")
    centre: Mapped[JCentre] = relationship(lazy="joined")
    enrolments: Mapped[list[JEnrolment]] = relationship(
        back_populates="schedule", lazy="selectin", order_by="JEnrolment.id"
    )


class JEnrolment(TenantScoped, Base):
    """One candidate on a schedule; its ``id`` is the ``testSessionId`` on the wire."""

    __tablename__ = "janison_enrolment"
    __table_args__ = (
        tenant_unique("janison_enrolment", "id"),
        UniqueConstraint("schedule_pk", "candidate_pk", name="uq_janison_enrolment_candidate"),
    )
    schedule_pk: Mapped[int] = mapped_column(
        ForeignKey("janison_testschedule.pk", ondelete="CASCADE")
    )
    candidate_pk: Mapped[int] = mapped_column(
        ForeignKey("janison_candidate.pk", ondelete="CASCADE")
    )
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    schedule: Mapped[JSchedule] = relationship(back_populates="enrolments")
    candidate: Mapped[JCandidate] = relationship(lazy="joined")
    components: Mapped[list[JEnrolmentComponent]] = relationship(
        lazy="selectin", order_by="JEnrolmentComponent.id"
    )


class JEnrolmentComponent(TenantScoped, Base):
    """A component allocated to an enrolment: its version and keycode for this sitting."""

    __tablename__ = "janison_enrolment_component"
    __table_args__ = (
        tenant_unique("janison_enrolment_component", "id"),
        # An enrolment's components, by id (JEnrolment.components).
        Index("ix_janison_enrolment_component_enrolment", "enrolment_pk", "id"),
    )
    enrolment_pk: Mapped[int] = mapped_column(
        ForeignKey("janison_enrolment.pk", ondelete="CASCADE")
    )
    component_pk: Mapped[int] = mapped_column(
        ForeignKey("janison_component.pk", ondelete="CASCADE")
    )
    version: Mapped[int] = mapped_column(Integer)
    keycode: Mapped[str] = mapped_column(String(8))
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    completed: Mapped[bool] = mapped_column(Boolean, default=False)
    raw_score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    date_completed: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    component: Mapped[JComponent] = relationship(lazy="joined")


class JResult(TenantScoped, Base):
    """A candidate's result for one enrolment, written when the enrolment completes."""

    __tablename__ = "janison_result"
    __table_args__ = (
        tenant_unique("janison_result", "id"),
        tenant_unique("janison_result", "reference"),
        Index("ix_janison_result_enrolment", "enrolment_pk"),
    )
    reference: Mapped[str] = mapped_column(String(100))
    enrolment_pk: Mapped[int] = mapped_column(
        ForeignKey("janison_enrolment.pk", ondelete="CASCADE")
    )
    candidate_pk: Mapped[int] = mapped_column(
        ForeignKey("janison_candidate.pk", ondelete="CASCADE")
    )
    package_pk: Mapped[int] = mapped_column(
        ForeignKey("janison_testpackage.pk", ondelete="CASCADE")
    )
    centre_pk: Mapped[int] = mapped_column(ForeignKey("janison_centre.pk", ondelete="CASCADE"))
    final_scale_score: Mapped[str | None] = _text(8)
    overall_cefr_grade: Mapped[str | None] = _text(16)
    completion_date: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    completed: Mapped[bool] = mapped_column(Boolean, default=True)
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    candidate: Mapped[JCandidate] = relationship(lazy="joined")
    package: Mapped[JTestPackage] = relationship(lazy="joined")
    centre: Mapped[JCentre] = relationship(lazy="joined")
    components: Mapped[list[JResultComponent]] = relationship(
        lazy="selectin", order_by="JResultComponent.id"
    )


class JResultComponent(TenantScoped, Base):
    __tablename__ = "janison_result_component"
    __table_args__ = (
        tenant_unique("janison_result_component", "id"),
        # A result's components, by id (JResult.components, on every result page).
        Index("ix_janison_result_component_result", "result_pk", "id"),
    )
    result_pk: Mapped[int] = mapped_column(ForeignKey("janison_result.pk", ondelete="CASCADE"))
    component_pk: Mapped[int] = mapped_column(
        ForeignKey("janison_component.pk", ondelete="CASCADE")
    )
    raw_score: Mapped[int] = mapped_column(Integer)
    scale_score: Mapped[str] = mapped_column(String(8))
    cefr_grade: Mapped[str] = mapped_column(String(16))
    date_completed: Mapped[datetime] = mapped_column(DateTime)
    keycode: Mapped[str] = mapped_column(String(8))
    included_in_total: Mapped[bool] = mapped_column(Boolean)
    completed: Mapped[bool] = mapped_column(Boolean, default=True)
    voided: Mapped[bool] = mapped_column(Boolean, default=False)
    component: Mapped[JComponent] = relationship(lazy="joined")


class JCredential(Base):
    """The tenant's APIM subscription key, static token and OAuth2 client."""

    __tablename__ = "janison_credential"
    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tenant_id: Mapped[str] = mapped_column(String(64), index=True)
    subscription_key: Mapped[str] = mapped_column(String(64), unique=True)
    token: Mapped[str] = mapped_column(String(80))
    client_id: Mapped[str] = mapped_column(String(80), unique=True)
    client_secret: Mapped[str] = mapped_column(String(80))


class JToken(TenantScoped, Base):
    """A token issued by POST /oauth2/token. A control, not tenant data: a reset keeps it,
    so a client holding one keeps working; deleting the tenant removes it."""

    __tablename__ = "janison_token"
    __table_args__ = (
        tenant_unique("janison_token", "id"),
        Index("ix_janison_token_token", "token"),
        {"info": {"control": True}},
    )
    token: Mapped[str] = mapped_column(String(80))
    expires_at: Mapped[datetime] = mapped_column(DateTime)
