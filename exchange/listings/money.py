"""Amounts of money as Vietnamese people type them: 1.250.000.000 · 1,25 tỷ · 800 triệu · 1 tỷ 200 triệu · 500k.

A dot or a space groups thousands (1.250.000.000, 1 250 000); a comma is the decimal mark
(1,25 tỷ), and so is a dot that does not group three digits (1.5 tỷ). A fraction needs a
unit: "1,5" alone is refused, never read as 15 (a spreadsheet's ",00" is fine). Several
amounts with units add up ("1 tỷ 200 triệu"). The result is a whole number of đồng.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from exchange.i18n import N_, Msg
from exchange.text import fold

UNITS = {"ty": 10**9, "ti": 10**9, "trieu": 10**6, "tr": 10**6, "nghin": 10**3, "ngan": 10**3, "k": 10**3}
CURRENCY = ("vnd", "dong", "d")
MAX_VND = 10**15  # a million billion đồng: beyond any listing, well inside BIGINT
_AMOUNT = re.compile(r"^(?P<number>\d[\d.,\s]*)\s*(?P<unit>[a-z]*)$")
_GROUPED = re.compile(r"^\d{1,3}([.\s,]\d{3})+$")
_ZERO_CENTS = re.compile(r"^(?P<whole>\d{1,3}(?:\.\d{3})*|\d+),0+$")
_PART = re.compile(r"(\d[\d.,]*)\s*([a-z]+)\s*")
MESSAGE = N_("không đọc được số tiền '%(text)s'; viết ví dụ 1.250.000.000, 1,25 tỷ hoặc 800 triệu")


def _strip_currency(text: str) -> str:
    for word in CURRENCY:
        if text.endswith(word) and (len(text) == len(word) or not text[-len(word) - 1].isalpha()):
            return text[: -len(word)].strip()
    return text


def _number(digits: str, has_unit: bool) -> Decimal:
    digits = digits.strip()
    compact = re.sub(r"\s+", " ", digits)
    if _GROUPED.match(compact) and len({ch for ch in compact if not ch.isdigit()}) == 1:
        return Decimal(re.sub(r"[.\s,]", "", compact))
    compact = compact.replace(" ", "")
    if re.fullmatch(r"\d+", compact):
        return Decimal(compact)
    cents = _ZERO_CENTS.match(compact)
    if cents is not None:  # 1.250.000.000,00 as spreadsheets export it
        return Decimal(cents.group("whole").replace(".", ""))
    match = re.fullmatch(r"(?P<whole>\d{1,3}(?:\.\d{3})*|\d+)[,.](?P<fraction>\d+)", compact)
    if match is None or not has_unit:
        raise ValueError
    whole = match.group("whole").replace(".", "")
    return Decimal(f"{whole}.{match.group('fraction')}")


def parse_vnd(value: Any) -> int:
    """A whole number of đồng from a number or a typed amount; ValueError with a Vietnamese reason."""
    if isinstance(value, bool):
        raise ValueError(Msg(MESSAGE, text=value))
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(Msg(MESSAGE, text=value))
        amount = Decimal(int(value))
    else:
        amount = _parse_text(str(value))
    if amount < 0:
        raise ValueError(N_("không được âm"))
    if amount != amount.to_integral_value():
        raise ValueError(Msg(MESSAGE, text=value))
    if amount > MAX_VND:
        raise ValueError(N_("quá lớn (tối đa 1.000.000 tỷ đồng)"))
    return int(amount)


def _parse_text(raw: str) -> Decimal:
    text = _strip_currency(fold(raw).lower().strip())
    if text.startswith("-"):
        raise ValueError(N_("không được âm"))
    match = _AMOUNT.match(text)
    if match is None:
        return _compound(text, raw)
    unit = match.group("unit")
    if unit and unit not in UNITS:
        raise ValueError(Msg(MESSAGE, text=raw.strip()))
    try:
        number = _number(match.group("number"), has_unit=bool(unit))
    except (ValueError, InvalidOperation):
        raise ValueError(Msg(MESSAGE, text=raw.strip())) from None
    return number * UNITS.get(unit, 1)


def _compound(text: str, raw: str) -> Decimal:
    """Several amounts with units, largest first: "1 tỷ 200 triệu"."""
    parts = _PART.findall(text)
    if len(parts) < 2 or "".join(f"{n}{u}" for n, u in parts) != re.sub(r"\s+", "", text):
        raise ValueError(Msg(MESSAGE, text=raw.strip()))
    scales = [UNITS.get(unit) for _, unit in parts]
    if None in scales or scales != sorted(scales, reverse=True) or len(set(scales)) != len(scales):
        raise ValueError(Msg(MESSAGE, text=raw.strip()))
    try:
        return sum((_number(number, has_unit=True) * scale for (number, _), scale in zip(parts, scales)), Decimal(0))
    except (ValueError, InvalidOperation):
        raise ValueError(Msg(MESSAGE, text=raw.strip())) from None


def format_vnd(amount: int | None) -> str:
    """1250000000 → '1.250.000.000' (the form the pages show and the forms accept back)."""
    return "" if amount is None else f"{amount:,}".replace(",", ".")
