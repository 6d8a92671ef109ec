"""The world of the access-matrix tests: an app, its people signed in once, their clients and tokens.

Shared by tests/web/test_access_matrix.py and tests/web/test_access_matrix_listings.py. A module
builds it with `build_world` in a module-scoped fixture; its rows are wiped before and after.
The listing rows make throwaway listings (of the enterprise member's organization or of OTHER),
files and revisions with `make`, `attach` and `propose`, and compare `snapshot`s before and after.
"""
from __future__ import annotations

import io
import itertools
import json
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import sessionmaker

from exchange.accounts.organizations import get_or_create_organization
from exchange.accounts.users import set_active
from exchange.config import Config
from exchange.db import Base, utcnow
from exchange.listings.attachments import Upload, add_attachment
from exchange.listings.editing import merged_record, update_listing
from exchange.listings.services import tokenize
from exchange.models import (
    Attachment,
    AttachmentVisibility,
    Listing,
    ListingKind,
    ListingRevision,
    ListingStatus,
    User,
)
from exchange.web.app import create_app
from tests.support import PASSWORD, SYSTEM, Person, add_person, post_form, sign_in

ROLES = ("visitor", "enterprise", "broker", "staff", "deactivated")
MEMBERS = ("enterprise", "broker", "staff")
REFERENCE_TABLES = {"locality", "field", "alembic_version"}
OTHER = "Hợp tác xã Chế biến Điều Duy Xuyên"
PHONE, SECRET, NDA = "0905 123 456", "Bản vẽ buồng sấy và nhiệt độ từng giai đoạn", "Bên nhận không tiết lộ bản vẽ."
NOTE = "Thiếu công suất máy sấy và điện năng tiêu thụ."
PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>"
       b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
LISTING = {"ref": "M-001", "kind": "need", "title": "Cần máy sấy chuối tiết kiệm điện",
           "description": "Hộ sấy chuối bằng củi, muốn chuyển sang máy sấy điện ít tốn."}


def _wipe(engine: Engine) -> None:
    with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in REFERENCE_TABLES:
                conn.execute(table.delete())


@dataclass
class World:
    """The app, its people (signed in once), their clients and tokens, and a published listing."""

    app: Any
    factory: sessionmaker
    people: dict[str, Person]
    clients: dict[str, Any]
    tokens: dict[str, str | None]
    listing_id: int
    refreshed_at: float = field(default_factory=time.monotonic)

    def get(self, role: str, path: str) -> Any:
        return self.clients[role].get(path)

    def post(self, role: str, path: str, data: dict[str, Any] | None = None) -> Any:
        """A form POST with the CSRF token of the home page (every page's footer has one)."""
        return post_form(self.clients[role], path, data, page="/")

    def api(self, role: str, method: str, path: str, body: Any = None) -> Any:
        token = self.tokens[role]
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.clients[role].open(path, method=method, json=body, headers=headers)

    def keep_alive(self) -> None:
        """Use every live session and token on a GET at least every 30 s.

        Session and token bookkeeping (last_seen_at, last_used_at) is written at most once a
        minute, in its own transaction; keeping that write on a GET keeps this module about who
        may do what (the write-after-bookkeeping failure on SQLite has its own tests).
        """
        if time.monotonic() - self.refreshed_at < 30:
            return
        for role in MEMBERS:
            assert self.clients[role].get("/tai-khoan").status_code == 200
            assert self.api(role, "GET", "/api/me").status_code == 200
        self.refreshed_at = time.monotonic()


