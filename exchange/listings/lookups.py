"""From a validated record to Listing columns, with the database lookups (field, district) it needs."""
from __future__ import annotations

from typing import Any, Callable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.i18n import N_, Msg
from exchange.listings.records import ListingRecord
from exchange.models import Field, Listing, Locality
from exchange.reference.localities import LocalityResolver

# Record keys stored as they are on the Listing row (the rest are looked up: field, district, organization).
PLAIN_KEYS = ("summary", "keywords", "product_type", "trl", "ip_status", "transfer_modes", "price_min_vnd",
              "price_max_vnd", "origin", "specifications", "advantages", "contact_name", "contact_phone",
              "contact_email", "confidential_details")
LIST_DEFAULTS = {"keywords": [], "transfer_modes": []}
# The record keys a web or API poster sends (import adds ref, organization and organization_type).
POSTER_KEYS = ("kind", "title", "summary", "description", "field", "keywords", "product_type", "trl", "ip_status",
               "transfer_modes", "price_min_vnd", "price_max_vnd", "origin", "specifications", "advantages",
               "district", "contact_name", "contact_phone", "contact_email", "confidential_details", "nda_text")
# Keys only the owner and staff read (with review_note): the rest of the record is public once published.
PRIVATE_KEYS = ("contact_name", "contact_phone", "contact_email", "confidential_details", "nda_text")
DEFAULT_NDA_TEXT = (
    "Bên nhận cam kết giữ bí mật các thông tin chi tiết của tin này (tài liệu kỹ thuật, quy trình, số liệu, "
    "bí quyết và mọi thông tin được ghi là bảo mật), chỉ dùng chúng để đánh giá và đàm phán việc chuyển giao "
    "công nghệ với bên đăng tin, không tiết lộ cho bên thứ ba và không tự ứng dụng khi chưa có thỏa thuận "
    "bằng văn bản. Cam kết có hiệu lực trong 02 năm kể từ ngày chấp nhận.")


def record_checks(session: Session) -> dict[str, Callable[[Any], Any]]:
    """Checks that need the database: the field code exists, the district resolves to a locality."""
    resolver = LocalityResolver.from_session(session)
    fields = set(session.scalars(select(Field.code)))

    def check_field(code: str) -> str:
        if code not in fields:
            raise ValueError(Msg(N_("mã lĩnh vực '%(code)s' không có; chấp nhận: %(allowed)s"), code=code,
                                 allowed=", ".join(sorted(fields))))
        return code

    def check_district(name: str) -> str:
        code = resolver.resolve(name)
        if code is None:
            raise ValueError(Msg(N_("không rõ địa phương '%(name)s'; có phải: %(nearest)s?"), name=name,
                                 nearest=", ".join(resolver.nearest(name))))
        return code

    return {"field": check_field, "district": check_district}


def listing_attrs(rec: ListingRecord) -> dict[str, Any]:
    """The Listing column values of a validated record (organization excluded)."""
    attrs = {key: rec.get(key, LIST_DEFAULTS.get(key)) for key in PLAIN_KEYS}
    needs_nda = bool(rec.get("confidential_details"))
    attrs.update(title=rec.title, description=rec.description, field_code=rec.get("field"),
                 locality_code=rec.get("district"), requires_nda=needs_nda,
                 nda_text=(rec.get("nda_text") or DEFAULT_NDA_TEXT) if needs_nda else rec.get("nda_text"))
    return attrs


def _value(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return list(value)
    return getattr(value, "value", value)


def record_from_attrs(attrs: Mapping[str, Any], kind: Any, locality_name: str | None) -> dict[str, Any]:
    """Listing columns back in the poster's record form (the district as the locality's name)."""
    values = {key: _value(attrs.get(key)) for key in PLAIN_KEYS}
    values.update(kind=_value(kind), title=attrs.get("title"), description=attrs.get("description"),
                  field=attrs.get("field_code"), nda_text=attrs.get("nda_text"), district=locality_name)
    return {key: values.get(key) for key in POSTER_KEYS}


def record_values(listing: Listing) -> dict[str, Any]:
    """The listing in the poster's record form (what POST /api/listings takes): a GET can be PATCHed back.

    The district is the locality's name (which the record resolves again); money stays whole đồng.
    """
    attrs = {key: getattr(listing, key) for key in (*PLAIN_KEYS, "title", "description", "field_code", "nda_text")}
    return record_from_attrs(attrs, listing.kind, listing.locality.name if listing.locality is not None else None)


def canonical_record(session: Session, kind: Any, attrs: Mapping[str, Any]) -> dict[str, Any]:
    """Validated columns in record form, as record_values would give them once applied."""
    code = attrs.get("locality_code")
    name = session.scalar(select(Locality.name).where(Locality.code == code)) if code else None
    return record_from_attrs(attrs, kind, name)
