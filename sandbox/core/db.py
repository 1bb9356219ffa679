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
import functools
import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import (
    Column,
    ColumnElement,
    Connection,
    Engine,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    bindparam,
    create_engine,
    event,
    func,
    insert,
    make_url,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import NullPool, QueuePool
from sqlalchemy.sql.visitors import InternalTraversal

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
    ``Table`` without ``pk`` (a link table), for which no keys are returned.

    The keys are chosen first, then one ``executemany`` on the driver's cursor writes
    every row. SQLite cannot batch an ordered ``INSERT ... RETURNING``; Core's batched
    form on PostgreSQL is one statement whose text psycopg parses in Python (1-2 ms a
    call). Writes hold the writers' lock, so on SQLite keys counted on from the current
    maximum are ours alone; PostgreSQL's come from the table's own sequence.
    """
    if not rows:
        return []
    table = getattr(target, "__table__", target)
    connection = session.connection()
    cursor = connection.connection.driver_connection.cursor()
    keys: list[int] = []
    if "pk" in table.c:
        keys = _new_keys(connection, cursor, table, len(rows))
        rows = [{**row, "pk": key} for row, key in zip(rows, keys, strict=True)]
    insert_rows(connection, table, rows, cursor=cursor)
    return keys


def _new_keys(connection, cursor, table, count: int) -> list[int]:
    name = connection.dialect.identifier_preparer.format_table(table)
    if connection.dialect.name == "postgresql":
        cursor.execute(
            f"SELECT nextval(pg_get_serial_sequence('{name}', 'pk')) "
            "FROM generate_series(1, %s)",
            (count,),
        )
        return [row[0] for row in cursor.fetchall()]
    start = cursor.execute(f"SELECT max(pk) FROM {name}").fetchone()[0] or 0
    return list(range(start + 1, start + 1 + count))


def insert_rows(connection: Connection, table: Table, rows: list[dict], *, cursor=None) -> None:
    """``rows`` into ``table`` in one ``executemany`` on the driver's cursor (``cursor``,
    or one of the connection's): a third of what Core's per-row
    parameter processing costs (psycopg pipelines it). Values pass through each column
    type's bind processor (dates, JSON), and missing columns take their scalar defaults,
    exactly as Core would; rows of differing shapes, or a missing column with a computed
    default, go through Core instead."""
    if not rows:
        return
    if cursor is None:
        cursor = connection.connection.driver_connection.cursor()
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
    sql, order = _insert_text(table, tuple(names), dialect)
    fill = tuple(defaults.values())
    given = names[: len(names) - len(defaults)]
    values = [
        [
            # By name: rows with the same keys in another order are the same shape.
            value if process is None or value is None else process(value)
            for value, process in zip(
                (*(row[name] for name in given), *fill), processors, strict=True
            )
        ]
        for row in rows
    ]
    if order is None:
        cursor.executemany(sql, [dict(zip(names, v, strict=True)) for v in values])
    else:
        position = {name: index for index, name in enumerate(names)}
        picks = [position[name] for name in order]
        cursor.executemany(sql, [tuple(v[i] for i in picks) for v in values])


@functools.lru_cache(maxsize=256)
def _insert_text(table: Table, names: tuple[str, ...], dialect) -> tuple[str, tuple | None]:
    """``INSERT INTO table (names) VALUES (...)`` in ``dialect``'s SQL and parameter
    style, and the parameters' order when positional; compiled once per shape."""
    compiled = insert(table).values({name: bindparam(name) for name in names}).compile(
        dialect=dialect
    )
    return compiled.string, (tuple(compiled.positiontup) if compiled.positional else None)


class code_point_order(ColumnElement):  # noqa: N801 - used like the SQL function it is
    """``expression`` compared by code point: as it is on SQLite (BINARY), and in the
    "C" collation on a server whose database may collate by a language's rules."""

    inherit_cache = True
    # What the statement cache's key is made of: the expression compared.
    _traverse_internals = [("compared", InternalTraversal.dp_clauseelement)]

    def __init__(self, expression) -> None:
        self.compared = expression
        self.type = expression.type


@compiles(code_point_order)
def _code_points_plain(element, compiler, **kw):
    return compiler.process(element.compared, **kw)


@compiles(code_point_order, "postgresql")
def _code_points_postgresql(element, compiler, **kw):
    return f'({compiler.process(element.compared, **kw)}) COLLATE "C"'


def pipelined(driver_connection):
    """Statements run in the block are sent without waiting for each one's answer, where
    the driver can (psycopg's pipeline mode: a tenant's ~30 copies in one round trip
    instead of 30); elsewhere (SQLite, in process) the block runs as it is."""
    pipeline = getattr(driver_connection, "pipeline", None)
    return pipeline() if pipeline is not None else nullcontext()


def count_keys_past(connection: Connection, tables: Sequence[Table]) -> None:
    """After rows were written with primary keys of the writer's choosing (a template's
    copy, ``tenant_template``): make the database's own key counter count on past them.

    SQLite needs nothing (a new ``INTEGER PRIMARY KEY`` is the largest plus one).
    PostgreSQL hands keys out from a sequence per table, which explicit keys do not
    move, so the next ORM or Core insert would collide with a copied row; each sequence
    is set past its table's largest key, in one statement. Writers hold the writers'
    lock, so no insert can slip between the copy and this.
    """
    if connection.dialect.name != "postgresql" or not tables:
        return
    preparer = connection.dialect.identifier_preparer
    calls = []
    for table in tables:
        name = preparer.format_table(table)
        calls.append(
            f"setval(pg_get_serial_sequence('{name}', 'pk'), "
            f"(SELECT coalesce(max(pk), 0) + 1 FROM {name}), false)"
        )
    connection.exec_driver_sql(f"SELECT {', '.join(calls)}")


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


# Per engine, per worker process: a worker's threads (4 by default) each hold at most one
# connection of each engine; the overflow covers the webhook dispatcher and the journal
# queue. Two replicas of two workers then open at most 2 x 2 x 2 x 8 = 64 connections,
# within PostgreSQL's default max_connections (100).
SERVER_POOL_SIZE = 4
SERVER_POOL_OVERFLOW = 4
# The advisory lock every write transaction on a server database takes first: the same
# key in every process and on every host, scoped by the server to this one database.
WRITERS_LOCK_KEY = 0x65786D5F73616E64  # "exm_sand"


def _take_writers_lock(engine: Engine) -> None:
    """PostgreSQL's writer queue: ``pg_advisory_xact_lock`` as the first statement of
    every write transaction, released by the server at its commit or rollback.

    It is what ``WriterQueue`` and ``BEGIN IMMEDIATE`` are on SQLite: one writer at a
    time, across threads, worker processes and hosts alike (replicas share nothing but
    the server), queued by the server in arrival order, and never left held by a
    process that dies (its session ends, and the lock with it). Writes run at READ
    COMMITTED, so each statement after the lock sees every earlier writer's commit: the
    re-checks a write makes under the lock (open sessions, keycodes, ids, test IDs) read
    the latest, exactly as they do on SQLite.
    """

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITERS_LOCK_KEY})")


