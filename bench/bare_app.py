"""The yardstick: a bare Flask + marshmallow app, served exactly as the sandbox is.

``GET /items`` dumps a short list through a marshmallow schema (the plain GET the issue
calibrated this machine with); ``GET /candidates`` dumps a page of 40 candidates shaped
as the sandbox's ``GET Candidate`` page is, without a database; ``POST /schedule``
validates a body shaped like Surpass's TestSchedule (nested references, a candidate,
dates, times, a cross-field check) and answers a small JSON envelope. No database, no
auth, no journal: what Flask, marshmallow and granian cost on this machine, so a sandbox
figure can be read as a ratio that holds however noisy the machine is.

    python -m bench.bare_app [--host 127.0.0.1] [--port 0] [--workers 2] [--threads 4]

serves it on granian (WSGI, the same settings as ``exam-sandbox serve``) and prints
``bare serving on http://HOST:PORT`` once the port is chosen.
"""

from __future__ import annotations

import argparse
import socket
from datetime import datetime

from flask import Flask, jsonify, request
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

DATE = r"[0-9]{2}/[0-9]{2}/[0-9]{4}"
TIME = r"([01][0-9]|2[0-3])[0-5][0-9]"


class Ref(Schema):
    id = fields.Integer(allow_none=True)
    reference = fields.String(allow_none=True, validate=validate.Length(max=50))


class CandidateRef(Ref):
    firstName = fields.String(allow_none=True, validate=validate.Length(max=50))
    lastName = fields.String(allow_none=True, validate=validate.Length(max=50))
    dateOfBirth = fields.Date(allow_none=True)


class ScheduleIn(Schema):
    test = fields.Nested(Ref, required=True)
    centre = fields.Nested(Ref, required=True)
    candidate = fields.Nested(CandidateRef, required=True)
    startDate = fields.String(required=True, validate=validate.Regexp(DATE))
    endDate = fields.String(required=True, validate=validate.Regexp(DATE))
    startTime = fields.String(required=True, validate=validate.Regexp(TIME))
    endTime = fields.String(required=True, validate=validate.Regexp(TIME))
    requiresInvigilation = fields.Boolean(allow_none=True)
    purchaseOrder = fields.String(allow_none=True, validate=validate.Length(max=100))

    @validates_schema
    def _window(self, data, **_):
        start = datetime.strptime(data["startDate"], "%d/%m/%Y")
        end = datetime.strptime(data["endDate"], "%d/%m/%Y")
        if start > end or data["startTime"] >= data["endTime"]:
            raise ValidationError("The window is empty")


class Item(Schema):
    id = fields.Integer()
    reference = fields.String()
    name = fields.String()
    created = fields.DateTime()


class RefOut(Schema):
    id = fields.Integer()
    reference = fields.String()
    href = fields.String()
    name = fields.String()


class CandidateOut(Schema):
    """The members of a Surpass Candidate, as the sandbox's page of candidates has them."""

    id = fields.Integer()
    reference = fields.String()
    href = fields.String()
    firstName = fields.String()
    middleName = fields.String(allow_none=True)
    lastName = fields.String()
    dateOfBirth = fields.DateTime()
    gender = fields.String()
    email = fields.String()
    tel = fields.String()
    uln = fields.String()
    reasonableAdjustments = fields.Boolean()
    retired = fields.Boolean()
    expiryDate = fields.DateTime(allow_none=True)
    isExternal = fields.Boolean()
    centres = fields.List(fields.Nested(RefOut))
    subjects = fields.List(fields.Nested(RefOut))
    extendedDemographics = fields.String(allow_none=True)


ITEMS = [
    {"id": n, "reference": f"REF{n:05d}", "name": f"Item {n}", "created": datetime(2030, 1, n)}
    for n in range(1, 4)
]
BASE = "http://127.0.0.1/bare/api/v2"


def _ref(kind: str, n: int) -> dict:
    return {"id": n, "reference": f"{kind.upper()}{n:03d}", "href": f"{BASE}/{kind}/{n}",
            "name": f"{kind} {n}"}


# One page as a Surpass list answers it: 40 candidates, each at one or two centres and
# in one or two subjects (the sandbox's seeded average is 1.3 and 1.6).
CANDIDATES = [
    {
        "id": n, "reference": f"CAND{n:05d}", "href": f"{BASE}/Candidate/{n}",
        "firstName": "Alex", "middleName": None, "lastName": "Smith",
        "dateOfBirth": datetime(1990, 1, 1 + n % 28), "gender": "Unspecified",
        "email": f"alex.smith{n}@example.com", "tel": "01234 567890", "uln": "1234567890",
        "reasonableAdjustments": False, "retired": False, "expiryDate": None,
        "isExternal": False, "extendedDemographics": None,
        "centres": [_ref("Centre", 1 + n % 5)] + ([_ref("Centre", 1)] if n % 3 == 0 else []),
        "subjects": [_ref("Subject", 1 + n % 4)] + ([_ref("Subject", 1)] if n % 2 else []),
    }
    for n in range(1, 41)
]


def create_app() -> Flask:
    app = Flask("bench-bare")
    schedule_in, items_out = ScheduleIn(), Item(many=True)
    candidates_out = CandidateOut(many=True)

    @app.get("/items")
    def items():
        top = request.args.get("$top", default=40, type=int)
        return jsonify(count=len(ITEMS), top=top, response=items_out.dump(ITEMS), errors=[])

    @app.get("/candidates")
    def candidates():
        top = request.args.get("$top", default=40, type=int)
        return jsonify(
            count=len(CANDIDATES), top=top, skip=0, pageCount=1, nextPageLink=None,
            prevPageLink=None, response=candidates_out.dump(CANDIDATES[:top]), errors=[],
            serverTimeZone="GMT Standard Time",
        )

    @app.post("/schedule")
    def schedule():
        try:
            body = schedule_in.load(request.get_json(force=True))
        except ValidationError as exc:
            return jsonify(errors=exc.messages), 400
        return jsonify(id=1, reference=body["candidate"].get("reference"), errors=[])

    @app.get("/health")
    def health():
        return jsonify(status="ok")

    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bare_app")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args(argv)
    port = args.port
    if port == 0:
        with socket.socket() as probe:  # as `exam-sandbox serve --port 0` does
            probe.bind((args.host, 0))
            port = probe.getsockname()[1]

    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    # The same settings as sandbox/cli.py's serve_command.
    server = Granian(
        "bench.bare_app:create_app",
        factory=True,
        address=args.host,
        port=port,
        interface=Interfaces.WSGI,
        workers=args.workers,
        blocking_threads=args.threads,
        log_level=LogLevels.warning,
        workers_kill_timeout=5,
    )
    print(f"bare serving on http://{args.host}:{port}", flush=True)
    server.serve()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
