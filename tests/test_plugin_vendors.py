"""The pytest plugin loops over the vendors the sandbox lists: a client fixture, a base
URL and a bound client for each, made from its description; and its results are typed
(a journal entry without a body has no JSON)."""

from __future__ import annotations

from importlib import import_module

import pytest
import requests

from exam_sandbox import pytest_plugin
from exam_sandbox.providers import all_descriptions

DESCRIPTIONS = all_descriptions()


def client_class(description):
    module, _, name = description.client.partition(":")
    return getattr(import_module(module), name)


@pytest.mark.parametrize("description", DESCRIPTIONS, ids=lambda d: d.name)
def test_each_vendor_has_its_url_and_client(description, sandbox, sandbox_tenant, request):
    name = description.name
    url = sandbox.url + description.client_base_path
    assert sandbox.vendor_url(name) == sandbox_tenant.url(name) == url
    assert getattr(sandbox, f"{name}_url") == getattr(sandbox_tenant, f"{name}_url") == url
    # The fixture the description names hands a test the real client, on the tenant.
    fixture = request.getfixturevalue(description.client_fixture)
    assert type(fixture) is client_class(description)
    assert fixture.base_url == url
    with sandbox_tenant.client(name) as made:
        assert type(made) is client_class(description)
        assert made.base_url == url


def test_the_generic_client_takes_the_tenants_credentials(sandbox_tenant):
    own = sandbox_tenant.surpass_credentials
    with sandbox_tenant.client("surpass") as client:
        assert client.username == own.username
        assert client.get_candidate("CAND00021").reference == "CAND00021"
    # Options replace a credential, as surpass_client(username, password) does.
    viewer = sandbox_tenant.surpass_user("viewer2", "pw-viewer", permissions=["ViewTests"])
    with sandbox_tenant.surpass_client(viewer.username, viewer.password) as client:
        assert client.username == "viewer2"
        assert client.tests_page(top=1).items


def test_an_unknown_vendor_is_a_sandbox_error(sandbox_tenant):
    names = ", ".join(d.name for d in DESCRIPTIONS)
    with pytest.raises(pytest_plugin.SandboxError, match=rf"no vendor 'nope' \(have: {names}\)"):
        sandbox_tenant.client("nope")
    with pytest.raises(pytest_plugin.SandboxError, match="no vendor 'nope'"):
        sandbox_tenant.url("nope")


def test_request_json_is_none_without_a_body(surpass_client, sandbox_tenant):
    surpass_client.get_candidate(21)
    read = sandbox_tenant.journal.last(method="GET")
    assert read.request_body == ""
    assert read.request_json() is None
    assert read.response_json()["response"][0]["id"] == 21

    own = sandbox_tenant.surpass_credentials
    body = {"reference": "PLUGIN-1", "firstName": "Ada", "lastName": "Lovelace",
            "dateOfBirth": "1990-12-10T00:00:00"}
    made = requests.post(f"{sandbox_tenant.surpass_url}/api/v2/Candidate", json=body,
                         auth=(own.username, own.password), timeout=10)
    assert made.status_code == 200, made.text
    written = sandbox_tenant.journal.last(method="POST")
    assert written.status == 200
    assert written.request_json() == body


def test_a_journal_entry_with_empty_bodies():
    entry = pytest_plugin.JournalEntry(
        seq=1, at="2030-01-01T00:00:00Z", provider="surpass", method="DELETE",
        path="/surpass/api/v2/TestSchedule/X", query="", status=204, request_headers={},
        request_body="", response_body="", duration_ms=1.0,
    )
    assert entry.request_json() is None
    assert entry.response_json() is None
