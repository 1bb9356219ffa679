"""Schema migrations: a kept database outlives the release that made it.

``fixtures/release-0.1.0-sandbox.sql.gz`` is a ``sqlite3 .dump`` of a database made by
release 0.1.0 (commit 1eaf48d, before migrations): its ``create_all`` schema, the demo
tenant, and a tenant ``legacy`` (seed 5) with Surpass ``pinLength`` 8 and a candidate
LEGACY-1 posted through the API. No ``alembic_version`` table. These tests start the
sandbox on it, add a revision of their own to show an upgrade on start, and check that
``upgrade head`` from empty builds exactly the schema the metadata describes.
"""

from __future__ import annotations

import base64
import gzip
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from test_serve import cli_command, serve

from exam_sandbox import cli
from exam_sandbox.app import create_app, default_config, prepare_database
from exam_sandbox.core.db import Database, sqlite_url_for
from exam_sandbox.migrations import HEAD_REVISION, VERSIONS_DIR, UnknownRevision, schema
from exam_sandbox.migrations.alembic_runner import alembic_config, head_revision
from exam_sandbox.migrations.metadata import sandbox_metadata

RELEASE_0_1_0 = Path(__file__).parent / "fixtures" / "release-0.1.0-sandbox.sql.gz"
# The revisions after the baseline that this release has, which adopting a release
# 0.1.0 database applies (oldest first), and a revision of these tests' own on top.
AFTER_BASELINE = tuple(f"{n:04d}" for n in range(2, int(HEAD_REVISION) + 1))
NEXT = f"{int(HEAD_REVISION) + 1:04d}"
# The legacy tenant's Surpass login, as release 0.1.0 generated it into the fixture.
LEGACY_AUTH = ("legacy", "wT4zm-LvRZ2-ZBXm9_IiFaJH")
# Revision 0003's expression index on (tenant_id, lower(last_name)). SQLAlchemy cannot
# reflect an expression index on SQLite, so the metadata comparison and table_shapes do
# not see it (and warn, as does Alembic's autogenerate): the tests that reflect expect
# that, and the ones that upgrade check the index in sqlite_master instead.
FOLDED = "ix_surpass_candidate_last_name_folded"
# Release 0.1.0 was SQLite only, and these read SQLite's files; test_store_migrations runs
# the revisions on whichever store the suites run on.
pytestmark = [
    pytest.mark.sqlite_only,
    pytest.mark.filterwarnings(
        f"ignore:Skipped unsupported reflection of expression-based index {FOLDED}"
        ":sqlalchemy.exc.SAWarning"
    ),
    pytest.mark.filterwarnings(
        f"ignore:autogenerate skipping metadata-specified expression-based index '{FOLDED}'"
        ":UserWarning"
    ),
]


def adopted(applied: tuple[str, ...] = AFTER_BASELINE) -> str:
    """How ``describe`` reports adopting a release 0.1.0 database and applying ``applied``."""
    text = "tables from before migrations (release 0.1.0): recorded as revision 0001"
    if not applied:
        return text + ", the newest"
    return f"{text}, then upgraded to {applied[-1]} (applied: {', '.join(applied)})"


def release_0_1_0_database(data_dir: Path) -> str:
    """``data_dir/sandbox.db`` exactly as release 0.1.0 left it; its SQLAlchemy URL."""
    data_dir.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(data_dir / "sandbox.db")
    try:
        connection.executescript(gzip.decompress(RELEASE_0_1_0.read_bytes()).decode())
    finally:
        connection.close()
    return sqlite_url_for(data_dir)


def sqlite_rows(url: str, sql: str) -> list[tuple]:
    connection = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def index_sql(url: str) -> dict[str, str]:
    """Every index SQLite keeps, by name, with the SQL that made it (none for an automatic
    index): what reflection misses, such as an expression index."""
    rows = sqlite_rows(url, "SELECT name, sql FROM sqlite_master WHERE type = 'index'")
    return dict(rows)


def recorded(url: str) -> list[tuple]:
    return sqlite_rows(url, "SELECT version_num FROM alembic_version")


