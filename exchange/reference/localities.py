"""Locality names typed by people (with or without diacritics, with prefixes) → locality codes."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.models import Locality
from exchange.reference.data import read_csv

_PREFIXES = re.compile(r"^(thanh pho|tp\.?|thi xa|tx\.?|huyen|quan|tinh)\s+")


def fold_name(name: str) -> str:
    """Lowercase, diacritics removed, đ→d, prefixes like 'Huyện', 'TP.' dropped, spaces collapsed."""
    s = unicodedata.normalize("NFD", name.strip().lower()).replace("đ", "d")
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = " ".join(s.replace(".", ". ").split())
    return _PREFIXES.sub("", s).strip()


def _nfc_lower(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).lower().split())


@dataclass
class LocalityResolver:
    """Resolves a typed name to a code: exact (accented) first, then folded, else the nearest names."""

    exact: dict[str, str] = field(default_factory=dict)
    folded: dict[str, set[str]] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_session(cls, session: Session) -> "LocalityResolver":
        """Build from the locality table and the shipped aliases."""
        resolver = cls()
        for loc in session.scalars(select(Locality)):
            resolver.add(loc.name, loc.code)
        for row in read_csv("locality_aliases.csv"):
            if row["code"] in resolver.names:
                resolver.add(row["alias"], row["code"])
        return resolver

    def add(self, name: str, code: str) -> None:
        """Register one name (or alias) for a code."""
        self.names.setdefault(code, name)
        self.exact.setdefault(_nfc_lower(name), code)
        self.folded.setdefault(fold_name(name), set()).add(code)

    def resolve(self, name: str) -> str | None:
        """The code for a name, or None when unknown or ambiguous once folded."""
        code = self.exact.get(_nfc_lower(name))
        if code:
            return code
        codes = self.folded.get(fold_name(name), set())
        return next(iter(codes)) if len(codes) == 1 else None

    def nearest(self, name: str, limit: int = 3) -> list[str]:
        """The display names closest to what was typed (rapidfuzz on folded names)."""
        choices = {code: fold_name(n) for code, n in self.names.items()}
        hits = process.extract(fold_name(name), choices, scorer=fuzz.WRatio, limit=limit)
        return [self.names[code] for _, _, code in hits]


def locality_choices(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every locality for a select box: the districts the table holds first (the province's
    own and Đà Nẵng's), each with its former province, then every province and city by name."""
    rows = session.scalars(select(Locality).order_by(Locality.parent_code, Locality.name)).all()
    names = {row.code: row.name for row in rows}
    local = [(row.code, f"{row.name} ({names.get(row.parent_code, '')})") for row in rows if row.parent_code]
    top = sorted(((row.code, row.name) for row in rows if not row.parent_code), key=lambda item: item[1])
    return local + top
