"""Cirrus's tables. Every row belongs to one tenant (``TenantScoped``); relations use the
global ``pk``. Cirrus names things by external id (``external_id``), unique per tenant;
the per-tenant ``id`` is the internal number Cirrus shows in its ``Result`` text. Class
names carry a ``C`` so they never clash with another vendor's in SQLAlchemy's registry.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from exam_sandbox.core.db import Base, TenantScoped, tenant_unique


class CCredential(Base):
    """The tenant's EAPI token (interface: ``credentials.cirrus.token``)."""

    __tablename__ = "cirrus_credential"
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(64), index=True)


class CAssessment(TenantScoped, Base):
    __tablename__ = "cirrus_assessment"
    __table_args__ = (
        tenant_unique("cirrus_assessment", "id"),
        tenant_unique("cirrus_assessment", "external_id"),
    )
    external_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(100))
    code: Mapped[str] = mapped_column(String(100))
    purpose: Mapped[int] = mapped_column(Integer)  # 1 Summative, 2 Formative, 3 Mixed
    owner: Mapped[str] = mapped_column(String(64))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    is_published: Mapped[bool] = mapped_column(Boolean)
    # Minutes; None: unlimited (Get assessment info).
    max_time_per_attempt: Mapped[int | None] = mapped_column(Integer, nullable=True)
    extra_time: Mapped[int | None] = mapped_column(Integer, nullable=True)
    allowed_attempts: Mapped[int | None] = mapped_column(Integer, nullable=True)
    pass_mark: Mapped[float] = mapped_column(Float, default=50.0)


class CSchedule(TenantScoped, Base):
    __tablename__ = "cirrus_schedule"
    __table_args__ = (
        tenant_unique("cirrus_schedule", "id"),
        tenant_unique("cirrus_schedule", "external_id"),
    )
    external_id: Mapped[str] = mapped_column(String(64))
    assessment_pk: Mapped[int] = mapped_column(
        ForeignKey("cirrus_assessment.pk", ondelete="CASCADE")
    )
    title: Mapped[str] = mapped_column(String(100))
    start_at: Mapped[datetime] = mapped_column(DateTime)
    end_at: Mapped[datetime] = mapped_column(DateTime)
    workflow: Mapped[str] = mapped_column(String(32), default="DEFAULT")
    group_ext_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    group_name: Mapped[str | None] = mapped_column(String(500), nullable=True)
    schedule_group_ext_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    schedule_group_name: Mapped[str | None] = mapped_column(String(500), nullable=True)
    hierarchy_ext_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    pin: Mapped[str | None] = mapped_column(String(64), nullable=True)
    owner: Mapped[str] = mapped_column(String(64))
    is_activated: Mapped[bool] = mapped_column(Boolean)
    lock_on_connection_loss: Mapped[bool] = mapped_column(Boolean, default=False)
    use_proctorio: Mapped[bool] = mapped_column(Boolean, default=False)
    proctorio_template: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # The origin of the schedule's LaunchUrls (tenantHost when it was made).
    launch_origin: Mapped[str] = mapped_column(String(500))


class CCandidate(TenantScoped, Base):
    """A Cirrus user taking assessments: ``CandidateExtId`` is its user id in Cirrus."""

    __tablename__ = "cirrus_candidate"
    __table_args__ = (
        tenant_unique("cirrus_candidate", "id"),
        tenant_unique("cirrus_candidate", "external_id"),
    )
    external_id: Mapped[str] = mapped_column(String(500))
    user_name: Mapped[str] = mapped_column(String(500))
    first_name: Mapped[str] = mapped_column(String(500))
    last_name: Mapped[str] = mapped_column(String(500))
    email: Mapped[str] = mapped_column(String(500))
    # Salted hash (the docs: "stored salted and hashed"); None: no manual login.
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)


class CSitting(TenantScoped, Base):
    """A candidate on a schedule: the launch session and the attempt it leads to."""

    __tablename__ = "cirrus_sitting"
    __table_args__ = (
        tenant_unique("cirrus_sitting", "id"),
        Index("ix_cirrus_sitting_schedule", "schedule_pk", "candidate_pk", unique=True),
        Index("ix_cirrus_sitting_candidate", "candidate_pk"),
        UniqueConstraint("session", name="uq_cirrus_sitting_session"),
    )
    schedule_pk: Mapped[int] = mapped_column(ForeignKey("cirrus_schedule.pk", ondelete="CASCADE"))
    candidate_pk: Mapped[int] = mapped_column(ForeignKey("cirrus_candidate.pk", ondelete="CASCADE"))
    # 64 upper-case hex digits: the ``session`` of the StartupLink; unique everywhere.
    session: Mapped[str] = mapped_column(String(64))
    special_needs: Mapped[bool] = mapped_column(Boolean, default=False)
    adjustment_percentage: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # EXTERNAL_ATTEMPTS: the caller's attempt id; otherwise one is made when it is sat.
    attempt_ext_id: Mapped[str | None] = mapped_column(String(500), nullable=True)


class CAttempt(TenantScoped, Base):
    """A sat attempt and its result; returned by ``/results`` once published."""

    __tablename__ = "cirrus_attempt"
    __table_args__ = (
        tenant_unique("cirrus_attempt", "id"),
        tenant_unique("cirrus_attempt", "external_id"),
        Index("ix_cirrus_attempt_sitting", "sitting_pk"),
    )
    external_id: Mapped[str] = mapped_column(String(500))
    sitting_pk: Mapped[int] = mapped_column(ForeignKey("cirrus_sitting.pk", ondelete="CASCADE"))
    score: Mapped[float] = mapped_column(Float)
    outcome: Mapped[str] = mapped_column(String(16))
    submitted_at: Mapped[datetime] = mapped_column(DateTime)
    published: Mapped[bool] = mapped_column(Boolean)
    published_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Bumped by a rescore: the webhook fires again when a rescored result is published.
    revision: Mapped[int] = mapped_column(Integer, default=1)


class CResultsUsage(Base):
    """Calls to ``/results`` per token per Cirrus day (which starts at 13:30 UTC): the
    3,000-a-day throttle, in the database so every worker counts the same calls."""

    __tablename__ = "cirrus_results_usage"
    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    day_start: Mapped[datetime] = mapped_column(DateTime, primary_key=True)
    calls: Mapped[int] = mapped_column(Integer)
