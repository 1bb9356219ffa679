"""``exam-sandbox``: serve the sandbox, or print an OpenAPI document it serves.

    exam-sandbox serve [--host 127.0.0.1] [--port 8080] [--data-dir DIR | --database-url URL]
                       [--no-migrate] [--seed N] [--workers 2] [--threads 4] [--access-log]
                       [--allow-host NAME ...] [--admin-token TOKEN]
    exam-sandbox demo [serve's options] [--pace 1.5] [--wait 5]   serve, and run a
                       scripted integration to watch in the console
    exam-sandbox openapi NAME [--output FILE]      NAME: a vendor, or sandbox (/_sandbox)
    exam-sandbox openapi --all --output-dir DIR    every one, as DIR/<NAME>.json
    exam-sandbox migrate (--data-dir DIR | --database-url URL)   upgrade the schema
    exam-sandbox --version

Vendors are never named here: the banner and ``openapi`` loop over what each provider
says about itself (``exam_sandbox.providers.all_descriptions``, cheap to import).

``serve`` runs granian's WSGI server, never Flask's development server. The parent
process prepares the database (schema and demo tenant) once, then granian forks the
workers, each of which builds its app on that database (``sandbox.wsgi``). Everything
heavy is imported inside the command that needs it, so ``--help`` stays instant.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from .migrations.command import add_migrate_command

if TYPE_CHECKING:
    from .core.provider import SandboxConfig

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 4
# ``demo``: slow enough to watch each request land in the console's journal.
DEFAULT_PACE = 1.5
DEFAULT_DEMO_WAIT = 5.0
# The name ``openapi`` gives the /_sandbox controls' own document, beside the vendors'.
SANDBOX_DOCUMENT = "sandbox"
SANDBOX_OPENAPI_PATH = "/_sandbox/openapi.json"


def package_version() -> str:
    try:
        return metadata.version("exam-sandbox")
    except metadata.PackageNotFoundError:  # imported from a checkout that is not installed
        return "unknown (not installed)"


def openapi_paths() -> dict[str, str]:
    """Every document ``openapi`` prints, by name: each vendor's, then the controls'."""
    from .providers import all_descriptions

    paths = {d.name: d.openapi_path for d in all_descriptions()}
    paths[SANDBOX_DOCUMENT] = SANDBOX_OPENAPI_PATH
    return paths


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _port(text: str) -> int:
    value = int(text)
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be 0..65535 (0 picks a free port)")
    return value


def _pace(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= 60:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds from 0 to 60")
    return value


def _seed(text: str) -> int:
    value = int(text)
    if not 0 <= value < 2**31:
        raise argparse.ArgumentTypeError("must be 0..2147483647")
    return value


def add_serve_options(serve: argparse.ArgumentParser) -> None:
    """The options of ``serve``, which ``demo`` serves with too."""
    serve.add_argument("--host", default=DEFAULT_HOST, help="address to bind (default %(default)s)")
    serve.add_argument(
        "--port",
        type=_port,
        default=DEFAULT_PORT,
        help="port to bind; 0 picks a free one and prints it (default %(default)s)",
    )
    where = serve.add_mutually_exclusive_group()
    where.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="keep the database in DIR/sandbox.db across restarts (default: a temporary "
        "folder, removed on exit)",
    )
    where.add_argument(
        "--database-url",
        metavar="URL",
        help="keep the data in this database instead, shared by every replica serving it: "
        "postgresql+psycopg://USER:PASSWORD@HOST/DB (pip install 'exam-sandbox[postgres]'); "
        "default: $EXAM_SANDBOX_DATABASE_URL, else a SQLite file (--data-dir)",
    )
    serve.add_argument(
        "--no-migrate",
        action="store_true",
        help="do not change the schema; refuse to start unless the database is at this "
        "release's revision (for replicas of a deployment that runs `exam-sandbox migrate` "
        "once, first)",
    )
    serve.add_argument(
        "--seed",
        type=_seed,
        default=None,
        metavar="N",
        help="seed of the demo tenant's data (default 1)",
    )
    serve.add_argument(
        "--workers",
        type=_positive,
        default=DEFAULT_WORKERS,
        help="worker processes (default %(default)s)",
    )
    serve.add_argument(
        "--threads",
        type=_positive,
        default=DEFAULT_THREADS,
        help="blocking threads per worker (default %(default)s)",
    )
    serve.add_argument("--access-log", action="store_true", help="log every request")
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also answer requests whose Host is NAME (repeatable; '.example.com' for its "
        "subdomains too, '*' for any name, which turns the DNS-rebinding check off). "
        "Loopback names and the bound address are always answered",
    )
    serve.add_argument(
        "--admin-token",
        default=None,
        metavar="TOKEN",
        help="require TOKEN on every /_sandbox request, as 'Authorization: Bearer TOKEN' "
        "(default: $EXAM_SANDBOX_ADMIN_TOKEN, which keeps it out of the process list)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="exam-sandbox",
        description="Offline, stateful sandbox of e-assessment vendors' scheduling APIs.",
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {package_version()}"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="serve the sandbox over HTTP (granian, WSGI)")
    add_serve_options(serve)
    serve.set_defaults(handler=serve_command)

    demo = commands.add_parser(
        "demo",
        help="serve the sandbox and run a scripted integration to watch in the console",
        description="Serve the sandbox as `serve` does, print the console URL of a new "
        "tenant, and run a scripted integration through each vendor's client (book, "
        "resit, sit, read the result), one step every --pace seconds; then keep serving "
        "until Ctrl-C.",
    )
    add_serve_options(demo)
    demo.add_argument(
        "--pace",
        type=_pace,
        default=DEFAULT_PACE,
        metavar="SECONDS",
        help="the pause before each step, to watch it land (default %(default)s; 0: none)",
    )
    demo.add_argument(
        "--wait",
        type=_pace,
        default=DEFAULT_DEMO_WAIT,
        metavar="SECONDS",
        help="the pause after the console URL is printed, to open it (default %(default)s)",
    )
    demo.set_defaults(handler=demo_command)

    names = openapi_paths()
    listed = ", ".join(f"{name} ({path})" for name, path in names.items())
    openapi = commands.add_parser(
        "openapi",
        help="print an OpenAPI document the sandbox serves (JSON)",
        description=f"Print the OpenAPI document the sandbox serves for NAME: {listed}.",
    )
    openapi.add_argument(
        "name",
        nargs="?",
        metavar="NAME",
        help=f"one of: {', '.join(names)} (a vendor as mounted, or {SANDBOX_DOCUMENT} for "
        "the /_sandbox controls)",
    )
    openapi.add_argument(
        "--output", "-o", type=Path, metavar="FILE", help="write to FILE instead of stdout"
    )
    openapi.add_argument(
        "--all", action="store_true", help="every document, as DIR/<NAME>.json (needs --output-dir)"
    )
    openapi.add_argument(
        "--output-dir", type=Path, metavar="DIR", help="with --all: the folder to write to"
    )
    openapi.set_defaults(handler=openapi_command)
    add_migrate_command(commands)  # migrations/command.py
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args) or 0


# --- serve -----------------------------------------------------------------------------


def claim_port(host: str, port: int) -> int:
    """Check that ``port`` is free on ``host`` (0: let the OS pick one) and return it.

    granian binds with SO_REUSEPORT, so a second sandbox started on a busy port would
    silently share it with the first, each answering half the requests from its own
    database. This probe binds without SO_REUSEPORT, which fails while anyone listens.

    The probe is closed before granian binds, so another process could take the port in
    between; that window is a few milliseconds, and granian then fails loudly. granian
    cannot bind port 0 itself: each worker would get a different port.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        # SO_REUSEADDR: a port whose old connections are in TIME_WAIT is free to listen on.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
            probe.listen(1)
        except OSError as exc:
            raise SystemExit(
                f"exam-sandbox: cannot listen on {host}:{port}: {exc.strerror}"
            ) from None
        return probe.getsockname()[1]


