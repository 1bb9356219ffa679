"""CentreSubjectAssociation: GET list/by id, POST, PUT/DELETE by id, CSA-1, CSA-2, and
a ``$filter`` that takes only ``eq`` on six properties."""

from __future__ import annotations

import pytest
from support import errors_of

from exam_sandbox.providers.surpass.fixtures import SUBJECTS, dataset

SEED = 7
BASE = "http://localhost/surpass/api/v2"
TZ = "GMT Standard Time"
PATH = "/api/v2/CentreSubjectAssociation"
SEEDED = dataset(SEED).associations  # (centre index, subject index, primary)


def _one(tenant, path: str) -> dict:
    r = tenant.surpass("GET", path)
    assert r.status_code == 200, r.json
    (item,) = r.json["response"]
    return item


def _ids(tenant, query: str) -> list[int]:
    r = tenant.surpass("GET", f"{PATH}?{query}")
    assert r.status_code == 200, r.json
    return [a["id"] for a in r.json["response"]]


def test_list_and_get_by_id(tenant):
    r = tenant.surpass("GET", PATH)
    assert r.json["count"] == len(SEEDED)
    centre, subject, primary = SEEDED[4]
    item = _one(tenant, f"{PATH}/5")
    assert item == {
        "id": 5, "href": f"{BASE}/CentreSubjectAssociation/5",
        "centre": {"id": centre + 1, "reference": f"CEN00{centre + 1}",
                   "href": f"{BASE}/Centre/{centre + 1}"},
        "subject": {"id": subject + 1, "reference": SUBJECTS[subject][0],
                    "href": f"{BASE}/Subject/{subject + 1}", "name": SUBJECTS[subject][1]},
        "primary": primary,
    }
    assert tenant.surpass("GET", "/api/v2/centresubjectassociation/5").status_code == 200


def test_NF_1_unknown_association(tenant):
    for method in ("GET", "PUT", "DELETE"):
        r = tenant.surpass(method, f"{PATH}/999", json={} if method == "PUT" else None)
        assert r.status_code == 404
        assert errors_of(r) == [(404, "CentreSubjectAssociation not found")]


def test_post_creates_and_reads_back(tenant):
    # Centre 5 does not offer Computing in the seed data.
    assert (4, 2) not in {(c, s) for c, s, _ in SEEDED}
    r = tenant.surpass("POST", PATH, json={"centre": {"reference": "CEN005"},
                                           "subject": {"id": 3}})
    assert r.status_code == 200, r.json
    new_id = len(SEEDED) + 1
    assert r.json == {"id": new_id, "href": f"{BASE}/CentreSubjectAssociation/{new_id}",
                      "errors": [], "serverTimeZone": TZ}
    item = _one(tenant, f"{PATH}/{new_id}")
    assert item["centre"]["reference"] == "CEN005"
    assert item["subject"]["reference"] == "COMPSCI"
    assert item["primary"] is False


def test_CSA_1_duplicate_pair(tenant):
    r = tenant.surpass("POST", PATH, json={"centre": {"id": 1}, "subject": {"reference": "MATHS"},
                                           "primary": False})
    assert r.status_code == 400
    assert errors_of(r) == [(3301, "The centre is already associated with the subject")]
    assert tenant.surpass("GET", PATH).json["count"] == len(SEEDED)
    # A PUT onto another association's pair is a duplicate too.
    r = tenant.surpass("PUT", f"{PATH}/2", json={"centre": {"id": 1}})
    assert r.status_code == 400
    assert errors_of(r) == [(3301, "The centre is already associated with the subject")]


def test_CSA_2_unresolved_centre_or_subject(tenant):
    r = tenant.surpass("POST", PATH, json={"centre": {"id": 50}, "subject": {"reference": "X"}})
    assert r.status_code == 400
    assert errors_of(r) == [(3302, "Centre '50' could not be found"),
                            (3302, "Subject 'X' could not be found")]


def test_post_missing_members(tenant):
    r = tenant.surpass("POST", PATH, json={"primary": True})
    assert r.status_code == 400
    assert errors_of(r) == [(1000, "centre: Missing data for required field."),
                            (1000, "subject: Missing data for required field.")]


