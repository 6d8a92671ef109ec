"""The listing record: column limits, contact checks, TRL, prices, lists, choices; and what import does with it."""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import String, func, select

from exchange.audit import SystemActor
from exchange.listings.importing import ImportRejected, read_listing_file, tokenize_rows, validate_rows, write_rows
from exchange.listings.lookups import DEFAULT_NDA_TEXT, listing_attrs
from exchange.listings.records import RecordError, validate_record
from exchange.models import Field, Listing, ListingKind, ListingStatus, Organization, OrganizationType

ACTOR = SystemActor("test")
BASE = {"ref": "HD-01", "kind": "offer", "title": "Dây chuyền chế biến hạt điều tự động",
        "description": "Bóc vỏ, tách nhân hạt điều, công suất 2 tấn/ngày."}
# The limits the record promises (columns of models/listings.py and models/accounts.py, nda_text by policy).
LIMITS = {"ref": 80, "title": 300, "summary": 1_000, "description": 20_000, "field": 40, "district": 200,
          "contact_name": 200, "contact_phone": 50, "contact_email": 254, "organization": 300, "nda_text": 5_000,
          "origin": 20_000, "specifications": 20_000, "advantages": 20_000, "confidential_details": 20_000}
COLUMNS = {"ref": Listing.ref, "title": Listing.title, "summary": Listing.summary, "field": Field.code,
           "contact_name": Listing.contact_name, "contact_phone": Listing.contact_phone,
           "contact_email": Listing.contact_email, "organization": Organization.name}


def text_of(key: str, length: int) -> str:
    """A valid value of the key, exactly `length` characters long."""
    if key == "contact_phone":
        return "0" * length
    if key == "contact_email":
        return "a" * (length - len("@htx.vn")) + "@htx.vn"
    return "ệ" * length  # one character, two UTF-8 bytes: the limit counts characters


def problems_of(**changes) -> dict[str, str]:
    with pytest.raises(RecordError) as caught:
        validate_record({**BASE, **changes})
    return caught.value.problems


@pytest.mark.parametrize("key", sorted(LIMITS))
def test_text_at_its_limit_is_accepted(key):
    value = text_of(key, LIMITS[key])
    record = validate_record({**BASE, key: value})
    assert (getattr(record, key) if key in BASE else record.get(key)) == value


@pytest.mark.parametrize("key", sorted(LIMITS))
def test_text_one_over_its_limit_is_refused_naming_the_key(key):
    problems = problems_of(**{key: text_of(key, LIMITS[key] + 1)})
    assert list(problems) == [key]
    assert f"dài {LIMITS[key] + 1:,} ký tự".replace(",", ".") in problems[key]


@pytest.mark.parametrize("key", sorted(COLUMNS))
def test_the_record_limits_fit_the_columns(key):
    column_type = COLUMNS[key].property.columns[0].type
    assert isinstance(column_type, String) and column_type.length == LIMITS[key]


@pytest.mark.parametrize("email", ["khong-phai-email", "a@b", "ten @htx.vn", "@htx.vn", "dn@htx@vn"])
def test_a_bad_email_is_refused(email):
    assert "e-mail" in problems_of(contact_email=email)["contact_email"]


@pytest.mark.parametrize("phone", ["gọi tôi", "0905abc123", "12345", "0905;123;456"])
def test_a_bad_phone_is_refused(phone):
    assert "số điện thoại" in problems_of(contact_phone=phone)["contact_phone"]


@pytest.mark.parametrize("phone", ["0905 123 456", "+84 (235) 3.812-345", "0235.3812345"])
def test_usual_phone_forms_are_accepted(phone):
    assert validate_record({**BASE, "contact_phone": phone}).get("contact_phone") == phone


@pytest.mark.parametrize("trl", [0, 10, -1, "10", "bảy", True])
def test_trl_outside_one_to_nine_is_refused(trl):
    assert "trl" in problems_of(trl=trl)


@pytest.mark.parametrize("trl, stored", [(1, 1), (9, 9), ("7", 7), (" 5 ", 5), (6.0, 6)])
def test_trl_from_one_to_nine_is_accepted(trl, stored):
    assert validate_record({**BASE, "trl": trl}).get("trl") == stored


