"""The posting pages through signed-in browsers: the form, preview, draft, submit, field errors, escaping,
"Tin của tôi", the dashboard, attachments, the 413 page, the refresh notice and the menu."""
from __future__ import annotations

import html as htmllib
import io
import re
from urllib.parse import urlsplit

import pytest
from PIL import Image
from sqlalchemy import delete, func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from exchange.config import Config
from exchange.listings.moderation import approve_listing, reject_listing
from exchange.models import Attachment, Listing, SuggestionRefresh, User
from exchange.web.app import create_app
from tests.support import csrf_token, post_form, sign_in

FORM = {"kind": "offer", "title": "Máy sấy bơm nhiệt cho chuối và xoài",
        "summary": "Sấy lạnh nông sản, giữ màu và vị.", "description": "Hệ thống sấy bơm nhiệt 500 kg/mẻ.",
        "field": "nong-nghiep", "keywords": "sấy lạnh; bơm nhiệt", "product_type": "equipment", "trl": "7",
        "ip_status": "granted", "transfer_modes": ["license", "equipment_with_technology"],
        "price_min_vnd": "800 triệu", "price_max_vnd": "1,2 tỷ", "district": "Thăng Bình",
        "contact_name": "Nguyễn Văn An", "contact_phone": "0905 111 222", "contact_email": "an@maysay.vn"}
TRL = ["1 — Nguyên lý cơ bản đã được quan sát", "2 — Đã hình thành ý tưởng công nghệ",
       "3 — Đã chứng minh ý tưởng bằng thí nghiệm", "4 — Đã kiểm chứng trong phòng thí nghiệm",
       "5 — Đã kiểm chứng trong môi trường gần thực tế", "6 — Đã trình diễn mẫu trong môi trường gần thực tế",
       "7 — Đã trình diễn mẫu trong môi trường thực tế", "8 — Hệ thống hoàn chỉnh, đã thử nghiệm đạt yêu cầu",
       "9 — Đã ứng dụng thành công trong sản xuất"]
TRANSFER_FORMS = ["Chuyển giao quyền sử dụng công nghệ", "Chuyển giao công nghệ độc lập",
                  "Góp vốn bằng công nghệ", "Nhượng quyền thương mại có chuyển giao công nghệ",
                  "Chuyển giao quyền sở hữu trí tuệ có chuyển giao công nghệ",
                  "Mua bán máy móc, thiết bị kèm chuyển giao công nghệ",
                  "Hình thức khác (kể cả trong dự án đầu tư) theo quy định của pháp luật"]
PAYLOAD = "<script>alert('xss')</script>"
TEXT_FIELDS = ("title", "summary", "description", "keywords", "origin", "specifications", "advantages",
               "contact_name", "confidential_details", "nda_text")
MB = 1024 * 1024


def post_listing(client, action="draft", **fields):  # type: ignore[no-untyped-def]
    return post_form(client, "/dang-tin", {**FORM, **fields, "action": action})


def new_id(response) -> int:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.get_data(as_text=True)
    path = urlsplit(response.headers["Location"]).path
    assert re.fullmatch(r"/tin/\d+", path), path
    return int(path.rsplit("/", 1)[1])


def listing(factory, listing_id: int) -> Listing:  # type: ignore[no-untyped-def]
    with factory() as session:
        row = session.get(Listing, listing_id)
        session.expunge(row)
        return row


def count(factory, model) -> int:  # type: ignore[no-untyped-def]
    with factory() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def decide(factory, people, listing_id: int, reason: str | None = None) -> None:  # type: ignore[no-untyped-def]
    """Staff approve (or, with a reason, reject) a submitted listing through the service."""
    with factory.begin() as session:
        staff = session.get(User, people["staff"].id)
        if reason is None:
            approve_listing(session, actor=staff, listing_id=listing_id)
        else:
            reject_listing(session, actor=staff, listing_id=listing_id, reason=reason)


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def field_errors(page: str) -> dict[str, list[str]]:
    """Each field shown with errors: its input's name → the errors printed inside the same field box."""
    found = {}
    for block in re.findall(r'<div class="field has-error">(.*?)</div>', page, re.S):
        name = re.search(r'name="([^"]+)"', block).group(1)
        found[name] = [htmllib.unescape(e) for e in re.findall(r'<small class="field-error">(.*?)</small>', block)]
    return found


