"""Helpers shared by the web tests: CSRF tokens, form posts, people in a committed database, signed-in clients."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import sessionmaker

from exchange.accounts.organizations import get_or_create_organization
from exchange.accounts.users import create_user
from exchange.audit import SystemActor
from exchange.models import User

SYSTEM = SystemActor("test")
PASSWORD = "mật khẩu thử nghiệm dài"
ROLES = ("enterprise", "broker", "staff")
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"')


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in a page."""
    found = _CSRF.search(html)
    assert found is not None, "no csrf_token in the page"
    return found.group(1) or found.group(2)


def post_form(client: Any, path: str, data: dict[str, Any] | None = None, *, page: str | None = None,
              **kwargs: Any) -> Any:
    """POST a form the way a browser does: the CSRF token comes from GET `page` (default: the same path)."""
    html = client.get(page or path).get_data(as_text=True)
    return client.post(path, data={"csrf_token": csrf_token(html), **(data or {})}, **kwargs)


def sign_in(client: Any, email: str, password: str = PASSWORD, **extra: str) -> Any:
    """Sign a test client in through the login form."""
    return post_form(client, "/dang-nhap", {"email": email, "password": password, **extra})


@dataclass(frozen=True)
class Person:
    """A user made for a test: id, e-mail, role, organization id."""

    id: int
    email: str
    role: str
    organization_id: int | None


def add_person(factory: sessionmaker, role: str, *, email: str | None = None, organization: str | None = None,
               password: str | None = PASSWORD, full_name: str | None = None, is_active: bool = True) -> Person:
    """Commit a user (and its organization, made on first use) and describe it."""
    with factory.begin() as session:
        org = None
        if organization or role == "enterprise":
            org = get_or_create_organization(session, actor=SYSTEM, name=organization or "Công ty Thử nghiệm")
        user = create_user(session, actor=SYSTEM, email=email or f"{role}@thu.vn", role=role, password=password,
                           organization=org, full_name=full_name)
        user.is_active = is_active
        return Person(user.id, user.email, role, user.organization_id)


def get_user(factory: sessionmaker, user_id: int) -> User:
    """A fresh copy of a user from the database."""
    with factory() as session:
        user = session.get(User, user_id)
        session.expunge(user)
        return user


def bearer(token: str | None) -> dict[str, str]:
    """The Authorization header of an API token (none for a visitor)."""
    return {"Authorization": f"Bearer {token}"} if token else {}


def envelope(response: Any) -> dict[str, Any]:
    """The error of a JSON error response, after checking the envelope's shape."""
    body = response.get_json()
    assert body is not None, response.get_data(as_text=True)[:300]
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "fields"}, body
    return body["error"]


def token_of(client: Any, email: str, password: str = PASSWORD) -> str:
    """A fresh API token of an account, from POST /api/tokens."""
    response = client.post("/api/tokens", json={"email": email, "password": password})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["token"]