def _exit_on_signal(signum, _frame):
    # Until granian installs its own handlers: leave through ``finally`` so a temporary
    # data folder is removed. granian's handlers then stop the workers gracefully.
    raise SystemExit(128 + signum)


def _base_url(host: str, port: int) -> str:
    shown = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


def banner(base: str, args, db_file: str, temporary: bool) -> str:
    from .providers import all_descriptions

    descriptions = all_descriptions()
    kept = "temporary, removed on exit" if temporary else "kept"
    # Columns as wide as their longest entry, so every vendor's lines line up.
    label = max(16, *(len(d.title) for d in descriptions))
    path = max(len(d.api_path) for d in descriptions)
    lines = [
        f"exam-sandbox serving on {base}  "
        f"(granian, {args.workers} workers x {args.threads} threads)"
    ]
    lines += [
        f"  {d.title:<{label}} {base}{d.api_path:<{path}} docs: {base}{d.docs_path}"
        for d in descriptions
    ]
    lines.append(f"  {'Admin':<{label}} {base}/_sandbox/tenants")
    lines.append(f"  {'Console':<{label}} {base}/console")
    for index, d in enumerate(descriptions):
        first = "Demo tenant" if index == 0 else ""
        shown = " ".join(f"{key}={value}" for key, value in d.demo_credentials.items())
        lines.append(f"  {first:<{label}} {d.name:<8} {shown}")
    lines += [
        f"  {'Data':<{label}} {db_file} ({kept})",
        f"  {'Health':<{label}} {base}/health",
    ]
    return "\n".join(lines)


