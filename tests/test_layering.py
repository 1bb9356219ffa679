"""The layering that lets a vendor be added in its own folders: the import-linter
contracts (core knows no vendor, vendors know no other vendor, the client knows no
sandbox), the same file template in every vendor package, and the cheap, pure vendor
descriptions that the CLI and the pytest plugin loop over."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import import_tree  # tests/ is on pytest's pythonpath (pyproject)
import pytest

from exam_sandbox.providers import PACKAGE_TEMPLATE, VENDORS, all_descriptions

# Store-independent (the import layering): the PostgreSQL run leaves it out
# (tests/postgres_run.py).
pytestmark = pytest.mark.store_independent

ROOT = Path(__file__).resolve().parent.parent
PROVIDERS = ROOT / "sandbox" / "providers"
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(tree: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )


def test_the_import_contracts_hold(tmp_path):
    result = lint_imports(import_tree.build(tmp_path / "tree"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout
    # The client is in the graph (it lives outside sandbox/): its contract was checked.
    assert "the client imports nothing of the sandbox KEPT" in result.stdout


def test_each_contract_catches_its_violation(tmp_path):
    """A copy of the packages with one forbidden import per contract: all three break."""
    sandbox = tmp_path / "sandbox"
    client = tmp_path / "client"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "sandbox", sandbox, ignore=ignore)
    shutil.copytree(ROOT / "client", client, ignore=ignore)
    first, second = VENDORS[:2]
    (sandbox / "core" / "leak.py").write_text(f"from exam_sandbox.providers.{first} import x\n")
    (sandbox / "providers" / second / "leak.py").write_text(
        f"from exam_sandbox.providers.{first} import tables\n"
    )
    (client / "leak.py").write_text("from exam_sandbox.core import db\n")

    result = lint_imports(import_tree.build(tmp_path / "tree", sandbox=sandbox, client=client))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Contracts: 0 kept, 3 broken." in result.stdout
    assert f"exam_sandbox.core.leak -> exam_sandbox.providers.{first}" in result.stdout
    assert (
        f"exam_sandbox.providers.{second}.leak -> exam_sandbox.providers.{first}.tables"
        in result.stdout
    )
    assert "exam_sandbox.client.leak -> exam_sandbox.core.db" in result.stdout


def test_every_vendor_package_has_the_template():
    packages = sorted(p.name for p in PROVIDERS.iterdir() if (p / "__init__.py").is_file())
    # Every vendor package is listed in VENDORS, and every listed one exists.
    assert packages == sorted(VENDORS)
    for name in packages:
        missing = [
            entry
            for entry in PACKAGE_TEMPLATE
            if not (
                (PROVIDERS / name / entry.rstrip("/") / "__init__.py").is_file()
                if entry.endswith("/")
                else (PROVIDERS / name / entry).is_file()
            )
        ]
        assert missing == [], f"sandbox/providers/{name} lacks {missing}"


def test_descriptions_name_each_vendor_once_and_import_nothing_heavy():
    assert [d.name for d in all_descriptions()] == list(VENDORS)
    # In a fresh interpreter: listing the vendors, and loading the pytest plugin that
    # loops over them, import neither Flask nor SQLAlchemy.
    code = (
        "import sys\n"
        "from exam_sandbox.providers import all_descriptions\n"
        "import exam_sandbox.pytest_plugin as plugin\n"
        "names = [d.name for d in all_descriptions()]\n"
        "heavy = sorted(m for m in ('flask', 'sqlalchemy', 'werkzeug') if m in sys.modules)\n"
        "print(names, heavy, sorted(plugin.DESCRIPTIONS))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True).stdout
    assert out.strip() == f"{list(VENDORS)} [] {sorted(VENDORS)}"


def test_each_description_is_consistent_with_its_provider():
    from exam_sandbox.providers import all_providers

    for provider, description in zip(all_providers(), all_descriptions(), strict=True):
        assert provider.description is description
        assert provider.name == description.name
        assert description.mount == f"/{description.name}"
        assert description.api_path.startswith(description.mount)
        assert description.client_base_path.startswith(description.mount)
        module, _, cls = description.client.partition(":")
        assert module.startswith("exam_sandbox.client.") and cls, description.client
        assert description.client_fixture == f"{description.name}_client"
