"""Posting through the JSON API: POST /api/listings, who reads what with GET, PATCH as a merge, ?mine=1.

Every request carries a real bearer token (POST /api/tokens); a refused request is checked to leave
the listing table as it was.
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from exchange.listings.lookups import DEFAULT_NDA_TEXT, PRIVATE_KEYS
from exchange.models import Listing, ListingRevision, User
from tests.support import add_person, bearer, envelope, post_form, token_of

OWN_ORGANIZATION = "Công ty Thử nghiệm"
RECORD = {"kind": "offer", "title": "Máy sấy bơm nhiệt cho hạt điều và nông sản",
          "description": "Sấy hạt điều ở 45 °C bằng bơm nhiệt, tiết kiệm 40 % điện so với sấy điện trở.",
          "field": "nong-nghiep", "district": "Thăng Bình", "contact_name": "Chị Lan",
          "contact_phone": "0905 123 456", "contact_email": "lan@maysay.vn"}
SECRET = "Bản vẽ dàn ngưng và thông số máy nén chỉ gửi sau khi ký cam kết"
XSS = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"






def listing_count(factory) -> int:  # type: ignore[no-untyped-def]
    with factory() as session:
        return session.scalar(select(func.count()).select_from(Listing))




def post(client, token: str | None, body) -> object:  # type: ignore[no-untyped-def]
    return client.post("/api/listings", json=body, headers=bearer(token))


def created(client, token: str, **changes) -> dict:  # type: ignore[no-untyped-def]
    """The listing JSON a POST answered (its near-duplicate warnings, a POST-only key, set aside)."""
    response = post(client, token, {**RECORD, **changes})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert isinstance(body.pop("warnings"), list)
    return body


@pytest.fixture
def tokens(client, factory, people, token_for) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    """Tokens by role, plus a colleague of the same organization and a member of another one."""
    colleague = add_person(factory, "enterprise", email="dong-nghiep@thu.vn", organization=OWN_ORGANIZATION)
    other = add_person(factory, "enterprise", email="khac@dieu.vn", organization="Công ty Chế biến Điều Khác")
    return {"visitor": None, "enterprise": token_for("enterprise"), "broker": token_for("broker"),
            "staff": token_for("staff"), "colleague": token_of(client, colleague.email),
            "other": token_of(client, other.email)}


def publish(client, tokens, listing_id: int, owner: str = "enterprise") -> dict:  # type: ignore[no-untyped-def]
    assert client.post(f"/api/listings/{listing_id}/submit", headers=bearer(tokens[owner])).status_code == 200
    response = client.post(f"/api/listings/{listing_id}/approve", headers=bearer(tokens["staff"]))
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def read(client, token: str | None, listing_id: int):  # type: ignore[no-untyped-def]
    return client.get(f"/api/listings/{listing_id}", headers=bearer(token))


# ---- POST /api/listings --------------------------------------------------------------------------

def test_a_posted_offer_is_a_draft_with_an_o_ref(client, tokens, people):
    body = created(client, tokens["enterprise"])
    assert body["ref"] == f"O-{body['id']}" and body["status"] == "draft"
    assert body["organization"] == OWN_ORGANIZATION and body["title"] == RECORD["title"]
    assert body["published_at"] is None and body["expires_at"] is None


def test_a_posted_need_gets_an_n_ref(client, tokens):
    body = created(client, tokens["enterprise"], kind="need", title="Cần công nghệ nuôi tôm thẻ trong nhà màng")
    assert body["ref"] == f"N-{body['id']}" and body["kind"] == "need"


def test_money_as_people_type_it_is_stored_in_whole_dong(client, tokens, factory):
    body = created(client, tokens["enterprise"], price_min_vnd="800 triệu", price_max_vnd="1,25 tỷ")
    assert body["price_min_vnd"] == 800_000_000 and body["price_max_vnd"] == 1_250_000_000
    with factory() as session:
        assert session.get(Listing, body["id"]).price_max_vnd == 1_250_000_000


def test_a_district_typed_without_diacritics_is_resolved(client, tokens):
    body = created(client, tokens["enterprise"], district="thang binh")
    assert body["locality_code"] == "513" and body["locality"] == "Thăng Bình" and body["district"] == "Thăng Bình"


def test_confidential_details_get_the_default_nda_text(client, tokens):
    body = created(client, tokens["enterprise"], confidential_details=SECRET)
    assert body["requires_nda"] is True and body["nda_text"] == DEFAULT_NDA_TEXT
    assert body["confidential_details"] == SECRET


@pytest.mark.parametrize("changes,field", [
    ({"ref": "O-999"}, "ref"),
    ({"organization": "Công ty Khác"}, "organization"),
    ({"organization_type": "cooperative"}, "organization_type"),
    ({"mau_sac": "xanh"}, "mau_sac"),
    ({"title": ""}, "title"),
    ({"title": "Máy sấy " + "x" * 293}, "title"),
    ({"trl": 0}, "trl"),
    ({"trl": 10}, "trl"),
    ({"price_min_vnd": "2 tỷ", "price_max_vnd": "1,25 tỷ"}, "price_max_vnd"),
    ({"field": "khong-co-linh-vuc"}, "field"),
    ({"contact_phone": "0" * 51}, "contact_phone"),
], ids=["ref", "organization", "organization_type", "unknown-key", "empty-title", "title-301", "trl-0", "trl-10",
        "min-over-max", "unknown-field", "phone-51"])
def test_an_invalid_post_is_a_422_naming_the_field_and_stores_nothing(client, tokens, factory, changes, field):
    before = listing_count(factory)
    response = post(client, tokens["enterprise"], {**RECORD, **changes})
    assert response.status_code == 422
    error = envelope(response)
    assert error["code"] == "validation_error" and field in error["fields"], error
    assert listing_count(factory) == before


def test_the_title_limit_is_300_characters_exactly(client, tokens):
    assert len("Máy sấy " + "x" * 292) == 300
    assert created(client, tokens["enterprise"], title="Máy sấy " + "x" * 292)["title"].endswith("x")


def test_an_unknown_district_names_the_nearest_ones(client, tokens, factory):
    before = listing_count(factory)
    response = post(client, tokens["enterprise"], {**RECORD, "district": "Thang Binhh"})
    assert response.status_code == 422
    message = envelope(response)["fields"]["district"]
    assert "Thang Binhh" in message and "Thăng Bình" in message
    assert listing_count(factory) == before


def test_a_body_that_is_not_json_is_a_400(client, tokens, factory):
    response = client.post("/api/listings", data='{"title": "Máy sấy'.encode(), content_type="application/json",
                           headers=bearer(tokens["enterprise"]))
    assert response.status_code == 400 and envelope(response)["code"] == "bad_request"
    assert listing_count(factory) == 0


def test_a_visitor_may_not_post(client, tokens, factory):
    response = post(client, None, RECORD)
    assert response.status_code == 401 and envelope(response)["code"] == "unauthenticated"
    assert listing_count(factory) == 0


@pytest.mark.parametrize("role", ["broker", "staff"])
def test_a_user_without_organization_may_not_post(client, tokens, factory, role):
    response = post(client, tokens[role], RECORD)
    assert response.status_code == 403 and envelope(response)["code"] == "permission_denied"
    assert listing_count(factory) == 0


# ---- markup in text fields -----------------------------------------------------------------------

MARKUP = {"title": f"Máy sấy {XSS}", "summary": XSS, "description": f"Mô tả {XSS}", "origin": XSS,
          "specifications": XSS, "advantages": XSS, "contact_name": XSS, "contact_email": f"{XSS}@thu.vn",
          "confidential_details": XSS, "nda_text": XSS, "keywords": [XSS, "sấy điều"]}


def test_markup_in_every_text_field_comes_back_as_the_same_json_string(client, tokens, factory):
    body = created(client, tokens["enterprise"], **MARKUP)
    again = read(client, tokens["enterprise"], body["id"]).get_json()
    for key, value in MARKUP.items():
        assert body[key] == value and again[key] == value, key
    with factory() as session:
        assert session.get(Listing, body["id"]).summary == XSS


def test_markup_in_every_text_field_is_escaped_on_the_listing_page(client, tokens, signed_in):
    listing_id = created(client, tokens["enterprise"], **MARKUP)["id"]
    owner_page = signed_in("enterprise").get(f"/tin/{listing_id}")
    assert owner_page.status_code == 200
    html = owner_page.get_data(as_text=True)
    assert ESCAPED in html and XSS not in html
    publish(client, tokens, listing_id)
    public = client.get(f"/tin/{listing_id}").get_data(as_text=True)
    assert ESCAPED in public and XSS not in public


# ---- GET /api/listings/<id> ----------------------------------------------------------------------

@pytest.mark.parametrize("role", ["enterprise", "colleague", "broker", "staff"])
def test_a_draft_is_visible_to_its_organization_brokers_and_staff(client, tokens, role):
    listing_id = created(client, tokens["enterprise"])["id"]
    response = read(client, tokens[role], listing_id)
    assert response.status_code == 200 and response.get_json()["status"] == "draft"


@pytest.mark.parametrize("role", ["visitor", "other"])
def test_a_draft_is_a_404_for_visitors_and_other_organizations(client, tokens, role):
    listing_id = created(client, tokens["enterprise"])["id"]
    response = read(client, tokens[role], listing_id)
    assert response.status_code == 404 and envelope(response)["code"] == "not_found"


@pytest.mark.parametrize("role", ["visitor", "enterprise", "colleague", "other", "broker", "staff"])
def test_a_published_listing_is_visible_to_anyone(client, tokens, role):
    listing_id = created(client, tokens["enterprise"])["id"]
    publish(client, tokens, listing_id)
    response = read(client, tokens[role], listing_id)
    assert response.status_code == 200 and response.get_json()["title"] == RECORD["title"]


@pytest.mark.parametrize("role,private", [("enterprise", True), ("colleague", True), ("staff", True),
                                          ("broker", False), ("visitor", False), ("other", False)])
def test_contact_confidential_and_review_fields_only_for_the_owner_and_staff(client, tokens, role, private):
    listing_id = created(client, tokens["enterprise"], confidential_details=SECRET)["id"]
    publish(client, tokens, listing_id)
    response = read(client, tokens[role], listing_id)
    body, text = response.get_json(), response.get_data(as_text=True)
    for key in (*PRIVATE_KEYS, "review_note"):
        assert (key in body) is private, key
    assert (SECRET in text) is private and ("0905 123 456" in text) is private


# ---- PATCH /api/listings/<id> --------------------------------------------------------------------

def patch(client, token: str | None, listing_id: int, body):  # type: ignore[no-untyped-def]
    return client.patch(f"/api/listings/{listing_id}", json=body, headers=bearer(token))


def test_patch_changes_only_the_keys_given(client, tokens):
    before = created(client, tokens["enterprise"], summary="Sấy điều nhanh")
    response = patch(client, tokens["enterprise"], before["id"], {"summary": "Sấy điều đều màu, không cháy"})
    assert response.status_code == 200
    after = read(client, tokens["enterprise"], before["id"]).get_json()
    assert after["summary"] == "Sấy điều đều màu, không cháy"
    assert {k: v for k, v in after.items() if k != "summary"} == {k: v for k, v in before.items() if k != "summary"}


def test_patch_with_null_clears_a_key(client, tokens):
    listing_id = created(client, tokens["enterprise"], summary="Sấy điều nhanh")["id"]
    assert patch(client, tokens["enterprise"], listing_id, {"summary": None}).status_code == 200
    assert read(client, tokens["enterprise"], listing_id).get_json()["summary"] is None


def test_the_get_body_patched_back_unchanged_changes_nothing(client, tokens):
    listing_id = created(client, tokens["enterprise"], confidential_details=SECRET, price_max_vnd="1,25 tỷ")["id"]
    before = read(client, tokens["enterprise"], listing_id).get_json()
    response = patch(client, tokens["enterprise"], listing_id, before)
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == before
    assert read(client, tokens["enterprise"], listing_id).get_json() == before


def test_a_published_get_body_patched_back_unchanged_makes_no_revision(client, tokens, factory):
    listing_id = created(client, tokens["enterprise"])["id"]
    before = publish(client, tokens, listing_id)
    body = read(client, tokens["enterprise"], listing_id).get_json()
    response = patch(client, tokens["enterprise"], listing_id, body)
    assert response.status_code == 200, response.get_json()
    assert read(client, tokens["enterprise"], listing_id).get_json() == before
    with factory() as session:
        assert session.scalar(select(func.count()).select_from(ListingRevision)) == 0


def test_a_published_get_body_with_a_new_title_is_accepted_back_as_a_revision(client, tokens):
    listing_id = created(client, tokens["enterprise"])["id"]
    publish(client, tokens, listing_id)
    body = read(client, tokens["enterprise"], listing_id).get_json()  # with its dates, read-only
    response = patch(client, tokens["enterprise"], listing_id, {**body, "title": "Máy sấy điều thế hệ mới"})
    assert response.status_code == 202, response.get_json()
    assert response.get_json()["changed"] == ["title"]


@pytest.mark.parametrize("key,value", [("ref", "O-999999"), ("status", "published"), ("id", 999999)])
def test_patching_a_read_only_key_to_another_value_is_a_422_naming_it(client, tokens, key, value):
    listing = created(client, tokens["enterprise"])
    response = patch(client, tokens["enterprise"], listing["id"], {key: value, "title": "Tên mới của máy sấy"})
    assert response.status_code == 422 and list(envelope(response)["fields"]) == [key]
    assert read(client, tokens["enterprise"], listing["id"]).get_json() == listing


def test_patching_an_unknown_key_is_a_422(client, tokens):
    listing = created(client, tokens["enterprise"])
    response = patch(client, tokens["enterprise"], listing["id"], {"mau_sac": "xanh"})
    assert response.status_code == 422 and "mau_sac" in envelope(response)["fields"]
    assert read(client, tokens["enterprise"], listing["id"]).get_json() == listing


def test_another_organization_gets_a_404_on_a_draft_and_a_403_on_a_published_listing(client, tokens):
    listing_id = created(client, tokens["enterprise"])["id"]
    assert patch(client, tokens["other"], listing_id, {"title": "Chiếm tin"}).status_code == 404
    publish(client, tokens, listing_id)
    response = patch(client, tokens["other"], listing_id, {"title": "Chiếm tin"})
    assert response.status_code == 403 and envelope(response)["code"] == "permission_denied"
    assert read(client, None, listing_id).get_json()["title"] == RECORD["title"]


def test_editing_a_published_listing_makes_a_pending_revision_and_keeps_the_old_text(client, tokens):
    listing_id = created(client, tokens["enterprise"])["id"]
    publish(client, tokens, listing_id)
    response = patch(client, tokens["enterprise"], listing_id, {"title": "Máy sấy điều thế hệ mới"})
    assert response.status_code == 202
    revision = response.get_json()
    assert revision["status"] == "pending" and revision["listing_id"] == listing_id
    assert revision["data"]["title"] == "Máy sấy điều thế hệ mới" and revision["changed"] == ["title"]
    assert read(client, None, listing_id).get_json()["title"] == RECORD["title"]
    second = patch(client, tokens["enterprise"], listing_id, {"title": "Máy sấy điều thế hệ thứ ba"}).get_json()
    assert second["id"] == revision["id"] and second["data"]["title"] == "Máy sấy điều thế hệ thứ ba"


# ---- GET /api/listings?mine=1 --------------------------------------------------------------------

def test_mine_lists_every_status_of_the_callers_organization_only(client, tokens):
    draft = created(client, tokens["enterprise"])
    submitted = created(client, tokens["colleague"], title="Quy trình nuôi tôm thẻ hai giai đoạn")
    client.post(f"/api/listings/{submitted['id']}/submit", headers=bearer(tokens["colleague"]))
    published = created(client, tokens["enterprise"], title="Dây chuyền chế biến hạt điều")
    publish(client, tokens, published["id"])
    foreign = created(client, tokens["other"], title="Máy bóc vỏ hạt điều tự động")
    publish(client, tokens, foreign["id"], owner="other")
    response = client.get("/api/listings", query_string={"mine": 1}, headers=bearer(tokens["enterprise"]))
    assert response.status_code == 200
    statuses = {hit["ref"]: hit["status"] for hit in response.get_json()["results"]}
    assert statuses == {draft["ref"]: "draft", submitted["ref"]: "submitted", published["ref"]: "published"}
    assert response.get_json()["total"] == 3


def test_mine_without_a_token_is_a_401(client, tokens):
    response = client.get("/api/listings", query_string={"mine": 1})
    assert response.status_code == 401 and envelope(response)["code"] == "unauthenticated"


def test_the_page_form_and_the_api_refuse_the_same_title(client, tokens, signed_in):
    api = envelope(post(client, tokens["enterprise"], {**RECORD, "title": "x" * 301}))["fields"]["title"]
    page = post_form(signed_in("enterprise"), "/dang-tin", {**RECORD, "title": "x" * 301, "action": "draft"})
    assert page.status_code == 422 and api in page.get_data(as_text=True)


def test_a_near_duplicate_is_a_warning_in_the_answer_never_a_refusal(client, token_for):
    headers = {"Authorization": f"Bearer {token_for('enterprise')}"}
    body = {"kind": "offer", "title": "Hệ thống sấy lạnh bơm nhiệt cho trái cây",
            "description": "Sấy chuối, xoài, mít ở 40–50 độ, tiết kiệm 40% điện so với sấy điện trở."}
    first = client.post("/api/listings", json=body, headers=headers)
    assert first.status_code == 201 and first.get_json()["warnings"] == []
    again = client.post("/api/listings", json={**body, "title": "Chuyển giao hệ thống sấy lạnh bơm nhiệt cho trái cây"},
                        headers=headers)
    assert again.status_code == 201
    [warning] = again.get_json()["warnings"]
    assert first.get_json()["ref"] in warning and "gần trùng" in warning
    sent_back = client.patch(f"/api/listings/{again.get_json()['id']}", json=again.get_json(), headers=headers)
    assert sent_back.status_code == 200 and "warnings" not in sent_back.get_json()


def test_field_reasons_of_the_record_follow_the_users_language(client, factory, people, token_for):
    headers = {"Authorization": f"Bearer {token_for('enterprise')}"}
    body = {**RECORD, "trl": 10, "district": "Quận Mười Ba", "price_min_vnd": "1,5"}
    vietnamese = client.post("/api/listings", json=body, headers=headers).get_json()["error"]["fields"]
    assert vietnamese["trl"] == "mức sẵn sàng công nghệ (TRL) phải từ 1 đến 9"
    with factory.begin() as session:
        session.get(User, people["enterprise"].id).language = "en"
    english = client.post("/api/listings", json=body, headers=headers).get_json()["error"]["fields"]
    assert english["trl"] == "the technology readiness level (TRL) must be from 1 to 9"
    assert english["district"].startswith("unknown locality 'Quận Mười Ba'; did you mean: ")
    assert english["price_min_vnd"].startswith("cannot read the amount '1,5'")
