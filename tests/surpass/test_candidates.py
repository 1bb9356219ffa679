"""Candidate: GET/POST/PUT, no DELETE, rules CA-1..CA-6, permissions, isolation, XML."""

from __future__ import annotations

import re

from defusedxml import ElementTree as SafeET
from support import basic, errors_of

from exam_sandbox.providers.surpass.fixtures import dataset

SEED = 7
BASE = "http://localhost/surpass/api/v2"
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
TZ = "GMT Standard Time"
NEW = {"firstName": "Ada", "lastName": "Lovelace", "dateOfBirth": "1990-01-31"}


def _one(tenant, path: str) -> dict:
    r = tenant.surpass("GET", path)
    assert r.status_code == 200, r.json
    assert r.json["count"] is None and r.json["top"] is None
    assert len(r.json["response"]) == 1
    return r.json["response"][0]


def _post(tenant, body: dict, **kwargs):
    return tenant.surpass("POST", "/api/v2/Candidate", json=body, **kwargs)


def _count(tenant) -> int:
    return tenant.surpass("GET", "/api/v2/Candidate?$top=1").json["count"]


def _not_found_body(r) -> None:
    assert r.status_code == 404
    assert errors_of(r) == [(404, "Candidate not found")]


# --- GET -----------------------------------------------------------------------------


def test_get_by_id_renders_every_field(tenant):
    seeded = dataset(SEED).candidates[0]
    data = dataset(SEED)
    centres = [data.centres[e]["reference"] for c, e in data.candidate_centres if c == 0]
    item = _one(tenant, "/api/v2/Candidate/1")
    assert list(item) == [
        "id", "reference", "href", "firstName", "middleName", "lastName", "dateOfBirth",
        "gender", "email", "tel", "uln", "reasonableAdjustments", "retired", "expiryDate",
        "isExternal", "centres", "subjects", "extendedDemographics",
    ]
    assert item["id"] == 1
    assert item["reference"] == seeded["reference"] == "CAND00001"
    assert item["href"] == f"{BASE}/Candidate/1"
    assert item["firstName"] == seeded["first_name"]
    assert item["middleName"] == seeded["middle_name"]
    assert item["lastName"] == seeded["last_name"]
    assert item["dateOfBirth"] == f"{seeded['date_of_birth'].isoformat()}T00:00:00"
    assert item["gender"] == seeded["gender"]
    assert item["email"] == seeded["email"]
    assert item["tel"] == seeded["tel"]
    assert item["uln"] == seeded["uln"]
    assert item["reasonableAdjustments"] is seeded["reasonable_adjustments"]
    assert item["retired"] is False and item["isExternal"] is False
    assert item["expiryDate"] is None and item["extendedDemographics"] is None
    assert [c["reference"] for c in item["centres"]] == centres
    assert item["centres"][0] == {"id": 1, "reference": "CEN001", "href": f"{BASE}/Centre/1"}
    assert item["subjects"][0] == {
        "id": 1, "reference": "MATHS", "href": f"{BASE}/Subject/1", "name": "Mathematics"
    }


def test_get_by_reference_and_case_insensitive_segment(tenant):
    assert _one(tenant, "/api/v2/Candidate?reference=CAND00042")["id"] == 42
    assert _one(tenant, "/api/v2/candidate/3")["href"] == f"{BASE}/Candidate/3"


def test_NF_1_unknown_id_or_reference(tenant):
    for path in ("/api/v2/Candidate/999", "/api/v2/Candidate?reference=NOPE",
                 "/api/v2/Candidate/99999999999999999999"):
        r = tenant.surpass("GET", path)
        _not_found_body(r)
        assert r.json["response"] is None and r.json["serverTimeZone"] == TZ


def test_AUTH_1_no_credentials(tenant):
    r = tenant.http.get("/surpass/api/v2/Candidate/1")
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"] == 'Basic realm="Surpass"'


# --- POST ----------------------------------------------------------------------------


