"""``GET /results``: a candidate's published attempts (3,000 calls a day per token)."""

from __future__ import annotations

from flask import g
from flask.views import MethodView

from exam_sandbox.core.request_scope import scope, writes

from ..blueprint import CirrusBlueprint
from ..models.results import Results, read_results
from ..schemas.common import ContentError
from ..schemas.results import Results as ResultsSchema
from ..schemas.results import ResultsArgs
from ..wire import format_instant

results_blp = CirrusBlueprint("results", __name__, description="Published results")
MAX_SCORE = 100.0


def results_body(found: Results) -> dict:
    candidate = found.candidate
    return {
        "CandidateExtId": candidate.external_id,
        "CandidateInfo": {
            "ExternalId": candidate.external_id,
            "FirstName": candidate.first_name,
            "LastName": candidate.last_name,
            "UserName": candidate.user_name,
            "Email": candidate.email,
        },
        "Attempts": [
            {
                "AttemptExtId": a.external_id,
                "ScheduleExtId": a.schedule_ext_id,
                "AssessmentExtId": a.assessment_ext_id,
                "AssessmentTitle": a.assessment_title,
                "Score": a.score,
                "MaxScore": MAX_SCORE,
                "ScorePercentage": round(100 * a.score / MAX_SCORE, 2),
                "Outcome": a.outcome,
                "SubmittedDateTime": format_instant(a.submitted_at),
                "PublishedDateTime": format_instant(a.published_at),
            }
            for a in found.attempts
        ],
    }


@results_blp.route("")
class ResultsView(MethodView):
    @writes  # counts the call against the token's daily limit (RES-5)
    @results_blp.arguments(ResultsArgs, location="query")
    @results_blp.response(200, ResultsSchema)
    @results_blp.alt_response(400, schema=ContentError, description="Missing or unknown ids")
    @results_blp.alt_response(
        429,
        schema=ContentError,
        description="Over the daily limit; see Retry-After",
        headers={
            "Retry-After": {"description": "Seconds until 13:30 UTC", "schema": {"type": "integer"}}
        },
    )
    def get(self, args):
        """Get a candidate's published results, by candidate (and schedule) or attempt"""
        return results_body(read_results(scope(), g.cirrus_token, args))
