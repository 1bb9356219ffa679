"""``POST /oauth2/token``: OAuth2 client credentials, as a client would get a token from
Azure AD (assumed, research notes B1). Answers in OAuth2's shape, never Janison's."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import EXCLUDE, Schema, fields

from exam_sandbox.core.provider import settings_of
from exam_sandbox.core.request_scope import bind_tenant, session

from ..auth import issue_token
from ..blueprint import JanisonParser


class TokenBlueprint(Blueprint):
    ARGUMENTS_PARSER = JanisonParser()
    resource = "oauth2"


token_blp = TokenBlueprint(
    "oauth2", __name__, url_prefix="/oauth2", description="Tokens (OAuth2 client credentials)"
)


class TokenForm(Schema):
    class Meta:
        unknown = EXCLUDE

    grant_type = fields.String(load_default=None, metadata={"example": "client_credentials"})
    client_id = fields.String(load_default=None)
    client_secret = fields.String(load_default=None)
    scope = fields.String(load_default=None)


# RFC 6749 A.12: an access token is 1*VSCHAR, printable ASCII (so a header can carry it),
# to the end of the string: "$" would let Python's regexes take a final newline.
VSCHARS = r"^[ -~]+(?![\s\S])"


class TokenSchema(Schema):
    """RFC 6749 5.1: ``access_token`` and ``token_type`` required; ours has ``expires_in``."""

    token_type = fields.String(required=True)
    expires_in = fields.Integer(required=True)
    access_token = fields.String(required=True, metadata={"pattern": VSCHARS})


class OAuthErrorSchema(Schema):
    """RFC 6749 5.2: ``error`` is required, its description optional."""

    error = fields.String(required=True)
    error_description = fields.String()


@token_blp.route("/token")
class Token(MethodView):
    @token_blp.doc(security=[])  # the client's id and secret are its credentials
    @token_blp.arguments(TokenForm, location="form")
    @token_blp.response(200, TokenSchema)
    @token_blp.alt_response(400, schema=OAuthErrorSchema, description="invalid_client, ...")
    def post(self, form):
        """Get a bearer token with the tenant's client id and secret"""
        provider = current_app.extensions["janison_provider"]
        tenant, token, lifetime = issue_token(
            session(),
            form,
            lambda t: settings_of(provider, t)["tokenLifetimeSeconds"],
        )
        bind_tenant(tenant)
        return {"token_type": "Bearer", "expires_in": lifetime, "access_token": token}
