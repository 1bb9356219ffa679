"""The WSGI entry point a server's workers load: ``sandbox.wsgi:create_wsgi_app``.

``exam-sandbox serve`` prepares the database once in the parent process (schema and demo
tenant), puts its configuration in the environment and starts granian with this factory;
each worker then builds its own app on the same database with ``prepare=False``. Workers
hold no state of their own, which is what makes several of them give the same answers.

The factory also works under another WSGI server, given a shared database URL::

    EXAM_SANDBOX_DATABASE_URL=sqlite:////var/lib/exam-sandbox/sandbox.db \\
        granian --interface wsgi --factory --workers 2 sandbox.wsgi:create_wsgi_app

Without ``EXAM_SANDBOX_PREPARED=1`` each worker prepares the database itself; that is
idempotent, and SQLite's write lock serialises the workers doing it.
"""

from __future__ import annotations

import os

from flask import Flask

ENV_DATABASE_URL = "EXAM_SANDBOX_DATABASE_URL"
ENV_SEED = "EXAM_SANDBOX_SEED"
ENV_PREPARED = "EXAM_SANDBOX_PREPARED"


def config_from_env(environ=None):
    """The ``SandboxConfig`` the CLI put in the environment."""
    from .core.provider import SandboxConfig

    environ = os.environ if environ is None else environ
    url = environ.get(ENV_DATABASE_URL)
    if not url:
        raise RuntimeError(
            f"{ENV_DATABASE_URL} is not set: start the sandbox with `exam-sandbox serve`, or "
            "give every worker the same database URL (a file or a server, never :memory:)"
        )
    seed = environ.get(ENV_SEED)
    extra = {"default_seed": int(seed)} if seed else {}
    return SandboxConfig(database_url=url, **extra)


def create_wsgi_app() -> Flask:
    """Build one worker's app; the granian ``--factory`` target."""
    from .app import create_app

    return create_app(config_from_env(), prepare=os.environ.get(ENV_PREPARED) != "1")