def test_a_fractional_trl_is_refused_not_truncated():
    assert "trl" in problems_of(trl=7.5)


def test_a_minimum_price_above_the_maximum_is_refused_on_the_maximum():
    problems = problems_of(price_min_vnd="2 tỷ", price_max_vnd="800 triệu")
    assert list(problems) == ["price_max_vnd"] and "nhỏ hơn" in problems["price_max_vnd"]


def test_equal_minimum_and_maximum_prices_are_accepted():
    record = validate_record({**BASE, "price_min_vnd": "1,25 tỷ", "price_max_vnd": "1.250.000.000"})
    assert record.get("price_min_vnd") == record.get("price_max_vnd") == 1_250_000_000


@pytest.mark.parametrize("typed, amount", [("1.250.000.000", 1_250_000_000), ("1,25 tỷ", 1_250_000_000),
                                           ("800 triệu", 800_000_000), ("500k", 500_000), (3_000_000, 3_000_000)])
def test_typed_money_goes_through_the_record(typed, amount):
    assert validate_record({**BASE, "price_min_vnd": typed}).get("price_min_vnd") == amount


@pytest.mark.parametrize("typed", ["1,5", "nhiều tiền", "-5 triệu"])
def test_unreadable_money_names_the_price_key(typed):
    assert list(problems_of(price_min_vnd=typed)) == ["price_min_vnd"]


def test_keywords_split_on_semicolons_and_repeats_are_dropped():
    record = validate_record({**BASE, "keywords": "hạt điều; bóc vỏ ;; hạt điều"})
    assert record.get("keywords") == ["hạt điều", "bóc vỏ"]


def test_thirty_keywords_of_a_hundred_characters_are_accepted():
    words = [f"{n:02}" + "đ" * 98 for n in range(30)]
    assert validate_record({**BASE, "keywords": words}).get("keywords") == words


def test_thirty_one_keywords_are_refused():
    assert "tối đa 30 mục" in problems_of(keywords=[f"từ khóa {n}" for n in range(31)])["keywords"]


def test_a_keyword_of_101_characters_is_refused():
    assert "tối đa 100 ký tự" in problems_of(keywords=["nuôi tôm", "đ" * 101])["keywords"]


@pytest.mark.parametrize("value", ["institute", "cooperative", "university", "agency", "individual", "enterprise"])
def test_organization_types_are_accepted(value):
    assert validate_record({**BASE, "organization_type": value}).get("organization_type") is OrganizationType(value)


@pytest.mark.parametrize("value", ["vien", "Institute", "công ty"])
def test_an_unknown_organization_type_is_refused_listing_the_choices(value):
    assert "institute" in problems_of(organization_type=value)["organization_type"]


def test_an_unknown_key_is_refused_by_name():
    assert problems_of(mau_sac="đỏ") == {"mau_sac": "cột không được hỗ trợ (không có trong mẫu nhập liệu)"}


def test_every_bad_key_is_named_at_once():
    problems = problems_of(title="", kind="sell", trl=12, contact_email="x")
    assert set(problems) == {"title", "kind", "trl", "contact_email"}


def test_markup_is_kept_as_text():
    title = "<script>alert('x')</script> Máy sấy bơm nhiệt"
    record = validate_record({**BASE, "title": title, "summary": "<b>đậm</b> & <i>nghiêng</i>"})
    assert record.title == title and record.get("summary") == "<b>đậm</b> & <i>nghiêng</i>"


def test_text_is_nfc_and_control_characters_are_removed():
    record = validate_record({**BASE, "title": "  Ma\u0301y sa\u0302\u0301y\x00 tôm\x07 "})
    assert record.title == "Máy sấy tôm" and record.kind is ListingKind.offer


def test_confidential_details_get_the_default_nda_text():
    attrs = listing_attrs(validate_record({**BASE, "confidential_details": "Nhiệt độ sấy và thời gian ủ."}))
    assert attrs["requires_nda"] is True and attrs["nda_text"] == DEFAULT_NDA_TEXT


def test_an_own_nda_text_is_kept():
    attrs = listing_attrs(validate_record({**BASE, "confidential_details": "Bản vẽ.", "nda_text": "Giữ bí mật 5 năm."}))
    assert attrs["requires_nda"] is True and attrs["nda_text"] == "Giữ bí mật 5 năm."


