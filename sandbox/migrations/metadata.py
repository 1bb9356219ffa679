"""Every table the sandbox has, in one MetaData: core's and each vendor's ``tables.py``.

Tables register on ``core.db.Base.metadata`` when their module is imported; the app
imports them through the providers, but Alembic's autogenerate and the schema tests
need them all without building an app.
"""

from __future__ import annotations

from importlib import import_module

from sqlalchemy import MetaData


def sandbox_metadata() -> MetaData:
    from exam_sandbox.core import journal, tenants  # noqa: F401 (registers their tables)
    from exam_sandbox.core.db import Base
    from exam_sandbox.core.webhooks import tables as webhook_tables  # noqa: F401
    from exam_sandbox.providers import VENDORS

    for vendor in VENDORS:
        import_module(f"exam_sandbox.providers.{vendor}.tables")
    return Base.metadata
