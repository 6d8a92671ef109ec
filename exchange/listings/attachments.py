"""Attachments of a listing: checked, stored under server-generated names, downloaded by who may see them.

Files live under the upload folder as <2 hex>/<32 hex><ext>, written atomically; the row keeps the
original name (for the download), the type read from the bytes, the size and the sha256. Removing
an attachment removes its files once the transaction commits (a job, so a rollback keeps them).
"""
from __future__ import annotations

import hashlib
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from exchange.audit import Actor, record
from exchange.errors import NotFound, PermissionDenied, TooLarge, ValidationError
from exchange.i18n import N_, Msg
from exchange.jobs.hooks import after_commit
from exchange.listings.files import FileRefused, check_file
from exchange.listings.permissions import (
    can_view,
    is_accepted_counterpart,
    is_staff,
    owns,
    require_owner_or_staff,
)
from exchange.listings.services import get_listing
from exchange.models import (
    Attachment,
    AttachmentVisibility,
    Listing,
    ListingStatus,
    Role,
    User,
)

MAX_PER_LISTING = 10
REMOVE_TASK = "remove_files"


@dataclass(frozen=True)
class Upload:
    """An uploaded file as the web layer hands it over: the name the user gave and the bytes."""

    filename: str
    data: bytes


def stored_path(upload_dir: Path, stored_name: str) -> Path:
    """Where a stored file lives (names are generated, never taken from users)."""
    return Path(upload_dir) / stored_name[:2] / stored_name


def _write(upload_dir: Path, data: bytes, extension: str) -> str:
    name = secrets.token_hex(16) + extension
    path = stored_path(upload_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(path.suffix + ".part")
    with open(temporary, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return name


def _display_name(filename: str, extension: str) -> str:
    name = unicodedata.normalize("NFC", os.path.basename((filename or "").replace("\\", "/"))).strip()
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")[:200] or "tep"
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem}{extension}"  # the extension of what the bytes are, not of what the name claims


def add_attachment(session: Session, *, actor: Actor, listing_id: int, upload: Upload, upload_dir: Path,
                   max_bytes: int, visibility: AttachmentVisibility | None = None) -> Attachment:
    """Check and store a file for a listing of the actor's organization (or any, for staff)."""
    listing = get_listing(session, listing_id)
    require_owner_or_staff(actor, listing)
    if listing.status is ListingStatus.closed:
        raise ValidationError(N_("Tin đã đóng, không thêm tệp được."), {"file": N_("Tin đã đóng.")})
    if len(upload.data) > max_bytes:
        raise TooLarge(Msg(N_("Tệp quá lớn: tối đa %(mb)s MB mỗi tệp."), mb=max_bytes // (1024 * 1024)))
    count = session.scalar(select(func.count()).select_from(Attachment).where(Attachment.listing_id == listing.id))
    if (count or 0) >= MAX_PER_LISTING:
        raise ValidationError(Msg(N_("Mỗi tin có tối đa %(max)s tệp đính kèm."), max=MAX_PER_LISTING),
                              {"file": Msg(N_("Đã đủ %(max)s tệp."), max=MAX_PER_LISTING)})
    try:
        checked = check_file(upload.data)
    except FileRefused as exc:
        raise ValidationError(exc.message, {"file": exc.message}) from None
    if visibility is None:
        visibility = AttachmentVisibility.after_contact if listing.requires_nda else AttachmentVisibility.public
    stored = _write(upload_dir, checked.data, checked.type.extension)
    thumbnail = _write(upload_dir, checked.thumbnail, ".jpg") if checked.thumbnail else None
    attachment = Attachment(listing_id=listing.id, stored_name=stored, thumbnail_name=thumbnail,
                            original_name=_display_name(upload.filename, checked.type.extension),
                            mime_type=checked.type.mime, size=len(checked.data),
                            sha256=hashlib.sha256(checked.data).hexdigest(), visibility=visibility,
                            uploaded_by_id=actor.id if isinstance(actor, User) else None)
    session.add(attachment)
    session.flush()
    record(session, actor, "add_attachment", "listing", listing.id, attachment_id=attachment.id,
           sha256=attachment.sha256, size=attachment.size)
    return attachment


def get_attachment(session: Session, attachment_id: int) -> Attachment:
    """An attachment, or NotFound."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound(Msg(N_("Không có tệp số %(id)s."), id=attachment_id))
    return attachment


def remove_attachment(session: Session, *, actor: Actor, attachment_id: int) -> None:
    """Delete an attachment; its files go once the transaction commits."""
    attachment = get_attachment(session, attachment_id)
    require_owner_or_staff(actor, attachment.listing)
    names = [n for n in (attachment.stored_name, attachment.thumbnail_name) if n]
    listing_id = attachment.listing_id
    session.delete(attachment)
    session.flush()
    after_commit(session, REMOVE_TASK, names)
    record(session, actor, "remove_attachment", "listing", listing_id, attachment_id=attachment_id)


def remove_files(upload_dir: Path, names: list[str]) -> int:
    """Remove stored files (the job after a committed removal); a missing file is already gone."""
    removed = 0
    for name in names:
        try:
            stored_path(upload_dir, os.path.basename(name)).unlink()
            removed += 1
        except FileNotFoundError:
            pass
    return removed


def may_download(session: Session, actor: Actor | None, attachment: Attachment) -> bool:
    """Public files: whoever may read the listing. After-contact files: the owner, staff, brokers and a
    counterpart whose contact the owner accepted."""
    listing: Listing = attachment.listing
    if attachment.visibility is AttachmentVisibility.public:
        return can_view(actor, listing)
    if actor is None:
        return False
    if is_staff(actor) or owns(actor, listing):
        return True
    if isinstance(actor, User) and actor.role is Role.broker and actor.is_active:
        return True
    return is_accepted_counterpart(session, actor, listing)


def attachment_for_download(session: Session, actor: Actor | None, attachment_id: int) -> Attachment:
    """The attachment if the actor may download it: NotFound when the listing is hidden from the actor,
    PermissionDenied when the listing is visible but the file waits for a contact."""
    attachment = get_attachment(session, attachment_id)
    if not can_view(actor, attachment.listing):
        raise NotFound(Msg(N_("Không có tệp số %(id)s."), id=attachment_id))
    if not may_download(session, actor, attachment):
        raise PermissionDenied(N_("Tệp này chỉ mở cho bên đã được chủ tin đồng ý liên hệ."))
    return attachment


def visible_attachments(session: Session, actor: Actor | None, listing: Listing) -> list[tuple[Attachment, bool]]:
    """The listing's attachments, each with whether the actor may download it (names of all are shown)."""
    rows = session.scalars(select(Attachment).where(Attachment.listing_id == listing.id).order_by(Attachment.id))
    return [(a, may_download(session, actor, a)) for a in rows]
