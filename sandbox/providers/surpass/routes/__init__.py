"""Every Surpass resource's blueprint, in the order the OpenAPI document (and so the
interactive docs) lists them: scheduling first, what a user comes for; then the resources
a schedule names; the lookups last."""

from .associations import association_blp
from .candidates import candidate_blp
from .centres import centre_blp
from .lookups import country_blp, county_blp, test_blp
from .scheduling import schedule_blp
from .sessions import session_blp
from .subjects import subject_blp

BLUEPRINTS = [
    schedule_blp, session_blp,
    test_blp, candidate_blp, centre_blp, subject_blp, association_blp,
    country_blp, county_blp,
]