def schema_differences(url: str) -> list:
    """What Alembic's autogenerate would still change: [] when the database's schema is
    the metadata's."""
    db = Database(url)
    try:
        with db.schema_connection() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, sandbox_metadata())
    finally:
        db.dispose()


def surpass_auth_header() -> dict:
    token = base64.b64encode(":".join(LEGACY_AUTH).encode()).decode()
    return {"Authorization": f"Basic {token}"}


# --- the revisions themselves ------------------------------------------------------------


def table_shapes(url: str) -> dict[str, tuple]:
    """Each table's columns, indexes, unique constraints and foreign keys, comparably."""
    db = Database(url)
    try:
        with db.reader.connect() as connection:
            found = inspect(connection)
            return {
                name: (
                    [(c["name"], str(c["type"]), c["nullable"]) for c in found.get_columns(name)],
                    sorted((i["name"], tuple(i["column_names"])) for i in found.get_indexes(name)),
                    sorted(
                        (u["name"], tuple(u["column_names"]))
                        for u in found.get_unique_constraints(name)
                    ),
                    sorted(
                        (f["referred_table"], tuple(f["constrained_columns"]))
                        for f in found.get_foreign_keys(name)
                    ),
                )
                for name in found.get_table_names()
                if name != "alembic_version"
            }
    finally:
        db.dispose()


def migrated_to(url: str, revision: str) -> str:
    db = Database(url)
    try:
        with db.schema_connection() as connection:
            command.upgrade(alembic_config(connection), revision)
    finally:
        db.dispose()
    return url


def test_head_revision_names_alembics_newest_revision():
    # The start path compares against HEAD_REVISION so as not to import Alembic.
    assert head_revision() == HEAD_REVISION


def test_the_baseline_is_release_0_1_0s_schema(tmp_path):
    """A database from before migrations is recorded as 0001 without running it, so
    0001 must build exactly what release 0.1.0's create_all built."""
    release = table_shapes(release_0_1_0_database(tmp_path / "release"))
    baseline = table_shapes(migrated_to(sqlite_url_for(tmp_path / "baseline"), "0001"))
    assert len(release) == 35  # its 35 tables, core and vendors
    assert baseline == release


def test_upgrade_head_from_empty_is_what_the_metadata_creates(tmp_path):
    """Every revision run from an empty database gives the schema ``create_all`` gives
    (which is how an empty database is created on start). Fails when a table changes
    without a revision: add one (docs/architecture.md, "Schema changes")."""
    migrated = migrated_to(sqlite_url_for(tmp_path / "migrated"), "head")
    assert recorded(migrated) == [(HEAD_REVISION,)]
    assert schema_differences(migrated) == []

    created = Database(sqlite_url_for(tmp_path / "created"))
    try:
        change = schema.bring_to_head(created)
    finally:
        created.dispose()
    assert (change.action, change.found, change.head) == ("created", None, HEAD_REVISION)
    assert schema_differences(created.url) == []
    assert table_shapes(created.url) == table_shapes(migrated)
    # What the comparison cannot see: the expression index, made alike both ways.
    assert "lower(last_name)" in index_sql(migrated)[FOLDED]
    assert index_sql(created.url) == index_sql(migrated)


def test_an_empty_database_is_stamped_so_alembic_reads_its_revision(tmp_path):
    db = Database(sqlite_url_for(tmp_path))
    try:
        first = schema.bring_to_head(db)
        with db.schema_connection() as connection:
            assert MigrationContext.configure(connection).get_current_revision() == HEAD_REVISION
        again = schema.bring_to_head(db)
    finally:
        db.dispose()
    assert first.describe() == f"empty database: created the schema at revision {HEAD_REVISION}"
    assert (again.action, again.found) == ("current", HEAD_REVISION)
    assert again.describe() == f"schema at revision {HEAD_REVISION}, the newest: nothing to do"
    assert recorded(db.url) == [(HEAD_REVISION,)]