def test_post_creates_and_reads_back_field_by_field(tenant):
    body = {
        "reference": "NEW-001", "firstName": "Grace", "middleName": "B", "lastName": "Hopper",
        "dateOfBirth": "1986-12-09T00:00:00", "gender": "Female", "email": "g@example.com",
        "tel": "0123", "uln": "1234567890", "reasonableAdjustments": True, "isExternal": True,
        "expiryDate": "2030-06-30", "extendedDemographics": "<x/>",
        "centres": [{"id": 2}, {"reference": "CEN004"}], "subjects": [{"reference": "COMPSCI"}],
    }
    r = _post(tenant, body)
    assert r.status_code == 200, r.json
    assert r.json == {"id": 121, "reference": "NEW-001", "href": f"{BASE}/Candidate/121",
                      "errors": [], "serverTimeZone": TZ}
    item = _one(tenant, "/api/v2/Candidate/121")
    assert item["reference"] == "NEW-001"
    assert (item["firstName"], item["middleName"], item["lastName"]) == ("Grace", "B", "Hopper")
    assert item["dateOfBirth"] == "1986-12-09T00:00:00"
    assert item["expiryDate"] == "2030-06-30T00:00:00"
    assert item["gender"] == "Female"
    assert (item["email"], item["tel"], item["uln"]) == ("g@example.com", "0123", "1234567890")
    assert item["reasonableAdjustments"] is True and item["isExternal"] is True
    assert item["retired"] is False
    assert item["extendedDemographics"] == "<x/>"
    assert [c["reference"] for c in item["centres"]] == ["CEN002", "CEN004"]
    assert [s["id"] for s in item["subjects"]] == [3]
    assert _count(tenant) == 121


def test_post_defaults_and_auto_reference_are_deterministic(tenant):
    r = _post(tenant, NEW)
    assert r.status_code == 200, r.json
    reference = r.json["reference"]
    assert re.fullmatch(r"Auto[0-9a-f]{32}", reference)
    item = _one(tenant, "/api/v2/Candidate/121")
    assert item["reference"] == reference
    assert item["gender"] == "Unspecified" and item["centres"] == [] and item["subjects"] == []
    assert item["reasonableAdjustments"] is False and item["middleName"] is None
    # Same seed, same call: same reference in another tenant.
    other = _other_tenant(tenant)
    try:
        assert _post(other, NEW).json["reference"] == reference
    finally:
        tenant.http.delete(f"/_sandbox/tenants/{other.id}")
    assert _post(tenant, NEW).json["reference"] != reference


def test_CA_1_required_fields_missing(tenant):
    r = _post(tenant, {"gender": "Male"})
    assert r.status_code == 400
    assert errors_of(r) == [
        (3001, "firstName is required"),
        (3001, "lastName is required"),
        (3001, "dateOfBirth is required"),
    ]
    assert r.json["id"] is None and r.json["href"] is None


def test_CA_1_blank_or_null_counts_as_missing(tenant):
    r = _post(tenant, {**NEW, "firstName": "  ", "lastName": None, "dateOfBirth": None})
    assert r.status_code == 400
    assert errors_of(r) == [
        (3001, "firstName is required"),
        (3001, "lastName is required"),
        (3001, "dateOfBirth is required"),
    ]


def test_CA_2_duplicate_reference_refused(tenant):
    r = _post(tenant, {**NEW, "reference": "CAND00001"})
    assert r.status_code == 400
    assert errors_of(r) == [(3002, "Candidate reference already exists")]
    assert _count(tenant) == 120


def test_CA_3_gender_must_be_known(tenant):
    for bad in ("Other", 1, ""):
        r = _post(tenant, {**NEW, "gender": bad})
        assert r.status_code == 400
        assert errors_of(r) == [(3003, "gender must be one of Unspecified, Male, Female")]


def test_CA_3_gender_matched_without_case(tenant):
    r = _post(tenant, {**NEW, "gender": "female"})
    assert r.status_code == 200
    assert _one(tenant, f"/api/v2/Candidate/{r.json['id']}")["gender"] == "Female"


