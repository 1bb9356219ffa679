"""iTEP as a sandbox ``Provider``: its app, seed data, keys and controls."""

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
from .app import create_itep_app
from .auth import administrator_for, credentials_for, key_for
from .description import DESCRIPTION
from .fixtures import seed_tenant
from .settings import ItepSettingsSchema
from .wire import PRODUCTS


class ItepProvider:
    description = DESCRIPTION
    name = DESCRIPTION.name
    settings_schema = ItepSettingsSchema

    def create_app(self, context: SandboxContext) -> Flask:
        app = create_itep_app(context, self)
        app.extensions["itep_provider"] = self
        return app

    def seed_tenant(self, session: Session, tenant: Tenant) -> None:
        keys = {code: key_for(tenant, code) for code in PRODUCTS}
        seed_tenant(session, tenant.id, tenant.seed, administrator_for(tenant), keys)

    def credentials(self, tenant: Tenant) -> dict:
        return credentials_for(tenant)

    def admin_blueprint(self, context: SandboxContext) -> Blueprint:
        return create_admin_blueprint(context, self)

    def overview(self, scope: RequestScope) -> Overview:
        return overview_of.overview(scope)

    def run_demo(self, demo: DemoRun) -> None:
        # Imported here: the script needs the client, which serving never does.
        from .demo_script import run_demo

        run_demo(demo)


# What exam_sandbox.providers builds: one provider class per vendor package.
PROVIDER = ItepProvider
