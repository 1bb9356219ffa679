"""One import name, ``exam_sandbox``, whatever the user's project holds.

The repository keeps its folders (``sandbox/`` is ``exam_sandbox``, ``client/`` is
``exam_sandbox.client``); pyproject.toml maps them. These tests check the mapping lists
every package, that the checkout imports the real packages, and, once, that the built
wheel works in a fresh venv beside a user's own ``client.py`` and ``sandbox.py`` (the
names the wheel used to install, and a user's project commonly has).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

import pytest
from test_plugin_user_example import readme_example

import exam_sandbox
import exam_sandbox.client

# Store-independent (what the package installs): the PostgreSQL run leaves it out
# (tests/postgres_run.py).
pytestmark = pytest.mark.store_independent

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]


def packages_on_disk() -> set[str]:
    found = set()
    for name, folder in SETUPTOOLS["package-dir"].items():
        base = ROOT / folder
        for init in base.rglob("__init__.py"):
            relative = init.parent.relative_to(base)
            if relative.parts and (ROOT / folder / relative.parts[0]).resolve() in {
                (ROOT / other).resolve() for other in SETUPTOOLS["package-dir"].values()
            }:
                continue  # a mapped folder nested in another is listed under its own name
            found.add(".".join((name, *relative.parts)))
    return found


def test_pyproject_lists_every_package():
    assert set(SETUPTOOLS["packages"]) == packages_on_disk()


def test_the_import_names_resolve_to_the_repository_folders():
    assert Path(exam_sandbox.__file__).resolve() == ROOT / "sandbox" / "__init__.py"
    assert Path(exam_sandbox.client.__file__).resolve() == ROOT / "client" / "__init__.py"
    assert hasattr(exam_sandbox.client, "SurpassClient")
    assert hasattr(exam_sandbox.client, "JanisonClient")


def test_no_bare_sandbox_or_client_package_is_installed(tmp_path):
    # Run from an empty folder, so the checkout's own folders are not on sys.path.
    probe = (
        "import importlib.util as u, sys; "
        "sys.exit(any(u.find_spec(n) for n in ('sandbox', 'client', 'contracts')))"
    )
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path)
    assert done.returncode == 0, "a bare sandbox/client/contracts package is importable"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
         "--disable-pip-version-check", "-w", str(out), str(ROOT)],
        check=True,
        timeout=240,
    )
    (built,) = out.glob("exam_sandbox-*.whl")
    return built


def test_the_wheel_holds_only_exam_sandbox(wheel):
    import zipfile

    tops = {name.split("/")[0] for name in zipfile.ZipFile(wheel).namelist()}
    assert {t for t in tops if not t.endswith((".dist-info", ".data"))} == {"exam_sandbox"}


def test_the_wheel_holds_every_page_script_and_template(wheel):
    """Pages a wheel install serves (the console's script and styles, every template)
    are package data: a pattern missing from pyproject.toml leaves them out silently."""
    import zipfile

    names = set(zipfile.ZipFile(wheel).namelist())
    sandbox = ROOT / "sandbox"
    shipped = [p for p in sandbox.rglob("*") if p.suffix in {".html", ".js", ".css"}]
    assert shipped, "no page files found"
    for path in shipped:
        assert f"exam_sandbox/{path.relative_to(sandbox).as_posix()}" in names, path


def test_the_plugin_example_runs_beside_a_user_client_and_sandbox_module(wheel, tmp_path):
    """A fresh venv with the wheel, in a project that has its own client.py and
    sandbox.py: the README's plugin example passes there."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    # Dependencies come from the same index the project's own install used (pip's
    # cache makes this quick after `make test` installed them once).
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         str(wheel), "pytest"],
        check=True,
        timeout=600,
    )
    project = tmp_path / "project"
    project.mkdir()
    (project / "client.py").write_text("ROLE = 'the user own client module'\n")
    (project / "sandbox.py").write_text("ROLE = 'the user own sandbox module'\n")
    (project / "test_user.py").write_text(
        "import client, sandbox\n\n"
        "def test_the_user_modules_are_theirs():\n"
        "    assert client.ROLE.startswith('the user') and sandbox.ROLE.startswith('the user')\n"
        "\n\n" + readme_example()
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "EXAM_SANDBOX"))}
    done = subprocess.run(
        [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_user.py"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 passed" in done.stdout
