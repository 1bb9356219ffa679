"""The README's pytest-plugin example, run as a user runs it.

The block after ``<!-- plugin-example -->`` in README.md is written to a fresh folder with
no conftest and run by a new pytest process: the plugin must arrive through its
``pytest11`` entry point, serve a sandbox of its own and pass. The same test also runs
here directly, on this session's sandbox.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

# Store-independent (the plugin in a user's project (its own SQLite sandbox)): the
# PostgreSQL run leaves it out (tests/postgres_run.py).
pytestmark = pytest.mark.store_independent

pytest_plugins = ["pytester"]

README = Path(__file__).resolve().parents[1] / "README.md"
MARKER = "<!-- plugin-example -->"


def readme_example() -> str:
    text = README.read_text(encoding="utf-8")
    after = text[text.index(MARKER) + len(MARKER):]
    found = re.match(r"\s*```python\n(.*?)```", after, re.DOTALL)
    assert found, "README: no python block after the plugin-example marker"
    return found.group(1)


def test_the_readme_example_is_three_statements():
    lines = readme_example().strip().splitlines()
    assert lines[0].startswith("def test_") and "import" not in readme_example()
    statements = [line for line in lines[1:] if not line.startswith(" " * 8)]
    assert len(statements) == 2  # a call and an assertion; the call wraps onto a 2nd line


def test_the_readme_example_passes_in_a_fresh_pytest(pytester):
    pytester.makepyfile(test_user=readme_example())
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", timeout=180)
    result.assert_outcomes(passed=1)


# The README example, verbatim, as this repository's own test.
def test_schedules_exactly_once(surpass_client, sandbox_tenant):
    surpass_client.schedule_test(test="MATHS-FND", centre="CEN001", candidate="CAND00021",
                                 start_date="01/07/2030", start_time="0900", end_time="1700")
    sandbox_tenant.journal.assert_called("POST", "TestSchedule", times=1)


def test_the_copy_above_is_the_readme_example():
    source = Path(__file__).read_text(encoding="utf-8")
    assert readme_example() in source
