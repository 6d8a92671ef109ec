"""The search page and GET /api/listings: same service, Vietnamese messages, JSON error envelope."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

LISTINGS = [
    {"ref": "S-1", "kind": "offer", "title": "Máy sấy nông sản bằng bơm nhiệt", "field": "nong-nghiep",
     "description": "Sấy chuối, xoài tiết kiệm điện.", "district": "Tiên Phước", "trl": 7},
    {"ref": "S-2", "kind": "need", "title": "Cần công nghệ hòa tan oxy cho ao tôm", "field": "thuy-san",
     "description": "Ao nuôi tôm thẻ hay thiếu oxy ban đêm.", "district": "Núi Thành"},
    {"ref": "S-3", "kind": "offer", "title": "Máy bơm nước năng lượng mặt trời", "field": "nang-luong",
     "description": "Bơm tưới cho vườn đồi.", "district": "Tiên Phước", "trl": 8},
]


@pytest.fixture
def indexed(runner, tmp_path):
    path = tmp_path / "l.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in LISTINGS), encoding="utf-8")
    result = runner("import", str(path), "--publish")
    assert result.exit_code == 0, result.output


def api(client, **params):
    return client.get("/api/listings", query_string=params)


def refs(response) -> list[str]:
    return [r["ref"] for r in response.get_json()["results"]]


def test_unaccented_query_finds_the_accented_listing(client, indexed):
    assert refs(api(client, q="may say nong san"))[0] == "S-1"


def test_old_tone_placement_finds_the_new_one(client, indexed):
    assert "S-2" in refs(api(client, q="hoà tan"))


def test_result_carries_the_documented_fields_and_plain_fragments(client, indexed):
    body = api(client, q="bơm nhiệt").get_json()
    result = body["results"][0]
    assert set(result) == {"id", "ref", "kind", "title", "summary", "field", "locality", "organization",
                           "published_at", "status", "expires_at", "score", "highlight"}
    assert result["status"] == "published"
    assert result["locality"] == "Tiên Phước"
    assert all(isinstance(t, str) and isinstance(m, bool) for t, m in result["highlight"])
    assert any(m for _, m in result["highlight"])
    assert set(body["facets"]) == {"kind", "field", "locality", "product_type"}


def test_filters_and_facet_counts(client, indexed):
    body = api(client, kind="offer").get_json()
    assert body["total"] == 2 and body["facets"]["kind"] == {"offer": 2}
    assert refs(api(client, trl_min="8")) == ["S-3"]


@pytest.mark.parametrize("params", [{"kind": "khong-co"}, {"page": "99"}, {"field": "xyz"}])
def test_unknown_facet_value_or_page_past_the_end_gives_no_results(client, indexed, params):
    response = api(client, **params)
    assert response.status_code == 200 and response.get_json()["results"] == []


@pytest.mark.parametrize("params,field", [({"page": "abc"}, "page"), ({"per_page": "0"}, "per_page"),
                                          ({"per_page": "101"}, "per_page"), ({"sort": "cu-nhat"}, "sort"),
                                          ({"trl_min": "10"}, "trl_min")])
def test_malformed_parameter_is_a_400_in_the_json_envelope(client, params, field):
    response = api(client, **params)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "validation_error" and field in error["fields"]


@pytest.mark.parametrize("q", ["", "   ", "?!.,;", '" * : ( ) ~ ^ AND OR NOT', "x" * 10_000, "máy\x00sấy",
                               "🚜🌾", "ma\u0301y sa\u0302\u0301y"])
def test_odd_queries_never_fail(client, indexed, q):
    assert api(client, q=q).status_code == 200
    assert client.get("/tim-kiem", query_string={"q": q}).status_code == 200


def test_search_page_shows_facets_highlights_in_vietnamese(client, indexed):
    page = client.get("/tim-kiem", query_string={"q": "máy sấy"}).get_data(as_text=True)
    assert "Lĩnh vực" in page and "<mark>" in page and "kết quả" in page
    assert "Nông nghiệp" in page


def test_search_page_with_a_bad_parameter_explains_in_vietnamese(client):
    response = client.get("/tim-kiem", query_string={"page": "abc"})
    assert response.status_code == 400 and "phải là số nguyên" in response.get_data(as_text=True).lower()


def test_missing_index_says_search_is_being_rebuilt_and_reindex_recovers(app, client, runner, indexed):
    index_dir = Path(app.extensions["exchange"].config.index_dir) / "search"
    app.extensions["exchange"].search.close()
    shutil.rmtree(index_dir)
    index_dir.write_text("not a folder")  # unreadable: a file where the folder should be
    assert "xây dựng lại chỉ mục" in api(client, q="bơm").get_json()["error"]["message"]
    assert client.get("/tim-kiem", query_string={"q": "bơm"}).status_code == 503
    index_dir.unlink()
    app.extensions["exchange"].search.close()
    assert runner("reindex").exit_code == 0
    assert set(refs(api(client))) == {"S-1", "S-2", "S-3"}


def test_openapi_document_describes_the_listing_search(client):
    doc = client.get("/api/openapi.json").get_json()
    params = {p["name"] for p in doc["paths"]["/api/listings"]["get"]["parameters"]}
    assert params == {"q", "kind", "field", "locality", "product_type", "trl_min", "trl_max", "page", "per_page",
                      "sort", "typing", "mine"}


def test_typing_matches_the_unfinished_last_word_as_a_prefix(client, indexed):
    assert refs(api(client, q="sấy nông s", typing="1"))[0] == "S-1"
    assert refs(api(client, q="hòa ta", typing="1")) == ["S-2"]


def test_typing_flag_must_be_a_boolean(client):
    response = api(client, q="bơm", typing="có")
    assert response.status_code == 400 and "typing" in response.get_json()["error"]["fields"]
