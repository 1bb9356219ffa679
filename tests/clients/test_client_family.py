"""The clients are one family: one layout, one error hierarchy, the same verbs.

What a third vendor's client must also satisfy: these tests loop over the vendor
packages, so a new one is checked by adding it to ``VENDORS``.
"""

from __future__ import annotations

import ast
import builtins
import importlib
import inspect
from pathlib import Path

import pytest

import exam_sandbox.client
from exam_sandbox.client import CirrusClient, F, ItepClient, JanisonClient, SurpassClient
from exam_sandbox.client.core import errors
from exam_sandbox.client.core.errors import KINDS, error_family
from exam_sandbox.client.core.wire import parse_number

CLIENT = Path(exam_sandbox.client.__file__).parent
VENDORS = {
    "surpass": SurpassClient,
    "janison": JanisonClient,
    "cirrus": CirrusClient,
    "itep": ItepClient,
}
TEMPLATE = {"__init__.py", "client.py", "errors.py", "models.py", "resources.py", "wire.py"}


# ------------------------------------------------------------------ layout


def test_every_vendor_package_has_the_same_template():
    packages = sorted(p.name for p in CLIENT.iterdir() if (p / "__init__.py").exists())
    assert packages == sorted(["core", *VENDORS])
    for vendor in VENDORS:
        files = {p.name for p in (CLIENT / vendor).glob("*.py")}
        assert files >= TEMPLATE, f"{vendor} lacks {sorted(TEMPLATE - files)}"
    # no vendor-prefixed module left at the top (surpass_models.py, janison_wire.py ...)
    assert sorted(p.name for p in CLIENT.glob("*.py")) == ["__init__.py"]


