"""What an uploaded file is, read from its bytes: PDFs, images re-encoded without metadata, DOCX/XLSX zips checked."""
from __future__ import annotations

import io
import struct
import zipfile

import pytest
from openpyxl import Workbook
from PIL import ExifTags, Image

from exchange.listings import files
from exchange.listings.files import DOCX, JPEG, PDF, PNG, WEBP, XLSX, FileRefused, check_file

DOCX_PARTS = {"[Content_Types].xml": '<?xml version="1.0"?><Types/>',
              "word/document.xml": "<w:document><w:body><w:p>Quy trình nuôi tôm thẻ chân trắng</w:p></w:body>"
                                   "</w:document>"}


def minimal_pdf(extra: bytes = b"") -> bytes:
    """A small valid PDF: one empty page, a real cross-reference table, %%EOF at the end."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R " + extra + b">>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def image_bytes(fmt: str, size=(64, 48), **save) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes | str], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def patch_entry(data: bytes, name: str, *, file_size: int | None = None, flag: int | None = None) -> bytes:
    """Rewrite the declared size or flag bits of an entry in its local header and the central directory."""
    out, target = bytearray(data), name.encode()
    headers = ((b"PK\x03\x04", 26, 30, 6, 22), (b"PK\x01\x02", 28, 46, 8, 24))  # name length, name, flag, size
    for signature, length_at, name_at, flag_at, size_at in headers:
        at = out.find(signature)
        while at != -1:
            length = struct.unpack_from("<H", out, at + length_at)[0]
            if bytes(out[at + name_at:at + name_at + length]) == target:
                if file_size is not None:
                    struct.pack_into("<I", out, at + size_at, file_size)
                if flag is not None:
                    struct.pack_into("<H", out, at + flag_at, flag)
            at = out.find(signature, at + 1)
    return bytes(out)


def refused(data: bytes) -> str:
    with pytest.raises(FileRefused) as caught:
        check_file(data)
    return str(caught.value.message)


def test_a_real_pdf_is_accepted_as_it_is():
    data = minimal_pdf()
    checked = check_file(data)
    assert checked.type is PDF and checked.data == data and checked.thumbnail is None


@pytest.mark.parametrize("head", [b"MZ\x90\x00\x03\x00\x00\x00", b"\x7fELF\x02\x01\x01\x00", b"#!/bin/sh\n"])
def test_executables_are_refused_whatever_they_are_called(head):
    assert "Chỉ nhận tệp PDF" in refused(head + b"\x00" * 200 + b"%%EOF")


def test_an_empty_file_is_refused():
    assert refused(b"") == "Tệp rỗng."


@pytest.mark.parametrize("action", [b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> ",
                                    b"/OpenAction << /S /Launch /F (cmd.exe) >> "])
def test_a_pdf_that_runs_code_is_refused(action):
    assert "JavaScript" in refused(minimal_pdf(action))


def test_a_truncated_pdf_is_refused():
    assert "không trọn vẹn" in refused(minimal_pdf()[:-40])


@pytest.mark.parametrize("fmt, file_type", [("PNG", PNG), ("JPEG", JPEG), ("WEBP", WEBP)])
def test_images_are_accepted_and_re_encoded(fmt, file_type):
    checked = check_file(image_bytes(fmt))
    assert checked.type is file_type
    with Image.open(io.BytesIO(checked.data)) as image:
        assert image.format == fmt and image.size == (64, 48)


def test_png_text_chunks_are_dropped():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Nguyễn Văn A, 0905123456")
    original = image_bytes("PNG", pnginfo=info)
    assert b"Nguy" in original
    assert b"Author" not in check_file(original).data


def test_jpeg_exif_with_gps_and_camera_is_removed():
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "MayAnhThuNghiem"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (15.0, 34.0, 12.0)
    original = image_bytes("JPEG", exif=exif.tobytes())
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif()[ExifTags.Base.Make] == "MayAnhThuNghiem"
        assert before.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    stored = check_file(original).data
    with Image.open(io.BytesIO(stored)) as after:
        assert not after.getexif() and "exif" not in after.info
    assert b"MayAnhThuNghiem" not in stored


def test_orientation_is_applied_before_the_tag_is_dropped():
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    checked = check_file(image_bytes("JPEG", size=(20, 10), exif=exif.tobytes()))
    with Image.open(io.BytesIO(checked.data)) as image:
        assert image.size == (10, 20) and ExifTags.Base.Orientation not in image.getexif()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP"])
def test_the_thumbnail_is_a_jpeg_of_at_most_320_pixels(fmt):
    checked = check_file(image_bytes(fmt, size=(1000, 600)))
    with Image.open(io.BytesIO(checked.thumbnail)) as thumb:
        assert thumb.format == "JPEG" and thumb.size == (320, 192)


def test_a_small_image_keeps_its_size_in_the_thumbnail():
    with Image.open(io.BytesIO(check_file(image_bytes("PNG", size=(40, 30))).thumbnail)) as thumb:
        assert thumb.size == (40, 30)


def test_an_image_over_the_pixel_limit_is_refused(monkeypatch):
    monkeypatch.setattr(files, "MAX_PIXELS", 1_000)
    assert "Ảnh quá lớn" in refused(image_bytes("PNG", size=(50, 21)))
    assert check_file(image_bytes("PNG", size=(50, 20))).type is PNG


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n" + b"\x00\x01rac" * 40, image_bytes("JPEG")[:120],
                                  b"RIFF\x10\x00\x00\x00WEBPVP8 rac"])
def test_a_broken_image_is_refused(data):
    assert "Ảnh bị hỏng" in refused(data)


def test_a_minimal_docx_is_accepted():
    data = zip_bytes(DOCX_PARTS)
    checked = check_file(data)
    assert checked.type is DOCX and checked.data == data
    assert checked.type.mime == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_an_xlsx_from_openpyxl_is_accepted():
    book = Workbook()
    book.active.append(["Máy sấy bơm nhiệt", 2_500_000_000])
    buffer = io.BytesIO()
    book.save(buffer)
    checked = check_file(buffer.getvalue())
    assert checked.type is XLSX
    assert checked.type.mime == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize("entries", [{"readme.txt": "xin chào"}, {"word/document.xml": "<w:document/>"},
                                     {"[Content_Types].xml": "<Types/>", "content.xml": "<office/>"}])
def test_a_zip_without_the_office_parts_is_refused(entries):
    assert "Chỉ nhận tệp PDF" in refused(zip_bytes(entries))


def test_a_zip_with_too_many_entries_is_refused(monkeypatch):
    monkeypatch.setattr(files, "MAX_ZIP_ENTRIES", 3)
    extra = {f"word/media/anh{n}.xml": "<x/>" for n in range(2)}
    assert "quá nhiều thành phần" in refused(zip_bytes({**DOCX_PARTS, **extra}))
    assert check_file(zip_bytes({**DOCX_PARTS, **dict(list(extra.items())[:1])})).type is DOCX


def test_a_zip_bomb_is_refused_while_inflating(monkeypatch):
    monkeypatch.setattr(files, "MAX_INFLATED_BYTES", 1024 * 1024)
    bomb = zip_bytes({**DOCX_PARTS, "word/media/zeros.bin": b"\x00" * (5 * 1024 * 1024)})
    assert len(bomb) < 64 * 1024
    assert "quá 1 MB" in refused(bomb)


def test_the_inflated_total_counts_every_entry(monkeypatch):
    monkeypatch.setattr(files, "MAX_INFLATED_BYTES", 1024 * 1024)
    parts = {f"word/media/zeros{n}.bin": b"\x00" * (300 * 1024) for n in range(4)}
    assert "quá 1 MB" in refused(zip_bytes({**DOCX_PARTS, **parts}))


@pytest.mark.parametrize("declared", [10, 10_000_000])
def test_a_false_declared_size_is_refused_as_damaged(declared):
    data = zip_bytes({**DOCX_PARTS, "word/styles.xml": "<w:styles>" + "kiểu chữ " * 500 + "</w:styles>"})
    patched = patch_entry(data, "word/styles.xml", file_size=declared)
    assert zipfile.ZipFile(io.BytesIO(patched)).getinfo("word/styles.xml").file_size == declared
    assert refused(patched).startswith("Tệp bị hỏng")


@pytest.mark.parametrize("name", ["word/vbaProject.bin", "xl/vbaProject.bin"])
def test_a_file_with_macros_is_refused(name):
    entries = {**DOCX_PARTS, "xl/workbook.xml": "<workbook/>", name: b"\xd0\xcf\x11\xe0macro"}
    assert "macro" in refused(zip_bytes(entries))


def test_an_encrypted_entry_is_refused():
    data = patch_entry(zip_bytes(DOCX_PARTS), "word/document.xml", flag=0x1)
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("word/document.xml").flag_bits & 0x1
    assert "mật khẩu" in refused(data)


def test_a_damaged_zip_is_refused():
    assert "Tệp bị hỏng" in refused(zip_bytes(DOCX_PARTS)[:60])
