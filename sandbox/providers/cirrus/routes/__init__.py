"""Every Cirrus blueprint, in the order the OpenAPI document lists them: scheduling
first (what a user comes for), then schedules by external id, results, assessments."""

from .assessments import assessment_blp
from .external import external_blp
from .results import results_blp
from .schedules import schedule_blp

BLUEPRINTS = [schedule_blp, external_blp, results_blp, assessment_blp]
