"""Moderation through the JSON API: the five transitions, revisions of published listings, attachments, and
the OpenAPI document that describes them. Real bearer tokens; a refused request is checked to change nothing.
"""
from __future__ import annotations

import hashlib
import io
import os
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from exchange.config import Config
from exchange.listings.attachments import stored_path
from exchange.listings.expiry import expire_listings
from exchange.models import Attachment, Listing, ListingRevision
from exchange.web.app import create_app
from tests.support import SYSTEM, add_person, bearer, envelope, token_of

RECORD = {"kind": "offer", "title": "Máy sấy bơm nhiệt cho hạt điều và nông sản",
          "description": "Sấy hạt điều ở 45 °C bằng bơm nhiệt, tiết kiệm 40 % điện so với sấy điện trở.",
          "field": "nong-nghiep", "district": "Thăng Bình", "contact_phone": "0905 123 456"}
SECRET = "Bản vẽ dàn ngưng và thông số máy nén chỉ gửi sau khi ký cam kết"
REASON = "Thiếu thông số công suất và giá điện tiêu thụ của máy sấy."
NEW_TITLE = "Máy sấy điều tích hợp đèn khử trùng tia cực tím"
MB = 1024 * 1024








@pytest.fixture
def tokens(client, factory, people, token_for) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    """Tokens by role, plus a member of another organization."""
    other = add_person(factory, "enterprise", email="khac@dieu.vn", organization="Công ty Chế biến Điều Khác")
    return {"visitor": None, "enterprise": token_for("enterprise"), "broker": token_for("broker"),
            "staff": token_for("staff"), "other": token_of(client, other.email)}


def done(response):  # type: ignore[no-untyped-def]
    """The response read and closed (a download or a multipart body holds an open file until then)."""
    response.get_data()
    response.close()
    return response


def call(client, tokens, role: str, method: str, path: str, body=None):  # type: ignore[no-untyped-def]
    return done(client.open(path, method=method, json=body, headers=bearer(tokens[role])))


def act(client, tokens, role: str, listing_id: int, action: str, body=None):  # type: ignore[no-untyped-def]
    return call(client, tokens, role, "POST", f"/api/listings/{listing_id}/{action}", body)


def status_of(factory, listing_id: int) -> str:  # type: ignore[no-untyped-def]
    with factory() as session:
        return session.get(Listing, listing_id).status.value


def draft(client, tokens, **changes) -> int:  # type: ignore[no-untyped-def]
    response = call(client, tokens, "enterprise", "POST", "/api/listings", {**RECORD, **changes})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def submitted(client, tokens, **changes) -> int:  # type: ignore[no-untyped-def]
    listing_id = draft(client, tokens, **changes)
    assert act(client, tokens, "enterprise", listing_id, "submit").status_code == 200
    return listing_id


def published(client, tokens, **changes) -> int:  # type: ignore[no-untyped-def]
    listing_id = submitted(client, tokens, **changes)
    assert act(client, tokens, "staff", listing_id, "approve").status_code == 200
    return listing_id


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# ---- transitions ---------------------------------------------------------------------------------

def test_submit_sends_a_draft_for_review_once(client, tokens, factory):
    listing_id = draft(client, tokens)
    response = act(client, tokens, "enterprise", listing_id, "submit")
    assert response.status_code == 200 and response.get_json()["status"] == "submitted"
    again = act(client, tokens, "enterprise", listing_id, "submit")
    assert again.status_code == 409 and envelope(again)["code"] == "conflict"
    assert status_of(factory, listing_id) == "submitted"


def test_staff_approval_publishes_for_365_days(client, tokens):
    listing_id = submitted(client, tokens)
    response = act(client, tokens, "staff", listing_id, "approve")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "published" and body["published_at"] and body["first_published_at"]
    left = moment(body["expires_at"]) - moment(body["first_published_at"])
    assert timedelta(days=365) - timedelta(minutes=1) <= left <= timedelta(days=365) + timedelta(minutes=1)


@pytest.mark.parametrize("role", ["broker", "enterprise"])
def test_only_staff_may_approve(client, tokens, factory, role):
    listing_id = submitted(client, tokens)
    response = act(client, tokens, role, listing_id, "approve")
    assert response.status_code == 403 and envelope(response)["code"] == "permission_denied"
    assert status_of(factory, listing_id) == "submitted"


def test_approving_a_draft_is_a_409(client, tokens, factory):
    listing_id = draft(client, tokens)
    assert act(client, tokens, "staff", listing_id, "approve").status_code == 409
    assert status_of(factory, listing_id) == "draft"


