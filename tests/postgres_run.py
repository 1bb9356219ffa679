"""``make test``'s second run: the same suites on PostgreSQL, or a loud "not run".

    python tests/postgres_run.py [pytest options ...]

The server is the one ``EXAM_SANDBOX_TEST_POSTGRES`` names (any SQLAlchemy URL of a
role that may create databases), else a local server this user can reach through its
default socket (``make postgres`` starts one on Debian, port 5499; ``.ci/run`` does). The suites
then run with that variable set (tests/stores.py), leaving out what does not touch the
database (marked ``store_independent``) and the tests of SQLite itself (``sqlite_only``),
both of which the SQLite run has just run; and the contracts' agreement suites (each
vendor's client against a served sandbox) run too, the plugin's sandbox on the server.

No server: the run is reported as NOT RUN, in a box, and ``make test`` stays green: a
developer without PostgreSQL can still test. A server that was named but cannot be
reached fails the run instead: asked for and not done is never a pass.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import stores  # noqa: E402 - tests/ is not a package
from stores import POSTGRES_ENV  # noqa: E402

CONTRACTS = Path(__file__).resolve().parent.parent / "contracts"

# Where `make postgres` puts the suites' own cluster, then the default socket.
LOCAL_SERVERS = (
    "postgresql+psycopg:///postgres?host=/var/run/postgresql&port=5499",
    "postgresql+psycopg:///postgres",
)


def reachable(url: str) -> str | None:
    """None when a connection to ``url`` can create databases, else why not."""
    try:
        from sqlalchemy import create_engine, text
        from sqlalchemy.pool import NullPool
    except ImportError as error:  # pragma: no cover - the dev install has both
        return str(error)
    try:
        engine = create_engine(url, poolclass=NullPool)
        try:
            with engine.connect() as connection:
                allowed = connection.execute(text(
                    "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user"
                )).scalar()
        finally:
            engine.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means: not this server
        return str(error).strip().splitlines()[0]
    return None if allowed else "its role may not create databases"


def box(*lines: str) -> str:
    width = max(len(line) for line in lines)
    rule = "+" + "-" * (width + 2) + "+"
    return "\n".join([rule, *(f"| {line.ljust(width)} |" for line in lines), rule])


def main(pytest_args: list[str]) -> int:
    named = os.environ.get(POSTGRES_ENV)
    for url in (named,) if named else LOCAL_SERVERS:
        why_not = reachable(url)
        if why_not is None:
            break
    if why_not is not None and named:
        print(box(f"PostgreSQL run: FAILED: {POSTGRES_ENV} is set but unusable", why_not),
              flush=True)
        return 1
    if why_not is not None:
        print(box(
            "PostgreSQL run: NOT RUN (no PostgreSQL server; the SQLite run above passed)",
            f"  no {POSTGRES_ENV}, and no local server ({', '.join(LOCAL_SERVERS)}): {why_not}",
            f"  To run it: {POSTGRES_ENV}=postgresql+psycopg://USER@HOST/postgres make test,",
            "  or `make postgres` (Debian, as root) to install and start a local one.",
        ), flush=True)
        return 0
    print(f"PostgreSQL run: the suites again, on {url}", flush=True)
    os.environ[POSTGRES_ENV] = url
    # The plugin's served sandbox (the agreement suites: each vendor's client against
    # it, end to end) on one database of the server, which every xdist worker's sandbox
    # shares, as replicas do; made here and dropped when this run ends.
    served_on = stores.database_url(Path(), "plugin")
    command = [
        sys.executable, "-m", "pytest", *pytest_args,
        "-m", "not store_independent and not sqlite_only",
        f"--sandbox-database-url={served_on}",
        "tests", *sorted(str(p) for p in CONTRACTS.glob("test_*_agreement.py")),
    ]
    done = subprocess.run(command, env=dict(os.environ), check=False)
    said = "passed" if done.returncode == 0 else f"FAILED (pytest exit {done.returncode})"
    print(box(f"PostgreSQL run: {said}", f"  on {url}"), flush=True)
    return done.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
