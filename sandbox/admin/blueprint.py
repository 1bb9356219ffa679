"""The flask-smorest Blueprint every ``/_sandbox`` control uses, core's and a vendor's
(``Provider.admin_blueprint``): the controls' parser and error shape, so each one is
declared with marshmallow schemas and lands in ``/_sandbox/openapi.json``."""

from __future__ import annotations

from flask_smorest import Blueprint

from .errors import install_error_handlers
from .parser import AdminParser


class AdminBlueprint(Blueprint):
    ARGUMENTS_PARSER = AdminParser()

    def __init__(self, name: str, import_name: str, **kwargs) -> None:
        super().__init__(name, import_name, **kwargs)
        install_error_handlers(self)