# What PostgreSQL keeps in place of U+0000, which its text cannot hold (SQLite's can).
NUL_STAND_IN = "\ufffd"


def _text_without_nul(engine: Engine) -> None:
    """Every string sent to PostgreSQL with U+0000 replaced by U+FFFD.

    JSON may carry "\u0000" into any string a vendor keeps (a candidate's name); a
    PostgreSQL text value cannot contain it, and the insert would fail: a 500 for input
    the vendor (SQL Server) accepts. Replaced here, as psycopg adapts each parameter,
    the value is kept, and found again by the same text, with the replacement character
    that XML renders it as anyway (docs/deployment.md). psycopg's own string dumpers,
    with the one replacement in front: the pure-Python classes, since the compiled
    ones cannot be subclassed; measured at no cost per statement.
    """
    from psycopg.types.string import StrBinaryDumper, StrDumperUnknown

    def nul_free(base):
        class NulFree(base):
            def dump(self, obj):
                if "\x00" in obj:
                    obj = obj.replace("\x00", NUL_STAND_IN)
                return super().dump(obj)

        return NulFree

    text, binary = nul_free(StrDumperUnknown), nul_free(StrBinaryDumper)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.adapters.register_dumper(str, text)
        dbapi_connection.adapters.register_dumper(str, binary)


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


