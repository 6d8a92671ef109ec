"""From a validated record to Listing columns, with the database lookups (field, district) it needs."""
from __future__ import annotations

from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.listings.records import ListingRecord
from exchange.models import Field
from exchange.reference.localities import LocalityResolver

# Record keys stored as they are on the Listing row (the rest are looked up: field, district, organization).
PLAIN_KEYS = ("summary", "keywords", "product_type", "trl", "ip_status", "transfer_modes", "price_min_vnd",
              "price_max_vnd", "origin", "specifications", "advantages", "contact_name", "contact_phone",
              "contact_email", "confidential_details")
LIST_DEFAULTS = {"keywords": [], "transfer_modes": []}


def record_checks(session: Session) -> dict[str, Callable[[Any], Any]]:
    """Checks that need the database: the field code exists, the district resolves to a locality."""
    resolver = LocalityResolver.from_session(session)
    fields = set(session.scalars(select(Field.code)))

    def check_field(code: str) -> str:
        if code not in fields:
            raise ValueError(f"mã lĩnh vực '{code}' không có; chấp nhận: {', '.join(sorted(fields))}")
        return code

    def check_district(name: str) -> str:
        code = resolver.resolve(name)
        if code is None:
            raise ValueError(f"không rõ địa phương '{name}'; có phải: {', '.join(resolver.nearest(name))}?")
        return code

    return {"field": check_field, "district": check_district}


def listing_attrs(rec: ListingRecord) -> dict[str, Any]:
    """The Listing column values of a validated record (organization excluded)."""
    attrs = {key: rec.get(key, LIST_DEFAULTS.get(key)) for key in PLAIN_KEYS}
    attrs.update(title=rec.title, description=rec.description, field_code=rec.get("field"),
                 locality_code=rec.get("district"), requires_nda=bool(rec.get("confidential_details")))
    return attrs
