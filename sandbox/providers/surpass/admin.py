"""Surpass's controls under ``/_sandbox/tenants/<id>/surpass``:

- ``POST /users``: create Surpass API users, so tests can exercise the 401 and 403 rules
  with a user who lacks a permission or an association;
- ``POST /testsession/<id or keycode>/state`` ``{"state": "Finished"}``: move a session
  along its sitting as Surpass itself would (downloaded, started, finished, marked;
  models/sitting.py), so a demo or a test can go from booking to a sat session."""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import insert, select

from exam_sandbox.admin.blueprint import AdminBlueprint
from exam_sandbox.core.auth_cache import bump
from exam_sandbox.core.db import next_id
from exam_sandbox.core.errors import Conflict, ErrorDetail, NotFound, ValidationFailed
from exam_sandbox.core.provider import SandboxContext
from exam_sandbox.core.scope import RequestScope
from exam_sandbox.core.tenants import get_tenant

from .admin_schemas import SessionMovedSchema, SessionStateSchema, UserCreateSchema, UserSchema
from .auth import hash_password
from .description import DESCRIPTION
from .models.candidates import find_ref
from .models.sessions import state_name
from .models.sitting import move_session
from .settings import SurpassSettingsSchema
from .tables import Centre, Subject, User, user_centre, user_subject


def _resolve(scope: RequestScope, model, ref: int | str) -> object:
    """A centre or subject named by id (int) or reference (str): the vendor's own lookup,
    in a scope bound to the tenant."""
    found = find_ref(scope.session, model, {"id": ref} if isinstance(ref, int) else
                     {"reference": ref})
    if found is None:
        named = f"with id {ref}" if isinstance(ref, int) else f"'{ref}'"
        raise ValidationFailed(
            ErrorDetail(400, f"No {model.__name__.lower()} {named} in this tenant")
        )
    return found


def _settings(tenant) -> dict:
    """The tenant's Surpass settings over the defaults, as a vendor request sees them."""
    return {**SurpassSettingsSchema().load({}), **tenant.settings_for(DESCRIPTION.name)}


def _link(session, table, column: str, tenant_id: str, user_pk: int, rows) -> None:
    if rows:
        session.execute(
            insert(table),
            [{"tenant_id": tenant_id, "user_pk": user_pk, column: row.pk} for row in rows],
        )


def create_admin_blueprint(context: SandboxContext) -> AdminBlueprint:
    blp = AdminBlueprint(
        "surpass",
        __name__,
        description="Surpass controls: API users with chosen permissions and associations; "
        "test sessions moved along their sitting",
    )

    @blp.route("/users")
    class Users(MethodView):
        @blp.arguments(UserCreateSchema)
        @blp.response(201, UserSchema)
        @blp.alt_response(
            400, response="BAD_REQUEST", description="Invalid, or names a record not there"
        )
        @blp.alt_response(404, response="NOT_FOUND")
        @blp.alt_response(409, response="CONFLICT", description="The user exists")
        def post(self, body: dict, tenant_id: str):
            """Create a Surpass API user, to exercise the 401 and 403 rules"""
            with context.db.session(write=True) as session:
                return _create_user(session, tenant_id, body)

    @blp.route("/testsession/<key>/state")
    class SessionState(MethodView):
        @blp.arguments(SessionStateSchema)
        @blp.response(200, SessionMovedSchema)
        @blp.alt_response(400, response="BAD_REQUEST", description="Not a state a sitting moves to")
        @blp.alt_response(404, response="NOT_FOUND", description="No such tenant or test session")
        @blp.alt_response(
            409, response="CONFLICT", description="Not forward along the session's sitting"
        )
        def post(self, body: dict, tenant_id: str, key: str):
            """Move a test session (by id or keycode) along its sitting, as Surpass would"""
            with context.db.session(write=True) as session:
                tenant = get_tenant(session, tenant_id)
                if tenant is None:
                    raise NotFound(ErrorDetail(404, f"No tenant '{tenant_id}'"))
                scope = RequestScope.for_tenant(session, tenant, _settings(tenant))
                moved, previous = move_session(scope, key, body["state"])
                return {
                    "id": moved.id,
                    "keycode": moved.keycode,
                    "state": moved.state,
                    "stateName": state_name(moved.state),
                    "previousState": previous,
                    "previousStateName": state_name(previous),
                }

    return blp


def _create_user(session, tenant_id: str, body: dict) -> dict:
    tenant = get_tenant(session, tenant_id)
    if tenant is None:
        raise NotFound(ErrorDetail(404, f"No tenant '{tenant_id}'"))
    clash = session.execute(
        select(User.tenant_id, User.password_hash).where(User.username == body["username"])
    ).all()
    wanted = hash_password(body["username"], body["password"])
    if any(t == tenant_id or h == wanted for t, h in clash):
        # Same name and password in two tenants would make a credential ambiguous.
        raise Conflict(ErrorDetail(409, f"User '{body['username']}' already exists"))
    # The credential clash above spans every tenant; from here on, the tenant's scope.
    scope = RequestScope.for_tenant(session, tenant, _settings(tenant))
    centres = [_resolve(scope, Centre, r) for r in body["centres"]]
    subjects = [_resolve(scope, Subject, r) for r in body["subjects"]]
    user = User(
        tenant_id=tenant_id,
        id=next_id(session, User, tenant_id),
        username=body["username"],
        reference=body["username"],
        password_hash=wanted,
        permissions=body["permissions"],
        all_associations=False,
    )
    session.add(user)
    session.flush()
    # Link rows are written directly: they carry tenant_id, which the ORM's many-to-many
    # bookkeeping knows nothing of.
    _link(session, user_centre, "centre_pk", tenant_id, user.pk, centres)
    _link(session, user_subject, "subject_pk", tenant_id, user.pk, subjects)
    session.expire(user, ["centres", "subjects"])
    bump(session, tenant_id)  # no cached credential may outlive a change to the users
    return {
        "id": user.id,
        "username": user.username,
        "permissions": user.permissions,
        "centres": [c.reference for c in user.centres],
        "subjects": [s.reference for s in user.subjects],
    }
