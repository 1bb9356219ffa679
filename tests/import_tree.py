"""Lay ``exam_sandbox`` out as it is installed, for import-linter.

The repository keeps ``sandbox/`` (``exam_sandbox``) and ``client/``
(``exam_sandbox.client``) side by side; import-linter's graph builder (grimp) walks the
one folder of the root package and so would never see the client. This builds
``build/import-tree/exam_sandbox/``: a link to every entry of ``sandbox/`` and one
named ``client`` to ``client/``, and prints ``build/import-tree`` for ``PYTHONPATH``::

    PYTHONPATH=$(python tests/import_tree.py) lint-imports --no-cache

(the Makefile's ``test`` and ``lint`` do this). Links, not copies: nothing to go stale.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(target: Path, *, sandbox: Path = ROOT / "sandbox", client: Path = ROOT / "client"
          ) -> Path:
    """The tree under ``target`` (replaced); returns ``target`` for ``PYTHONPATH``."""
    package = target / "exam_sandbox"
    shutil.rmtree(target, ignore_errors=True)
    package.mkdir(parents=True)
    for entry in sandbox.iterdir():
        if entry.name != "__pycache__":
            (package / entry.name).symlink_to(entry.resolve())
    (package / "client").symlink_to(client.resolve())
    return target


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "import-tree"))