def _imports(folder: Path) -> set[str]:
    """Every module name the ``.py`` files of ``folder`` import (``from a import b``: a.b)."""
    names = set()
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                names |= {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                names |= {a.name for a in node.names}
    return names


@pytest.mark.parametrize("package", ["core", *sorted(VENDORS)])
def test_core_imports_no_vendor_and_no_vendor_imports_another(package):
    others = [v for v in VENDORS if v != package]
    found = sorted(n for n in _imports(CLIENT / package)
                   if any(n.startswith(f"exam_sandbox.client.{v}") for v in others))
    assert found == []


@pytest.mark.parametrize("vendor", sorted(VENDORS))
def test_each_vendor_package_exports_its_client(vendor):
    package = importlib.import_module(f"exam_sandbox.client.{vendor}")
    assert getattr(package, VENDORS[vendor].__name__) is VENDORS[vendor]
    assert VENDORS[vendor].__module__ == f"exam_sandbox.client.{vendor}.client"


# ------------------------------------------------------------------ errors


@pytest.mark.parametrize("vendor", sorted(VENDORS))
def test_every_vendor_has_every_error_kind(vendor):
    module = importlib.import_module(f"exam_sandbox.client.{vendor}.errors")
    family = module.ERRORS
    base = family.base
    assert base.__name__ == f"{vendor.capitalize()}Error" and issubclass(base, errors.ApiError)
    for kind in KINDS:
        cls = getattr(family, kind.name)
        assert issubclass(cls, base) and issubclass(cls, kind.neutral), kind.name
        assert cls.__name__ == kind.neutral.__name__
        # importable by that name from the vendor package, as its repr says
        assert getattr(module, cls.__name__) is cls
        assert cls.__module__ == module.__name__
    assert issubclass(family.connection, family.transport)
    assert issubclass(family.connection, builtins.ConnectionError)
    assert issubclass(family.timeout, family.transport)
    assert issubclass(family.timeout, builtins.TimeoutError)


@pytest.mark.parametrize(("status", "kind"), [
    (400, "validation"), (401, "authentication"), (403, "permission_denied"),
    (404, "not_found"), (409, "conflict"), (422, "validation"), (429, "rate_limited"),
    (500, "server"), (503, "server"), (405, "base"), (418, "base"),
])
def test_both_vendors_map_a_status_to_the_same_kind(status, kind):
    for vendor in VENDORS:
        family = importlib.import_module(f"exam_sandbox.client.{vendor}.errors").ERRORS
        assert family.for_status(status) is getattr(family, kind)


def test_a_kind_is_caught_the_vendor_neutral_way_and_the_vendor_way():
    from exam_sandbox.client.janison import NotFoundError as JanisonNotFound
    from exam_sandbox.client.surpass import NotFoundError as SurpassNotFound

    for cls, vendor_base in ((SurpassNotFound, exam_sandbox.client.SurpassError),
                             (JanisonNotFound, exam_sandbox.client.JanisonError)):
        with pytest.raises(exam_sandbox.client.NotFoundError):
            raise cls("gone", status=404)
        with pytest.raises(vendor_base):
            raise cls("gone", status=404)
    assert exam_sandbox.client.NotFoundError is errors.NotFoundError


def test_no_exported_name_shadows_a_builtin():
    for name in ("exam_sandbox.client", "exam_sandbox.client.core.errors",
                 *(f"exam_sandbox.client.{v}" for v in VENDORS),
                 *(f"exam_sandbox.client.{v}.errors" for v in VENDORS)):
        module = importlib.import_module(name)
        shadowing = sorted(set(module.__all__) & set(dir(builtins)))
        assert shadowing == [], f"{name} exports {shadowing}"


def test_error_family_builds_every_kind_for_a_new_vendor_and_refuses_unknown_docs():
    family = error_family("Cirrus", "cirrus_errors", docs={"conflict": "409: taken."})
    assert [cls.__name__ for cls in family] == [
        "CirrusError", "AuthenticationError", "PermissionDeniedError", "NotFoundError",
        "ValidationError", "ConflictError", "RateLimitedError", "ServerError",
        "TransportError", "ApiConnectionError", "ApiTimeoutError"]
    assert family.conflict.__doc__ == "409: taken."
    assert family.not_found.__doc__ == errors.NotFoundError.__doc__
    with pytest.raises(ValueError, match=r"no such error kinds: \['gone'\]"):
        error_family("Cirrus", "cirrus_errors", docs={"gone": "410"})


# ------------------------------------------------------------------ verbs


def _public(cls: type) -> dict[str, inspect.Signature]:
    return {name: inspect.signature(fn) for name, fn in inspect.getmembers(cls)
            if callable(fn) and not name.startswith("_")}


def test_the_same_acts_have_the_same_verbs():
    surpass, janison = _public(SurpassClient), _public(JanisonClient)
    for verb in ("schedule_test", "delete_schedule", "request", "close"):
        assert verb in surpass and verb in janison, verb
    for name in {*surpass, *janison}:
        assert not name.startswith("retire_"), f"{name}: deleting is delete_<x> on every client"
        assert name != "schedule"
    # Every resource read the same three ways on both: get_<x>, iter_<xs>, <xs>_page.
    for methods in (surpass, janison):
        for name in methods:
            if name.startswith("iter_"):
                assert f"{name[len('iter_'):]}_page" in methods, name
    shared = {n for n in surpass if n.startswith("iter_")} & {n for n in janison
                                                              if n.startswith("iter_")}
    assert shared == {"iter_candidates", "iter_centres", "iter_tests"}
    for reads in ("get_candidate", "get_centre", "get_test", "create_candidate",
                  "update_candidate", "create_centre", "update_centre", "delete_centre"):
        assert reads in surpass and reads in janison, reads


@pytest.mark.parametrize("client", [SurpassClient, JanisonClient])
def test_arguments_past_the_first_are_keyword_only(client):
    # request(method, path) keeps the requests idiom, as requests.request does.
    loose = {}
    for name, sig in _public(client).items():
        params = [p for p in sig.parameters.values() if p.name != "self"]
        positional = [p.name for p in params[1:]
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        if positional and name != "request":
            loose[name] = positional
    assert loose == {}


def test_janison_schedule_test_is_keyword_only():
    with pytest.raises(TypeError, match="positional"):
        JanisonClient("http://127.0.0.1:9/janison/api", "key", token="t").schedule_test(
            "ENG-GEN-4S", "CTR001", ["CAN0002"], "2030-07-01")  # type: ignore[misc]


# ------------------------------------------------------------------ query keywords


@pytest.fixture(params=sorted(VENDORS))
def offline(request):
    """A client of each vendor aimed at a closed port: these errors come before any I/O."""
    if request.param == "surpass":
        client = SurpassClient("http://127.0.0.1:9/surpass", "u", "p", retries=0)
    else:
        client = JanisonClient("http://127.0.0.1:9/janison/api", "key", token="t", retries=0)
    with client:
        yield client


def test_a_misspelt_query_keyword_is_named_with_the_method_and_the_right_keyword(offline):
    with pytest.raises(TypeError) as info:
        offline.iter_candidates(wher={"lastName": "Smith"})
    assert str(info.value) == (
        "iter_candidates() got an unexpected keyword argument 'wher' (did you mean where=?); "
        "its query keywords are contains, filter, limit, order_by, params, timeout, top, where")
    with pytest.raises(TypeError) as info:
        offline.candidates_page(filters="lastName eq 'Smith'")
    assert str(info.value) == (
        "candidates_page() got an unexpected keyword argument 'filters' (did you mean "
        "filter=?); its query keywords are contains, filter, order_by, params, skip, "
        "timeout, top, where")


def test_a_keyword_of_the_other_list_call_is_refused_by_name(offline):
    with pytest.raises(TypeError) as info:
        offline.centres_page(limit=5)
    assert str(info.value).startswith(
        "centres_page() got an unexpected keyword argument 'limit'; its query keywords are ")
    assert "skip" in str(info.value)
    with pytest.raises(TypeError, match=r"^iter_tests\(\) got an unexpected keyword argument "
                                        r"'skip'; its query keywords are .*limit"):
        offline.iter_tests(skip=40)


def test_a_filter_given_as_where_says_to_pass_it_as_filter(offline):
    with pytest.raises(TypeError) as info:
        offline.iter_candidates(where=F("lastName") == "Smith")
    assert str(info.value) == ("where= takes a mapping of field to value, e.g. "
                               "{'lastName': 'Smith'}, not a Filter; a Filter or OData text "
                               "goes in filter=")
    with pytest.raises(TypeError) as info:
        offline.candidates_page(where="lastName eq 'Smith'")
    assert str(info.value).endswith("not str; a Filter or OData text goes in filter=")


def test_a_mapping_given_as_filter_says_to_pass_it_as_where(offline):
    with pytest.raises(TypeError) as info:
        offline.iter_candidates(filter={"lastName": "Smith"})
    assert str(info.value) == ("filter= takes a Filter, e.g. F('lastName') == 'Smith', or "
                               "OData text, not dict; a mapping of field to value goes in "
                               "where=")


def test_contains_and_order_by_of_the_wrong_shape_are_named(offline):
    with pytest.raises(TypeError) as info:
        offline.iter_candidates(contains="an")
    assert str(info.value) == ("contains= takes a mapping of field to text, e.g. "
                               "{'firstName': 'an'}, not str")
    with pytest.raises(TypeError) as info:
        offline.iter_candidates(order_by={"lastName": "desc"})
    assert str(info.value) == ("order_by= takes a field name or a list of them ('-id' for "
                               "descending), not dict")


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize(("wire", "number"), [
    ("175", 175), (175, 175), ("175.0", 175), (" 6.5 ", 6.5), (6.5, 6.5), ("", None),
    (None, None), ("n/a", "n/a"), ("nan", "nan"), ([1], [1]),
])
def test_numbers_are_numbers_and_anything_else_is_kept_as_it_came(wire, number):
    parsed = parse_number(wire)
    assert parsed == number and type(parsed) is type(number)
