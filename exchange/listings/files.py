"""What an uploaded file really is, read from its bytes, and the checks before anything opens it.

Accepted: PDF, JPEG, PNG, WebP, DOCX, XLSX. The name and the browser's content type are never
believed. DOCX and XLSX are zip archives: the entry count is capped and every entry is inflated
in a streaming read that counts the bytes it actually produces (the sizes the archive declares
are not trusted; a declared size that differs from what inflates is refused as damaged).
Images are limited in pixels, re-encoded without EXIF or other metadata (orientation applied
first) and get a JPEG thumbnail.
"""
from __future__ import annotations

import io
import warnings
import zipfile
from dataclasses import dataclass

from PIL import Image, ImageOps

from exchange.i18n import N_, Msg

MAX_ZIP_ENTRIES = 1000
MAX_INFLATED_BYTES = 100 * 1024 * 1024
MAX_PIXELS = 40_000_000
THUMBNAIL_SIZE = (320, 320)
CHUNK = 64 * 1024
ACCEPTED = N_("Chỉ nhận tệp PDF, ảnh JPEG/PNG/WebP, DOCX hoặc XLSX.")


class FileRefused(Exception):
    """The file is not accepted; `message` says why in Vietnamese (a source message)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FileType:
    """One accepted type: its MIME type and the extension stored files get."""

    mime: str
    extension: str
    is_image: bool = False


PDF = FileType("application/pdf", ".pdf")
JPEG = FileType("image/jpeg", ".jpg", True)
PNG = FileType("image/png", ".png", True)
WEBP = FileType("image/webp", ".webp", True)
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx")
XLSX = FileType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx")
PIL_FORMATS = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed every check: its type, the bytes to store and an optional thumbnail (JPEG)."""

    type: FileType
    data: bytes
    thumbnail: bytes | None = None


def sniff(data: bytes) -> FileType | None:
    """The accepted type the bytes begin with (zip archives are told apart later), or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"PK\x03\x04"):
        return DOCX  # provisional: _office_type decides between DOCX and XLSX
    return None


def _inflate_all(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> set[str]:
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise FileRefused(N_("Tệp nén có mật khẩu không được nhận."))
        produced = 0
        with archive.open(info) as entry:
            while chunk := entry.read(CHUNK):
                produced += len(chunk)
                total += len(chunk)
                if total > MAX_INFLATED_BYTES:
                    raise FileRefused(Msg(N_("Tệp giải nén ra quá %(mb)s MB nên không được nhận."),
                                          mb=MAX_INFLATED_BYTES // (1024 * 1024)))
        if produced != info.file_size:
            raise FileRefused(N_("Tệp bị hỏng (kích thước khai báo trong tệp nén không đúng)."))
    return {info.filename for info in infos}


def _office_type(data: bytes) -> FileType:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise FileRefused(Msg(N_("Tệp có quá nhiều thành phần (%(count)s, tối đa %(max)s)."),
                                      count=len(infos), max=MAX_ZIP_ENTRIES))
            names = _inflate_all(archive, infos)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, ValueError, OSError):
        raise FileRefused(N_("Tệp bị hỏng hoặc không phải DOCX/XLSX hợp lệ.")) from None
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise FileRefused(N_("Tệp có macro không được nhận; hãy lưu lại dạng .docx hoặc .xlsx thường."))
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return DOCX
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return XLSX
    raise FileRefused(ACCEPTED)


def _check_pdf(data: bytes) -> None:
    if b"%%EOF" not in data[-2048:]:
        raise FileRefused(N_("Tệp PDF bị hỏng hoặc không trọn vẹn."))
    if b"/JavaScript" in data or b"/Launch" in data:
        raise FileRefused(N_("Tệp PDF có mã chạy tự động (JavaScript) nên không được nhận."))


def _reencode(data: bytes, file_type: FileType) -> tuple[bytes, bytes]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise FileRefused(Msg(N_("Ảnh quá lớn (%(width)s × %(height)s điểm ảnh, tối đa %(max)s triệu)."),
                                          width=width, height=height, max=MAX_PIXELS // 1_000_000))
                if PIL_FORMATS[file_type] != probe.format:
                    raise FileRefused(ACCEPTED)
                image = ImageOps.exif_transpose(probe)
                image.load()
    except FileRefused:
        raise
    except Exception:  # Pillow raises many types for a broken image
        raise FileRefused(N_("Ảnh bị hỏng, không đọc được.")) from None
    if file_type is JPEG and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    options = {"quality": 90} if file_type in (JPEG, WEBP) else {"optimize": True}
    image.save(out, format=PIL_FORMATS[file_type], **options)  # no exif=, no pnginfo=: metadata is dropped
    thumb = image.convert("RGB")
    thumb.thumbnail(THUMBNAIL_SIZE)
    thumb_out = io.BytesIO()
    thumb.save(thumb_out, format="JPEG", quality=80)
    return out.getvalue(), thumb_out.getvalue()


def check_file(data: bytes) -> CheckedFile:
    """The checked file, or FileRefused saying why."""
    if not data:
        raise FileRefused(N_("Tệp rỗng."))
    file_type = sniff(data)
    if file_type is None:
        raise FileRefused(ACCEPTED)
    if file_type is PDF:
        _check_pdf(data)
        return CheckedFile(PDF, data)
    if file_type is DOCX:
        return CheckedFile(_office_type(data), data)
    stored, thumbnail = _reencode(data, file_type)
    return CheckedFile(file_type, stored, thumbnail)
