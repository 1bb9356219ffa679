"""Helpers for the Janison tests (importable as ``jsupport`` from this folder)."""

from __future__ import annotations

SEED = 7
BASE = "http://localhost/janison/api"
NULL_PAGE = {
    "count": None,
    "top": None,
    "skip": None,
    "pageCount": None,
    "nextPageLink": None,
    "prevPageLink": None,
}


def errors_of(response) -> list[tuple[int, str, str | None]]:
    """The (code, message, field) triples of a Janison error body."""
    return [(e["code"], e["message"], e["field"]) for e in response.json["errors"]]


def write_error(response, status: int, *errors) -> None:
    """A refused write: ``status`` and exactly the write envelope with ``errors``."""
    assert response.status_code == status, response.json
    assert response.json == {
        "id": None,
        "href": None,
        "errors": [{"code": c, "message": m, "field": f} for c, m, f in errors],
    }


def read_error(response, status: int, *errors) -> None:
    """A refused read: ``status`` and exactly the page envelope with ``errors``."""
    assert response.status_code == status, response.json
    assert response.json == {
        **NULL_PAGE,
        "response": None,
        "errors": [{"code": c, "message": m, "field": f} for c, m, f in errors],
    }


def one(tenant, path: str) -> dict:
    """GET by id: the page envelope with null paging and one item."""
    r = tenant.janison("GET", path)
    assert r.status_code == 200, r.json
    assert {k: r.json[k] for k in NULL_PAGE} == NULL_PAGE and r.json["errors"] == []
    assert len(r.json["response"]) == 1
    return r.json["response"][0]


def ref(resource: str, item_id: int, reference: str) -> dict:
    return {"id": item_id, "reference": reference, "href": f"{BASE}/{resource}/{item_id}"}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json
    return [item["id"] for item in response.json["response"]]
