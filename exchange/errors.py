"""Domain errors raised by services; the web layer maps them to HTTP in one place."""
from __future__ import annotations


class DomainError(Exception):
    """Base of every error a service raises on purpose."""

    code = "error"
    http_status = 400

    def __init__(self, message: str, fields: dict[str, str] | None = None,
                 details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.details = details or []


class NotFound(DomainError):
    """The object asked for does not exist (or is not visible to the actor)."""

    code = "not_found"
    http_status = 404


class PermissionDenied(DomainError):
    """The actor may not do this."""

    code = "permission_denied"
    http_status = 403


class ValidationError(DomainError):
    """Input was rejected; `fields` names each bad field, `details` lists each bad row (Vietnamese)."""

    code = "validation_error"
    http_status = 400
