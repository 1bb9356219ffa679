"""Every Surpass resource's blueprint, in the order the OpenAPI document lists them."""

from .associations import association_blp
from .candidates import candidate_blp
from .centres import centre_blp
from .lookups import country_blp, county_blp, test_blp
from .scheduling import schedule_blp
from .sessions import session_blp
from .subjects import subject_blp

BLUEPRINTS = [
    test_blp, country_blp, county_blp,
    candidate_blp, centre_blp, subject_blp, association_blp,
    schedule_blp, session_blp,
]
