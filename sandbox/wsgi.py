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
import signal
from multiprocessing import util as multiprocessing_util

from flask import Flask

ENV_DATABASE_URL = "EXAM_SANDBOX_DATABASE_URL"
ENV_SEED = "EXAM_SANDBOX_SEED"
ENV_PREPARED = "EXAM_SANDBOX_PREPARED"
# What the request guard trusts (sandbox/core/guard.py): the bound address, further Host
# names (commas or spaces; "*" for any) and the token every /_sandbox request must carry.
ENV_BIND_HOST = "EXAM_SANDBOX_BIND_HOST"
ENV_ALLOWED_HOSTS = "EXAM_SANDBOX_ALLOWED_HOSTS"
ENV_ADMIN_TOKEN = "EXAM_SANDBOX_ADMIN_TOKEN"

# The app ``exam-sandbox serve`` built in the parent before granian forked the workers.
_prebuilt: Flask | None = None


def prebuild(app: Flask) -> None:
    """Hand forked workers an app built once in the parent.

    Building it there (blueprints, OpenAPI registration, SQLAlchemy mappers) takes that
    work off each worker's path to its first answer; the parent has not connected to the
    database through it, so no connection crosses the fork.
    """
    global _prebuilt
    _prebuilt = app


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
    from .core.guard import parse_host_list

    seed = environ.get(ENV_SEED)
    extra = {"default_seed": int(seed)} if seed else {}
    if environ.get(ENV_BIND_HOST):
        extra["bind_host"] = environ[ENV_BIND_HOST]
    return SandboxConfig(
        database_url=url,
        allowed_hosts=parse_host_list(environ.get(ENV_ALLOWED_HOSTS)),
        admin_token=environ.get(ENV_ADMIN_TOKEN) or None,
        **extra,
    )


def create_wsgi_app() -> Flask:
    """Build one worker's app; the granian ``--factory`` target."""
    from .app import create_app

    app = create_app(config_from_env(), prepare=os.environ.get(ENV_PREPARED) != "1")
    _resume_webhooks(app)
    return app


def create_granian_worker_app() -> Flask:
    """``create_wsgi_app`` for the granian workers that ``exam-sandbox serve`` forks.

    Two signal fixes, both measured (without them a stop waits out granian's kill
    timeout and logs "Killing worker-N after it refused to gracefully stop"):

    - A worker is forked with its parent's signal handlers and installs its own only
      once its app is built; a SIGTERM in between would do nothing. The defaults end
      the worker at once instead.
    - Ctrl-C sends SIGINT to the whole process group, and the parent then sends each
      worker SIGTERM; a worker that gets both can miss its shutdown. Blocking SIGINT in
      the worker (threads started later inherit the mask) leaves the parent to stop it
      with SIGTERM alone. ``kill -9`` of the group still ends every process.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    if _prebuilt is not None:
        # Connections made before a fork must not be shared: start with empty pools.
        _prebuilt.extensions["exam_sandbox"].db.dispose(close=False)
        app = _prebuilt
        _resume_webhooks(app)
    else:
        app = create_wsgi_app()
    _dispose_at_exit(app)
    return app


def _resume_webhooks(app: Flask) -> None:
    """Send the deliveries an earlier run left pending: every worker runs a dispatcher
    when some are (their leases keep two from sending one attempt), and any worker's
    enqueue starts its own later (core/webhooks/dispatcher.py)."""
    app.extensions["exam_sandbox"].webhooks.resume()


def _dispose_at_exit(app: Flask) -> None:
    """Close the worker's connections when it stops, so SQLite's last connection
    checkpoints and removes its ``-wal``/``-shm`` files (the parent tidies up after
    workers that were killed). granian's workers are multiprocessing children, which
    leave through ``os._exit`` and skip ``atexit``; multiprocessing's own exit
    finalizers do run there (and at a plain interpreter exit)."""
    multiprocessing_util.Finalize(None, app.extensions["exam_sandbox"].db.dispose, exitpriority=10)
