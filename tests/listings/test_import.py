"""Import of listing files: all or nothing, every bad row named, idempotent, status never lowered."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from exchange.audit import SystemActor
from exchange.listings.importing import (ImportRejected, read_listing_file, tokenize_rows, validate_rows,
                                         write_rows)
from exchange.models import AuditEvent, Listing, ListingStatus, Organization

ACTOR = SystemActor("test")
GOOD = [
    {"ref": "A-1", "kind": "offer", "title": "Hệ thống sấy bơm nhiệt cho nông sản",
     "description": "Sấy lạnh tiết kiệm 40% điện năng.", "field": "nong-nghiep", "district": "Tiên Phước",
     "keywords": ["sấy bơm nhiệt", "nông sản"], "organization": "Công ty Cơ khí Thử nghiệm", "trl": 7,
     "price_min_vnd": 2_500_000_000, "transfer_modes": ["license", "equipment_with_technology"]},
    {"ref": "A-2", "kind": "need", "title": "Can may say tiet kiem dien",
     "description": "Nha toi say chuoi, muon tiet kiem dien.", "district": "tien phuoc"},
]


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def run_import(session, path: Path, *, source="import", publish=False):
    prepared = tokenize_rows(session, source, validate_rows(session, read_listing_file(path)))
    return write_rows(session, prepared, source=source, publish=publish, actor=ACTOR)


def count(session, model=Listing) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_good_file_creates_submitted_listings_with_lookups_and_tokens(db_session, tmp_path):
    report = run_import(db_session, write_jsonl(tmp_path / "a.jsonl", GOOD))
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    offer = db_session.scalar(select(Listing).where(Listing.ref == "A-1"))
    assert offer.status is ListingStatus.submitted and offer.submitted_at is not None
    assert offer.locality.name == "Tiên Phước" and offer.field_code == "nong-nghiep"
    assert offer.organization.name == "Công ty Cơ khí Thử nghiệm"
    assert offer.price_min_vnd == 2_500_000_000
    assert "bơm_nhiệt" in offer.tokens_title.split() and offer.tokens_version


def test_unaccented_district_resolves_to_the_same_locality(db_session, tmp_path):
    run_import(db_session, write_jsonl(tmp_path / "a.jsonl", GOOD))
    need = db_session.scalar(select(Listing).where(Listing.ref == "A-2"))
    assert need.locality.name == "Tiên Phước"


def test_second_import_of_the_same_file_changes_nothing(db_session, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", GOOD)
    run_import(db_session, path)
    before = {l.ref: (l.updated_at, l.tokens_title) for l in db_session.scalars(select(Listing))}
    audits = count(db_session, AuditEvent)
    report = run_import(db_session, path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert {l.ref: (l.updated_at, l.tokens_title) for l in db_session.scalars(select(Listing))} == before
    assert count(db_session, AuditEvent) == audits


def test_several_bad_rows_write_nothing_and_each_row_is_named(db_session, tmp_path):
    rows = GOOD + [
        {"ref": "B-1", "kind": "offer", "title": "", "description": "x"},
        {"ref": "B-2", "kind": "sell", "title": "t", "description": "x", "trl": 12},
        {"ref": "B-3", "kind": "need", "title": "t", "description": "x", "price_min_vnd": "nhiều"},
    ]
    with pytest.raises(ImportRejected) as caught:
        run_import(db_session, write_jsonl(tmp_path / "bad.jsonl", rows))
    text = "\n".join(caught.value.lines)
    assert "Dòng 3, cột 'title'" in text
    assert "Dòng 4, cột 'kind'" in text and "Dòng 4, cột 'trl'" in text
    assert "Dòng 5, cột 'price_min_vnd'" in text
    assert count(db_session) == 0


def test_unknown_column_is_an_error_naming_it(db_session, tmp_path):
    rows = [dict(GOOD[0], colour="đỏ")]
    with pytest.raises(ImportRejected) as caught:
        run_import(db_session, write_jsonl(tmp_path / "a.jsonl", rows))
    assert any("'colour'" in line for line in caught.value.lines)
    assert count(db_session) == 0


def test_unknown_locality_error_lists_the_nearest_names(db_session, tmp_path):
    rows = [dict(GOOD[0], district="Tien Phuoq")]
    with pytest.raises(ImportRejected) as caught:
        run_import(db_session, write_jsonl(tmp_path / "a.jsonl", rows))
    line = caught.value.lines[0]
    assert "cột 'district'" in line and "Tiên Phước" in line


def test_the_same_ref_twice_in_one_file_is_an_error(db_session, tmp_path):
    with pytest.raises(ImportRejected) as caught:
        run_import(db_session, write_jsonl(tmp_path / "a.jsonl", [GOOD[0], GOOD[0]]))
    assert "trùng với dòng 1" in caught.value.lines[0]


def test_same_ref_in_two_sources_gives_two_listings(db_session, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", GOOD[:1])
    run_import(db_session, path, source="sở")
    run_import(db_session, path, source="techmart")
    assert sorted(db_session.scalars(select(Listing.source).where(Listing.ref == "A-1"))) == ["sở", "techmart"]


def test_reimport_without_publish_never_lowers_a_published_listing(db_session, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", GOOD)
    run_import(db_session, path, publish=True)
    changed = [dict(GOOD[0], title="Hệ thống sấy bơm nhiệt thế hệ mới"), GOOD[1]]
    report = run_import(db_session, write_jsonl(tmp_path / "b.jsonl", changed))
    assert report.updated == 1
    offer = db_session.scalar(select(Listing).where(Listing.ref == "A-1"))
    assert offer.status is ListingStatus.published
    assert "mới" in offer.tokens_title.split()


def test_csv_with_bom_and_semicolon_lists(db_session, tmp_path):
    path = tmp_path / "a.csv"
    path.write_bytes("\ufeffref,kind,title,description,keywords,district\n"
                     "C-1,offer,Máy sấy lạnh,Sấy dược liệu,sấy lạnh; dược liệu,Hội An\n".encode("utf-8"))
    run_import(db_session, path)
    listing = db_session.scalar(select(Listing).where(Listing.ref == "C-1"))
    assert listing.keywords == ["sấy lạnh", "dược liệu"] and listing.locality.name == "Hội An"


def test_xlsx_rows_are_numbered_as_in_the_spreadsheet(db_session, tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["ref", "kind", "title", "description", "trl"])
    sheet.append(["X-1", "offer", "Lò đốt trấu", "Đốt trấu tạo nhiệt sấy", 6])
    sheet.append(["X-2", "offer", "Máy ép", "Ép viên", "mười"])
    book.save(tmp_path / "a.xlsx")
    with pytest.raises(ImportRejected) as caught:
        run_import(db_session, tmp_path / "a.xlsx")
    assert caught.value.lines == ["Dòng 3, cột 'trl': phải là số nguyên từ 1 đến 9"]


def test_xlsx_good_file_imports(db_session, tmp_path):
    book = Workbook()
    book.active.append(["ref", "kind", "title", "description", "price_max_vnd"])
    book.active.append(["X-1", "need", "Cần lò đốt trấu", "Để sấy lúa", 3_000_000_000])
    book.save(tmp_path / "a.xlsx")
    run_import(db_session, tmp_path / "a.xlsx")
    assert db_session.scalar(select(Listing.price_max_vnd).where(Listing.ref == "X-1")) == 3_000_000_000


def test_not_json_lines_are_reported_by_line(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text('{"ref": "1"}\nnot json\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        read_listing_file(path)
    assert [line[:6] for line in caught.value.lines] == ["Dòng 2", "Dòng 3"]


@pytest.mark.parametrize("name", ["a.txt", "a.json"])
def test_unsupported_file_type_is_refused(tmp_path, name):
    (tmp_path / name).write_text("{}", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        read_listing_file(tmp_path / name)
    assert "Không hỗ trợ định dạng" in caught.value.lines[0]


def test_organization_is_created_once_on_first_use(db_session, tmp_path):
    rows = [dict(GOOD[0]), dict(GOOD[1], organization="Công ty Cơ khí Thử nghiệm")]
    run_import(db_session, write_jsonl(tmp_path / "a.jsonl", rows))
    assert count(db_session, Organization) == 1


def test_import_is_recorded_in_the_audit_log_with_the_actor(db_session, tmp_path):
    run_import(db_session, write_jsonl(tmp_path / "a.jsonl", GOOD))
    event = db_session.scalar(select(AuditEvent).where(AuditEvent.action == "import_listings"))
    assert event.actor_label == "test" and event.detail["created"] == 2