@pytest.mark.parametrize("body", [None, {}, {"reason": "   "}])
def test_rejecting_without_a_reason_is_a_422_and_changes_nothing(client, tokens, factory, body):
    listing_id = submitted(client, tokens)
    response = act(client, tokens, "staff", listing_id, "reject", body)
    assert response.status_code == 422 and "reason" in envelope(response)["fields"]
    assert status_of(factory, listing_id) == "submitted"


def test_rejecting_a_published_listing_is_a_409_before_the_missing_reason(client, tokens, factory):
    listing_id = published(client, tokens)
    response = act(client, tokens, "staff", listing_id, "reject", {})
    assert response.status_code == 409 and envelope(response)["code"] == "conflict"
    assert status_of(factory, listing_id) == "published"


def test_a_rejection_with_a_reason_shows_the_note_to_the_owner(client, tokens):
    listing_id = submitted(client, tokens)
    response = act(client, tokens, "staff", listing_id, "reject", {"reason": REASON})
    assert response.status_code == 200 and response.get_json()["status"] == "rejected"
    mine = call(client, tokens, "enterprise", "GET", f"/api/listings/{listing_id}").get_json()
    assert mine["status"] == "rejected" and mine["review_note"] == REASON
    assert "review_note" not in call(client, tokens, "broker", "GET", f"/api/listings/{listing_id}").get_json()


def test_the_owner_closes_a_listing_and_the_public_loses_it(client, tokens):
    listing_id = published(client, tokens)
    response = act(client, tokens, "enterprise", listing_id, "close")
    assert response.status_code == 200 and response.get_json()["status"] == "closed"
    assert client.get(f"/api/listings/{listing_id}").status_code == 404


def test_renewing_a_closed_listing_is_a_409(client, tokens, factory):
    listing_id = published(client, tokens)
    act(client, tokens, "enterprise", listing_id, "close")
    assert act(client, tokens, "enterprise", listing_id, "renew").status_code == 409
    assert status_of(factory, listing_id) == "closed"


def test_renewing_an_expired_listing_publishes_it_for_another_year(client, tokens, factory):
    listing_id = published(client, tokens)
    with factory.begin() as session:
        session.get(Listing, listing_id).expires_at = datetime.now(timezone.utc) - timedelta(days=1)
    with factory.begin() as session:
        assert expire_listings(session, actor=SYSTEM).expired == 1
    assert status_of(factory, listing_id) == "expired"
    response = act(client, tokens, "enterprise", listing_id, "renew")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "published"
    assert moment(body["expires_at"]) > datetime.now(timezone.utc) + timedelta(days=364)


# ---- revisions -----------------------------------------------------------------------------------

def revised(client, tokens) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    listing_id = published(client, tokens)
    response = call(client, tokens, "enterprise", "PATCH", f"/api/listings/{listing_id}", {"title": NEW_TITLE})
    assert response.status_code == 202, response.get_json()
    return listing_id, response.get_json()["id"]


def search(client, q: str) -> list[int]:  # type: ignore[no-untyped-def]
    response = client.get("/api/listings", query_string={"q": q})
    assert response.status_code == 200
    return [hit["id"] for hit in response.get_json()["results"]]


def test_staff_list_pending_revisions_with_their_changed_keys(client, tokens):
    listing_id, revision_id = revised(client, tokens)
    response = call(client, tokens, "staff", "GET", "/api/revisions?status=pending")
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [(r["id"], r["listing_id"], r["changed"]) for r in results] == [(revision_id, listing_id, ["title"])]


def test_the_owner_sees_its_revisions_and_another_organization_none(client, tokens):
    _, revision_id = revised(client, tokens)
    mine = call(client, tokens, "enterprise", "GET", "/api/revisions").get_json()["results"]
    assert [r["id"] for r in mine] == [revision_id]
    assert call(client, tokens, "other", "GET", "/api/revisions").get_json()["results"] == []
    assert call(client, tokens, "other", "GET", f"/api/revisions/{revision_id}").status_code == 404


def test_a_broker_may_not_list_revisions(client, tokens):
    revised(client, tokens)
    response = call(client, tokens, "broker", "GET", "/api/revisions")
    assert response.status_code == 403 and envelope(response)["code"] == "permission_denied"


def test_an_approved_revision_is_public_and_searchable(client, tokens):
    listing_id, revision_id = revised(client, tokens)
    assert listing_id in search(client, "sấy điều") and listing_id not in search(client, "khử trùng")
    response = call(client, tokens, "staff", "POST", f"/api/revisions/{revision_id}/approve")
    assert response.status_code == 200 and response.get_json()["status"] == "approved"
    assert client.get(f"/api/listings/{listing_id}").get_json()["title"] == NEW_TITLE
    assert listing_id in search(client, "khử trùng")


