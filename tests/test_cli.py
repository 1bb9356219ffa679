"""``exam-sandbox`` as a user meets it: ``--version``, ``openapi`` for every name the
sandbox serves a document for, ``serve --seed`` on a data folder made with another seed,
and a clean stop that leaves only ``sandbox.db`` in the data folder. Through the real
console script (and ``serve`` as tests/test_serve.py starts it)."""

from __future__ import annotations

import json
import signal
import subprocess
from importlib import metadata

import pytest
from test_serve import cli_command, serve  # tests/ is on pytest's pythonpath (pyproject)

from exam_sandbox import cli
from exam_sandbox.providers import all_descriptions

# Store-independent (the command line (its documents come from a SQLite app of their
# own)): the PostgreSQL run leaves it out (tests/postgres_run.py).
pytestmark = pytest.mark.store_independent

NAMES = [d.name for d in all_descriptions()] + ["sandbox"]


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*cli_command(), *args], capture_output=True, text=True, timeout=60)


@pytest.fixture()
def logs(tmp_path):
    folder = tmp_path / "logs"
    folder.mkdir()
    return folder


def test_version_comes_from_the_package_metadata():
    result = run_cli("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"exam-sandbox {metadata.version('exam-sandbox')}\n"


def test_openapi_help_lists_every_name_and_its_path():
    result = run_cli("openapi", "--help")
    assert result.returncode == 0, result.stderr
    text = " ".join(result.stdout.split())  # argparse wraps lines
    assert f"one of: {', '.join(NAMES)}" in text
    for d in all_descriptions():
        assert f"{d.name} ({d.openapi_path})" in text
    assert "sandbox (/_sandbox/openapi.json)" in text


@pytest.mark.parametrize("name", [d.name for d in all_descriptions()])
def test_openapi_prints_each_vendors_served_document(name, http, capsys):
    assert cli.main(["openapi", name]) == 0
    assert json.loads(capsys.readouterr().out) == http.get(f"/{name}/openapi.json").json


def test_openapi_sandbox_prints_the_controls_document(http, capsys):
    assert cli.main(["openapi", "sandbox"]) == 0
    printed = json.loads(capsys.readouterr().out)
    served = http.get("/_sandbox/openapi.json")
    assert served.status_code == 200
    assert printed == served.json


def test_openapi_all_writes_every_document(tmp_path, http):
    assert cli.main(["openapi", "--all", "--output-dir", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.json" for n in NAMES)
    for d in all_descriptions():
        written = json.loads((tmp_path / f"{d.name}.json").read_text())
        assert written == http.get(d.openapi_path).json
    assert json.loads((tmp_path / "sandbox.json").read_text()) == (
        http.get("/_sandbox/openapi.json").json
    )


def test_openapi_refuses_what_it_cannot_do():
    with pytest.raises(SystemExit, match=r"openapi --all takes --output-dir DIR and no NAME"):
        cli.main(["openapi", "--all"])
    expected = rf"openapi takes a NAME \(one of: {', '.join(NAMES)}\), or --all"
    with pytest.raises(SystemExit, match=expected):
        cli.main(["openapi"])
    with pytest.raises(SystemExit, match=rf"unknown vendor 'nope' \(have: {', '.join(NAMES)}\)"):
        cli.main(["openapi", "nope"])


def test_the_banner_lists_every_vendor(logs):
    served = serve(logs)
    try:
        out = served.output
        for d in all_descriptions():
            assert f"{served.base}{d.api_path}" in out
            assert f"docs: {served.base}{d.docs_path}" in out
            shown = " ".join(f"{k}={v}" for k, v in d.demo_credentials.items())
            assert f"{d.name:<8} {shown}" in out
        # Every vendor's line starts its URL and its docs link in the same columns.
        rows = [line for line in out.splitlines() if " docs: " in line]
        assert len(rows) == len(all_descriptions())
        assert len({row.index("http://") for row in rows}) == 1
        assert len({row.index(" docs: ") for row in rows}) == 1
        assert f"  Console           {served.base}/console\n" in out
    finally:
        served.kill()


def test_serve_warns_when_the_data_folder_keeps_another_seed(logs, tmp_path):
    data_dir = tmp_path / "data"
    first = serve(logs, "--data-dir", str(data_dir), "--seed", "3")
    try:
        assert "WARNING" not in first.output  # a new folder takes the seed asked for
        assert first.get("/_sandbox/tenants/demo").json()["seed"] == 3
    finally:
        assert first.stop() == 0, first.output

    again = serve(logs, "--data-dir", str(data_dir), "--seed", "5")
    try:
        db_file = (data_dir / "sandbox.db").resolve()
        assert (
            f"exam-sandbox: WARNING: --seed 5 ignored: the data folder's demo tenant "
            f"({db_file}) keeps seed 3, the one it was made with." in again.output
        )
        demo = again.get("/_sandbox/tenants/demo")
        assert demo.status_code == 200
        assert demo.json()["seed"] == 3
    finally:
        assert again.stop() == 0, again.output

    same = serve(logs, "--data-dir", str(data_dir), "--seed", "3")
    try:
        assert "WARNING" not in same.output
    finally:
        same.kill()


@pytest.mark.parametrize(
    ("signum", "group"),
    [(signal.SIGTERM, False), (signal.SIGINT, False), (signal.SIGINT, True)],
    ids=["SIGTERM", "SIGINT", "Ctrl-C"],
)
def test_a_clean_stop_leaves_only_the_database(logs, tmp_path, signum, group):
    data_dir = tmp_path / "data"
    served = serve(logs, "--data-dir", str(data_dir), "--workers", "2")
    try:
        for n in range(4):  # writes (and so WAL pages and the writers' lock) in the workers
            made = served.request("POST", "/_sandbox/tenants", json={"tenant": f"t{n}"})
            assert made.status_code == 201, made.text
        assert (data_dir / "sandbox.db-wal").exists()
        assert (data_dir / "sandbox.db-writer.lock").exists()
    except BaseException:
        served.kill()
        raise
    assert served.stop(signum, group=group) == 0, served.output
    assert sorted(p.name for p in data_dir.iterdir()) == ["sandbox.db"]

    # Everything written is in sandbox.db itself.
    restarted = serve(logs, "--data-dir", str(data_dir))
    try:
        tenants = restarted.get("/_sandbox/tenants").json()["tenants"]
        assert sorted(tenants) == ["demo", "t0", "t1", "t2", "t3"]
    finally:
        restarted.kill()
