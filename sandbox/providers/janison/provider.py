"""Janison Insights as a sandbox ``Provider``: its app, seed data, credentials and the
``/complete`` control."""

from __future__ import annotations

from flask import Blueprint, Flask
from sqlalchemy.orm import Session

from exam_sandbox.core.demo_script import DemoRun
from exam_sandbox.core.overview import Overview
from exam_sandbox.core.provider import SandboxContext
from exam_sandbox.core.scope import RequestScope
from exam_sandbox.core.tenants import Tenant

from .admin import create_admin_blueprint
from .app import create_janison_app
from .auth import credential_row, credentials_for
from .demo_script import run_demo
from .description import DESCRIPTION
from .fixtures import seed_tenant
from .overview import overview_of
from .settings import JanisonSettingsSchema


class JanisonProvider:
    description = DESCRIPTION
    name = DESCRIPTION.name
    settings_schema = JanisonSettingsSchema

    def create_app(self, context: SandboxContext) -> Flask:
        return create_janison_app(context, self)

    def seed_tenant(self, session: Session, tenant: Tenant) -> None:
        seed_tenant(session, tenant.id, tenant.seed, credential_row(tenant))

    def credentials(self, tenant: Tenant) -> dict:
        return credentials_for(tenant)

    def admin_blueprint(self, context: SandboxContext) -> Blueprint:
        return create_admin_blueprint(context)

    def overview(self, scope: RequestScope) -> Overview:
        return overview_of(scope)

    def run_demo(self, demo: DemoRun) -> None:
        run_demo(demo)


# What exam_sandbox.providers builds: one provider class per vendor package.
PROVIDER = JanisonProvider
