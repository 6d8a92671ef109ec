"""The security baseline of every response: headers, cookies, CSRF, and which client address to believe.

Hand-written rather than Flask-Talisman: the headers are a dozen lines, and Talisman's
defaults (X-Frame-Options SAMEORIGIN, no base-uri, HTTPS forced in development) would
each need overriding.
"""
from __future__ import annotations

import ipaddress
from datetime import timedelta
from typing import Any, Callable, Iterable

from flask import Flask, Response
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from exchange.config import Config

CSP = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
    "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'",
])
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"
csrf = CSRFProtect()


class TrustedProxyFix:
    """ProxyFix applied only when the direct peer is one of the trusted proxies (EXCHANGE_TRUSTED_PROXIES).

    Anyone else's X-Forwarded-For is ignored, so a client cannot choose the address the
    brute-force limits and the audit log see.
    """

    def __init__(self, app: Callable[..., Any], trusted: Iterable[str]):
        self.app = app
        self.networks = [ipaddress.ip_network(item, strict=False) for item in trusted]
        self.fixed = ProxyFix(app, x_for=1, x_proto=1)

    def is_trusted(self, address: str | None) -> bool:
        """Whether the peer address belongs to a trusted proxy."""
        try:
            peer = ipaddress.ip_address(address or "")
        except ValueError:
            return False
        return any(peer in network for network in self.networks)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if self.networks and self.is_trusted(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)


def register(app: Flask, config: Config) -> None:
    """Cookies, CSRF, headers and the proxy rule of the app."""
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=config.is_production,
        SESSION_COOKIE_NAME="__Host-session" if config.is_production else "session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=config.session_max_hours),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session; the session has its own limits
        WTF_CSRF_SSL_STRICT=config.is_production,
    )
    csrf.init_app(app)
    app.wsgi_app = TrustedProxyFix(app.wsgi_app, config.trusted_proxies)  # type: ignore[method-assign]

    @app.after_request
    def _headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if config.is_production:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