class ServerWriters:
    """The writers' lock of a server database, held from outside any write transaction:
    the same ``hold()`` as ``WriterQueue``'s, for what must keep every writer out for a
    while (a test standing in for another replica's writer). It is a transaction of its
    own that has taken the lock (``_take_writers_lock``) and does nothing else."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def hold(self) -> Callable[[], None]:
        connection = self._engine.connect()
        try:
            connection.begin()
            connection.exec_driver_sql("SELECT 1")  # the lock is taken as it begins
        except BaseException:
            connection.close()
            raise
        left = threading.Event()

        def leave() -> None:
            if left.is_set():
                return
            left.set()
            try:
                connection.rollback()
            finally:
                connection.close()

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


def normalized_url(url: str) -> str:
    """``url`` with PostgreSQL's driver made psycopg 3 (the ``postgres`` extra) where it
    names none: ``postgresql://`` and Heroku-style ``postgres://`` would otherwise ask
    SQLAlchemy for psycopg2. Anything else is returned as given."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return url


class Database:
    """Engines and session factories for one database URL."""

    def __init__(self, url: str, *, echo: bool = False) -> None:
        url = normalized_url(url)
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        self.checkpoints: WalCheckpoints | None = None
        if self.is_sqlite:
            self.writer = self._sqlite_engine(url, immediate=True, echo=echo)
            self.reader = self._sqlite_engine(url, immediate=False, echo=echo)
            self.checkpoints = WalCheckpoints(self.writer, self.reader)
        else:
            self.writer = self._server_engine(url, echo=echo, writer=True)
            self.reader = self._server_engine(url, echo=echo, writer=False)
        database_file = make_url(url).database if self.is_sqlite else None
        # SQLite's writers queue here, before their sessions open; a server's queue in
        # the server, as each write transaction begins (``_take_writers_lock``).
        self._queue = WriterQueue(writer_lock_path(database_file)) if database_file else None
        self.writers = self._queue or ServerWriters(self.writer)
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

    @staticmethod
    def _server_engine(url: str, *, echo: bool, writer: bool) -> Engine:
        """An engine on a database server (PostgreSQL): the writers' take the writers'
        advisory lock as each transaction begins (``_take_writers_lock``); the readers'
        read one snapshot per transaction (REPEATABLE READ), as SQLite's deferred
        transactions under WAL do, so a request's reads agree with each other."""
        engine = create_engine(
            url,
            echo=echo,
            # A connection the server dropped (a restart, an idle timeout) is found and
            # replaced at checkout rather than failing the request that drew it.
            pool_pre_ping=True,
            pool_size=SERVER_POOL_SIZE,
            max_overflow=SERVER_POOL_OVERFLOW,
            isolation_level="READ COMMITTED" if writer else "REPEATABLE READ",
            # A commit does not wait for its WAL to reach the disk: SQLite's
            # synchronous=NORMAL trade, made for the same reason. A server crash may lose
            # the last fraction of a second of commits, never consistency; a sandbox's
            # data is test data, and a commit costs a round trip, not an fsync.
            connect_args={"options": "-c synchronous_commit=off"},
        )
        if writer:
            _take_writers_lock(engine)
        if engine.dialect.driver == "psycopg":
            _text_without_nul(engine)
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
        leave = self._queue.hold() if self._queue is not None else None
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
            if write:
                self._hold_from_now(session)
            yield session

    def open_session(self, *, write: bool) -> Session:
        """A session whose transaction the caller ends and which the caller closes (a
        write session holds the writer queue until then); for a request-long scope."""
        session = self._new_session(write=write)
        try:
            session.begin()
            if write:
                self._hold_from_now(session)
        except BaseException:
            session.close()  # leaves the writer queue
            raise
        return session

    def _hold_from_now(self, session: Session) -> None:
        """On a server, take the writers' lock now, as the session opens, not at its
        first statement: what the caller does before that (take what a queue holds, read
        a clock) is then ordered after every earlier writer, as on SQLite, whose queue a
        write session holds from its creation."""
        if self._queue is None:
            session.connection()  # begins the transaction, which takes the lock

    def _new_session(self, *, write: bool) -> Session:
        if not write:
            return self._read_sessions()
        if self._queue is None:
            return self._write_sessions()
        leave = self._queue.hold()
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