# --- a database from release 0.1.0, started on -----------------------------------------


# A credential table's key is the credential, so its tenant_id needs an index of its own.
CREDENTIAL_TENANT_INDEXES = {"ix_janison_credential_tenant_id", "ix_cirrus_credential_tenant_id"}


def test_release_0_1_0_database_is_adopted_on_start_and_keeps_its_data(tmp_path):
    url = release_0_1_0_database(tmp_path / "data")
    tables = sqlite_rows(url, "SELECT name FROM sqlite_master WHERE type = 'table'")
    assert ("alembic_version",) not in tables and ("surpass_candidate",) in tables
    candidates = sqlite_rows(url, "SELECT count(*) FROM surpass_candidate")

    config = default_config(database_url=url)
    change = prepare_database(config)

    assert (change.action, change.found, change.applied) == ("adopted", None, AFTER_BASELINE)
    assert change.describe() == adopted()
    assert recorded(url) == [(HEAD_REVISION,)]
    assert sqlite_rows(url, "SELECT count(*) FROM surpass_candidate") == candidates
    # Revision 0003: the folded last-name index added, the tenant_id-only ones dropped.
    indexes = index_sql(url)
    assert "ix_surpass_candidate_tenant_id" not in indexes
    assert not [name for name in indexes if name.endswith("_tenant_id")
                and name not in CREDENTIAL_TENANT_INDEXES]
    assert " ".join(indexes[FOLDED].split()).endswith(
        "ON surpass_candidate (tenant_id, lower(last_name))"
    )
    client = create_app(config, prepare=False).test_client()
    found = client.get(
        "/surpass/api/v2/Candidate?reference=LEGACY-1", headers=surpass_auth_header()
    )
    assert found.status_code == 200, found.text
    assert [(c["reference"], c["lastName"]) for c in found.json["response"]] == [
        ("LEGACY-1", "Lovelace")
    ]
    assert prepare_database(config).action == "current"  # the next start: nothing to do


def test_serve_data_dir_on_a_release_0_1_0_database(tmp_path):
    """The real CLI, as a user upgrading the package runs it on their kept folder."""
    data_dir = tmp_path / "data"
    release_0_1_0_database(data_dir)
    served = serve(tmp_path, "--data-dir", str(data_dir))
    try:
        assert "recorded as revision 0001" in served.output
        tenants = served.get("/_sandbox/tenants")
        assert tenants.status_code == 200, tenants.text
        assert sorted(tenants.json()["tenants"]) == ["demo", "legacy"]
        settings = served.get("/_sandbox/tenants/legacy/settings/surpass")
        assert settings.status_code == 200, settings.text
        assert settings.json()["pinLength"] == 8
        found = served.get("/surpass/api/v2/Candidate?reference=LEGACY-1", auth=LEGACY_AUTH)
        assert found.status_code == 200, found.text
        assert found.json()["response"][0]["lastName"] == "Lovelace"
    finally:
        served.stop()
    assert recorded(sqlite_url_for(data_dir)) == [(HEAD_REVISION,)]


# --- a revision after the baseline, as the next release will add --------------------------

# A revision of these tests' own. It rebuilds surpass_candidate (batch mode, recreate
# always: SQLite's way to alter a table) to add a column, and adds an index; the
# rebuilt table has children whose rows a cascading drop would delete.
REVISION_NEXT = '''
"""Test revision: a nickname column on surpass_candidate, and an index on email."""

import sqlalchemy as sa
from alembic import op

revision = "NEXT"
down_revision = "HEAD"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("surpass_candidate", recreate="always") as batch:
        batch.add_column(sa.Column("nickname", sa.String(50), nullable=True))
    op.create_index("ix_test_candidate_email", "surpass_candidate", ["tenant_id", "email"])
    FAIL


def downgrade():
    op.drop_index("ix_test_candidate_email", table_name="surpass_candidate")
    with op.batch_alter_table("surpass_candidate") as batch:
        batch.drop_column("nickname")
'''


