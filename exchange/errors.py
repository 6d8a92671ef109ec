"""Domain errors raised by services; the web layer maps them to HTTP in one place.

Messages are Vietnamese source messages (`exchange.i18n`): plain marked strings or
`Msg` with parameters, translated where they are shown.
"""
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


class MalformedInput(DomainError):
    """A parameter or body that cannot be read at all (400); `fields` names each."""

    code = "validation_error"
    http_status = 400


class Unauthenticated(DomainError):
    """The caller is not signed in, or its credentials are wrong (401)."""

    code = "unauthenticated"
    http_status = 401


class MfaRequired(Unauthenticated):
    """The password was right but the account's second factor is missing or must be set up first (401)."""

    code = "mfa_required"


class NotFound(DomainError):
    """The object asked for does not exist (or is not visible to the actor)."""

    code = "not_found"
    http_status = 404


class PermissionDenied(DomainError):
    """The actor may not do this."""

    code = "permission_denied"
    http_status = 403


class Conflict(DomainError):
    """The object is not in a state that allows this (deciding twice, approving what is not waiting)."""

    code = "conflict"
    http_status = 409


class TooLarge(DomainError):
    """An upload larger than the exchange accepts (413)."""

    code = "too_large"
    http_status = 413


class ValidationError(DomainError):
    """Well-formed input was rejected; `fields` names each bad field, `details` lists each bad row (422)."""

    code = "validation_error"
    http_status = 422


class RateLimited(DomainError):
    """Too many attempts; `retry_after` seconds until the next one is allowed (429)."""

    code = "rate_limited"
    http_status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
