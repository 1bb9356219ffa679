"""Interactive API docs (Swagger UI) served offline, for any vendor's OpenAPI document.

The Swagger UI files come from the ``flask-swagger-ui`` package rather than a CDN, so the
docs work on a machine with no network; nor does the page send the document to Swagger's
online validator. Asset URLs are relative to the page, which keeps them right under
whatever prefix the vendor app is mounted at.
"""

from __future__ import annotations

import json
from pathlib import Path

import flask_swagger_ui
from flask import Blueprint, Response, redirect, request, send_from_directory

ASSETS = Path(flask_swagger_ui.__file__).parent / "dist"

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title}</title>
  <link rel="stylesheet" href="swagger-ui.css">
  <link rel="icon" type="image/png" href="favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="swagger-ui-bundle.js"></script>
  <script src="swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle(Object.assign({config}, {{
      dom_id: "#swagger-ui",
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: "StandaloneLayout"
    }}));
  </script>
</body>
</html>
"""


def docs_blueprint(*, title: str, spec_path: str = "../openapi.json") -> Blueprint:
    """Swagger UI at ``/docs/``, reading the document at ``spec_path`` (relative to it)."""
    bp = Blueprint("interactive_docs", __name__, url_prefix="/docs")
    config = json.dumps(
        {
            "url": spec_path,
            "deepLinking": True,
            "tryItOutEnabled": True,
            # What is typed into "Authorize" survives a reload of the page.
            "persistAuthorization": True,
            # No badge from validator.swagger.io: the page works, and links, offline.
            "validatorUrl": None,
        }
    )

    @bp.get("")
    def _slash():
        # Relative asset URLs need the trailing slash.
        return redirect(request.script_root + request.path + "/", code=308)

    @bp.get("/")
    def page():
        return Response(PAGE.format(title=title, config=config), mimetype="text/html")

    @bp.get("/<path:name>")
    def asset(name: str):
        return send_from_directory(ASSETS, name, max_age=3600)

    return bp
