"""Every Janison blueprint, in the order the OpenAPI document (and so the interactive
docs) lists them: scheduling first, what a user comes for (a booking, a resit, the
results); then the resources in the order the seed lists them; the token endpoint last."""

from .catalogue import component_blp, test_blp, testpackage_blp
from .centres import centre_blp
from .people import candidate_blp, user_blp
from .results import result_blp
from .scheduling import component_schedule_blp, schedule_blp
from .token import token_blp

BLUEPRINTS = [
    schedule_blp,
    component_schedule_blp,
    result_blp,
    user_blp,
    candidate_blp,
    test_blp,
    testpackage_blp,
    component_blp,
    centre_blp,
    token_blp,
]
