"""JanisonClient auth: a fixed token, a token provider, or the OAuth2 client-credentials
grant against a token endpoint (cached until shortly before ``expires_in``, renewed once
on a 401)."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from exam_sandbox.client.janison import AuthenticationError, JanisonClient, JanisonError

TOKEN_PATH = "/janison/oauth2/token"
DENIED = "Unauthorized. Access token is missing or invalid."


class Issuer:
    """A route for the scripted server: a token endpoint, and an API that accepts only
    the tokens it has issued and not revoked."""

    def __init__(self, jenv, *, expires_in: object = 3600, secret: str = "s3cret") -> None:
        self.jenv, self.expires_in, self.secret = jenv, expires_in, secret
        self.issued: list[str] = []
        self.revoked: set[str] = set()
        self.forms: list[dict[str, str]] = []

    def __call__(self, rec):
        if rec.path == TOKEN_PATH:
            form = {k: v[-1] for k, v in parse_qs(rec.body.decode()).items()}
            self.forms.append(form)
            if form.get("client_secret") != self.secret:
                return 400, {"error": "invalid_client",
                             "error_description": "Client authentication failed."}
            token = f"issued-{len(self.issued) + 1}"
            self.issued.append(token)
            body = {"token_type": "Bearer", "access_token": token}
            if self.expires_in is not None:
                body["expires_in"] = self.expires_in
            return body
        auth = rec.header("Authorization") or ""
        token = auth.removeprefix("Bearer ")
        if token not in self.issued or token in self.revoked:
            return 401, self.jenv.apim(401, DENIED), {"WWW-Authenticate": "Bearer"}
        if rec.method == "POST":
            return self.jenv.write(1, "W1")
        return self.jenv.page([{"id": 1, "name": token}])

    def api_calls(self, server) -> list:
        return [r for r in server.requests if r.path != TOKEN_PATH]

    def token_calls(self, server) -> list:
        return [r for r in server.requests if r.path == TOKEN_PATH]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def issuer(server, jenv) -> Issuer:
    issuer = Issuer(jenv)
    server.route = issuer
    return issuer


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def oauth(make_janison, server, clock):
    def make(**kwargs):
        kwargs.setdefault("client_id", "app-1")
        kwargs.setdefault("client_secret", "s3cret")
        kwargs.setdefault("token_url", server.url + TOKEN_PATH)
        return make_janison(clock=clock, **kwargs)

    return make


def test_client_credentials_token_request(server, issuer, oauth, jenv):
    client = oauth(scope="api://janison/.default")
    assert client.get_test(1).name == "issued-1"
    token_req, api_req = server.requests
    assert (token_req.method, token_req.path) == ("POST", TOKEN_PATH)
    assert token_req.header("Content-Type") == "application/x-www-form-urlencoded"
    assert issuer.forms == [{"grant_type": "client_credentials", "client_id": "app-1",
                             "client_secret": "s3cret", "scope": "api://janison/.default"}]
    # the token request carries neither the subscription key nor a bearer token
    assert token_req.header("Ocp-Apim-Subscription-Key") is None
    assert token_req.header("Authorization") is None
    assert api_req.header("Authorization") == "Bearer issued-1"
    assert api_req.header("Ocp-Apim-Subscription-Key") == jenv.key
    assert repr(client).endswith("auth='client_credentials')") and "s3cret" not in repr(client)


def test_scope_is_optional(issuer, oauth):
    oauth().get_test(1)
    assert "scope" not in issuer.forms[0]


def test_the_token_is_cached_until_shortly_before_it_expires(server, issuer, oauth, clock):
    client = oauth()
    client.get_test(1)
    clock.now += 3600 - 61
    client.get_test(1)
    client.create_user(user_name="u", reference="u")
    assert len(issuer.token_calls(server)) == 1
    clock.now += 2  # within a minute of expiry: fetch a new one
    assert client.get_test(1).name == "issued-2"
    assert len(issuer.token_calls(server)) == 2


def test_a_short_lived_token_is_renewed_at_half_its_life(server, jenv, oauth, clock):
    issuer = Issuer(jenv, expires_in="40")  # a string is tolerated
    server.route = issuer
    client = oauth()
    client.get_test(1)
    clock.now += 19
    client.get_test(1)
    clock.now += 2
    client.get_test(1)
    assert issuer.issued == ["issued-1", "issued-2"]


def test_without_expires_in_the_token_is_kept_until_a_401(server, jenv, oauth, clock):
    issuer = Issuer(jenv, expires_in=None)
    server.route = issuer
    client = oauth()
    client.get_test(1)
    clock.now += 10**6
    client.get_test(1)
    assert issuer.issued == ["issued-1"]


@pytest.mark.parametrize("call", [
    lambda c: c.get_test(1),
    # a POST too: APIM refused it unseen
    lambda c: c.schedule_test(test_package=1, centre=1, candidates=[1], date="2026-05-01"),
])
def test_a_401_renews_the_cached_token_once_and_retries(server, issuer, oauth, call):
    client = oauth()
    client.get_test(1)
    issuer.revoked.add("issued-1")  # e.g. the issuer rotated its keys
    call(client)
    assert issuer.issued == ["issued-1", "issued-2"]
    last_two = issuer.api_calls(server)[-2:]
    assert [r.header("Authorization") for r in last_two] == [
        "Bearer issued-1", "Bearer issued-2"]
    assert last_two[0].body == last_two[1].body


def test_a_second_401_is_raised_without_looping(server, jenv, oauth):
    def route(rec):
        if rec.path == TOKEN_PATH:
            return {"access_token": f"t{len(server.requests)}", "expires_in": 3600}
        return 401, jenv.apim(401, DENIED)

    server.route = route
    client = oauth()
    with pytest.raises(AuthenticationError) as info:
        client.get_test(1)
    assert info.value.messages == [DENIED]
    assert [r.path.rsplit("/", 1)[-1] for r in server.requests] == ["token", "1", "token", "1"]


def test_bad_client_credentials(server, issuer, oauth):
    client = oauth(client_secret="wrong")
    with pytest.raises(AuthenticationError) as info:
        client.get_test(1)
    err = info.value
    assert err.status == 400 and err.url == server.url + TOKEN_PATH
    assert err.errors == [("invalid_client", "Client authentication failed.")]
    assert "token request refused" in str(err)
    assert issuer.api_calls(server) == []  # never sent without a token


@pytest.mark.parametrize("answer", [(200, {"token_type": "Bearer"}), (200, "not json")])
def test_a_token_response_without_a_token_is_an_error(server, oauth, answer):
    server.route = lambda rec: answer
    with pytest.raises(JanisonError, match="access_token|not JSON"):
        oauth().get_test(1)
    assert len(server.requests) == 1


def test_the_token_request_is_not_retried(server, oauth, sleeps, jenv):
    server.reply(503)
    with pytest.raises(JanisonError) as info:
        oauth().get_test(1)
    assert info.value.status == 503 and sleeps == [] and len(server.requests) == 1


def test_a_token_provider_is_asked_each_time_and_again_on_a_401(server, make_janison, jenv):
    answers = ["old", "old", "new"]
    asked = []

    def provider():
        asked.append(1)
        return answers[len(asked) - 1] if len(asked) <= len(answers) else "new"

    def route(rec):
        if rec.header("Authorization") == "Bearer new":
            return jenv.page([{"id": 1}])
        return 401, jenv.apim(401, DENIED)

    server.route = route
    client = make_janison(token_provider=provider)
    # first call: "old" refused, the provider still says "old": raised, not retried
    with pytest.raises(AuthenticationError):
        client.get_test(1)
    assert len(server.requests) == 1 and len(asked) == 2
    # second call: "new" is accepted at once
    assert client.get_test(1).id == 1
    assert [r.header("Authorization") for r in server.requests] == ["Bearer old", "Bearer new"]


def test_a_token_provider_may_return_an_msal_result(server, make_janison, jenv):
    server.route = lambda rec: jenv.page([{"id": 1}])
    client = make_janison(token_provider=lambda: {"access_token": "msal-1", "expires_in": 3599,
                                                  "token_type": "Bearer"})
    client.get_test(1)
    assert server.requests[0].header("Authorization") == "Bearer msal-1"
    failing = make_janison(token_provider=lambda: {"error": "invalid_client",
                                                   "error_description": "AADSTS7000215"})
    with pytest.raises(AuthenticationError) as info:
        failing.get_test(1)
    assert info.value.errors == [("invalid_client", "AADSTS7000215")]
    broken = make_janison(token_provider=lambda: None)
    with pytest.raises(AuthenticationError, match="NoneType"):
        broken.get_test(1)
    assert len(server.requests) == 1


@pytest.mark.parametrize("kwargs", [
    {},
    {"token": "t", "token_provider": lambda: "t"},
    {"token": "t", "client_id": "a", "client_secret": "b", "token_url": "http://x/t"},
    {"client_id": "a", "client_secret": "b"},
    {"client_id": "a", "token_url": "http://x/t"},
    {"client_id": "a", "client_secret": "b", "token_url": "x/t"},
    {"token": " "},
])
def test_exactly_one_complete_token_source(kwargs):
    with pytest.raises(ValueError):
        JanisonClient("http://x/janison/api", "key", **kwargs)


def test_constructor_checks():
    with pytest.raises(ValueError):
        JanisonClient("http://x/janison/api", "", token="t")
    with pytest.raises(ValueError):
        JanisonClient("x/janison/api", "k", token="t")
    with pytest.raises(TypeError):
        JanisonClient("http://x/janison/api", "k", token_provider="t")  # type: ignore[arg-type]
    with JanisonClient("http://x/janison/api/", "k", token="t", timeout=(2, 5)) as client:
        assert client.base_url == "http://x/janison/api"