@pytest.fixture()
def with_next_revision(tmp_path, monkeypatch):
    """Alembic sees NEXT beside the real revisions; the start path expects it."""

    def add(*, failing: bool = False) -> Path:
        folder = tmp_path / "versions_next"
        folder.mkdir()
        body = REVISION_NEXT.replace("FAIL", 'raise RuntimeError("NEXT broke")' if failing else "")
        body = body.replace("NEXT", NEXT).replace("HEAD", HEAD_REVISION)
        (folder / f"{NEXT}_test_revision.py").write_text(textwrap.dedent(body))
        monkeypatch.setattr(schema, "HEAD_REVISION", NEXT)
        monkeypatch.setattr(schema, "VERSION_DIRS", (VERSIONS_DIR, folder))
        return folder

    return add


def legacy_children(url: str) -> list[tuple]:
    """Rows that hang off surpass_candidate by foreign key, and the candidates."""
    return sqlite_rows(
        url,
        "SELECT (SELECT count(*) FROM surpass_candidate), "
        "(SELECT count(*) FROM surpass_candidate_centre), "
        "(SELECT count(*) FROM surpass_test_session)",
    )


def candidate_shape(url: str) -> tuple[list[str], list[str]]:
    db = Database(url)
    try:
        with db.reader.connect() as connection:
            found = inspect(connection)
            return (
                [c["name"] for c in found.get_columns("surpass_candidate")],
                sorted(i["name"] for i in found.get_indexes("surpass_candidate")),
            )
    finally:
        db.dispose()


def test_a_database_at_the_previous_head_is_upgraded_on_start(tmp_path, with_next_revision):
    config = default_config(database_url=sqlite_url_for(tmp_path / "data"))
    assert prepare_database(config).action == "created"  # at HEAD: the release before
    before = legacy_children(config.database_url)
    assert before[0][1] > 0 and before[0][2] > 0  # the demo tenant has children to lose

    with_next_revision()
    change = prepare_database(config)

    assert (change.action, change.found, change.head, change.applied) == (
        "upgraded", HEAD_REVISION, NEXT, (NEXT,)
    )
    assert change.describe() == f"upgraded revision {HEAD_REVISION} to {NEXT} (applied: {NEXT})"
    assert recorded(config.database_url) == [(NEXT,)]
    columns, indexes = candidate_shape(config.database_url)
    assert "nickname" in columns and "ix_test_candidate_email" in indexes
    # Rebuilding the parent table with foreign keys on would have cascaded into these.
    assert legacy_children(config.database_url) == before
    assert prepare_database(config).action == "current"


def test_a_release_0_1_0_database_is_adopted_then_upgraded(tmp_path, with_next_revision):
    url = release_0_1_0_database(tmp_path / "data")
    before = legacy_children(url)
    with_next_revision()

    change = prepare_database(default_config(database_url=url))

    applied = (*AFTER_BASELINE, NEXT)
    assert (change.action, change.found, change.applied) == ("adopted", None, applied)
    assert change.describe() == adopted(applied)
    assert recorded(url) == [(NEXT,)]
    assert legacy_children(url) == before
    assert "nickname" in candidate_shape(url)[0]
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_failing_revision_changes_nothing(tmp_path, with_next_revision):
    config = default_config(database_url=sqlite_url_for(tmp_path / "data"))
    prepare_database(config)
    shape = candidate_shape(config.database_url)
    with_next_revision(failing=True)

    with pytest.raises(RuntimeError, match=f"{NEXT} broke"):
        prepare_database(config)

    assert recorded(config.database_url) == [(HEAD_REVISION,)]
    assert candidate_shape(config.database_url) == shape


def test_a_database_from_a_newer_release_is_refused_untouched(tmp_path):
    url = sqlite_url_for(tmp_path / "data")
    prepare_database(default_config(database_url=url))
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")

    with pytest.raises(UnknownRevision) as refused:
        prepare_database(default_config(database_url=url))

    assert str(refused.value) == (
        "the database is at schema revision 0099, which this release of exam-sandbox "
        f"does not know (its newest is {HEAD_REVISION}): a newer release made it"
    )
    assert recorded(url) == [("0099",)]