def png(size=(640, 480)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 140, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


# ---- the form, preview, draft, submit -----------------------------------------------------------

def test_the_new_listing_form_has_vietnamese_labels_the_nine_trl_levels_and_the_seven_transfer_forms(signed_in):
    page = text(signed_in("enterprise").get("/dang-tin?loai=need"))
    for label in ("Loại tin", "Tiêu đề", "Tóm tắt", "Mô tả", "Lĩnh vực", "Từ khóa", "Mức sẵn sàng công nghệ (TRL)",
                  "Tình trạng sở hữu trí tuệ", "Giá / ngân sách từ", "Địa phương", "Người liên hệ", "Điện thoại",
                  "Thông tin bảo mật", "Cam kết bảo mật (NDA)", "Lưu nháp", "Gửi duyệt", "Xem trước"):
        assert label in page, label
    select_trl = page.split('name="trl"', 1)[1].split("</select>", 1)[0]
    options = re.findall(r'<option value="(\d)"\s*>([^<]+)</option>', select_trl)
    assert [(value, htmllib.unescape(name)) for value, name in options] == [(str(n), TRL[n - 1]) for n in range(1, 10)]
    assert len(re.findall(r'type="checkbox"[^>]*name="transfer_modes"|name="transfer_modes"[^>]*type="checkbox"',
                          page)) == 7
    assert all(mode in page for mode in TRANSFER_FORMS)
    assert "Điều 5 Luật Chuyển giao công nghệ 2017" in page
    assert re.search(r'<option value="need" selected', page)  # ?loai=need chooses the kind


def test_preview_shows_the_listing_and_saves_nothing(signed_in, factory):
    response = post_listing(signed_in("enterprise"), "preview")
    page = text(response)
    assert response.status_code == 200 and "Xem trước — chưa lưu" in page
    preview = page.split('class="preview"', 1)[1].split("</section>", 1)[0]
    assert "Máy sấy bơm nhiệt cho chuối và xoài" in preview and "800.000.000 đ" in preview
    assert "7 — Đã trình diễn mẫu trong môi trường thực tế" in preview and "Thăng Bình" in preview
    assert count(factory, Listing) == 0


def test_saving_a_draft_goes_to_its_page(signed_in, factory, people):
    client = signed_in("enterprise")
    listing_id = new_id(post_listing(client, "draft"))
    row = listing(factory, listing_id)
    assert (row.status.value, row.ref, row.organization_id) == ("draft", f"O-{listing_id}",
                                                                 people["enterprise"].organization_id)
    assert (row.price_min_vnd, row.price_max_vnd, row.trl) == (800_000_000, 1_200_000_000, 7)
    page = text(client.get(f"/tin/{listing_id}"))
    assert f"Đã lưu bản nháp O-{listing_id}." in page and "Bản nháp" in page


def test_submitting_sends_the_listing_for_review(signed_in, factory):
    client = signed_in("enterprise")
    listing_id = new_id(post_listing(client, "submit", kind="need", title="Cần quy trình nuôi tôm thẻ trong nhà màng"))
    row = listing(factory, listing_id)
    assert (row.status.value, row.ref) == ("submitted", f"N-{listing_id}") and row.submitted_at is not None
    assert "để cán bộ Sở duyệt" in text(client.get(f"/tin/{listing_id}"))


def test_bad_input_answers_422_with_vietnamese_errors_next_to_each_input_and_saves_nothing(signed_in, factory):
    response = post_listing(signed_in("enterprise"), "submit", title="", trl="10", price_min_vnd="2 tỷ",
                            price_max_vnd="1 tỷ", district="Quận Mười Ba", contact_phone="0" * 51)
    page = text(response)
    assert response.status_code == 422 and "Tin chưa hợp lệ" in page
    errors = field_errors(page)
    assert set(errors) == {"title", "trl", "price_max_vnd", "district", "contact_phone"}
    assert errors["title"] == ["bắt buộc, không được để trống"]
    assert errors["trl"] == ["mức sẵn sàng công nghệ (TRL) phải từ 1 đến 9"]
    assert errors["price_max_vnd"] == ["giá tối đa nhỏ hơn giá tối thiểu"]
    assert errors["district"][0].startswith("không rõ địa phương 'Quận Mười Ba'; có phải:")
    assert errors["contact_phone"] == ["dài 51 ký tự, tối đa 50"]
    assert 'value="Quận Mười Ba"' in page and 'value="2 tỷ"' in page  # what was typed stays in the form
    assert count(factory, Listing) == 0


def test_script_in_every_text_field_is_escaped_on_the_preview_the_listing_page_and_my_listings(signed_in):
    client = signed_in("enterprise")
    typed = {name: f"Máy sấy {PAYLOAD}" for name in TEXT_FIELDS}
    pages = [text(post_listing(client, "preview", **typed))]
    listing_id = new_id(post_listing(client, "draft", **typed))
    pages += [text(client.get(f"/tin/{listing_id}")), text(client.get("/tin-cua-toi"))]
    for page, least in zip(pages, (len(TEXT_FIELDS), len(TEXT_FIELDS), 1)):
        assert "<script>alert" not in page
        assert page.count("&lt;script&gt;alert(") >= least


# ---- "Tin của tôi" and the dashboard ----------------------------------------------------------------

def row_of(page: str, title: str) -> str:
    rows = [r for r in re.findall(r"<tr>(.*?)</tr>", page, re.S) if title in r]
    assert len(rows) == 1, title
    return rows[0]


@pytest.fixture
def three_listings(signed_in, factory, people):  # type: ignore[no-untyped-def]
    """A draft, a rejected and a published listing of the enterprise member's organization."""
    client = signed_in("enterprise")
    ids = {"draft": new_id(post_listing(client, "draft", title="Máy bóc vỏ hạt điều bán tự động")),
           "rejected": new_id(post_listing(client, "submit", title="Lò sấy hạt điều bằng vỏ điều")),
           "published": new_id(post_listing(client, "submit", title="Máy sấy bơm nhiệt cho cá khô"))}
    decide(factory, people, ids["rejected"], "Thiếu công suất lò và lượng vỏ điều tiêu thụ.")
    decide(factory, people, ids["published"])
    return ids


def test_my_listings_shows_each_status_the_rejection_note_and_the_allowed_actions(signed_in, three_listings):
    client, ids = signed_in("enterprise"), three_listings
    page = text(client.get("/tin-cua-toi"))
    draft, rejected = row_of(page, "Máy bóc vỏ hạt điều"), row_of(page, "Lò sấy hạt điều")
    published = row_of(page, "Máy sấy bơm nhiệt cho cá khô")
    assert "Bản nháp" in draft and "Bị từ chối" in rejected and "Đang công bố" in published
    assert "Thiếu công suất lò và lượng vỏ điều tiêu thụ." in rejected and "Lý do:" not in draft
    for name, row, allowed, refused in [("draft", draft, ("sua", "gui-duyet", "dong"), ("gia-han",)),
                                        ("rejected", rejected, ("sua", "gui-duyet", "dong"), ("gia-han",)),
                                        ("published", published, ("sua", "gia-han", "dong"), ("gui-duyet",))]:
        assert all(f'"/tin/{ids[name]}/{action}"' in row for action in allowed), name
        assert not any(f'"/tin/{ids[name]}/{action}"' in row for action in refused), name
    only = text(client.get("/tin-cua-toi?trang-thai=rejected"))
    assert "Lò sấy hạt điều" in only and "Máy bóc vỏ hạt điều" not in only and "cho cá khô" not in only


def test_an_action_from_my_listings_returns_there(signed_in, factory, three_listings):
    response = post_form(signed_in("enterprise"), f"/tin/{three_listings['draft']}/gui-duyet", {"back": "mine"},
                         page="/tin-cua-toi")
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/tin-cua-toi"
    assert listing(factory, three_listings["draft"]).status.value == "submitted"


def test_the_dashboard_shows_the_members_listings_and_notifications(signed_in, three_listings):
    page = text(signed_in("enterprise").get("/bang-tin"))
    assert all(title in page for title in ("Máy bóc vỏ hạt điều", "Lò sấy hạt điều", "Máy sấy bơm nhiệt cho cá khô"))
    assert "Tin “Máy sấy bơm nhiệt cho cá khô” đã được duyệt và công bố." in page
    assert "Tin “Lò sấy hạt điều bằng vỏ điều” chưa được duyệt: Thiếu công suất lò" in page


def test_the_dashboard_shows_only_suggestions_worth_a_look(signed_in, factory, three_listings, app):
    from exchange.models import Match

    threshold = app.extensions["exchange"].config.match_threshold
    with factory.begin() as session:
        need = Listing(source="test", ref="D-1", kind="need", status="published", title="Cần sấy cá khô ít tốn điện",
                       description="Cơ sở sấy cá bằng than.")
        far = Listing(source="test", ref="D-2", kind="need", status="published", title="Cần máy dệt chiếu cói",
                      description="Làng chiếu cần máy dệt.")
        session.add_all([need, far])
        session.flush()
        offer_id = three_listings["published"]
        session.add_all([Match(need_id=need.id, offer_id=offer_id, score=min(1.0, threshold + 0.3)),
                         Match(need_id=far.id, offer_id=offer_id, score=threshold / 2)])
    page = text(signed_in("enterprise").get("/bang-tin"))
    assert "Cần sấy cá khô ít tốn điện" in page and "Cần máy dệt chiếu cói" not in page


def test_staff_signing_in_land_on_the_review_queue_through_the_dashboard(app, people):
    client = app.test_client()
    response = sign_in(client, people["staff"].email)
    assert urlsplit(response.headers["Location"]).path == "/bang-tin"
    onward = client.get("/bang-tin")
    assert onward.status_code == 302 and urlsplit(onward.headers["Location"]).path == "/duyet-tin"
    assert "Tin chờ duyệt" in text(client.get("/duyet-tin"))


# ---- attachments -------------------------------------------------------------------------------------

def upload(client, listing_id: int, data: bytes, name: str):  # type: ignore[no-untyped-def]
    """The upload form of the listing page, sent as a browser does (the body built in memory: the test
    client would spool a large one to a temporary file it never closes)."""
    token = csrf_token(text(client.get(f"/tin/{listing_id}")))
    boundary, body = encode_multipart({"csrf_token": token, "visibility": "public",
                                       "file": FileStorage(io.BytesIO(data), filename=name)})
    return client.post(f"/tin/{listing_id}/tep", data=body, content_type=f"multipart/form-data; boundary={boundary}")


def stored_files(app) -> list:  # type: ignore[no-untyped-def]
    folder = app.extensions["exchange"].config.upload_dir
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_a_png_uploaded_on_the_page_is_listed_with_a_thumbnail_and_downloads(signed_in, factory):
    client = signed_in("enterprise")
    listing_id = new_id(post_listing(client))
    response = upload(client, listing_id, png(), "anh may say.png")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/tin/{listing_id}#tep")
    with factory() as session:
        attachment = session.scalar(select(Attachment).where(Attachment.listing_id == listing_id))
    page = text(client.get(f"/tin/{listing_id}"))
    assert "Đã thêm tệp anh may say.png." in page
    assert f'href="/tep/{attachment.id}"' in page and f'src="/tep/{attachment.id}/anh-nho"' in page
    with client.get(f"/tep/{attachment.id}") as download:
        assert download.status_code == 200 and download.data.startswith(b"\x89PNG")
        assert download.headers["Content-Disposition"].startswith("attachment")
        assert download.headers["X-Content-Type-Options"] == "nosniff"
    with client.get(f"/tep/{attachment.id}/anh-nho") as thumbnail:
        assert thumbnail.status_code == 200 and thumbnail.mimetype == "image/jpeg" and thumbnail.data[:2] == b"\xff\xd8"
        assert max(Image.open(io.BytesIO(thumbnail.data)).size) <= 320


def test_an_executable_named_pdf_is_refused_with_a_flash_and_nothing_is_stored(signed_in, factory, app):
    client = signed_in("enterprise")
    listing_id = new_id(post_listing(client))
    response = upload(client, listing_id, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 400 + b"%%EOF", "bao-gia.pdf")
    assert response.status_code == 302
    page = text(client.get(f"/tin/{listing_id}"))
    assert re.search(r'class="flash flash-error"[^>]*>[^<]*Chỉ nhận tệp PDF', page)
    assert count(factory, Attachment) == 0 and stored_files(app) == []


@pytest.fixture
def small_app(database_url, tmp_path, app):  # type: ignore[no-untyped-def]
    """The app with EXCHANGE_MAX_UPLOAD_MB=1 (a request body over 2 MB is cut off), on the same database."""
    application = create_app(Config.from_env(environ={}, ENV="test", DATABASE_URL=database_url, QUEUE_URL="immediate",
                                             INSTANCE_DIR=str(tmp_path / "small"), MAX_UPLOAD_MB="1"))
    yield application
    application.extensions["exchange"].close()


def test_a_body_over_the_upload_limit_gets_a_vietnamese_413_page(small_app, signed_in, people, factory):
    listing_id = new_id(post_listing(signed_in("enterprise")))
    client = small_app.test_client()
    assert sign_in(client, people["enterprise"].email).status_code == 302
    response = upload(client, listing_id, b"%PDF-1.4\n" + b"0" * (3 * MB), "ban-ve.pdf")
    page = text(response)
    assert response.status_code == 413 and '<html lang="vi">' in page
    assert "Tệp tải lên quá lớn: tối đa 1 MB mỗi tệp. Chưa có gì được lưu." in page
    assert count(factory, Attachment) == 0 and stored_files(small_app) == []


def test_a_file_over_the_limit_within_the_body_limit_is_refused_by_the_service(small_app, signed_in, people, factory):
    listing_id = new_id(post_listing(signed_in("enterprise")))
    client = small_app.test_client()
    assert sign_in(client, people["enterprise"].email).status_code == 302
    response = upload(client, listing_id, b"%PDF-1.4\n" + b"0" * (MB + MB // 2), "ban-ve.pdf")
    assert response.status_code == 302
    assert "Tệp quá lớn: tối đa 1 MB mỗi tệp." in text(client.get(f"/tin/{listing_id}"))
    assert count(factory, Attachment) == 0


# ---- the refresh notice, the menu ---------------------------------------------------------------------

def test_a_published_listing_says_its_suggestions_are_being_refreshed_while_a_refresh_waits(signed_in, factory,
                                                                                            people, client):
    listing_id = new_id(post_listing(signed_in("enterprise"), "submit"))
    decide(factory, people, listing_id)  # the immediate queue serves the refresh on commit
    assert "đang cập nhật gợi ý" not in text(client.get(f"/tin/{listing_id}"))
    with factory.begin() as session:
        session.add(SuggestionRefresh(listing_id=listing_id))
    assert "Sàn đang cập nhật gợi ý cho tin này" in text(client.get(f"/tin/{listing_id}"))
    with factory.begin() as session:
        session.execute(delete(SuggestionRefresh).where(SuggestionRefresh.listing_id == listing_id))
    assert "đang cập nhật gợi ý" not in text(client.get(f"/tin/{listing_id}"))


def menu(client) -> list[str]:  # type: ignore[no-untyped-def]
    nav = re.search(r'<nav aria-label="Menu chính">(.*?)</nav>', text(client.get("/")), re.S).group(1)
    return re.findall(r'href="([^"?#]+)', nav)


@pytest.mark.parametrize("role,shown,hidden", [
    ("enterprise", ("/bang-tin", "/tin-cua-toi", "/dang-tin"), ("/duyet-tin",)),
    ("broker", ("/bang-tin",), ("/tin-cua-toi", "/dang-tin", "/duyet-tin")),
    ("staff", ("/duyet-tin",), ("/tin-cua-toi", "/dang-tin"))])
def test_every_new_page_is_reachable_from_the_menu_of_who_may_use_it(signed_in, role, shown, hidden):
    client = signed_in(role)
    links = menu(client)
    assert all(path in links for path in shown) and not any(path in links for path in hidden)
    for path in shown:
        assert client.get(path).status_code == 200, path
