"""The JSON API: flask-smorest blueprints over the same services as the pages.

flask-smorest because the marshmallow schemas that validate each request and shape each
response are also what generates /api/openapi.json, so the document cannot drift from
the code; its own error handler is replaced by the app's, so every error keeps the
{"error": {"code", "message", "fields"}} envelope.
"""
from __future__ import annotations

from typing import Any, Callable

from flask import Flask
from flask_smorest import Api, Blueprint

from exchange.web.api.schemas import ErrorSchema
from exchange.web.security import csrf

ERROR_STATUSES = {400: "malformed parameter or body", 401: "not signed in (no, wrong or expired token)",
                  403: "not allowed", 404: "not found or not visible", 409: "state conflict",
                  413: "file larger than EXCHANGE_MAX_UPLOAD_MB",
                  422: "well-formed body failing validation (fields)", 429: "rate limited",
                  503: "temporarily unavailable"}


class ExchangeApi(Api):
    """flask-smorest's Api with the app's error envelope as the documented error schema."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        """The app's handlers (exchange.web.errors) answer every error, in the envelope."""


def errors(bp: Blueprint, *statuses: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Document the error responses an endpoint of `bp` can give (all in the error envelope).

    401 is always among them: a wrong Authorization header is refused on every API path.
    """
    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        for status in sorted({401, *statuses}):
            view = bp.alt_response(status, schema=ErrorSchema, description=ERROR_STATUSES[status])(view)
        return view

    return decorate


def register(app: Flask) -> None:
    """Configure the document and register every API blueprint."""
    from exchange.web.api import accounts, listings, notifications, revisions

    app.config.update(API_TITLE="Sàn Giao dịch công nghệ — API", API_VERSION="1", OPENAPI_VERSION="3.1.0",
                      OPENAPI_URL_PREFIX="/api", OPENAPI_JSON_PATH="openapi.json")
    api = ExchangeApi(app, spec_kwargs={"info": {"description": "Every error is {\"error\": {\"code\", \"message\", "
                                                                 "\"fields\"}}; messages are Vietnamese unless the "
                                                                 "user chose English."}})
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    for module in (accounts, listings, notifications, revisions):
        csrf.exempt(module.bp)
        api.register_blueprint(module.bp)