def test_CA_4_lengths(tenant):
    r = _post(tenant, {**NEW, "firstName": "F" * 51, "lastName": "L" * 51, "reference": "R" * 51})
    assert r.status_code == 400
    assert errors_of(r) == [
        (3004, "reference must not be longer than 50 characters"),
        (3004, "firstName must not be longer than 50 characters"),
        (3004, "lastName must not be longer than 50 characters"),
    ]
    ok = _post(tenant, {**NEW, "firstName": "F" * 50, "lastName": "L" * 50, "reference": "R" * 50})
    assert ok.status_code == 200


def test_CA_5_unresolved_centre_and_subject(tenant):
    r = _post(tenant, {**NEW, "centres": [{"id": 1}, {"reference": "NOWHERE"}],
                       "subjects": [{"id": 99}]})
    assert r.status_code == 400
    assert errors_of(r) == [
        (3005, "Centre 'NOWHERE' could not be found"),
        (3005, "Subject '99' could not be found"),
    ]
    assert _count(tenant) == 120  # nothing half-written
    # Beyond any database integer: a binding error on the field, never a 500.
    r = _post(tenant, {**NEW, "centres": [{"id": 10**20}]})
    assert r.status_code == 400
    assert errors_of(r) == [
        (1000, "centres[0].id: Must be greater than or equal to 1 and less than or equal to "
               "9223372036854775807.")
    ]


def test_invalid_date_is_a_field_error(tenant):
    r = _post(tenant, {**NEW, "dateOfBirth": "31/01/1990"})
    assert r.status_code == 400
    assert errors_of(r) == [
        (1000, "dateOfBirth: Not a valid date: use YYYY-MM-DD or YYYY-MM-DDT00:00:00.")
    ]


def test_wrong_types_never_500(tenant):
    for body in ([1, 2], {"firstName": {"a": 1}}, {**NEW, "centres": "CEN001"},
                 {**NEW, "centres": [{}]}, {**NEW, "dateOfBirth": 19900131},
                 {**NEW, "reasonableAdjustments": "maybe"}):
        r = _post(tenant, body)
        assert r.status_code == 400, (body, r.json)
        assert r.json["errors"]


