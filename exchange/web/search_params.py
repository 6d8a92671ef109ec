"""Search parameters → SearchQuery, validated by the API's own schema (the page and the API parse alike)."""
from __future__ import annotations

from typing import Any, Mapping

from marshmallow import ValidationError as SchemaError

from exchange.errors import MalformedInput
from exchange.i18n import N_
from exchange.search import SearchQuery
from exchange.web.api.schemas import SearchArgs
from exchange.web.messages import first_messages

FILTERS = ("kind", "field", "locality", "product_type")
MAX_QUERY_CHARS = 500


def to_search_query(data: Mapping[str, Any]) -> SearchQuery:
    """A SearchQuery from validated parameters (facets and highlights on: pages and the API show them)."""
    filters = {name: (data.get(name) or "").strip() or None for name in FILTERS}
    return SearchQuery(text=(data.get("q") or "")[:MAX_QUERY_CHARS], doc_type="listing", trl_min=data.get("trl_min"),
                       trl_max=data.get("trl_max"), page=data["page"], per_page=data["per_page"], sort=data["sort"],
                       facets=True, highlight=True, is_typing=bool(data.get("typing")), **filters)


def parse_search_args(args: Mapping[str, str]) -> SearchQuery:
    """Validate the query string; MalformedInput (400) naming each malformed parameter."""
    try:
        data = SearchArgs().load({key: args.get(key) for key in args})
    except SchemaError as exc:
        raise MalformedInput(N_("Tham số tìm kiếm không hợp lệ."), first_messages(exc.messages)) from None
    return to_search_query(data)
