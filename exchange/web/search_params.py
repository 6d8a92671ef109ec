"""Query-string parameters of listing search → SearchQuery, with Vietnamese errors (shared by page and API)."""
from __future__ import annotations

from typing import Mapping

from exchange.errors import ValidationError
from exchange.search import SearchQuery
from exchange.search.backend import MAX_PER_PAGE, SORTS

MAX_QUERY_CHARS = 500
FILTERS = ("kind", "field", "locality", "product_type")


def _int(args: Mapping[str, str], name: str, low: int, high: int, default: int | None,
         problems: dict[str, str]) -> int | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        problems[name] = "phải là số nguyên"
        return default
    if not low <= value <= high:
        problems[name] = f"phải từ {low} đến {high}"
        return default
    return value


def parse_search_args(args: Mapping[str, str]) -> SearchQuery:
    """Validate the parameters; raise ValidationError naming each malformed one."""
    problems: dict[str, str] = {}
    page = _int(args, "page", 1, 10**6, 1, problems)
    per_page = _int(args, "per_page", 1, MAX_PER_PAGE, 20, problems)
    trl_min = _int(args, "trl_min", 1, 9, None, problems)
    trl_max = _int(args, "trl_max", 1, 9, None, problems)
    sort = (args.get("sort") or "relevance").strip()
    if sort not in SORTS:
        problems["sort"] = f"chỉ nhận: {', '.join(SORTS)}"
    typing = (args.get("typing") or "").strip().lower()
    if typing not in ("", "0", "1", "true", "false"):
        problems["typing"] = "chỉ nhận 1/0 hoặc true/false"
    if problems:
        raise ValidationError("Tham số tìm kiếm không hợp lệ.", problems)
    text = (args.get("q") or "")[:MAX_QUERY_CHARS]
    filters = {name: (args.get(name) or "").strip() or None for name in FILTERS}
    return SearchQuery(text=text, doc_type="listing", trl_min=trl_min, trl_max=trl_max, page=page or 1,
                       per_page=per_page or 20, sort=sort, facets=True, highlight=True,
                       is_typing=typing in ("1", "true"), **filters)