# --- exam-sandbox migrate ------------------------------------------------------------------


def test_migrate_data_dir_creates_then_finds_nothing_to_do(tmp_path, capsys):
    data_dir = tmp_path / "data"
    url = sqlite_url_for(data_dir.resolve())

    assert cli.main(["migrate", "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out == (
        f"{url}: empty database: created the schema at revision {HEAD_REVISION}\n"
    )
    assert cli.main(["migrate", "--data-dir", str(data_dir)]) == 0
    assert capsys.readouterr().out == (
        f"{url}: schema at revision {HEAD_REVISION}, the newest: nothing to do\n"
    )
    assert recorded(url) == [(HEAD_REVISION,)]
    # Schema only: the demo tenant is serve's to add.
    assert sqlite_rows(url, "SELECT count(*) FROM tenant") == [(0,)]


def test_migrate_database_url_adopts_a_release_0_1_0_database(tmp_path, capsys):
    url = release_0_1_0_database(tmp_path / "data")

    assert cli.main(["migrate", "--database-url", url]) == 0

    assert capsys.readouterr().out == (
        f"{url}: {adopted()}\n"
    )
    assert recorded(url) == [(HEAD_REVISION,)]
    legacy = "SELECT last_name FROM surpass_candidate WHERE reference = 'LEGACY-1'"
    assert sqlite_rows(url, legacy) == [("Lovelace",)]


def test_migrate_refuses_a_newer_release_database(tmp_path, capsys):
    url = sqlite_url_for(tmp_path / "data")
    assert cli.main(["migrate", "--database-url", url]) == 0
    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")

    with pytest.raises(SystemExit) as refused:
        cli.main(["migrate", "--database-url", url])

    assert str(refused.value).startswith(
        "exam-sandbox migrate: the database is at schema revision 0099, which this release"
    )


def test_migrate_needs_exactly_one_database(capsys, monkeypatch):
    monkeypatch.delenv("EXAM_SANDBOX_DATABASE_URL", raising=False)
    with pytest.raises(SystemExit) as unsaid:
        cli.main(["migrate"])
    assert unsaid.value.code == (
        "exam-sandbox migrate: which database? Give --data-dir DIR or --database-url URL "
        "(or set EXAM_SANDBOX_DATABASE_URL)"
    )
    with pytest.raises(SystemExit) as usage:
        cli.main(["migrate", "--data-dir", "d", "--database-url", "sqlite:///x.db"])
    assert usage.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_migrate_takes_the_database_from_the_environment(tmp_path, capsys, monkeypatch):
    url = sqlite_url_for(tmp_path / "env")
    monkeypatch.setenv("EXAM_SANDBOX_DATABASE_URL", url)
    assert cli.main(["migrate"]) == 0
    assert capsys.readouterr().out == (
        f"{url}: empty database: created the schema at revision {HEAD_REVISION}\n"
    )


def test_the_migrate_console_script(tmp_path):
    data_dir = tmp_path / "data"
    done = subprocess.run(
        [*cli_command(), "migrate", "--data-dir", str(data_dir)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    created = f": empty database: created the schema at revision {HEAD_REVISION}\n"
    assert done.stdout.endswith(created)
    assert recorded(sqlite_url_for(data_dir)) == [(HEAD_REVISION,)]


# --- startup stays cheap -------------------------------------------------------------------


def test_starts_with_nothing_to_migrate_never_import_alembic(tmp_path):
    """Alembic is for upgrades. A start on an empty database (every temporary one) or
    on one at the newest revision (every later start) must not pay for importing it."""
    url = sqlite_url_for(tmp_path / "data")
    probe = textwrap.dedent(
        f"""
        import sys
        from exam_sandbox.app import default_config, prepare_database
        for start in ("first", "second"):
            change = prepare_database(default_config(database_url={url!r}))
            print(change.action, sorted(m for m in sys.modules if m.startswith("alembic")))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "created []\ncurrent []\n"
