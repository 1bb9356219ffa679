"""Launch links: each candidate on a schedule gets a session (64 upper-case hex digits)
and ``StartupLink`` = ``/delivery/external-login?session=<session>``, relative to the
site; ``LaunchUrl`` is the schedule's origin (``tenantHost``) + ``StartupLink`` (notes
1.5, the real client's sample response)."""

from __future__ import annotations

import hashlib

LAUNCH_PATH = "/delivery/external-login"


def session_for(tenant_id: str, sitting_id: int) -> str:
    """Deterministic per tenant and sitting, and so unique (the tenant id differs between
    tenants; sitting ids are never reused within one)."""
    return (
        hashlib.sha256(f"cirrus-session\x1f{tenant_id}\x1f{sitting_id}".encode())
        .hexdigest()
        .upper()
    )


def startup_link(session: str) -> str:
    return f"{LAUNCH_PATH}?session={session}"


def launch_url(origin: str, session: str) -> str:
    return origin.rstrip("/") + startup_link(session)


def default_origin(host_url: str, tenant_id: str) -> str:
    """``http://HOST:PORT/cirrus/t/<tenant>``, where the sandbox serves the page."""
    return f"{host_url.rstrip('/')}/cirrus/t/{tenant_id}"
