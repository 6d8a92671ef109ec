"""Who is asking: a browser session (Flask-Login over server-side LoginSession rows) or an API bearer token.

Pages authenticate only by the session cookie; `/api/` only by `Authorization: Bearer …`
(the cookie is ignored there, so the API needs no CSRF token and cannot be driven from a
page). Both resolve to the same User model that services take as their actor.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import Flask, g, redirect, request, url_for
from flask import session as cookie
from flask_babel import lazy_gettext
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_login import login_required as login_required  # re-exported for the views

from exchange.accounts.sessions import Client, SessionLimits, needs_touch, resolve_session, start_session, touch_session
from exchange.accounts.tokens import needs_touch as token_needs_touch
from exchange.accounts.tokens import resolve_token, touch_token
from exchange.errors import Unauthenticated
from exchange.i18n import N_
from exchange.models import ApiToken, User
from exchange.web.context import db_session, state
from exchange.web.errors import error_response, wants_json
from exchange.web.i18n import t

log = logging.getLogger(__name__)
login_manager = LoginManager()
NOT_BEARER = N_("API chỉ nhận xác thực bằng tiêu đề Authorization: Bearer <token>.")
BAD_TOKEN = N_("Token không hợp lệ, đã hết hạn hoặc đã bị thu hồi.")
SIGN_IN_FIRST = N_("Vui lòng đăng nhập để tiếp tục.")


@dataclass
class SignedIn(UserMixin):
    """The signed-in principal of a request: the user, and the session key or API token it came with."""

    user: User
    key: str | None = None
    token: ApiToken | None = None

    def get_id(self) -> str | None:
        """What Flask-Login keeps in the cookie: the session key (never the user id)."""
        return self.key


def current_actor() -> User | None:
    """The signed-in user of this request, or None for a visitor."""
    return current_user.user if current_user and current_user.is_authenticated else None


def signed_in_actor() -> User:
    """The signed-in user, or Unauthenticated (401 in the API, the sign-in page on a page)."""
    user = current_actor()
    if user is None:
        raise Unauthenticated(N_("Vui lòng đăng nhập để tiếp tục."))
    return user


def request_client() -> Client:
    """The client address (after the trusted-proxy rule) and user agent."""
    return Client(address=request.remote_addr or "unknown", user_agent=request.headers.get("User-Agent"))


def _limits() -> SessionLimits:
    cfg = state().config
    return SessionLimits(idle=timedelta(minutes=cfg.session_idle_minutes),
                         absolute=timedelta(hours=cfg.session_max_hours))


def _touch(action: Any, **kwargs: Any) -> None:
    """Write usage bookkeeping (last seen, last used) and commit it at once.

    The principal is resolved before the view runs (see register), so the request's session
    holds nothing else yet; committing it here, rather than on a second connection, keeps
    SQLite from refusing the view's later write on a snapshot the side commit made stale.
    """
    session = db_session()
    action(session, **kwargs)
    session.commit()


@login_manager.user_loader
def _load_from_cookie(key: str) -> SignedIn | None:
    if wants_json():
        return None  # the API never trusts the cookie
    found = resolve_session(db_session(), key=key, limits=_limits())
    if found is None:
        return None
    user, row = found
    if needs_touch(row):
        _touch(touch_session, session_id=row.id)
    return SignedIn(user, key=key)


@login_manager.request_loader
def _load_from_token(req: Any) -> SignedIn | None:
    if not wants_json():
        return None
    header = req.headers.get("Authorization", "")
    if not header:
        return None
    if g.get("bearer_refused"):
        return None  # already refused: the error handler's own look-ups see a visitor
    scheme, _, plain = header.partition(" ")
    found = resolve_token(db_session(), plain.strip()) if scheme.lower() == "bearer" and plain.strip() else None
    if found is None:
        g.bearer_refused = True
        raise Unauthenticated(BAD_TOKEN if scheme.lower() == "bearer" and plain.strip() else NOT_BEARER)
    user, token = found
    if token_needs_touch(token):
        _touch(touch_token, token_id=token.id)
    return SignedIn(user, token=token)


@login_manager.unauthorized_handler
def _unauthorized():  # type: ignore[no-untyped-def]
    if wants_json():
        return error_response(401, "unauthenticated", t(SIGN_IN_FIRST))
    # Only a page can be gone back to: after a refused POST the member starts again from its form.
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("accounts.login", next=target))


def sign_in(user: User) -> None:
    """Start a fresh browser session for a user who has proved who they are (new key, old session data dropped)."""
    language = cookie.get("lang")
    cookie.clear()
    if language:
        cookie["lang"] = language
    key = start_session(db_session(), user=user, client=request_client())
    db_session().commit()
    login_user(SignedIn(user, key=key))


def sign_out() -> None:
    """End the Flask-Login session and clear the cookie's data."""
    logout_user()
    language = cookie.get("lang")
    cookie.clear()
    if language:
        cookie["lang"] = language


def register(app: Flask) -> None:
    """Install Flask-Login."""
    login_manager.init_app(app)
    login_manager.login_message = lazy_gettext("Vui lòng đăng nhập để tiếp tục.")
    login_manager.session_protection = None  # the server-side session row is the protection

    @app.before_request
    def _resolve_principal() -> None:
        # Who is asking is settled first, before the view touches the database: a wrong bearer
        # header is a 401 on every API path, and the session bookkeeping commits on its own.
        if request.endpoint != "static":
            _ = current_user.is_authenticated

    @app.context_processor
    def _actor() -> dict[str, Any]:
        return {"actor": current_actor()}