def test_put_by_id(tenant):
    r = tenant.surpass("PUT", f"{PATH}/2", json={"primary": True})
    assert r.status_code == 200
    assert r.json["id"] == 2 and "reference" not in r.json
    item = _one(tenant, f"{PATH}/2")
    assert item["primary"] is True and item["centre"]["id"] == SEEDED[1][0] + 1
    r = tenant.surpass("PUT", f"{PATH}/2", json={"centre": {"reference": "CEN005"},
                                                 "subject": {"id": 3}})
    assert r.status_code == 200, r.json
    item = _one(tenant, f"{PATH}/2")
    assert (item["centre"]["id"], item["subject"]["id"], item["primary"]) == (5, 3, True)


def test_delete_by_id(tenant):
    r = tenant.surpass("DELETE", f"{PATH}/3")
    assert r.status_code == 200
    assert r.json == {"id": None, "href": None, "errors": [], "serverTimeZone": TZ}
    assert tenant.surpass("GET", f"{PATH}/3").status_code == 404
    assert tenant.surpass("GET", PATH).json["count"] == len(SEEDED) - 1


def test_REQ_5_no_collection_put_or_delete(tenant):
    for method in ("PUT", "DELETE"):
        r = tenant.surpass(method, PATH, json={})
        assert r.status_code == 405
        assert errors_of(r) == [
            (1004, f"The requested resource does not support http method '{method}'.")
        ]


@pytest.mark.parametrize("query, expect", [
    ("centre/reference eq 'CEN001'", lambda c, s, p: c == 0),
    ("centre/id eq 2", lambda c, s, p: c == 1),
    ("subject/reference eq 'HSAFETY'", lambda c, s, p: s == 3),
    ("subject/id eq 1 and primary eq true", lambda c, s, p: s == 0 and p),
    ("primary eq false or id eq 1", lambda c, s, p: not p or (c, s) == (0, 0)),
    ("Subject/Reference eq 'MATHS'", lambda c, s, p: s == 0),
])
def test_filter_eq_on_the_six_properties(tenant, query, expect):
    want = [i + 1 for i, row in enumerate(SEEDED) if expect(*row)]
    assert want and _ids(tenant, f"$filter={query}") == want


@pytest.mark.parametrize("query, detail", [
    ("id gt 1", "Operator 'gt' is not allowed on property 'id' at position 6"),
    ("centre/id ne 1", "Operator 'ne' is not allowed on property 'centre/id' at position 13"),
    ("contains(centre/reference, 'CEN')",
     "Operator 'contains' is not allowed on property 'centre/reference' at position 0"),
    ("centre/name eq 'x'", "Unknown property 'centre/name' at position 0"),
])
def test_FILTER_1_only_eq_on_listed_properties(tenant, query, detail):
    r = tenant.surpass("GET", f"{PATH}?$filter={query}")
    assert r.status_code == 400
    assert errors_of(r) == [(1012, f"The query specified in the URI is not valid. {detail}")]


def test_order_and_page(tenant):
    r = tenant.surpass("GET", f"{PATH}?$orderBy=subject/id desc, centre/id&$top=5&$skip=5")
    rows = sorted(((-s, c, i + 1) for i, (c, s, _) in enumerate(SEEDED)))
    assert [a["id"] for a in r.json["response"]] == [i for _, _, i in rows[5:10]]
    assert r.json["pageCount"] == 4


def test_AUTH_2_association_permissions(tenant):
    viewer = tenant.surpass_user("viewer", permissions=["ViewCentres"])
    nobody = tenant.surpass_user("nobody", permissions=["ViewSubjects", "EditSubjects"])
    r = tenant.surpass("GET", PATH, auth=nobody)
    assert r.status_code == 403
    assert errors_of(r) == [(403, "User does not have permission to view centres")]
    assert tenant.surpass("GET", f"{PATH}/1", auth=viewer).status_code == 200
    r = tenant.surpass("DELETE", f"{PATH}/1", auth=viewer)
    assert r.status_code == 403
    assert errors_of(r) == [(403, "User does not have permission to edit centres")]