def test_REQ_2_and_REQ_4_unreadable_bodies(tenant):
    r = tenant.surpass("POST", "/api/v2/Candidate", data=b"{nope",
                       headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert errors_of(r) == [(1001, "The request body could not be read as JSON")]
    r = tenant.surpass("POST", "/api/v2/Candidate", data=b"x",
                       headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    assert errors_of(r) == [(1003, "The content type 'text/plain' is not supported")]


# --- PUT -----------------------------------------------------------------------------


def test_put_by_id_changes_only_given_members(tenant):
    before = _one(tenant, "/api/v2/Candidate/5")
    r = tenant.surpass("PUT", "/api/v2/Candidate/5",
                       json={"firstName": "Renamed", "retired": True, "subjects": []})
    assert r.status_code == 200, r.json
    assert r.json == {"id": 5, "reference": "CAND00005", "href": f"{BASE}/Candidate/5",
                      "errors": [], "serverTimeZone": TZ}
    after = _one(tenant, "/api/v2/Candidate/5")
    assert after["firstName"] == "Renamed" and after["retired"] is True
    assert after["subjects"] == []
    unchanged = {k: v for k, v in before.items() if k not in ("firstName", "retired", "subjects")}
    assert {k: after[k] for k in unchanged} == unchanged


def test_put_by_reference(tenant):
    r = tenant.surpass("PUT", "/api/v2/Candidate?reference=CAND00007",
                       json={"centres": [{"reference": "CEN005"}], "dateOfBirth": "2001-02-03"})
    assert r.status_code == 200, r.json
    item = _one(tenant, "/api/v2/Candidate/7")
    assert [c["reference"] for c in item["centres"]] == ["CEN005"]
    assert item["dateOfBirth"] == "2001-02-03T00:00:00"


def test_put_unknown_candidate_404(tenant):
    _not_found_body(tenant.surpass("PUT", "/api/v2/Candidate/500", json={"firstName": "X"}))
    _not_found_body(tenant.surpass("PUT", "/api/v2/Candidate?reference=NOPE", json={}))


def test_put_rules_apply(tenant):
    r = tenant.surpass("PUT", "/api/v2/Candidate/5", json={"lastName": None, "gender": "?"})
    assert r.status_code == 400
    assert errors_of(r) == [(3001, "lastName is required"),
                            (3003, "gender must be one of Unspecified, Male, Female")]
    r = tenant.surpass("PUT", "/api/v2/Candidate/5", json={"centres": [{"id": 77}]})
    assert errors_of(r) == [(3005, "Centre '77' could not be found")]


def test_CA_6_reference_change_refused(tenant):
    r = tenant.surpass("PUT", "/api/v2/Candidate/5", json={"reference": "OTHER"})
    assert r.status_code == 400
    assert errors_of(r) == [(3006, "The reference of a candidate cannot be changed")]
    assert _one(tenant, "/api/v2/Candidate/5")["reference"] == "CAND00005"
    same = tenant.surpass("PUT", "/api/v2/Candidate/5", json={"reference": "CAND00005"})
    assert same.status_code == 200


# --- verbs, permissions, isolation ---------------------------------------------------


def test_REQ_5_no_delete(tenant):
    for path in ("/api/v2/Candidate/1", "/api/v2/Candidate?reference=CAND00001"):
        r = tenant.surpass("DELETE", path)
        assert r.status_code == 405
        assert r.json == {
            "id": None, "href": None, "serverTimeZone": TZ,
            "errors": [{"ErrorCode": 1004, "Message":
                        "The requested resource does not support http method 'DELETE'."}],
        }
    assert _one(tenant, "/api/v2/Candidate/1")["id"] == 1


def test_AUTH_2_view_needs_ViewCandidates(tenant):
    auth = tenant.surpass_user("u1", permissions=["EditCandidates", "ViewCentres"])
    for path in ("/api/v2/Candidate", "/api/v2/Candidate/1", "/api/v2/Candidate?reference=X"):
        r = tenant.surpass("GET", path, auth=auth)
        assert r.status_code == 403
        assert errors_of(r) == [(403, "User does not have permission to view candidates")]
        assert r.json["response"] is None


def test_AUTH_2_writes_need_EditCandidates(tenant):
    auth = tenant.surpass_user("u1", permissions=["ViewCandidates"])
    assert tenant.surpass("GET", "/api/v2/Candidate/1", auth=auth).status_code == 200
    for method, path, body in (("POST", "/api/v2/Candidate", NEW),
                               ("POST", "/api/v2/Candidate", {}),  # 403 before validation
                               ("PUT", "/api/v2/Candidate/1", {"firstName": "X"})):
        r = tenant.surpass(method, path, json=body, auth=auth)
        assert r.status_code == 403
        assert errors_of(r) == [(403, "User does not have permission to edit candidates")]
        assert r.json["id"] is None
    assert _count(tenant) == 120


def _other_tenant(tenant):
    """A second tenant with the same seed; the caller deletes it."""
    r = tenant.http.post("/_sandbox/tenants", json={"seed": SEED})
    assert r.status_code == 201
    return type(tenant)(r.json["tenant"], r.json["credentials"], tenant.http)


def test_tenant_isolation(tenant):
    created = _post(tenant, {**NEW, "reference": "MINE-1", "centres": [{"id": 1}]})
    assert created.json["id"] == 121
    other = _other_tenant(tenant)
    try:
        _not_found_body(other.surpass("GET", "/api/v2/Candidate/121"))
        _not_found_body(other.surpass("GET", "/api/v2/Candidate?reference=MINE-1"))
        _not_found_body(other.surpass("PUT", "/api/v2/Candidate/121", json={"firstName": "X"}))
        assert other.surpass("GET", "/api/v2/Candidate?$filter=reference eq 'MINE-1'").json[
            "count"] == 0
        # The other tenant's own 121st candidate is its own; the first one's is untouched.
        assert _post(other, {**NEW, "firstName": "Theirs"}).json["id"] == 121
        assert _one(tenant, "/api/v2/Candidate/121")["firstName"] == "Ada"
        # One tenant's credentials never reach another's rows.
        c = other.credentials["surpass"]
        r = tenant.surpass("GET", "/api/v2/Candidate/121", auth=basic(c["username"], c["password"]))
        assert r.json["response"][0]["firstName"] == "Theirs"
    finally:
        tenant.http.delete(f"/_sandbox/tenants/{other.id}")


# --- XML -----------------------------------------------------------------------------


def test_get_candidate_as_xml(tenant):
    r = tenant.surpass("GET", "/api/v2/Candidate/1", headers={"Accept": "application/xml"})
    assert r.status_code == 200
    assert r.mimetype == "application/xml"
    root = SafeET.fromstring(r.data)
    assert root.tag == "response"
    assert [child.tag for child in root] == [
        "count", "top", "skip", "pageCount", "nextPageLink", "prevPageLink", "response",
        "errors", "serverTimeZone",
    ]
    assert root.find("count").get(XSI_NIL) == "true"
    (candidate,) = root.find("response")
    assert candidate.tag == "candidate"
    assert candidate.findtext("id") == "1"
    assert candidate.findtext("reference") == "CAND00001"
    assert candidate.findtext("firstName") == dataset(SEED).candidates[0]["first_name"]
    assert candidate.find("middleName").get(XSI_NIL) == "true"
    assert candidate.findtext("dateOfBirth").endswith("T00:00:00")
    assert candidate.findtext("reasonableAdjustments") in ("true", "false")
    centres = candidate.find("centres")
    assert [c.tag for c in centres] == ["centre"] * len(centres)
    assert centres[0].findtext("reference") == "CEN001"
    assert candidate.find("subjects")[0].tag == "subject"
    assert root.findtext("serverTimeZone") == TZ


def test_post_candidate_as_xml(tenant):
    body = (
        b"<candidate><reference>XML-1</reference><firstName>Xena</firstName>"
        b"<lastName>Markup</lastName><dateOfBirth>1991-02-03T00:00:00</dateOfBirth>"
        b"<gender>Male</gender><reasonableAdjustments>true</reasonableAdjustments>"
        b"<centres><centre><id>2</id></centre><centre><reference>CEN003</reference></centre>"
        b"</centres><subjects><subject><reference>MATHS</reference></subject></subjects>"
        b"</candidate>"
    )
    r = tenant.surpass("POST", "/api/v2/Candidate", data=body,
                       headers={"Content-Type": "application/xml"})
    assert r.status_code == 200
    assert r.mimetype == "application/xml"
    root = SafeET.fromstring(r.data)
    assert (root.findtext("id"), root.findtext("reference")) == ("121", "XML-1")
    assert root.findtext("href") == f"{BASE}/Candidate/121"
    item = _one(tenant, "/api/v2/Candidate?reference=XML-1")
    assert (item["firstName"], item["lastName"], item["gender"]) == ("Xena", "Markup", "Male")
    assert item["dateOfBirth"] == "1991-02-03T00:00:00"
    assert item["reasonableAdjustments"] is True
    assert [c["id"] for c in item["centres"]] == [2, 3]
    assert [s["reference"] for s in item["subjects"]] == ["MATHS"]


def test_xml_post_errors_in_xml(tenant):
    r = tenant.surpass("POST", "/api/v2/Candidate", data=b"<candidate><firstName>A</firstName>"
                       b"</candidate>", headers={"Content-Type": "text/xml"})
    assert r.status_code == 400
    root = SafeET.fromstring(r.data)
    errors = root.find("errors")
    assert [e.tag for e in errors] == ["Error", "Error"]
    assert [e.findtext("Message") for e in errors] == ["lastName is required",
                                                       "dateOfBirth is required"]
    r = tenant.surpass("POST", "/api/v2/Candidate", headers={"Content-Type": "application/xml"},
                       data=b'<!DOCTYPE x [<!ENTITY e "x">]><candidate>&e;</candidate>')
    assert r.status_code == 400
