"""Where a page may send the browser next: only paths of this site (no open redirects)."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import redirect, url_for
from werkzeug.wrappers import Response


def safe_next(target: str | None) -> str | None:
    """The target if it is a path of this site ('/…', not '//…', no scheme or host), else None."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return None
    return target


def redirect_next(target: str | None, default_endpoint: str = "public.home") -> Response:
    """Redirect to a safe `next`, or to the default page."""
    return redirect(safe_next(target) or url_for(default_endpoint))
