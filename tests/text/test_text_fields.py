import pytest

from exchange.text import FieldTokens, segment, tokenize_fields, tokenize_many


def test_tokenize_fields_segments_keywords_jointly():
    tokens = tokenize_fields("Máy sấy lạnh", ["bơm nhiệt", "IoT"], "Hệ thống sấy nông sản.")
    assert tokens.title == tuple(segment("Máy sấy lạnh"))
    assert tokens.keywords == ("bơm_nhiệt", "iot")
    assert tokens.description == ("hệ_thống", "sấy", "nông_sản")


def test_tokenize_fields_accepts_empty_fields():
    assert tokenize_fields("", [], "") == FieldTokens((), (), ())


def test_field_tokens_round_trip_through_json():
    tokens = FieldTokens(("máy_sấy", "lạnh"), ("bơm_nhiệt",), ())
    assert FieldTokens.from_json(tokens.to_json()) == tokens


def test_field_tokens_json_is_readable_text():
    assert '"keywords": "bơm_nhiệt iot"' in FieldTokens((), ("bơm_nhiệt", "iot"), ()).to_json()


def test_field_tokens_all_tokens_concatenates_fields_in_order():
    assert FieldTokens(("a",), ("b",), ("c", "d")).all_tokens() == ("a", "b", "c", "d")


def _items(count):
    titles = ["Hệ thống sấy bơm nhiệt", "Máy lọc nước thẩm thấu ngược RO", "Quy trình nuôi cấy mô", "Đèn UV-C"]
    return [(f"{titles[i % 4]} {i}", [f"từ khóa {i % 7}", "IoT"], f"Mô tả số {i}: công suất {i} kW.") for i in range(count)]


@pytest.mark.parametrize(("count", "processes"), [(5, 2), (240, 2), (240, 1)])
def test_tokenize_many_equals_a_loop_of_tokenize_fields(count, processes):
    items = _items(count)
    assert tokenize_many(items, processes=processes) == [tokenize_fields(*item) for item in items]


def test_tokenize_many_reports_progress_up_to_the_item_count():
    seen = []
    tokenize_many(_items(230), processes=2, progress=seen.append)
    assert seen == list(range(1, 231))
