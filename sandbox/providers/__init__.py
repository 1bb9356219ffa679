"""The vendors the sandbox emulates: the one place that names them.

``app.py`` mounts each provider at ``/<name>``. ``all_descriptions()`` lists what each
vendor says about itself without importing Flask or the database (the pytest plugin,
the CLI's ``--help`` and banner use it); ``all_providers()`` builds the providers.
Adding a vendor: its folders, and one line in ``VENDORS``.
"""

from __future__ import annotations

from importlib import import_module

# Package names under exam_sandbox.providers, in the order they are listed and mounted.
VENDORS: tuple[str, ...] = ("surpass", "janison", "cirrus", "itep")

# What every vendor package holds (docs/architecture.md says what goes where; a vendor
# may add modules of its own beside these). tests/test_layering.py checks each one.
PACKAGE_TEMPLATE: tuple[str, ...] = (
    "__init__.py",
    "description.py",  # what it says about itself: pure data (core/description.py)
    "provider.py",  # PROVIDER: builds its app, seeds a tenant, names its credentials
    "app.py",  # its own Flask app (mounted at /<name>): error handlers, request scope
    "blueprint.py",  # the flask-smorest Api and blueprints its routes register on
    "openapi.py",  # its OpenAPI document's extras: security schemes, servers, tags
    "auth.py",  # who is calling: credentials -> user, the vendor's 401/403
    "tables.py",  # its tables (tenant-scoped)
    "schemas/",  # marshmallow: wire format, validation, OpenAPI
    "models/",  # the vendor's rules: plain functions of (scope, input), no Flask
    "routes/",  # thin: parse -> call a rule function -> serialise
    "errors.py",  # its error codes and envelope
    "fixtures.py",  # deterministic seed data
    "settings.py",  # its per-tenant site settings (a marshmallow schema with defaults)
    "admin.py",  # its /_sandbox/tenants/<id>/<name> controls
)


def all_descriptions() -> list:
    """Each vendor's ``ProviderDescription`` (core/description.py), cheaply."""
    return [import_module(f"{__name__}.{name}.description").DESCRIPTION for name in VENDORS]


def all_providers() -> list:
    """Each vendor's ``Provider`` (its ``provider.py`` defines ``PROVIDER``)."""
    return [import_module(f"{__name__}.{name}.provider").PROVIDER() for name in VENDORS]
