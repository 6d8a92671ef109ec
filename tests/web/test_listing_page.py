"""A published listing's page and API twins: suggestions with reasons, contact details never shown."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.models import Listing, Match, MatchStatus

ROWS = [
    {"ref": "P-O1", "kind": "offer", "title": "Hệ thống sấy lạnh bơm nhiệt cho chuối, xoài",
     "description": "Sấy nông sản ở nhiệt độ thấp, tiết kiệm điện năng.", "contact_phone": "0905 111 222",
     "confidential_details": "Bản vẽ dàn ngưng chỉ gửi sau NDA", "trl": 7, "price_min_vnd": 250_000_000},
    {"ref": "P-O2", "kind": "offer", "title": "Máy bóc vỏ hạt điều", "description": "Bóc vỏ điều tự động."},
    {"ref": "P-N1", "kind": "need", "title": "Cần máy sấy chuối tiết kiệm điện",
     "description": "Hộ sấy chuối bằng củi, muốn chuyển sang máy sấy điện ít tốn.", "price_max_vnd": 300_000_000},
]


@pytest.fixture
def published(runner, tmp_path, committed):
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS), encoding="utf-8")
    assert runner("import", str(path), "--publish").exit_code == 0
    with Session(committed) as session:
        return {l.ref: l.id for l in session.scalars(select(Listing))}


def test_need_page_shows_the_suggested_offer_with_vietnamese_reasons(client, published):
    page = client.get(f"/tin/{published['P-N1']}").get_data(as_text=True)
    assert "Công nghệ có thể đáp ứng nhu cầu này" in page
    assert "Hệ thống sấy lạnh bơm nhiệt" in page and "Cùng đề cập" in page


def test_offer_page_shows_needs_and_hides_contact_and_confidential_details(client, published):
    page = client.get(f"/tin/{published['P-O1']}").get_data(as_text=True)
    assert "Cần máy sấy chuối tiết kiệm điện" in page
    # The confidential text itself: "NDA" alone turns up by chance in the base64 of a CSRF token.
    assert "0905 111 222" not in page and "Bản vẽ dàn ngưng" not in page
    api = client.get(f"/api/listings/{published['P-O1']}").get_json()
    assert "contact_phone" not in api and "confidential_details" not in api and api["trl"] == 7


def test_matches_api_lists_best_first_and_hides_rejected_pairs(client, published, committed):
    body = client.get(f"/api/listings/{published['P-N1']}/matches").get_json()
    assert set(body) == {"results", "total", "page", "per_page"} and body["total"] == len(body["results"]) > 0
    matches = body["results"]
    assert set(matches[0]) == {"match_id", "listing", "score", "reasons", "status"}
    assert set(matches[0]["listing"]) >= {"id", "ref", "kind", "title"}
    assert matches[0]["listing"]["ref"] == "P-O1" and matches[0]["reasons"]
    assert [m["score"] for m in matches] == sorted((m["score"] for m in matches), reverse=True)
    with Session(committed) as session, session.begin():
        session.scalar(select(Match).where(Match.id == matches[0]["match_id"])).status = MatchStatus.rejected
    again = client.get(f"/api/listings/{published['P-N1']}/matches").get_json()["results"]
    assert "P-O1" not in [m["listing"]["ref"] for m in again]


def test_experts_api_answers_the_list_shape_without_contact_details(client, published):
    body = client.get(f"/api/listings/{published['P-N1']}/experts").get_json()
    assert set(body) == {"results", "total", "page", "per_page"}
    for item in body["results"]:
        assert set(item["expert"]) == {"id", "full_name", "title", "specialties", "organization"}


def test_unpublished_or_unknown_listing_is_a_404(client, published):
    assert client.get("/tin/999999").status_code == 404
    assert client.get("/api/listings/999999/matches").get_json()["error"]["code"] == "not_found"


def test_when_nothing_fits_the_page_says_so_and_shows_at_most_three_nearest(client, published, committed):
    from exchange.models import ListingKind, ListingStatus

    need = published["P-N1"]
    with Session(committed) as session, session.begin():
        extra = [Listing(source="t", ref=f"X-{n}", kind=ListingKind.offer, status=ListingStatus.published,
                         title=f"Tin thêm {n}", description="Mô tả.") for n in range(4)]
        session.add_all(extra)
        session.flush()
        session.add_all(Match(need_id=need, offer_id=offer.id, score=0.02) for offer in extra)
        for match in session.scalars(select(Match).where(Match.need_id == need)):
            match.score = min(match.score, 0.05)
    page = client.get(f"/tin/{need}").get_data(as_text=True)
    assert "Chưa có tin nào thật phù hợp" in page
    assert page.count('class="card suggestion') == 3
