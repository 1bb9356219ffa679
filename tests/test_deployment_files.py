"""compose.yaml, the Dockerfile and deploy/nginx.conf, checked without a container engine
(none runs where this project is developed; docs/deployment.md): every option they pass
is one ``exam-sandbox`` accepts, the image copies what the package is built from, the
replicas share one database and start after the migrations, and the balancer lists every
replica."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

import pytest
import yaml
from sqlalchemy import make_url

from exam_sandbox.cli import build_parser

# Store-independent (files read, nothing served): the PostgreSQL run leaves it out
# (tests/postgres_run.py).
pytestmark = pytest.mark.store_independent

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
REPLICAS = sorted(name for name in SERVICES if name.startswith("sandbox-"))
DOCKERFILE = (ROOT / "Dockerfile").read_text()
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def _instructions(name: str) -> list[str]:
    """The Dockerfile's ``name`` instructions, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return [line.split(None, 1)[1] for line in joined.splitlines()
            if line.split(None, 1)[:1] == [name]]


def _exec_form(text: str) -> list[str]:
    return yaml.safe_load(text)  # a JSON array is YAML


def test_the_image_copies_what_the_package_is_built_from():
    copied = set()
    for line in _instructions("COPY"):
        *sources, _target = shlex.split(line)
        copied.update(sources)
    for source in copied:
        assert (ROOT / source).exists(), source
    folders = set(PYPROJECT["tool"]["setuptools"]["package-dir"].values())
    assert folders <= copied  # sandbox/ and client/
    assert {"pyproject.toml", PYPROJECT["project"]["readme"]} <= copied


def test_the_image_installs_the_postgres_extra_and_serves_as_a_user():
    (run,) = [line for line in _instructions("RUN") if "pip install" in line]
    extra = re.search(r"pip install '\.\[(\w+)\]'", run).group(1)
    assert extra in PYPROJECT["project"]["optional-dependencies"]
    assert any("psycopg" in d for d in PYPROJECT["project"]["optional-dependencies"][extra])
    assert _instructions("USER") == ["sandbox"]
    assert _exec_form(_instructions("ENTRYPOINT")[0]) == ["exam-sandbox"]
    command = _exec_form(_instructions("CMD")[0])
    args = build_parser().parse_args(command)
    assert (args.command, args.host, args.port) == ("serve", "0.0.0.0", 8080)
    assert _instructions("EXPOSE") == ["8080"]


def test_the_replicas_share_one_database_and_start_after_the_migrations():
    assert len(REPLICAS) == 2
    urls = set()
    for name in REPLICAS:
        service = SERVICES[name]
        args = build_parser().parse_args(service["command"])
        assert args.command == "serve" and args.no_migrate, name
        assert (args.host, args.port) == ("0.0.0.0", 8080)
        assert service["depends_on"] == {
            "migrate": {"condition": "service_completed_successfully"}
        }
        urls.add(service["environment"]["EXAM_SANDBOX_DATABASE_URL"])
    migrate = SERVICES["migrate"]
    assert build_parser().parse_args(migrate["command"]).command == "migrate"
    assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    urls.add(migrate["environment"]["EXAM_SANDBOX_DATABASE_URL"])
    (url,) = urls  # one database for all
    parsed = make_url(url.replace("${POSTGRES_PASSWORD:-sandbox}", "sandbox"))
    postgres = SERVICES["postgres"]["environment"]
    assert parsed.drivername == "postgresql+psycopg"
    assert (parsed.host, parsed.port) == ("postgres", 5432)
    assert (parsed.username, parsed.database) == (postgres["POSTGRES_USER"],
                                                  postgres["POSTGRES_DB"])
    assert postgres["POSTGRES_PASSWORD"] == "${POSTGRES_PASSWORD:-sandbox}"


def test_the_balancer_lists_every_replica_on_its_port():
    balancer = SERVICES["balancer"]
    (mount,) = balancer["volumes"]
    config = ROOT / mount.split(":")[0]
    text = config.read_text()
    servers = re.findall(r"^\s*server\s+([\w.-]+):(\d+);", text, re.M)
    assert sorted(servers) == [(name, "8080") for name in REPLICAS]
    assert "proxy_set_header Host $http_host;" in text
    # A POST is never sent to a second replica: no "non_idempotent" in the directive.
    (retries,) = re.findall(r"^\s*proxy_next_upstream\s+([^;]*);", text, re.M)
    assert retries.split() == ["error", "timeout"]
    assert set(balancer["depends_on"]) == set(REPLICAS)
