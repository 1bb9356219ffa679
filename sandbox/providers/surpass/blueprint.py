"""The flask-smorest Blueprint every Surpass resource uses: Surpass's parser, the item
name XML gives the resource, and the error envelope documented on each operation."""

from __future__ import annotations

from flask import g

from exam_sandbox.core.vendor_blueprint import VendorBlueprint

from .parsing import SurpassParser


class SurpassBlueprint(VendorBlueprint):
    ARGUMENTS_PARSER = SurpassParser()

    def __init__(self, resource: str, import_name: str, *, item: str, description: str = ""):
        super().__init__(
            resource,
            import_name,
            url_prefix=f"/api/v2/{resource}",
            description=description,
        )
        self.resource = resource

        @self.before_request
        def _name_items() -> None:
            g.surpass_item = item
