"""The Vietnamese home page lists the newest published listings, and only those."""
from __future__ import annotations

from sqlalchemy.orm import Session

from exchange.db import utcnow
from exchange.models import Listing, ListingKind, ListingStatus


def add(engine, **values) -> None:
    with Session(engine) as session, session.begin():
        session.add(Listing(source="t", description="Mô tả", **values))


def test_home_page_is_vietnamese_and_lists_published_offers_and_needs(client, committed):
    add(committed, ref="1", kind=ListingKind.offer, title="Hệ thống sấy bơm nhiệt",
        status=ListingStatus.published, published_at=utcnow())
    add(committed, ref="2", kind=ListingKind.need, title="Cần máy bóc vỏ hạt điều",
        status=ListingStatus.published, published_at=utcnow())
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "Hệ thống sấy bơm nhiệt" in page and "Cần máy bóc vỏ hạt điều" in page
    assert "1 công nghệ chào bán · 1 nhu cầu công nghệ" in page


def test_unpublished_listings_are_not_on_the_home_page(client, committed):
    add(committed, ref="3", kind=ListingKind.offer, title="Tin chờ duyệt bí mật", status=ListingStatus.submitted)
    page = client.get("/").get_data(as_text=True)
    assert "Tin chờ duyệt bí mật" not in page
    assert "Chưa có công nghệ chào bán nào được công bố." in page


def test_unknown_page_gives_a_vietnamese_404(client):
    response = client.get("/khong-co")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.get_data(as_text=True)


def test_unknown_api_path_gives_the_json_error_envelope(client):
    response = client.get("/api/khong-co")
    assert response.status_code == 404
    assert set(response.get_json()["error"]) == {"code", "message", "fields"}
