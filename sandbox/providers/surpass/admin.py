"""``/_sandbox/tenants/<id>/surpass/users``: create Surpass API users, so tests can
exercise the 401 and 403 rules with a user who lacks a permission or an association."""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from marshmallow import RAISE, Schema, ValidationError, fields, validate
from sqlalchemy import insert, select

from exam_sandbox.core.bodies import control_json
from exam_sandbox.core.db import next_id
from exam_sandbox.core.errors import Conflict, ErrorDetail, NotFound, ValidationFailed
from exam_sandbox.core.provider import SandboxContext
from exam_sandbox.core.tenants import get_tenant

from .auth import PERMISSIONS, hash_password
from .tables import Centre, Subject, User, user_centre, user_subject


class UserCreateSchema(Schema):
    class Meta:
        unknown = RAISE

    username = fields.String(required=True, validate=validate.Length(1, 100))
    password = fields.String(required=True, validate=validate.Length(1, 200))
    permissions = fields.List(
        fields.String(validate=validate.OneOf(PERMISSIONS)), load_default=list
    )
    centres = fields.List(fields.Raw(), load_default=list)
    subjects = fields.List(fields.Raw(), load_default=list)


def _resolve(session, model, tenant_id: str, ref) -> object:
    """A centre or subject named by id (int), reference (str) or {id|reference}."""
    if isinstance(ref, dict):
        ref = ref.get("id", ref.get("reference"))
    column = model.id if isinstance(ref, int) and not isinstance(ref, bool) else model.reference
    found = (
        session.execute(select(model).where(model.tenant_id == tenant_id, column == ref))
        .unique()
        .scalar_one_or_none()
    )
    if found is None:
        raise ValidationFailed(
            ErrorDetail(400, f"No {model.__name__.lower()} {ref!r} in this tenant")
        )
    return found


def _link(session, table, column: str, tenant_id: str, user_pk: int, rows) -> None:
    if rows:
        session.execute(
            insert(table),
            [{"tenant_id": tenant_id, "user_pk": user_pk, column: row.pk} for row in rows],
        )


def create_admin_blueprint(context: SandboxContext) -> Blueprint:
    bp = Blueprint("surpass_admin", __name__)

    @bp.post("/users")
    def create_user(tenant_id: str):
        payload = control_json(request.get_data(), is_json=request.is_json)
        try:
            body = UserCreateSchema().load(payload)
        except ValidationError as exc:
            return jsonify(
                error={"status": 400, "message": "Invalid request body", "details": exc.messages}
            ), 400
        with context.db.session(write=True) as session:
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
            centres = [_resolve(session, Centre, tenant_id, r) for r in body["centres"]]
            subjects = [_resolve(session, Subject, tenant_id, r) for r in body["subjects"]]
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
            # Link rows are written directly: they carry tenant_id, which the ORM's
            # many-to-many bookkeeping knows nothing of.
            _link(session, user_centre, "centre_pk", tenant_id, user.pk, centres)
            _link(session, user_subject, "subject_pk", tenant_id, user.pk, subjects)
            session.expire(user, ["centres", "subjects"])
            view = {
                "id": user.id,
                "username": user.username,
                "permissions": user.permissions,
                "centres": [c.reference for c in user.centres],
                "subjects": [s.reference for s in user.subjects],
            }
        return jsonify(view), 201

    return bp