def seed_warning(asked: int | None, kept: int, db_file: str) -> str | None:
    """What to say when ``--seed`` differs from the demo tenant's in a kept data folder:
    the demo tenant is made once, so the folder keeps the seed it was made with."""
    if asked is None or asked == kept:
        return None
    return (
        f"exam-sandbox: WARNING: --seed {asked} ignored: the data folder's demo tenant "
        f"({db_file}) keeps seed {kept}, the one it was made with. Use another --data-dir "
        f"(or remove that file) for a demo tenant with seed {asked}, or create a tenant "
        f'with it: POST /_sandbox/tenants {{"seed": {asked}}}.'
    )


def demo_tenant_seed(config) -> int:
    """The seed of the demo tenant in the prepared database."""
    from .core.db import Database
    from .core.tenants import DEMO_TENANT_ID, get_tenant

    db = Database(config.database_url)
    try:
        with db.session(write=False) as session:
            return get_tenant(session, DEMO_TENANT_ID).seed
    finally:
        db.dispose()


def exposure_warning(host: str, *, token: bool, allowed: list[str]) -> str | None:
    """What a bind other machines can reach exposes, and how to lock it down (None on
    loopback)."""
    from .core.guard import ANY_HOST, is_loopback_name

    if is_loopback_name(host):
        return None
    lines = [
        f"exam-sandbox: WARNING: bound to {host or '*'}, which other machines can reach.",
        "  The vendor APIs answer anyone with the demo tenant's public credentials.",
    ]
    if token:
        lines.append("  /_sandbox requires the admin token.")
    else:
        lines += [
            "  /_sandbox has no token: anyone who can connect can create, reset and delete",
            "  tenants and read every tenant's credentials. Lock it down with --admin-token",
            "  TOKEN (or EXAM_SANDBOX_ADMIN_TOKEN).",
        ]
    if ANY_HOST in allowed:
        lines.append("  --allow-host '*' turns the Host check (DNS rebinding) off.")
    else:
        lines.append(
            "  Only loopback names, the bound address and --allow-host names are answered."
        )
    lines.append("  To keep it on this machine only, bind 127.0.0.1 (the default).")
    return "\n".join(lines)


