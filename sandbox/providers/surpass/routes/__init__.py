"""Every Surpass resource's blueprint, in the order the OpenAPI document lists them."""

from .lookups import country_blp, county_blp, test_blp

BLUEPRINTS = [test_blp, country_blp, county_blp]
