"""Every Janison blueprint, in the order the seed lists the resources (and the OpenAPI
document shows them), then the token endpoint."""

from .catalogue import component_blp, test_blp, testpackage_blp
from .centres import centre_blp
from .people import candidate_blp, user_blp
from .results import result_blp
from .scheduling import component_schedule_blp, schedule_blp
from .token import token_blp

BLUEPRINTS = [
    user_blp,
    candidate_blp,
    test_blp,
    testpackage_blp,
    component_blp,
    centre_blp,
    schedule_blp,
    component_schedule_blp,
    result_blp,
    token_blp,
]