def test_only_staff_approve_a_revision(client, tokens):
    listing_id, revision_id = revised(client, tokens)
    assert call(client, tokens, "enterprise", "POST", f"/api/revisions/{revision_id}/approve").status_code == 403
    assert client.get(f"/api/listings/{listing_id}").get_json()["title"] == RECORD["title"]


def test_approving_a_revision_twice_is_a_409(client, tokens):
    _, revision_id = revised(client, tokens)
    assert call(client, tokens, "staff", "POST", f"/api/revisions/{revision_id}/approve").status_code == 200
    again = call(client, tokens, "staff", "POST", f"/api/revisions/{revision_id}/approve")
    assert again.status_code == 409 and envelope(again)["code"] == "conflict"


def test_rejecting_a_revision_needs_a_reason_and_keeps_the_listing(client, tokens, factory):
    listing_id, revision_id = revised(client, tokens)
    refused = call(client, tokens, "staff", "POST", f"/api/revisions/{revision_id}/reject", {})
    assert refused.status_code == 422 and "reason" in envelope(refused)["fields"]
    with factory() as session:
        assert session.get(ListingRevision, revision_id).status.value == "pending"
    response = call(client, tokens, "staff", "POST", f"/api/revisions/{revision_id}/reject", {"reason": REASON})
    assert response.status_code == 200
    assert response.get_json()["status"] == "rejected" and response.get_json()["note"] == REASON
    assert client.get(f"/api/listings/{listing_id}").get_json()["title"] == RECORD["title"]


# ---- attachments ---------------------------------------------------------------------------------

def png(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 140, 30)).save(buffer, format="PNG")
    return buffer.getvalue()


def upload(client, token, listing_id: int, data: bytes, name: str = "may-say.png", **form):  # type: ignore[no-untyped-def]
    """A multipart POST encoded in memory (the test client would spool a large body to a temporary file)."""
    boundary, body = encode_multipart(MultiDict({"file": FileStorage(io.BytesIO(data), filename=name), **form}))
    return done(client.post(f"/api/listings/{listing_id}/attachments", data=body,
                            content_type=f"multipart/form-data; boundary={boundary}", headers=bearer(token)))


def attached(client, tokens, listing_id: int, **form) -> dict:  # type: ignore[no-untyped-def]
    response = upload(client, tokens["enterprise"], listing_id, png(), **form)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def get(client, path: str):  # type: ignore[no-untyped-def]
    return done(client.get(path))


def stored_file(app, factory, attachment_id: int):  # type: ignore[no-untyped-def]
    with factory() as session:
        name = session.get(Attachment, attachment_id).stored_name
    return stored_path(app.extensions["exchange"].config.upload_dir, name)


def test_an_uploaded_png_is_stored_with_the_sha256_of_what_is_downloaded(client, tokens, app, factory):
    listing_id = published(client, tokens)
    body = attached(client, tokens, listing_id)
    assert body["listing_id"] == listing_id and body["mime_type"] == "image/png" and body["visibility"] == "public"
    assert body["name"] == "may-say.png"
    download = get(client, f"/api/attachments/{body['id']}")
    assert download.status_code == 200
    assert hashlib.sha256(download.data).hexdigest() == body["sha256"] and len(download.data) == body["size"]
    assert stored_file(app, factory, body["id"]).read_bytes() == download.data


@pytest.mark.parametrize("data", [b"\x7fELF\x02\x01\x01" + b"\0" * 200, b"MZ\x90\x00" + b"\0" * 200],
                         ids=["elf", "mz"])
