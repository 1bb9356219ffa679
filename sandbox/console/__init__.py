"""The demo console: ``/console``, the tenants, and a page per tenant showing what each
vendor's admin screen would (core/overview.py), the live journal, the clock, the site
settings and the webhook deliveries, with buttons that call the documented ``/_sandbox``
controls and nothing else.

Server-rendered (Flask's Jinja2), readable without JavaScript; ``static/console.js``
(shipped in the package: the sandbox works offline) makes the buttons call the controls
and polls the journal. Guarded like the controls (core/guard.py): Host, Origin, and the
admin token when one is set, presented once at ``/console/sign-in``.
"""

from .pages import install_console

__all__ = ["install_console"]