def _publish_listing(app: Any, path: Path) -> int:
    """Import and publish one need (the import tokenizes it, so search finds its words)."""
    from exchange.cli import main

    path.write_text(json.dumps(LISTING, ensure_ascii=False) + "\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(main, ["import", str(path), "--publish"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    with app.extensions["exchange"].session_factory() as session:
        return session.scalar(select(Listing.id).where(Listing.ref == LISTING["ref"]))


def build_world(database_url: str, engine: Engine, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """The body of a module's `world` fixture on the backend under test (its rows are wiped before and after)."""
    _wipe(engine)
    cfg = Config.from_env(environ={}, ENV="test", DATABASE_URL=database_url, QUEUE_URL="immediate",
                          INSTANCE_DIR=str(tmp_path_factory.mktemp("matrix")))
    app = create_app(cfg)
    factory = app.extensions["exchange"].session_factory
    people = {role: add_person(factory, role) for role in MEMBERS}
    people["deactivated"] = add_person(factory, "enterprise", email="khoa@thu.vn")
    listing_id = _publish_listing(app, tmp_path_factory.mktemp("listing") / "l.jsonl")
    clients, tokens = {"visitor": app.test_client()}, {"visitor": None}
    for role in (*MEMBERS, "deactivated"):
        clients[role] = app.test_client()
        assert sign_in(clients[role], people[role].email).status_code == 302
        response = clients[role].post("/api/tokens", json={"email": people[role].email, "password": PASSWORD})
        tokens[role] = response.get_json()["token"]
        clients[role].get("/api/me", headers={"Authorization": f"Bearer {tokens[role]}"})  # first use bookkept
    with factory.begin() as session:
        set_active(session, actor=SYSTEM, user_id=people["deactivated"].id, is_active=False)
    yield World(app, factory, people, clients, tokens, listing_id)
    app.extensions["exchange"].engine.dispose()
    _wipe(engine)


def cells(row: dict[str, str], *requests: tuple[str, str]) -> list[Any]:
    """(role, method, path, expected) for every role and request of a matrix row."""
    return [pytest.param(role, method, path, row[role], id=f"{role}-{method}-{path}")
            for method, path in requests for role in ROLES]


def check(response: Any, expected: str) -> None:
    """That a response is what the matrix cell says."""
    location = urlsplit(response.headers.get("Location", "")).path
    if expected == "ok":
        assert response.status_code in (200, 201, 202, 204), (response.status_code, location)
    elif expected == "done":
        assert response.status_code == 302 and location != "/dang-nhap", (response.status_code, location)
    elif expected == "login":
        assert response.status_code == 302 and location == "/dang-nhap", (response.status_code, location)
    elif expected == "403":
        assert response.status_code == 403, (response.status_code, location)
        if response.is_json:
            assert response.get_json()["error"]["code"] == "permission_denied"
        else:
            assert "Lỗi 403" in response.get_data(as_text=True)
    elif expected == "401":
        assert response.status_code == 401, response.status_code
        assert response.get_json()["error"]["code"] == "unauthenticated"
    elif expected in ("404", "409"):
        assert response.status_code == int(expected), (response.status_code, location)
        code = {"404": "not_found", "409": "conflict"}[expected]
        if response.is_json:
            assert response.get_json()["error"]["code"] == code
        else:
            assert f"Lỗi {expected}" in response.get_data(as_text=True)
    else:
        raise AssertionError(f"unknown expectation {expected}")


def api_row(row: dict[str, str]) -> dict[str, str]:
    """The JSON twin of a page row: no session is a 401, the deactivated member's dead token too."""
    return {role: "401" if expected == "login" or role == "deactivated" else expected
            for role, expected in row.items()}


# ---- throwaway listings, files and revisions of the listing rows -----------------------------------

numbers = itertools.count(1)


def make(world: World, status: str = "published", *, other: bool = False, **columns: Any) -> int:
    """A listing of the enterprise member's organization (or of OTHER) in that status, with private fields."""
    n, now = next(numbers), utcnow()
    with world.factory.begin() as session:
        org = get_or_create_organization(session, actor=SYSTEM, name=OTHER).id if other \
            else world.people["enterprise"].organization_id
        listing = Listing(
            source="test", ref=f"MT-{n}", kind=ListingKind.offer, status=ListingStatus(status), organization_id=org,
            title=f"Máy sấy bơm nhiệt cho hạt điều số {n}", description="Sấy hạt điều bằng bơm nhiệt, ít tốn điện.",
            contact_name="Trần Thị Thu", contact_phone=PHONE, contact_email="thu@dieu.vn", confidential_details=SECRET,
            nda_text=NDA, requires_nda=True, submitted_at=None if status == "draft" else now,
            review_note=NOTE if status == "rejected" else None, **columns)
        if status in ("published", "expired", "closed"):
            listing.published_at = listing.first_published_at = now - timedelta(days=400 if status == "expired" else 1)
            listing.expires_at = now + timedelta(days=-35 if status == "expired" else 10)
        tokenize(listing)
        session.add(listing)
        session.flush()
        return listing.id


def snapshot(world: World, listing_id: int) -> dict[str, Any]:
    """What a refused request must leave as it was."""
    with world.factory() as session:
        listing = session.get(Listing, listing_id)
        revisions = session.scalar(select(func.count()).select_from(ListingRevision)
                                   .where(ListingRevision.listing_id == listing_id))
        files = session.scalar(select(func.count()).select_from(Attachment).where(Attachment.listing_id == listing_id))
        return {"status": listing.status.value, "title": listing.title, "expires_at": listing.expires_at,
                "review_note": listing.review_note, "revisions": revisions, "files": files}


def attach(world: World, listing_id: int, visibility: str = "public") -> int:
    """A PDF attached by staff, with that visibility."""
    with world.factory.begin() as session:
        return add_attachment(session, actor=session.get(User, world.people["staff"].id), listing_id=listing_id,
                              upload=Upload("bao-gia.pdf", PDF), upload_dir=world.app.extensions["exchange"].config
                              .upload_dir, max_bytes=1024 * 1024, visibility=AttachmentVisibility(visibility)).id


def propose(world: World, listing_id: int) -> int:
    """A pending revision of a published listing (a new title)."""
    with world.factory.begin() as session:
        listing = session.get(Listing, listing_id)
        return update_listing(session, actor=session.get(User, world.people["staff"].id), listing_id=listing_id,
                              data=merged_record(listing, {"title": listing.title + " (bản sửa)"})).id


def revision_status(world: World, revision_id: int) -> str:
    with world.factory() as session:
        return session.get(ListingRevision, revision_id).status.value


def send(world: World, role: str, method: str, path: str, data: Any = None) -> Any:
    """A page request (a form POST with its CSRF token) or, under /api/, a JSON request with the role's token."""
    if path.startswith("/api/"):
        return world.api(role, method, path, data)
    return world.get(role, path) if method == "GET" else world.post(role, path, data)


def expect(method: str, path: str, expected: str) -> str:
    """A page's form POST that is allowed answers with a redirect ("done"), not a 200."""
    return "done" if expected == "ok" and method == "POST" and not path.startswith("/api/") else expected


def pdf_form() -> dict[str, Any]:
    """The upload form of the listing page as a browser sends it (visibility left at the listing's default)."""
    return {"file": (io.BytesIO(PDF), "bao-gia.pdf"), "visibility": ""}


def upload_api(world: World, role: str, listing_id: int) -> Any:
    """POST /api/listings/<id>/attachments (multipart) with the role's token."""
    token = world.tokens[role]
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return world.clients[role].post(f"/api/listings/{listing_id}/attachments", headers=headers,
                                    data={"file": (io.BytesIO(PDF), "bao-gia.pdf")})