def test_an_executable_named_pdf_is_refused_on_the_file_field(client, tokens, factory, data):
    listing_id = draft(client, tokens)
    response = upload(client, tokens["enterprise"], listing_id, data, name="x.pdf")
    assert response.status_code == 422 and "file" in envelope(response)["fields"]
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_a_public_file_downloads_as_an_attachment_never_sniffed(client, tokens):
    listing_id = published(client, tokens)
    attachment_id = attached(client, tokens, listing_id)["id"]
    response = get(client, f"/api/attachments/{attachment_id}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_a_file_of_a_listing_needing_an_nda_waits_for_a_contact(client, tokens):
    listing_id = published(client, tokens, confidential_details=SECRET)
    body = attached(client, tokens, listing_id)
    assert body["visibility"] == "after_contact"
    assert get(client, f"/api/attachments/{body['id']}").status_code == 403
    assert call(client, tokens, "other", "GET", f"/api/attachments/{body['id']}").status_code == 403
    for role in ("enterprise", "staff", "broker"):
        assert call(client, tokens, role, "GET", f"/api/attachments/{body['id']}").status_code == 200, role


def test_another_organization_may_not_delete_a_file(client, tokens, app, factory):
    listing_id = draft(client, tokens)
    attachment_id = attached(client, tokens, listing_id)["id"]
    assert call(client, tokens, "other", "DELETE", f"/api/attachments/{attachment_id}").status_code == 404
    act(client, tokens, "enterprise", listing_id, "submit")
    act(client, tokens, "staff", listing_id, "approve")
    response = call(client, tokens, "other", "DELETE", f"/api/attachments/{attachment_id}")
    assert response.status_code == 403 and envelope(response)["code"] == "permission_denied"
    assert stored_file(app, factory, attachment_id).is_file()
    assert get(client, f"/api/attachments/{attachment_id}").status_code == 200


def test_the_owner_deletes_a_file_and_it_leaves_the_upload_folder(client, tokens, app, factory):
    listing_id = published(client, tokens)
    attachment_id = attached(client, tokens, listing_id)["id"]
    path = stored_file(app, factory, attachment_id)
    assert path.is_file()
    response = call(client, tokens, "enterprise", "DELETE", f"/api/attachments/{attachment_id}")
    assert response.status_code == 204 and response.get_data() == b""
    assert not path.exists()
    assert get(client, f"/api/attachments/{attachment_id}").status_code == 404


@pytest.fixture
def small_app(database_url, tmp_path, app, people):  # type: ignore[no-untyped-def]
    """A second app on the same database with EXCHANGE_MAX_UPLOAD_MB=1 (body limit 2 MB)."""
    config = Config.from_env(environ={}, ENV="test", DATABASE_URL=database_url, QUEUE_URL="immediate",
                             INSTANCE_DIR=str(tmp_path / "nho"), MAX_UPLOAD_MB="1")
    application = create_app(config)
    yield application
    application.extensions["exchange"].close()


@pytest.mark.parametrize("size,message", [
    (int(1.5 * MB), "Tệp quá lớn: tối đa 1 MB mỗi tệp."),
    (int(2.5 * MB), "Tệp tải lên quá lớn: tối đa 1 MB mỗi tệp. Chưa có gì được lưu."),
], ids=["over-file-limit", "over-body-limit"])
def test_an_oversize_upload_is_a_413_envelope_and_stores_nothing(small_app, people, size, message):
    client = small_app.test_client()
    tokens = {"enterprise": token_of(client, people["enterprise"].email)}
    listing_id = draft(client, tokens)
    response = upload(client, tokens["enterprise"], listing_id, os.urandom(size), name="lon.pdf")
    assert response.status_code == 413
    error = envelope(response)
    assert error["code"] == "too_large" and error["message"] == message
    with small_app.extensions["exchange"].session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Attachment)) == 0
    upload_dir = small_app.extensions["exchange"].config.upload_dir
    assert not upload_dir.exists() or [p for p in upload_dir.rglob("*") if p.is_file()] == []


# ---- the OpenAPI document ------------------------------------------------------------------------

@pytest.mark.parametrize("method,path", [
    ("post", "/api/listings"), ("patch", "/api/listings/{listing_id}"),
    *[("post", f"/api/listings/{{listing_id}}/{action}") for action in ("submit", "approve", "reject", "close",
                                                                         "renew")],
    ("get", "/api/revisions"), ("get", "/api/revisions/{revision_id}"),
    ("post", "/api/revisions/{revision_id}/approve"), ("post", "/api/revisions/{revision_id}/reject"),
    ("post", "/api/listings/{listing_id}/attachments"), ("get", "/api/attachments/{attachment_id}"),
    ("delete", "/api/attachments/{attachment_id}"),
])
def test_the_openapi_document_describes_posting_and_moderation(client, method, path):
    document = client.get("/api/openapi.json").get_json()
    assert method in document["paths"].get(path, {}), (method, path)


def test_a_conflict_reads_in_english_for_an_english_user_action_and_status_included(client, factory, people,
                                                                                     token_for):
    from exchange.models import User

    with factory.begin() as session:
        session.get(User, people["staff"].id).language = "en"
    staff = bearer(token_for("staff"))
    listing_id = client.post("/api/listings", json=RECORD, headers=bearer(token_for("enterprise"))).get_json()["id"]
    error = envelope(client.post(f"/api/listings/{listing_id}/approve", headers=staff))
    assert error["code"] == "conflict" and error["message"] == "Cannot approve a listing with status “Draft”."
