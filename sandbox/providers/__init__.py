"""The vendors the sandbox emulates: the one place that names them.

``app.py`` mounts each provider at ``/<name>``. ``all_descriptions()`` lists what each
vendor says about itself without importing Flask or the database (the pytest plugin,
the CLI's ``--help`` and banner use it); ``all_providers()`` builds the providers.
Adding a vendor: its folders, and one line in ``VENDORS``.
"""

from __future__ import annotations

from importlib import import_module

# Package names under exam_sandbox.providers, in the order they are listed and mounted.
VENDORS: tuple[str, ...] = ("surpass", "janison")


def all_descriptions() -> list:
    """Each vendor's ``ProviderDescription`` (core/description.py), cheaply."""
    return [import_module(f"{__name__}.{name}.description").DESCRIPTION for name in VENDORS]


def all_providers() -> list:
    """Each vendor's ``Provider`` (its ``provider.py`` defines ``PROVIDER``)."""
    return [import_module(f"{__name__}.{name}.provider").PROVIDER() for name in VENDORS]