def _guard_environment(args) -> None:
    """Hand the request guard's settings to the workers (sandbox.wsgi.config_from_env)."""
    from . import wsgi
    from .core.guard import parse_host_list

    os.environ[wsgi.ENV_BIND_HOST] = args.host
    allowed = [*parse_host_list(os.environ.get(wsgi.ENV_ALLOWED_HOSTS)), *args.allow_host]
    if allowed:
        os.environ[wsgi.ENV_ALLOWED_HOSTS] = ",".join(allowed)
    if args.admin_token is not None:
        if not args.admin_token.strip():
            raise SystemExit("exam-sandbox: --admin-token must not be empty")
        os.environ[wsgi.ENV_ADMIN_TOKEN] = args.admin_token


def database_url_of(args, environ=None) -> str | None:
    """The database ``serve`` was pointed at (``--database-url``, else the environment's
    ``EXAM_SANDBOX_DATABASE_URL`` when no ``--data-dir`` is given), or None for a SQLite
    file in a data folder."""
    from . import wsgi

    environ = os.environ if environ is None else environ
    if args.database_url is not None:
        if not args.database_url.strip():
            raise SystemExit("exam-sandbox: --database-url must not be empty")
        return args.database_url
    if args.data_dir is None:
        return environ.get(wsgi.ENV_DATABASE_URL) or None
    return None


def shown_url(url: str) -> str:
    """``url`` with its password hidden, for the banner and messages."""
    from sqlalchemy import make_url

    return make_url(url).render_as_string(hide_password=True)


