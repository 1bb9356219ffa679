"""The database: SQLAlchemy 2 engines and sessions; the schema's history is in migrations.

All sandbox state lives here, so one process or many (granian workers) give the same
answers. SQLite is the default: a temporary file, or a durable one under ``--data-dir``.
Any other SQLAlchemy URL works for a shared server.

Writes open with ``BEGIN IMMEDIATE`` on SQLite: taking the write lock up front means two
workers never deadlock upgrading a read lock, and ``busy_timeout`` queues them instead.
Reads use a second engine with deferred transactions so GETs run concurrently under WAL.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    create_engine,
    event,
    func,
    insert,
    make_url,
    select,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import NullPool, QueuePool

SQLITE_BUSY_TIMEOUT_MS = 15_000


class Base(DeclarativeBase):
    """Declarative base shared by every table, core and vendor alike."""


class TenantScoped:
    """Mixin for a vendor table whose rows belong to one tenant.

    ``pk`` is the global surrogate key that relations use; ``id`` is the number a vendor
    shows on the wire, counted per tenant so that the same seed gives the same ids.
    """

    pk: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    # No index of its own: every table's unique (tenant_id, id) leads with it and serves
    # any lookup by tenant, so one would only cost a B-tree write per insert.
    tenant_id: Mapped[str] = mapped_column(String(64))
    id: Mapped[int] = mapped_column(Integer)


class IdCounter(Base):
    """The last id handed out per tenant and table, so a deleted row's id is never reused
    (a vendor's ids are identities; keycodes derived from them must not repeat either)."""

    __tablename__ = "id_counter"

    tenant_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


def link_table(prefix: str, left: str, right: str) -> Table:
    """A many-to-many link between ``<prefix>_<left>`` and ``<prefix>_<right>`` rows.

    It carries ``tenant_id`` like every tenant row (so deleting a tenant finds it); the
    ORM's relationship bookkeeping does not fill that in, so link rows are written
    directly (``bulk_insert``), never by appending to a relationship list.
    """
    name = f"{prefix}_{left}_{right}"
    return Table(
        name,
        Base.metadata,
        Column("tenant_id", String(64), nullable=False),
        Column(
            f"{left}_pk", ForeignKey(f"{prefix}_{left}.pk", ondelete="CASCADE"), primary_key=True
        ),
        Column(
            f"{right}_pk", ForeignKey(f"{prefix}_{right}.pk", ondelete="CASCADE"), primary_key=True
        ),
        Index(f"ix_{name}_{right}", f"{right}_pk"),
    )


def tenant_unique(table: str, *columns: str) -> UniqueConstraint:
    """Unique within a tenant: two tenants may hold the same id or reference."""
    return UniqueConstraint("tenant_id", *columns, name=f"uq_{table}_{'_'.join(columns)}")


def next_id(session: Session, model: type[TenantScoped], tenant_id: str) -> int:
    """The next per-tenant id of ``model``; safe because writes hold the write lock."""
    counter = session.get(IdCounter, (tenant_id, model.__tablename__))
    if counter is None:
        # First new row since seeding: count on from the seeded rows.
        seeded = session.execute(
            select(func.max(model.id)).where(model.tenant_id == tenant_id)
        ).scalar()
        counter = IdCounter(tenant_id=tenant_id, name=model.__tablename__, last=seeded or 0)
        session.add(counter)
    counter.last += 1
    return counter.last


def bulk_insert(session: Session, target, rows: list[dict]) -> list[int]:
    """Insert ``rows`` at once, returning their new primary keys (``pk``) in the order of
    ``rows``; how seeding stays at a few milliseconds. ``target`` is a mapped class, or a
    ``Table`` without ``pk`` (a link table), for which no keys are returned."""
    if not rows:
        return []
    table = getattr(target, "__table__", target)
    connection = session.connection()
    keyed = "pk" in table.c
    if connection.dialect.name != "sqlite":
        if not keyed:
            connection.execute(insert(table), rows)
            return []
        result = connection.execute(
            insert(table).returning(table.c.pk, sort_by_parameter_order=True), rows
        )
        return list(result.scalars())
    # SQLite cannot batch an ordered INSERT ... RETURNING, so it would go row by row.
    # Writes hold the database's only write lock (BEGIN IMMEDIATE), so keys counted on
    # from the current maximum are ours alone, and one executemany does the rest.
    cursor = connection.connection.driver_connection.cursor()
    keys: list[int] = []
    if keyed:
        name = connection.dialect.identifier_preparer.format_table(table)
        start = cursor.execute(f"SELECT max(pk) FROM {name}").fetchone()[0] or 0
        keys = list(range(start + 1, start + 1 + len(rows)))
        rows = [{**row, "pk": key} for row, key in zip(rows, keys, strict=True)]
    _sqlite_executemany(connection, cursor, table, rows)
    return keys


def _sqlite_executemany(connection, cursor, table, rows: list[dict]) -> None:
    """One ``executemany`` on the driver's cursor: a third of what Core's per-row
    parameter processing costs. Values pass through each column type's bind processor
    (dates, JSON), and missing columns take their scalar defaults, exactly as Core would;
    rows of differing shapes, or a missing column with a computed default, go through
    Core instead."""
    names = list(rows[0])
    first = rows[0].keys()
    defaults = {}
    for column in table.c:
        if column.name in first or column.default is None:
            continue
        if not column.default.is_scalar:
            connection.execute(insert(table), rows)
            return
        defaults[column.name] = column.default.arg
    if any(row.keys() != first for row in rows):
        connection.execute(insert(table), rows)
        return
    names += list(defaults)
    dialect = connection.dialect
    processors = [
        table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names
    ]
    preparer = dialect.identifier_preparer
    sql = (
        f"INSERT INTO {preparer.format_table(table)} "
        f"({', '.join(preparer.quote(name) for name in names)}) "
        f"VALUES ({', '.join('?' * len(names))})"
    )
    fill = tuple(defaults.values())
    cursor.executemany(
        sql,
        [
            tuple(
                value if process is None or value is None else process(value)
                for value, process in zip((*row.values(), *fill), processors, strict=True)
            )
            for row in rows
        ],
    )


def sqlite_url_for(data_dir: str | os.PathLike | None) -> str:
    """A SQLite URL in ``data_dir``, or in a fresh temporary folder when none is given."""
    folder = Path(data_dir) if data_dir else Path(tempfile.mkdtemp(prefix="exam-sandbox-"))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'sandbox.db'}"


