"""``db.bulk_insert`` and ``db.insert_rows`` on the suites' store: keys in the order of
the rows, continuing after keys the sandbox chose itself (a template copy moves the
database's own counter on: ``count_keys_past``), values by column name whatever the
order of a row's keys, and scalar defaults filled in as Core would."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select
from stores import database_url

from exam_sandbox.core.db import Database, bulk_insert, count_keys_past, insert_rows

METADATA = MetaData()
THINGS = Table(
    "things",
    METADATA,
    Column("pk", Integer, primary_key=True, autoincrement=True),
    Column("name", String(20)),
    Column("kind", String(20), default="plain"),
)


def _db(tmp_path) -> Database:
    db = Database(database_url(tmp_path, "bulk"))
    METADATA.create_all(db.writer)
    return db


def test_keys_come_in_row_order_and_count_on_past_chosen_ones(tmp_path):
    db = _db(tmp_path)
    try:
        with db.session(write=True) as session:
            first = bulk_insert(session, THINGS, [{"name": "a"}, {"name": "b"}])
            # Rows written with keys of our choosing, as a template copy writes them.
            session.connection().execute(insert(THINGS), [{"pk": 10, "name": "chosen"}])
            count_keys_past(session.connection(), [THINGS])
            later = bulk_insert(session, THINGS, [{"name": "c"}])
            core = session.connection().execute(insert(THINGS).values(name="d"))
            rows = session.connection().execute(
                select(THINGS.c.pk, THINGS.c.name).order_by(THINGS.c.pk)
            ).all()
    finally:
        db.dispose()
    assert first == [first[0], first[0] + 1]
    assert later[0] > 10 and core.inserted_primary_key[0] > later[0]
    assert [name for _pk, name in rows] == ["a", "b", "chosen", "c", "d"]


def test_values_go_by_column_name_and_defaults_are_filled(tmp_path):
    db = _db(tmp_path)
    try:
        with db.session(write=True) as session:
            insert_rows(session.connection(), THINGS, [
                {"pk": 1, "name": "x"},
                {"name": "y", "pk": 2},  # the same keys, in another order
            ])
            rows = session.connection().execute(select(THINGS).order_by(THINGS.c.pk)).all()
    finally:
        db.dispose()
    assert [tuple(r) for r in rows] == [(1, "x", "plain"), (2, "y", "plain")]