def database_problem(error: BaseException, url: str | None) -> str | None:
    """One line saying why the database cannot be used and what to do, or None when
    ``error`` is not about the database (imported only once something was raised)."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

    from .migrations import UnknownRevision
    from .migrations.schema import SchemaNotCurrent

    where = shown_url(url) if url else "the database"
    if isinstance(error, ImportError | NoSuchModuleError):
        return (
            f"{where}: its driver is not installed ({error}); for PostgreSQL: "
            "pip install 'exam-sandbox[postgres]'"
        )
    if isinstance(error, ArgumentError | OperationalError | UnknownRevision | SchemaNotCurrent):
        said = str(getattr(error, "orig", None) or error).strip()
        return f"{where}: {said.splitlines()[0] if said else type(error).__name__}"
    return None


def serve_command(args, before_serving: Callable[[str, SandboxConfig], None] | None = None
                  ) -> int:
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, _exit_on_signal)
    database_url = database_url_of(args)
    temporary = args.data_dir is None and database_url is None
    data_dir = Path(tempfile.mkdtemp(prefix="exam-sandbox-")) if temporary else args.data_dir
    try:
        port = claim_port(args.host, args.port)
        from . import wsgi

        if database_url is None:
            data_dir.mkdir(parents=True, exist_ok=True)
            db_file = str((data_dir / "sandbox.db").resolve())
            database_url = f"sqlite:///{db_file}"
        else:
            db_file = shown_url(database_url)
        os.environ[wsgi.ENV_DATABASE_URL] = database_url
        if args.seed is not None:
            os.environ[wsgi.ENV_SEED] = str(args.seed)
        _guard_environment(args)
        config = wsgi.config_from_env()

        # Once, here, before any worker serves: workers build their apps unprepared.
        from .app import create_app, prepare_database

        schema = prepare_database(config, migrate=not args.no_migrate)
        if schema.action in ("adopted", "upgraded"):
            print(f"exam-sandbox: {schema.describe()}", file=sys.stderr, flush=True)
        os.environ[wsgi.ENV_PREPARED] = "1"
        kept_seed = demo_tenant_seed(config) if args.seed is not None else None
        wsgi.prebuild(create_app(config, prepare=False))

        from granian import Granian
        from granian.constants import Interfaces
        from granian.log import LogLevels

        server = Granian(
            "exam_sandbox.wsgi:create_granian_worker_app",
            factory=True,
            address=args.host,
            port=port,
            interface=Interfaces.WSGI,
            workers=args.workers,
            blocking_threads=args.threads,
            log_level=LogLevels.warning,
            log_access=args.access_log,
            workers_kill_timeout=5,
        )
        warning = exposure_warning(
            args.host, token=config.admin_token is not None, allowed=list(config.allowed_hosts)
        )
        if warning:
            print(warning, file=sys.stderr, flush=True)
        if kept_seed is not None and (said := seed_warning(args.seed, kept_seed, db_file)):
            print(said, file=sys.stderr, flush=True)
        base = _base_url(args.host, port)
        print(banner(base, args, db_file, temporary), flush=True)
        if before_serving is not None:
            before_serving(base, config)
        # Blocks until SIGINT/SIGTERM; granian stops the workers and returns.
        server.serve()
        # Every worker has gone: fold the WAL in and remove what only a running sandbox
        # needs, so a kept data folder holds just sandbox.db after a clean stop.
        from .core.db import close_database_files

        close_database_files(config.database_url)
    except Exception as error:
        said = database_problem(error, database_url)
        if said is None:
            raise
        raise SystemExit(f"exam-sandbox: {said}") from None
    finally:
        if temporary:
            shutil.rmtree(data_dir, ignore_errors=True)
    return 0


# --- demo ------------------------------------------------------------------------------


def demo_command(args) -> int:
    """``serve``, with the scripted integration running beside it (sandbox/demo.py).

    The script runs in a process of its own, started before granian forks the workers:
    a thread of this process would be forked into every worker mid-step, perhaps holding
    a lock (an import's, a logger's) that the worker then waits on forever."""
    script: list[subprocess.Popen] = []

    def start_demo(base: str, _config: SandboxConfig) -> None:
        command = [sys.executable, "-m", "exam_sandbox.demo", base,
                   "--pace", str(args.pace), "--wait", str(args.wait)]
        script.append(subprocess.Popen(command))  # the admin token: in the environment

    try:
        return serve_command(args, before_serving=start_demo)
    finally:
        for process in script:
            if process.poll() is None:
                process.terminate()
            process.wait(timeout=10)


# --- openapi ---------------------------------------------------------------------------


def openapi_documents(names: list[str]) -> dict[str, dict]:
    """The named OpenAPI documents, exactly as the sandbox serves them (one app for all)."""
    from .app import create_app
    from .core.provider import SandboxConfig

    paths = openapi_paths()
    for name in names:
        if name not in paths:
            raise SystemExit(
                f"exam-sandbox: unknown vendor {name!r} (have: {', '.join(paths)})"
            )
    with tempfile.TemporaryDirectory(prefix="exam-sandbox-openapi-") as folder:
        config = SandboxConfig(database_url=f"sqlite:///{Path(folder) / 'sandbox.db'}")
        app = create_app(config, prepare=False)
        try:
            documents = {}
            for name in names:
                response = app.test_client().get(paths[name])
                if response.status_code != 200:
                    raise SystemExit(
                        f"exam-sandbox: {paths[name]} answered {response.status_code}: "
                        f"the sandbox serves no OpenAPI document for {name!r}"
                    )
                documents[name] = json.loads(response.get_data(as_text=True))
            return documents
        finally:
            app.extensions["exam_sandbox"].db.dispose()


def openapi_document(name: str) -> dict:
    """One OpenAPI document (a vendor's, or ``sandbox``: the controls'), as served."""
    return openapi_documents([name])[name]


def render_openapi(document: dict) -> str:
    # Key order is the served order (deterministic: it comes from the schemas and the
    # blueprints' registration order), so the committed file diffs cleanly.
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def openapi_command(args) -> int:
    if args.all:
        if args.name or args.output or not args.output_dir:
            raise SystemExit("exam-sandbox: openapi --all takes --output-dir DIR and no NAME")
        for name, document in openapi_documents(list(openapi_paths())).items():
            _write(args.output_dir / f"{name}.json", render_openapi(document))
        return 0
    if not args.name or args.output_dir:
        raise SystemExit(
            "exam-sandbox: openapi takes a NAME (one of: "
            f"{', '.join(openapi_paths())}), or --all --output-dir DIR"
        )
    text = render_openapi(openapi_document(args.name))
    if args.output:
        _write(args.output, text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
