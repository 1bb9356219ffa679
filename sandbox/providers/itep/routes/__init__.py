"""Every iTEP blueprint: the two provisioning calls."""

from .assign import test_ids_blp

BLUEPRINTS = [test_ids_blp]
