"""Attachments: stored under generated names with their hash, limited, removed after commit, downloaded by who may."""
from __future__ import annotations

import hashlib
import io
import re

import pytest
from PIL import Image
from sqlalchemy import func, select

from exchange.accounts.organizations import get_or_create_organization
from exchange.accounts.users import create_user
from exchange.audit import SystemActor
from exchange.errors import NotFound, PermissionDenied, TooLarge, ValidationError
from exchange.jobs.hooks import pending_jobs
from exchange.listings.attachments import (
    MAX_PER_LISTING,
    Upload,
    add_attachment,
    attachment_for_download,
    may_download,
    remove_attachment,
    remove_files,
    stored_path,
    visible_attachments,
)
from exchange.listings.services import create_listing
from exchange.models import (
    Attachment,
    AttachmentVisibility,
    ContactRequest,
    ContactStatus,
    Listing,
    ListingKind,
    ListingStatus,
    User,
)

SYSTEM = SystemActor("test")
MB = 1024 * 1024
PDF = (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>"
       b"\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
DATA = {"kind": "offer", "title": "Quy trình nuôi tôm thẻ chân trắng hai giai đoạn",
        "description": "Nuôi tôm trong nhà màng, tỷ lệ sống cao.", "district": "Thăng Bình"}


def png(size=(60, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def user(session, email, role, organization=None):
    org = get_or_create_organization(session, actor=SYSTEM, name=organization) if organization else None
    return create_user(session, actor=SYSTEM, email=email, role=role, password="mat-khau-dai-du", organization=org)


@pytest.fixture
def member(db_session):
    return user(db_session, "dn@tom.vn", "enterprise", "HTX Nuôi tôm Thử nghiệm")


@pytest.fixture
def other_member(db_session):
    return user(db_session, "khac@dieu.vn", "enterprise", "Công ty Chế biến Điều Khác")


@pytest.fixture
def staff(db_session):
    return user(db_session, "cb@so.vn", "staff")


@pytest.fixture
def broker(db_session):
    return user(db_session, "mg@moigioi.vn", "broker")


@pytest.fixture
def listing(make_listing, member):
    return make_listing(organization_id=member.organization_id)


def add(session, actor, listing, tmp_path, data=None, filename="tai-lieu.pdf", max_bytes=20 * MB, **kwargs):
    return add_attachment(session, actor=actor, listing_id=listing.id, upload=Upload(filename, data or PDF),
                          upload_dir=tmp_path, max_bytes=max_bytes, **kwargs)


def stored_files(folder) -> list:
    return sorted(p for p in folder.rglob("*") if p.is_file())


def attachment_count(session) -> int:
    return session.scalar(select(func.count()).select_from(Attachment))


def test_an_owner_adds_an_image_stored_under_a_generated_name_with_its_hash(db_session, member, listing, tmp_path):
    attachment = add(db_session, member, listing, tmp_path, png(), filename="anh.pdf")
    assert re.fullmatch(r"[0-9a-f]{32}\.png", attachment.stored_name)
    path = tmp_path / attachment.stored_name[:2] / attachment.stored_name
    assert stored_path(tmp_path, attachment.stored_name) == path and path.is_file()
    assert attachment.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert attachment.size == path.stat().st_size and attachment.mime_type == "image/png"
    assert attachment.original_name == "anh.png" and attachment.uploaded_by_id == member.id


def test_an_image_gets_a_jpeg_thumbnail_file(db_session, member, listing, tmp_path):
    attachment = add(db_session, member, listing, tmp_path, png((900, 600)))
    thumbnail = stored_path(tmp_path, attachment.thumbnail_name)
    assert attachment.thumbnail_name.endswith(".jpg") and thumbnail.is_file()
    with Image.open(thumbnail) as image:
        assert image.format == "JPEG" and max(image.size) == 320
    assert len(stored_files(tmp_path)) == 2


@pytest.mark.parametrize("filename, shown", [("C:\\Users\\lan\\ảnh ao tôm.JPG", "ảnh ao tôm.png"),
                                             ("../../etc/passwd", "passwd.png"), ("hinh", "hinh.png"),
                                             ("", "tep.png")])
def test_the_original_name_keeps_the_users_stem_with_the_real_extension(db_session, member, listing, tmp_path,
                                                                      filename, shown):
    assert add(db_session, member, listing, tmp_path, png(), filename=filename).original_name == shown


def test_a_pdf_has_no_thumbnail(db_session, member, listing, tmp_path):
    attachment = add(db_session, member, listing, tmp_path)
    assert attachment.thumbnail_name is None and attachment.stored_name.endswith(".pdf")
    assert stored_path(tmp_path, attachment.stored_name).read_bytes() == PDF


def test_staff_may_attach_to_any_listing(db_session, staff, listing, tmp_path):
    assert add(db_session, staff, listing, tmp_path).listing_id == listing.id


def test_another_organization_may_not_attach_and_nothing_is_written(db_session, other_member, listing, tmp_path):
    with pytest.raises(PermissionDenied):
        add(db_session, other_member, listing, tmp_path, png())
    assert stored_files(tmp_path) == [] and attachment_count(db_session) == 0


def test_the_eleventh_attachment_is_refused(db_session, member, listing, tmp_path):
    for _ in range(MAX_PER_LISTING):
        add(db_session, member, listing, tmp_path)
    with pytest.raises(ValidationError) as caught:
        add(db_session, member, listing, tmp_path)
    assert "file" in caught.value.fields
    assert attachment_count(db_session) == 10 and len(stored_files(tmp_path)) == 10


def test_a_file_over_the_size_limit_is_too_large(db_session, member, listing, tmp_path):
    with pytest.raises(TooLarge):
        add(db_session, member, listing, tmp_path, max_bytes=len(PDF) - 1)
    assert stored_files(tmp_path) == [] and attachment_count(db_session) == 0
    assert add(db_session, member, listing, tmp_path, max_bytes=len(PDF)).size == len(PDF)


@pytest.mark.parametrize("data", [b"MZ\x90\x00" + b"\x00" * 100, b"%PDF-1.4 /JavaScript (x) %%EOF", b"PK\x03\x04rac"])
def test_a_refused_file_writes_no_file_and_no_row(db_session, member, listing, tmp_path, data):
    with pytest.raises(ValidationError) as caught:
        add(db_session, member, listing, tmp_path, data, filename="tai-lieu.docx")
    assert "file" in caught.value.fields
    assert stored_files(tmp_path) == [] and attachment_count(db_session) == 0


def test_a_closed_listing_takes_no_file(db_session, member, make_listing, tmp_path):
    closed = make_listing(organization_id=member.organization_id, status=ListingStatus.closed)
    with pytest.raises(ValidationError) as caught:
        add(db_session, member, closed, tmp_path)
    assert "file" in caught.value.fields and stored_files(tmp_path) == []


def test_files_of_a_listing_with_confidential_details_wait_for_a_contact(db_session, member, tmp_path):
    secret = create_listing(db_session, actor=member, data={**DATA, "confidential_details": "Mật độ thả 300 con/m²."})
    assert add(db_session, member, secret, tmp_path).visibility is AttachmentVisibility.after_contact
    chosen = add(db_session, member, secret, tmp_path, visibility=AttachmentVisibility.public)
    assert chosen.visibility is AttachmentVisibility.public


def test_files_of_an_open_listing_are_public(db_session, member, tmp_path):
    open_listing = create_listing(db_session, actor=member, data=DATA)
    assert add(db_session, member, open_listing, tmp_path).visibility is AttachmentVisibility.public


def test_removal_deletes_the_row_and_asks_for_the_files_to_go(db_session, member, listing, tmp_path):
    attachment = add(db_session, member, listing, tmp_path, png())
    names, attachment_id = [attachment.stored_name, attachment.thumbnail_name], attachment.id
    remove_attachment(db_session, actor=member, attachment_id=attachment_id)
    assert db_session.get(Attachment, attachment_id) is None
    assert ("remove_files", (names,)) in pending_jobs(db_session)
    assert len(stored_files(tmp_path)) == 2  # the files wait for the commit
    assert remove_files(tmp_path, names) == 2 and stored_files(tmp_path) == []
    assert remove_files(tmp_path, names) == 0


def test_another_organization_may_not_remove(db_session, member, other_member, listing, tmp_path):
    attachment = add(db_session, member, listing, tmp_path)
    with pytest.raises(PermissionDenied):
        remove_attachment(db_session, actor=other_member, attachment_id=attachment.id)
    assert db_session.get(Attachment, attachment.id) is not None


def test_remove_files_stays_inside_the_upload_folder(tmp_path):
    uploads = tmp_path / "uploads"
    uploads.mkdir()
    outside = tmp_path / "quan-trong.txt"
    outside.write_text("giữ lại", encoding="utf-8")
    assert remove_files(uploads, ["../quan-trong.txt", str(outside)]) == 0 and outside.exists()


# Through the app: the removal job runs only after a real commit.

def committed_attachment(factory, config, people):
    with factory.begin() as session:
        owner = session.get(User, people["enterprise"].id)
        row = Listing(source="test", ref="T-1", kind=ListingKind.offer, status=ListingStatus.published,
                      title="Máy sấy bơm nhiệt cho hạt điều", description="Sấy hạt điều tiết kiệm điện.",
                      organization_id=owner.organization_id)
        session.add(row)
        session.flush()
        attachment = add_attachment(session, actor=owner, listing_id=row.id, upload=Upload("anh.png", png()),
                                    upload_dir=config.upload_dir, max_bytes=config.max_upload_mb * MB)
        return attachment.id, [attachment.stored_name, attachment.thumbnail_name]


def test_committed_removal_removes_the_files(app, factory, people):
    config = app.extensions["exchange"].config
    attachment_id, names = committed_attachment(factory, config, people)
    assert all(stored_path(config.upload_dir, n).is_file() for n in names)
    with factory.begin() as session:
        remove_attachment(session, actor=session.get(User, people["enterprise"].id), attachment_id=attachment_id)
        assert stored_path(config.upload_dir, names[0]).is_file()  # not before the commit
    assert not any(stored_path(config.upload_dir, n).exists() for n in names)


def test_rolled_back_removal_keeps_the_files_and_the_row(app, factory, people):
    config = app.extensions["exchange"].config
    attachment_id, names = committed_attachment(factory, config, people)
    with factory() as session:
        remove_attachment(session, actor=session.get(User, people["enterprise"].id), attachment_id=attachment_id)
        session.rollback()
    assert all(stored_path(config.upload_dir, n).is_file() for n in names)
    with factory() as session:
        assert session.get(Attachment, attachment_id) is not None


# Who may download.

def row(session, listing, visibility) -> Attachment:
    attachment = Attachment(listing_id=listing.id, stored_name=f"{listing.id:02}{visibility.value}.pdf",
                            original_name="quy-trinh.pdf", mime_type="application/pdf", size=len(PDF),
                            sha256=hashlib.sha256(PDF).hexdigest(), visibility=visibility)
    session.add(attachment)
    session.flush()
    return attachment


PUBLIC, AFTER = AttachmentVisibility.public, AttachmentVisibility.after_contact
ACTORS = ["visitor", "owner", "other", "broker", "staff"]
# (actor, listing status, visibility) → allowed, or the error attachment_for_download raises.
EXPECTED = {
    ("visitor", "published", PUBLIC): True, ("visitor", "published", AFTER): PermissionDenied,
    ("visitor", "draft", PUBLIC): NotFound, ("visitor", "draft", AFTER): NotFound,
    ("owner", "published", PUBLIC): True, ("owner", "published", AFTER): True,
    ("owner", "draft", PUBLIC): True, ("owner", "draft", AFTER): True,
    ("other", "published", PUBLIC): True, ("other", "published", AFTER): PermissionDenied,
    ("other", "draft", PUBLIC): NotFound, ("other", "draft", AFTER): NotFound,
    ("broker", "published", PUBLIC): True, ("broker", "published", AFTER): True,
    ("broker", "draft", PUBLIC): True, ("broker", "draft", AFTER): True,
    ("staff", "published", PUBLIC): True, ("staff", "published", AFTER): True,
    ("staff", "draft", PUBLIC): True, ("staff", "draft", AFTER): True,
}


@pytest.fixture
def actors(member, other_member, broker, staff):
    return {"visitor": None, "owner": member, "other": other_member, "broker": broker, "staff": staff}


@pytest.mark.parametrize("who, status, visibility", list(EXPECTED))
def test_download_rights(db_session, make_listing, member, actors, who, status, visibility):
    listing = make_listing(organization_id=member.organization_id, status=ListingStatus(status), requires_nda=True)
    attachment = row(db_session, listing, visibility)
    expected, actor = EXPECTED[(who, status, visibility)], actors[who]
    if expected is True:
        assert attachment_for_download(db_session, actor, attachment.id) is attachment
        assert may_download(db_session, actor, attachment) is True
    else:
        with pytest.raises(expected):
            attachment_for_download(db_session, actor, attachment.id)
        assert may_download(db_session, actor, attachment) is False


@pytest.mark.parametrize("status, allowed", [(ContactStatus.accepted, True), (ContactStatus.negotiating, True),
                                             (ContactStatus.agreement, True), (ContactStatus.requested, False),
                                             (ContactStatus.declined, False)])
def test_a_counterpart_downloads_after_contact_files_once_accepted(db_session, listing, other_member, status, allowed):
    attachment = row(db_session, listing, AFTER)
    db_session.add(ContactRequest(listing_id=listing.id, requester_organization_id=other_member.organization_id,
                                  status=status))
    db_session.flush()
    assert may_download(db_session, other_member, attachment) is allowed
    if not allowed:
        with pytest.raises(PermissionDenied):
            attachment_for_download(db_session, other_member, attachment.id)


def test_an_accepted_contact_opens_files_only_to_its_own_organization(db_session, listing, member, other_member):
    third = user(db_session, "ba@ca.vn", "enterprise", "Công ty Cá Thứ Ba")
    attachment = row(db_session, listing, AFTER)
    db_session.add(ContactRequest(listing_id=listing.id, requester_organization_id=third.organization_id,
                                  status=ContactStatus.accepted))
    db_session.flush()
    assert may_download(db_session, third, attachment) is True
    assert may_download(db_session, other_member, attachment) is False


def test_a_deactivated_broker_or_owner_no_longer_opens_after_contact_files(db_session, listing, member, broker):
    attachment = row(db_session, listing, AFTER)
    member.is_active = broker.is_active = False
    assert may_download(db_session, broker, attachment) is False
    assert may_download(db_session, member, attachment) is False


def test_an_unknown_attachment_is_not_found(db_session, member):
    with pytest.raises(NotFound):
        attachment_for_download(db_session, member, 987_654)


def test_visible_attachments_name_every_file_with_the_visitors_right(db_session, listing):
    public, after = row(db_session, listing, PUBLIC), row(db_session, listing, AFTER)
    assert visible_attachments(db_session, None, listing) == [(public, True), (after, False)]