def _configure_sqlite(engine: Engine, *, immediate: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide where transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # NORMAL survives a killed process (the WAL is in the OS cache); FULL would also
        # survive power loss at a large cost per write, which a sandbox does not need.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class WalCheckpoints:
    """SQLite's WAL checkpoints, off the writers' lock (issue 9, item 6).

    By default the commit that takes the WAL past 1000 pages runs the checkpoint itself,
    copying the WAL into the database while it still holds the write lock: a 4-15 ms
    stall of every writer queued behind it, every ~90 commits. Here writers' connections
    never checkpoint (``wal_autocheckpoint=0``); after every ``EVERY`` commits of this
    process a thread of its own runs a PASSIVE checkpoint on a reader connection, which
    takes no write lock and waits for nobody: it copies what no reader still needs, and
    the WAL restarts from its beginning once a checkpoint has copied it all. A
    server database needs none of this (``Database`` makes it for SQLite only).
    """

    EVERY = 200

    def __init__(self, writer: Engine, reader: Engine) -> None:
        self._reader = reader
        self._commits = 0
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._pid: int | None = None
        self.done = 0  # checkpoints run, and the last one's (busy, wal pages, copied)
        self.last: tuple | None = None

        @event.listens_for(writer, "connect")
        def _no_autocheckpoint(dbapi_connection, _record):
            dbapi_connection.execute("PRAGMA wal_autocheckpoint=0")

        @event.listens_for(writer, "commit")
        def _count(_connection):
            self._commits += 1  # racy by a few counts at most: only a pace
            if self._commits >= self.EVERY:
                self._commits = 0
                self._start()
                self._wake.set()

    def _start(self) -> None:
        if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="wal-checkpoint",
                                            daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            self.run()

    def run(self) -> None:
        """One PASSIVE checkpoint now (never raises: a missed one is redone later)."""
        try:
            # The driver's connection, in autocommit: a checkpoint inside a transaction
            # of its own connection could not copy what that transaction can see.
            raw = self._reader.raw_connection()
            try:
                self.last = raw.driver_connection.execute(
                    "PRAGMA wal_checkpoint(PASSIVE)"
                ).fetchone()
            finally:
                raw.close()
            self.done += 1
        except Exception:  # noqa: BLE001 - the next pace retries; commits are unaffected
            pass


class WriterQueue:
    """One writer at a time across every thread and worker process, in arrival order.

    SQLite lets one transaction write; the others wait in its busy handler, which sleeps
    in growing steps (up to 100 ms) and so leaves the lock idle while writers nap. Here a
    writer blocks on a thread lock (within a worker) and an ``flock`` (across workers)
    and wakes the moment the previous one releases. ``flock`` alone would not do: threads
    share the process's lock, so the thread lock orders them first.
    """

    def __init__(self, lock_path: str) -> None:
        self.lock_path = lock_path
        self._thread_lock = threading.Lock()
        self._fd: int | None = None
        self._pid: int | None = None

    def acquire(self) -> None:
        self._thread_lock.acquire()
        try:
            if self._pid != os.getpid():  # a descriptor inherited over fork is shared
                self._fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
                self._pid = os.getpid()
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except BaseException:
            self._thread_lock.release()
            raise

    def release(self) -> None:
        try:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()

    def hold(self) -> Callable[[], None]:
        """Wait for the queue; return the one way to leave it, which works only once.

        A holder may reach its release from more than one path (a close, a teardown);
        releasing twice would free the queue under the next writer's feet.
        """
        self.acquire()
        left = threading.Event()

        def leave() -> None:
            if left.is_set():
                return
            left.set()
            self.release()

        return leave


class QueuedWriteSession(Session):
    """A write session holding the writer queue from its creation until it is closed.

    The queue is left on every path out of ``close``, even when closing raises: a write
    session that fails to close must never keep every later writer waiting.
    """

    def close(self) -> None:
        try:
            super().close()
        finally:
            release = self.info.pop("release_writer", None)
            if release is not None:
                release()


class Database:
    """Engines and session factories for one database URL."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.checkpoints: WalCheckpoints | None = None
        if self.is_sqlite:
            self.writer = self._sqlite_engine(url, immediate=True, echo=echo)
            self.reader = self._sqlite_engine(url, immediate=False, echo=echo)
            self.checkpoints = WalCheckpoints(self.writer, self.reader)
        else:
            self.writer = self.reader = create_engine(url, echo=echo, pool_pre_ping=True)
        database_file = make_url(url).database if self.is_sqlite else None
        self.writers = WriterQueue(writer_lock_path(database_file)) if database_file else None
        self._write_sessions = sessionmaker(
            self.writer, expire_on_commit=False, class_=QueuedWriteSession
        )
        self._read_sessions = sessionmaker(self.reader, expire_on_commit=False)

    @staticmethod
    def _sqlite_engine(url: str, *, immediate: bool, echo: bool) -> Engine:
        if ":memory:" in url or url in ("sqlite://", "sqlite:///"):
            raise ValueError("an in-memory SQLite database cannot be shared; give a file")
        engine = create_engine(
            url,
            echo=echo,
            poolclass=QueuePool,
            pool_size=8,
            max_overflow=16,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        _configure_sqlite(engine, immediate=immediate)
        return engine

    def create_schema(self, connection: Connection | None = None) -> None:
        """Every registered table, as the metadata has it, on ``connection`` or on its own.

        The sandbox does this only on an empty database, through ``exam_sandbox.migrations``
        (which records the revision); an existing one is upgraded by migrations instead.
        """
        if connection is None:
            Base.metadata.create_all(self.writer)
        else:
            Base.metadata.create_all(connection)

    @contextmanager
    def schema_connection(self) -> Iterator[Connection]:
        """A connection for changing the schema, in one transaction: committed on success,
        rolled back on any error (DDL is transactional on SQLite and PostgreSQL alike).

        It holds the writer queue, so no worker writes meanwhile. On SQLite foreign keys
        are off while it is open: a migration that rebuilds a table (SQLite's only way to
        alter most things, Alembic's batch mode) would otherwise cascade the drop of the
        old table into its children. The pragma is ignored inside a transaction, so it is
        set on the driver's connection before the transaction begins, and restored after.
        """
        leave = self.writers.hold() if self.writers is not None else None
        try:
            with self.writer.connect() as connection:
                driver = connection.connection.driver_connection if self.is_sqlite else None
                if driver is not None:
                    driver.execute("PRAGMA foreign_keys=OFF")
                try:
                    with connection.begin():
                        yield connection
                finally:
                    if driver is not None:
                        driver.execute("PRAGMA foreign_keys=ON")
        finally:
            if leave is not None:
                leave()

    @contextmanager
    def session(self, *, write: bool) -> Iterator[Session]:
        """A session in one transaction: committed on success, rolled back on any error.

        Rolling back on every exception is what keeps a rejected request from leaving a
        half-written record behind.
        """
        with self._new_session(write=write) as session, session.begin():
            yield session

    def open_session(self, *, write: bool) -> Session:
        """A session whose transaction the caller ends and which the caller closes (a
        write session holds the writer queue until then); for a request-long scope."""
        session = self._new_session(write=write)
        try:
            session.begin()
        except BaseException:
            session.close()  # leaves the writer queue
            raise
        return session

    def _new_session(self, *, write: bool) -> Session:
        if not write:
            return self._read_sessions()
        if self.writers is None:
            return self._write_sessions()
        leave = self.writers.hold()
        try:
            session = self._write_sessions()
            session.info["release_writer"] = leave
        except BaseException:
            leave()
            raise
        return session

    def dispose(self, *, close: bool = True) -> None:
        """Empty the pools; ``close=False`` in a forked child leaves the parent's
        connections alone (SQLAlchemy's advice for engines crossing a fork)."""
        self.writer.dispose(close=close)
        if self.reader is not self.writer:
            self.reader.dispose(close=close)


def writer_lock_path(database_file: str) -> str:
    """The file the writer queue ``flock``s, beside the database."""
    return f"{database_file}-writer.lock"


def close_database_files(url: str) -> None:
    """After the last process using ``url`` has stopped: leave only the database file.

    SQLite's WAL mode keeps ``-wal`` and ``-shm`` files while connections are open, and
    a worker that is killed rather than stopped leaves them behind. A checkpoint folds
    the WAL into the database; closing the last connection then deletes both. The writer
    queue's lock file is only meaningful while writers run. Nothing to do elsewhere.
    """
    if not url.startswith("sqlite"):
        return
    database_file = make_url(url).database
    if not database_file or not Path(database_file).is_file():
        return
    connection = sqlite3.connect(database_file)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()  # the last connection: SQLite removes -wal and -shm
    Path(writer_lock_path(database_file)).unlink(missing_ok=True)


def disposable_engine(url: str) -> Engine:
    """An engine without a pool, for one-off admin work such as a CLI command."""
    return create_engine(url, poolclass=NullPool)
