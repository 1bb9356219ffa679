"""``startswith(col,'Ham')`` as an index range on ``lower(col)``, the semantics unchanged.

The plain form is ``col LIKE 'Ham%' ESCAPE '/'``. Surpass's SQL Server compares text
case-insensitively (its default collation), and SQLite's LIKE does too (ASCII letters
only), which the tests assert. But a case-insensitive LIKE cannot use an ordinary
(BINARY) index, so every startswith read the whole tenant (issue 9, item 6).

For a prefix of ASCII characters, "col starts with p, ASCII case ignored" is exactly
"lower(col) starts with lower(p)" (SQLite's lower() folds ASCII letters only, as its
LIKE does), which is exactly the range ``lower(p) <= lower(col) < next(lower(p))``
where next() raises the last character by one: text compares by code point (SQLite's
BINARY collation compares UTF-8 bytes, which order as code points do). An expression
index on ``(tenant_id, lower(col))`` serves that range. The prefix's ``%`` and ``_``
are plain characters in a comparison, so no escaping is involved.

A prefix with a non-ASCII character keeps today's LIKE: SQLite's lower() leaves 'É'
alone while Python's gives 'é', so a folded range would not match what LIKE matches.

PostgreSQL (issue 12): a range is a prefix test only in a code-point collation, and a
database's default one may be a language's (en_US orders 'a-c' between 'ab' and 'ac'),
so the comparison is made in the "C" collation there (``db.code_point_order``). The
expression index is in the database's default collation, so PostgreSQL does not use it
for the range: its startswith reads the tenant's rows (noted in docs/deployment.md).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, func

from ..db import code_point_order


def prefix_range(column: ColumnElement, prefix: str) -> ColumnElement[bool] | None:
    """``lower(column)`` in the range of strings starting with ``prefix`` (any case), or
    None when no range is exact for it (empty, or not all ASCII)."""
    if not prefix or not prefix.isascii():
        return None
    low = prefix.lower()
    high = low[:-1] + chr(ord(low[-1]) + 1)
    folded = code_point_order(func.lower(column))
    return and_(folded >= low, folded < high)