def test_without_confidential_details_no_nda_is_required():
    attrs = listing_attrs(validate_record(BASE))
    assert attrs["requires_nda"] is False and attrs["nda_text"] is None


# Import: the same record, through the file reader and the writer.

def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def run_import(session, path: Path, *, publish=False):
    prepared = tokenize_rows(session, "import", validate_rows(session, read_listing_file(path)))
    return write_rows(session, prepared, source="import", publish=publish, actor=ACTOR)


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def imported(session) -> Listing:
    return session.scalar(select(Listing).where(Listing.ref == BASE["ref"]))


def test_import_creates_the_organization_with_its_type(db_session, tmp_path):
    row = {**BASE, "organization": "Viện Cơ điện Nông nghiệp Thử nghiệm", "organization_type": "institute"}
    run_import(db_session, write_jsonl(tmp_path / "a.jsonl", [row]))
    org = imported(db_session).organization
    assert org.name == "Viện Cơ điện Nông nghiệp Thử nghiệm" and org.type is OrganizationType.institute


def test_import_changes_the_type_of_an_existing_organization(db_session, tmp_path):
    first = {**BASE, "organization": "HTX Nuôi tôm Thử nghiệm"}
    run_import(db_session, write_jsonl(tmp_path / "a.jsonl", [first]))
    assert imported(db_session).organization.type is OrganizationType.enterprise
    run_import(db_session, write_jsonl(tmp_path / "b.jsonl", [{**first, "organization_type": "cooperative"}]))
    assert imported(db_session).organization.type is OrganizationType.cooperative
    assert count(db_session, Organization) == 1


@pytest.mark.parametrize("key, length", [("contact_phone", 51), ("organization", 301)])
def test_import_of_a_too_long_value_is_refused_and_writes_nothing(db_session, tmp_path, key, length):
    good = {**BASE, "ref": "HD-00", "organization": "Công ty Điều Thử nghiệm"}
    bad = {**BASE, key: text_of(key, length)}
    with pytest.raises(ImportRejected) as caught:
        run_import(db_session, write_jsonl(tmp_path / "a.jsonl", [good, bad]))
    assert caught.value.lines == [f"Dòng 2, cột '{key}': dài {length} ký tự, tối đa {length - 1}"]
    assert count(db_session, Listing) == 0 and count(db_session, Organization) == 0


def test_publish_import_stamps_publication_for_a_year(db_session, tmp_path):
    run_import(db_session, write_jsonl(tmp_path / "a.jsonl", [BASE]), publish=True)
    db_session.expire_all()
    listing = imported(db_session)
    assert listing.status is ListingStatus.published
    assert listing.first_published_at == listing.published_at
    assert abs(listing.expires_at - listing.published_at - timedelta(days=365)) < timedelta(seconds=1)


def test_import_without_publish_leaves_publication_unset(db_session, tmp_path):
    run_import(db_session, write_jsonl(tmp_path / "a.jsonl", [BASE]))
    listing = imported(db_session)
    assert listing.status is ListingStatus.submitted
    assert (listing.published_at, listing.first_published_at, listing.expires_at) == (None, None, None)


def test_reimport_keeps_the_first_publication_time(db_session, tmp_path):
    run_import(db_session, write_jsonl(tmp_path / "a.jsonl", [BASE]), publish=True)
    listing = imported(db_session)
    first = listing.first_published_at - timedelta(days=30)
    listing.first_published_at = first  # as if first published a month ago
    db_session.flush()
    changed = {**BASE, "title": "Dây chuyền chế biến hạt điều thế hệ mới"}
    run_import(db_session, write_jsonl(tmp_path / "b.jsonl", [changed]), publish=True)
    db_session.expire_all()
    listing = imported(db_session)
    assert listing.title == changed["title"] and listing.first_published_at == first


def test_publishing_a_submitted_import_later_sets_first_publication_once(db_session, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [BASE])
    run_import(db_session, path)
    run_import(db_session, path, publish=True)
    listing = imported(db_session)
    assert listing.status is ListingStatus.published and listing.first_published_at is not None
    stamped = listing.first_published_at
    run_import(db_session, path, publish=True)
    db_session.expire_all()
    assert imported(db_session).first_published_at == stamped
