"""Surpass as a sandbox ``Provider``: its app, seed data, credentials and controls."""

from __future__ import annotations

from flask import Blueprint, Flask
from sqlalchemy.orm import Session

from exam_sandbox.core.demo_script import DemoRun
from exam_sandbox.core.overview import Overview
from exam_sandbox.core.provider import SandboxContext
from exam_sandbox.core.scope import RequestScope
from exam_sandbox.core.tenants import Tenant

from .admin import create_admin_blueprint
from .app import create_surpass_app
from .demo_script import run_demo
from .description import DESCRIPTION
from .fixtures import seed_tenant
from .overview import overview_of
from .settings import SurpassSettingsSchema


class SurpassProvider:
    description = DESCRIPTION
    name = DESCRIPTION.name
    settings_schema = SurpassSettingsSchema

    def create_app(self, context: SandboxContext) -> Flask:
        return create_surpass_app(context, self)

    def seed_tenant(self, session: Session, tenant: Tenant) -> None:
        creds = self.credentials(tenant)
        seed_tenant(session, tenant.id, tenant.seed, **creds)

    def credentials(self, tenant: Tenant) -> dict:
        # The tenant id is the username: unique, and readable in a journal or a log.
        return {"username": tenant.id, "password": tenant.secret}

    def admin_blueprint(self, context: SandboxContext) -> Blueprint:
        return create_admin_blueprint(context)

    def overview(self, scope: RequestScope) -> Overview:
        return overview_of(scope)

    def run_demo(self, demo: DemoRun) -> None:
        run_demo(demo)


# What exam_sandbox.providers builds: one provider class per vendor package.
PROVIDER = SurpassProvider
