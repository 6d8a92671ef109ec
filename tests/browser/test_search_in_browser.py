"""A visitor searches in a real browser: unaccented typing, live suggestions, facets, the listing page."""
from __future__ import annotations

import json
import re

import pytest

ROWS = [
    {"ref": "B-1", "kind": "offer", "title": "Máy sấy nông sản bằng bơm nhiệt", "field": "nong-nghiep",
     "description": "Sấy chuối, xoài tiết kiệm điện.", "district": "Tiên Phước"},
    {"ref": "B-2", "kind": "need", "title": "Cần máy sấy cá khô cho làng chài", "field": "thuy-san",
     "description": "Phơi cá gặp mưa hay hỏng.", "district": "Núi Thành"},
    {"ref": "B-3", "kind": "offer", "title": "Máy bóc vỏ hạt điều", "field": "co-khi-tu-dong-hoa",
     "description": "Bóc vỏ tự động.", "district": "Quế Sơn"},
]
pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.fixture
def listings(runner, tmp_path):
    path = tmp_path / "b.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in ROWS), encoding="utf-8")
    assert runner("import", str(path), "--publish").exit_code == 0


def test_unaccented_search_then_facet_then_listing_page(page, live_url, listings):
    page.goto(f"{live_url}/tim-kiem")
    page.fill("#q", "may say")
    page.press("#q", "Enter")
    page.wait_for_selector("text=2 kết quả")
    assert page.locator("mark").first.inner_text().lower() in {"máy", "sấy"}
    page.click("a.facet:has-text('Nông nghiệp')")
    page.wait_for_selector("text=1 kết quả")
    page.click("article h3 a")
    page.wait_for_url(re.compile(r"/tin/\d+$"))
    assert page.locator("h1").inner_text() == "Máy sấy nông sản bằng bơm nhiệt"
    assert page.locator("html").get_attribute("lang") == "vi"


def test_live_suggestions_appear_while_typing(page, live_url, listings):
    page.goto(f"{live_url}/tim-kiem")
    page.type("#q", "bóc v", delay=30)
    item = page.locator("#live-results li a").first
    item.wait_for()
    assert item.inner_text() == "Máy bóc vỏ hạt điều"
