"""Password policy (OWASP ASVS 6.2): 10–128 characters of any kind, no composition rules, no common ones.

Hashing is Werkzeug's scrypt. The refused list is the bundled common-passwords file plus
Vietnamese words with the endings people add to them ("matkhau123", "anhyeuem2024").
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from exchange.i18n import N_, Msg

MIN_LENGTH = 10
MAX_LENGTH = 128
DATA_DIR = Path(__file__).with_name("data")
COMMON_FILE = "common-passwords.txt"
VIETNAMESE_FILE = "vietnamese-passwords.txt"
_ENDINGS = ("", "1", "12", "123", "1234", "12345", "123456", "1234567", "12345678", "123456789", "1234567890",
            "@123", "@1234", "@123456", "!", "123!", "@", "00", "01", "68", "86", "88", "99", "000", "111", "999")
_YEARS = tuple(str(year) for year in range(1960, 2031))


def _canonical(password: str) -> str:
    return unicodedata.normalize("NFC", password).casefold()


def _lines(name: str) -> list[str]:
    """The lines of a data file but its leading '#' comments (a password may contain '#')."""
    lines = (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """Every refused password, lower case (loaded once; a missing file is an error, not an empty list)."""
    common = {_canonical(line) for line in _lines(COMMON_FILE)}
    for word in _lines(VIETNAMESE_FILE):
        common.update(_canonical(word + ending) for ending in _ENDINGS + _YEARS)
    return frozenset(common)


def password_problem(password: str, *, email: str | None = None) -> str | None:
    """Why this password is refused (a Vietnamese message), or None when it is acceptable."""
    password = unicodedata.normalize("NFC", password)
    if len(password) < MIN_LENGTH:
        return Msg(N_("Mật khẩu phải có ít nhất %(min)s ký tự."), min=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return Msg(N_("Mật khẩu dài tối đa %(max)s ký tự."), max=MAX_LENGTH)
    canonical = _canonical(password)
    if canonical in common_passwords():
        return N_("Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác.")
    if email and canonical in {_canonical(email), _canonical(email.split("@")[0])}:
        return N_("Mật khẩu không được trùng với địa chỉ e-mail.")
    return None


def hash_password(password: str) -> str:
    """The scrypt hash of a password, in NFC: Vietnamese typed decomposed (Unikey's "tổ hợp", macOS) or
    composed is the same password."""
    return generate_password_hash(unicodedata.normalize("NFC", password))


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return generate_password_hash("decoy password for unknown accounts")


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches; an unknown or not yet activated account never matches.

    Every answer costs one scrypt check (a decoy one when there is no hash), so the time
    taken does not tell whether an account exists. An overlong password is refused before
    hashing, so a 10,000-character one costs no more than a short one.
    """
    candidate = unicodedata.normalize("NFC", password) if len(password) <= 4 * MAX_LENGTH else ""
    if len(candidate) > MAX_LENGTH:
        candidate = ""
    if not password_hash or not candidate:
        check_password_hash(_decoy_hash(), candidate or "-")
        return False
    return check_password_hash(password_hash, candidate)
