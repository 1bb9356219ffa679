"""Cirrus Assessment as a sandbox ``Provider``: its app, seed data, token and controls."""

from __future__ import annotations

from flask import Blueprint, Flask
from sqlalchemy.orm import Session

from exam_sandbox.core.demo_script import DemoRun
from exam_sandbox.core.overview import Overview
from exam_sandbox.core.provider import SandboxContext
from exam_sandbox.core.scope import RequestScope
from exam_sandbox.core.tenants import Tenant

from . import overview as overview_of
from .admin import create_admin_blueprint
from .app import create_cirrus_app
from .auth import credentials_for
from .description import DESCRIPTION
from .fixtures import seed_tenant
from .settings import CirrusSettingsSchema


class CirrusProvider:
    description = DESCRIPTION
    name = DESCRIPTION.name
    settings_schema = CirrusSettingsSchema

    def create_app(self, context: SandboxContext) -> Flask:
        return create_cirrus_app(context, self)

    def seed_tenant(self, session: Session, tenant: Tenant) -> None:
        seed_tenant(session, tenant.id, tenant.seed, credentials_for(tenant)["token"])

    def credentials(self, tenant: Tenant) -> dict:
        return credentials_for(tenant)

    def admin_blueprint(self, context: SandboxContext) -> Blueprint:
        return create_admin_blueprint(context)

    def overview(self, scope: RequestScope) -> Overview:
        return overview_of.overview(scope)

    def run_demo(self, demo: DemoRun) -> None:
        # Imported here: the script needs the client, which serving never does.
        from .demo_script import run_demo

        run_demo(demo)


# What exam_sandbox.providers builds: one provider class per vendor package.
PROVIDER = CirrusProvider
