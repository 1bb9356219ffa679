"""``startswith`` as a range on ``lower(col)`` (core/odata/prefix.py), through the real
compiler on a small SQLite table.

The range replaced ``col LIKE 'p%' ESCAPE '/'`` for ASCII prefixes so an expression index
can serve it; the promise is that the rows are unchanged. Every test therefore compares
the compiled filter's rows with both a plain-Python reading (SQLite folds ASCII letters
only, in LIKE and in lower()) and the LIKE it replaced, run on the same rows.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.dialects import sqlite

from exam_sandbox.core.odata import Field, QueryModel, compile_filter
from exam_sandbox.core.odata.prefix import prefix_range

metadata = sa.MetaData()
person = sa.Table(
    "person",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String),  # nullable: the filter must stay two-valued
)
MODEL = QueryModel(fields={"id": Field(person.c.id, "int"), "name": Field(person.c.name)})

NAMES = [
    "Hamilton", "HAMMOND", "Graham", "hamster", "Ha", "Hal",
    "50%off", "50xoff", "50%", "a_b", "axb", "A_B",
    "Fiz", "FIZZ", "fizzle", "Fi{", "Fj", "Fiy",
    "abc~", "ABC~x", "abc\x7f", "abd", "abc}",
    "Émile", "émile", "Éric", "Emile",
    "", None,
]
ROWS = [{"id": i + 1, "name": name} for i, name in enumerate(NAMES)]


@pytest.fixture(scope="module")
def engine():
    engine = sa.create_engine("sqlite://")
    metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(person.insert(), ROWS)
    yield engine
    engine.dispose()


def ids(engine, condition) -> list[int]:
    with engine.connect() as connection:
        query = sa.select(person.c.id).where(condition).order_by(person.c.id)
        return list(connection.scalars(query))


def ascii_fold(text: str) -> str:
    # SQLite's LIKE and lower() fold A-Z only; Python's lower() would fold 'É' too.
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)


def expected(prefix: str) -> list[int]:
    return [
        row["id"] for row in ROWS
        if row["name"] is not None and ascii_fold(row["name"]).startswith(ascii_fold(prefix))
    ]


def startswith(prefix: str) -> str:
    return f"startswith(name,'{prefix.replace(chr(39), chr(39) * 2)}')"


def like(prefix: str):
    """The LIKE the range replaced, as the compiler wrote it before."""
    return person.c.name.startswith(prefix, autoescape=True)


def names(found: list[int]) -> list[str]:
    return [NAMES[i - 1] for i in found]


def test_an_ascii_prefix_matches_case_insensitively(engine):
    found = ids(engine, compile_filter(startswith("ham"), MODEL))
    assert names(found) == ["Hamilton", "HAMMOND", "hamster"]  # not Graham, Ha or Hal
    assert found == expected("ham") == ids(engine, like("ham"))
    # Upper case in the prefix folds too.
    assert ids(engine, compile_filter(startswith("HaM"), MODEL)) == found


@pytest.mark.parametrize(
    ("prefix", "matching"),
    [
        ("50%", ["50%off", "50%"]),  # not 50xoff: % is a character, not a wildcard
        ("a_", ["a_b", "A_B"]),  # not axb: _ is a character too
    ],
)
def test_percent_and_underscore_in_a_prefix_match_literally(engine, prefix, matching):
    found = ids(engine, compile_filter(startswith(prefix), MODEL))
    assert names(found) == matching
    assert found == expected(prefix) == ids(engine, like(prefix))


@pytest.mark.parametrize(
    ("prefix", "matching"),
    [
        # 'z' + 1 is '{': 'Fi{' is the bound itself and 'Fj' beyond it; 'Fiy' below.
        ("fiz", ["Fiz", "FIZZ", "fizzle"]),
        # 'Z' folds to 'z' before the bound is raised, so it is '{' again, not '['.
        ("FIZ", ["Fiz", "FIZZ", "fizzle"]),
        # '~' + 1 is DEL (0x7f), the last ASCII character: 'abc\x7f' is the bound.
        ("abc~", ["abc~", "ABC~x"]),
        # DEL + 1 is U+0080, past ASCII: the bound is still exact in code point order.
        ("abc\x7f", ["abc\x7f"]),
    ],
)
def test_a_prefix_ending_in_a_high_character_is_bounded_exactly(engine, prefix, matching):
    found = ids(engine, compile_filter(startswith(prefix), MODEL))
    assert names(found) == matching
    assert found == expected(prefix) == ids(engine, like(prefix))


@pytest.mark.parametrize(
    ("prefix", "matching"),
    [
        # SQLite's LIKE folds ASCII only: 'É' does not match 'é', and 'E' does not match 'É'.
        ("Ém", ["Émile"]),
        ("ém", ["émile"]),
        ("É", ["Émile", "Éric"]),
    ],
)
def test_a_non_ascii_prefix_falls_back_to_like_and_still_matches(engine, prefix, matching):
    # A folded range would be wrong here (SQLite's lower() leaves 'É', Python's would not).
    assert prefix_range(person.c.name, prefix) is None
    condition = compile_filter(startswith(prefix), MODEL)
    assert " LIKE " in compiled(condition)
    found = ids(engine, condition)
    assert names(found) == matching
    assert found == expected(prefix) == ids(engine, like(prefix))


def test_an_empty_prefix_has_no_range_and_matches_every_non_null_name(engine):
    assert prefix_range(person.c.name, "") is None
    found = ids(engine, compile_filter("startswith(name,'')", MODEL))
    assert found == [row["id"] for row in ROWS if row["name"] is not None]


def compiled(condition) -> str:
    return str(condition.compile(dialect=sqlite.dialect()))


def test_an_ascii_prefix_compiles_to_a_range_on_lower_without_like():
    sql = compiled(compile_filter(startswith("Ham"), MODEL))
    assert "lower(person.name) >= " in sql and "lower(person.name) < " in sql
    assert "LIKE" not in sql.upper()
    # The bounds are folded: 'ham' up to 'han'.
    params = compile_filter(startswith("Ham"), MODEL).compile().params
    assert sorted(params.values()) == ["ham", "han"]


def test_not_startswith_is_the_complement_among_non_null_names(engine):
    # Two-valued: a NULL name fails startswith, so `not` must keep it.
    found = ids(engine, compile_filter(f"not {startswith('ham')}", MODEL))
    assert found == [row["id"] for row in ROWS if row["id"] not in expected("ham")]
    assert NAMES.index(None) + 1 in found


def test_startswith_compared_with_false_equals_not(engine):
    text = startswith("fiz")
    assert ids(engine, compile_filter(f"{text} eq false", MODEL)) == ids(
        engine, compile_filter(f"not {text}", MODEL)
    )
