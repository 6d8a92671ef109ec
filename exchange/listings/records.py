"""The listing record of DESIGN.md: one validator shared by import, the JSON API and the forms."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from exchange.i18n import N_, Msg
from exchange.listings.money import parse_vnd
from exchange.models import (
    IpStatus,
    ListingKind,
    OrganizationType,
    ProductType,
    TransferMode,
)

# Limits follow the columns (models/listings.py, models/accounts.py): a value that fits here fits there.
TEXT_LIMITS = {"title": 300, "summary": 1_000, "description": 20_000, "contact_name": 200, "contact_phone": 50,
               "contact_email": 254, "organization": 300, "district": 200, "field": 40, "ref": 80,
               "nda_text": 5_000}
MAX_OTHER_TEXT = 20_000
LIST_LIMITS = {"keywords": (30, 100), "transfer_modes": (len(TransferMode), 40)}  # (items, characters per item)
REQUIRED = ("ref", "kind", "title", "description")
OPTIONAL_TEXT = ("summary", "origin", "specifications", "advantages", "contact_name", "contact_phone",
                 "contact_email", "confidential_details", "nda_text", "organization", "district", "field")
LIST_KEYS = ("keywords", "transfer_modes")
INT_KEYS = ("trl",)
MONEY_KEYS = ("price_min_vnd", "price_max_vnd")
CHOICE_KEYS = {"kind": ListingKind, "product_type": ProductType, "ip_status": IpStatus,
               "organization_type": OrganizationType}
ALL_KEYS = frozenset(REQUIRED + OPTIONAL_TEXT + LIST_KEYS + INT_KEYS + MONEY_KEYS + tuple(CHOICE_KEYS))
# Keys only import sets: on the web and the API the ref is assigned and the organization is the poster's.
IMPORT_ONLY = frozenset({"ref", "organization", "organization_type"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TRL_INTEGER = N_("phải là số nguyên từ 1 đến 9")
_PHONE = re.compile(r"^[0-9+()./\s-]{6,50}$")


class RecordError(Exception):
    """A record is invalid; `problems` maps a column to a Vietnamese reason."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in problems.items()))
        self.problems = problems


@dataclass(frozen=True)
class ListingRecord:
    """A validated listing record (strings NFC, lists as tuples, numbers as int)."""

    ref: str
    kind: ListingKind
    title: str
    description: str
    values: Mapping[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        """An optional value of the record."""
        return self.values.get(key, default)


def clean_text(value: Any) -> str:
    """NFC, NUL and control characters removed, surrounding whitespace stripped."""
    text = unicodedata.normalize("NFC", str(value))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return text.strip()


def _split_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part for part in (clean_text(p) for p in value.split(";")) if part]
    if isinstance(value, (list, tuple)):
        return [part for part in (clean_text(p) for p in value if p is not None) if part]
    raise ValueError(N_("phải là danh sách (trong CSV/XLSX: các mục cách nhau bởi dấu ;)"))


def _parse_trl(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(TRL_INTEGER)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(TRL_INTEGER)
        value = int(value)
    try:
        number = int(str(value).strip()) if isinstance(value, str) else int(value)
    except (TypeError, ValueError):
        raise ValueError(TRL_INTEGER) from None
    if not 1 <= number <= 9:
        raise ValueError(N_("mức sẵn sàng công nghệ (TRL) phải từ 1 đến 9"))
    return number


def _check_list(key: str, value: Any) -> list[str]:
    items = _split_list(value)
    most, chars = LIST_LIMITS[key]
    if len(items) > most:
        raise ValueError(Msg(N_("tối đa %(most)s mục, có %(count)s"), most=most, count=len(items)))
    long = [item for item in items if len(item) > chars]
    if long:
        raise ValueError(Msg(N_("mỗi mục tối đa %(chars)s ký tự ('%(item)s…' dài %(length)s)"), chars=chars,
                             item=long[0][:30], length=len(long[0])))
    return _check_modes(items) if key == "transfer_modes" else list(dict.fromkeys(items))


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _check_text(key: str, value: Any) -> str:
    text = clean_text(value)
    limit = TEXT_LIMITS.get(key, MAX_OTHER_TEXT)
    if len(text) > limit:
        raise ValueError(Msg(N_("dài %(length)s ký tự, tối đa %(limit)s"), length=_grouped(len(text)),
                             limit=_grouped(limit)))
    if key == "contact_email" and not _EMAIL.match(text):
        raise ValueError(N_("địa chỉ e-mail không hợp lệ"))
    if key == "contact_phone" and not _PHONE.match(text):
        raise ValueError(N_("số điện thoại chỉ gồm chữ số, dấu cách, + ( ) . -"))
    return text


def _check_choice(key: str, value: Any) -> Any:
    enum_cls = CHOICE_KEYS[key]
    text = clean_text(value)
    try:
        return enum_cls(text)
    except ValueError:
        allowed = ", ".join(m.value for m in enum_cls)
        raise ValueError(Msg(N_("giá trị '%(value)s' không hợp lệ; chấp nhận: %(allowed)s"), value=text,
                             allowed=allowed)) from None


def _check_modes(modes: list[str]) -> list[str]:
    allowed = {m.value for m in TransferMode}
    bad = [m for m in modes if m not in allowed]
    if bad:
        raise ValueError(Msg(N_("hình thức chuyển giao không hợp lệ: %(bad)s; chấp nhận: %(allowed)s"),
                             bad=", ".join(bad), allowed=", ".join(sorted(allowed))))
    return modes


def _validate_key(key: str, value: Any) -> Any:
    if key in CHOICE_KEYS:
        return _check_choice(key, value)
    if key in INT_KEYS:
        return _parse_trl(value)
    if key in MONEY_KEYS:
        return parse_vnd(value)
    if key in LIST_KEYS:
        return _check_list(key, value)
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise ValueError(N_("phải là chuỗi ký tự"))
    return _check_text(key, value)


def reason(exc: ValueError) -> str:
    """The Vietnamese reason a check gave, kept translatable (a Msg survives; str() would flatten it)."""
    return exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def validate_record(raw: Mapping[str, Any], *,
                    checks: Mapping[str, Callable[[Any], Any]] | None = None) -> ListingRecord:
    """Validate one raw record; raise RecordError naming every bad column. `checks` add lookups (field, district)."""
    problems: dict[str, str] = {}
    for key in raw:
        if key not in ALL_KEYS:
            problems[str(key)] = N_("cột không được hỗ trợ (không có trong mẫu nhập liệu)")
    values: dict[str, Any] = {}
    for key in REQUIRED:
        if _is_blank(raw.get(key)):
            problems[key] = N_("bắt buộc, không được để trống")
    for key, value in raw.items():
        if key not in ALL_KEYS or _is_blank(value) or key in problems:
            continue
        try:
            values[key] = _validate_key(key, value)
            if checks and key in checks:
                values[key] = checks[key](values[key])
        except ValueError as exc:
            problems[key] = reason(exc)
    _check_price_range(values, problems)
    if problems:
        raise RecordError(problems)
    core = {k: values.pop(k) for k in REQUIRED}
    return ListingRecord(ref=core["ref"], kind=core["kind"], title=core["title"], description=core["description"],
                         values=values)


def _check_price_range(values: dict[str, Any], problems: dict[str, str]) -> None:
    low, high = values.get("price_min_vnd"), values.get("price_max_vnd")
    if low is not None and high is not None and low > high:
        problems["price_max_vnd"] = N_("giá tối đa nhỏ hơn giá tối thiểu")
