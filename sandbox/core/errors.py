"""Typed errors raised by models and routes; each vendor renders them in its own envelope.

A model raises ``ValidationFailed(...)`` and never thinks about JSON or XML: the vendor's
``errors.py`` turns the exception into the vendor's body, and the status travels with it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorDetail:
    """One error as a vendor reports it: its numeric code, its text and the rule behind it."""

    code: int
    message: str
    rule: str | None = None


class SandboxError(Exception):
    """Base of every error a request can end in. ``details`` holds one entry or more."""

    status = 400

    def __init__(
        self,
        *details: ErrorDetail,
        headers: dict[str, str] | None = None,
        status: int | None = None,
    ):
        super().__init__("; ".join(d.message for d in details))
        self.details = list(details)
        self.headers = dict(headers or {})
        if status is not None:  # for a status no subclass names, e.g. a werkzeug error
            self.status = status

    @property
    def message(self) -> str:
        return str(self)


class ValidationFailed(SandboxError):
    status = 400


class Unauthenticated(SandboxError):
    status = 401


class PermissionDenied(SandboxError):
    status = 403


class NotFound(SandboxError):
    status = 404


class MethodNotAllowed(SandboxError):
    status = 405


class Conflict(SandboxError):
    status = 409


class PayloadTooLarge(SandboxError):
    status = 413


class UnsupportedMediaType(SandboxError):
    status = 415
