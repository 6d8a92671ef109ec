"""Import of listing files: validate every row first, segment outside the write, then write all or nothing."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.audit import Actor, record
from exchange.errors import ValidationError
from exchange.listings.lookups import listing_attrs, record_checks
from exchange.listings.reading import FileFormatError, RawRow, read_rows
from exchange.listings.records import ListingRecord, RecordError, validate_record
from exchange.listings.status import stamp_status, status_after_import
from exchange.models import Listing, Organization
from exchange.models.accounts import clean_organization_name, organization_key
from exchange.text import FieldTokens, pipeline_version, tokenize_many

log = logging.getLogger(__name__)


class ImportRejected(ValidationError):
    """The file was not imported; `lines` says what is wrong with each bad row, in Vietnamese."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(f"Không nhập tệp: {len(lines)} lỗi, chưa ghi gì vào cơ sở dữ liệu.", details=lines)

    @property
    def lines(self) -> list[str]:
        """One Vietnamese line per problem: row, column, reason."""
        return self.details


@dataclass(frozen=True)
class PreparedRow:
    """A validated row, with its lookups resolved and (when needed) its tokens computed."""

    line: int
    record: ListingRecord
    attrs: dict[str, Any]
    tokens: FieldTokens | None = None


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    total: int
    created: int
    updated: int
    unchanged: int


def validate_rows(session: Session, rows: list[RawRow]) -> list[PreparedRow]:
    """Validate every row; raise ImportRejected listing every bad row (line, column, reason)."""
    checks, errors, prepared, seen = record_checks(session), [], [], {}
    for row in rows:
        try:
            rec = validate_record(row.data, checks=checks)
        except RecordError as exc:
            errors.extend(f"Dòng {row.line}, cột '{col}': {why}" for col, why in exc.problems.items())
            continue
        key = (rec.kind, rec.ref)
        if key in seen:
            errors.append(f"Dòng {row.line}, cột 'ref': '{rec.ref}' trùng với dòng {seen[key]}")
            continue
        seen[key] = row.line
        prepared.append(PreparedRow(row.line, rec, listing_attrs(rec)))
    if errors:
        raise ImportRejected(errors)
    return prepared


def _existing(session: Session, source: str, rows: list[PreparedRow]) -> dict[tuple[str, str], Listing]:
    refs = [r.record.ref for r in rows]
    found: dict[tuple[str, str], Listing] = {}
    for start in range(0, len(refs), 500):
        stmt = select(Listing).where(Listing.source == source, Listing.ref.in_(refs[start:start + 500]))
        found.update({(l.kind.value, l.ref): l for l in session.scalars(stmt)})
    return found


def _needs_tokens(row: PreparedRow, listing: Listing | None, version: str) -> bool:
    if listing is None or listing.tokens_version != version:
        return True
    return (listing.title, listing.keywords or [], listing.description) != (
        row.attrs["title"], row.attrs["keywords"], row.attrs["description"])


def tokenize_rows(session: Session, source: str, rows: list[PreparedRow],
                  progress: Callable[[int], None] | None = None) -> list[PreparedRow]:
    """Segment the rows whose text is new or changed (or whose cached tokens are stale)."""
    version, existing = pipeline_version(), _existing(session, source, rows)
    todo = [i for i, r in enumerate(rows) if _needs_tokens(r, existing.get((r.record.kind.value, r.record.ref)), version)]
    items = [(rows[i].attrs["title"], rows[i].attrs["keywords"], rows[i].attrs["description"]) for i in todo]
    tokens = tokenize_many(items, progress=progress)
    out = list(rows)
    for i, tok in zip(todo, tokens):
        out[i] = PreparedRow(rows[i].line, rows[i].record, rows[i].attrs, tok)
    return out


def _organization(session: Session, cache: dict[str, Organization], rec: ListingRecord,
                  locality_code: str | None) -> Organization | None:
    """The organization a row names (matched like registration does: case and spacing ignored)."""
    name, kind = rec.get("organization"), rec.get("organization_type")
    if not name:
        return None
    key = organization_key(name)
    if key not in cache:
        org = session.scalar(select(Organization).where(Organization.name_key == key))
        if org is None:
            org = Organization(name=clean_organization_name(name), locality_code=locality_code)
            session.add(org)
        cache[key] = org
    if kind is not None and cache[key].type is not kind:
        cache[key].type = kind
    return cache[key]


def _apply(listing: Listing, row: PreparedRow, org: Organization | None, version: str) -> bool:
    changed = False
    for key, value in row.attrs.items():
        if getattr(listing, key) != value:
            setattr(listing, key, value)
            changed = True
    if org is not None and listing.organization is not org:
        listing.organization = org
        changed = True
    if row.tokens is not None:
        listing.store_tokens(row.tokens, version)
        changed = True
    return changed


def write_rows(session: Session, rows: list[PreparedRow], *, source: str, publish: bool,
               actor: Actor) -> ImportReport:
    """Insert or update the prepared rows (unique on source, kind, ref); never lowers a status."""
    version, existing, orgs = pipeline_version(), _existing(session, source, rows), {}
    created = updated = 0
    for row in rows:
        org = _organization(session, orgs, row.record, row.attrs["locality_code"])
        listing = existing.get((row.record.kind.value, row.record.ref))
        is_new = listing is None
        if listing is None:
            listing = Listing(source=source, ref=row.record.ref, kind=row.record.kind, **row.attrs)
            session.add(listing)
        changed = _apply(listing, row, org, version)
        target = status_after_import(None if is_new else listing.status, publish)
        if target != listing.status:
            stamp_status(listing, target)
            changed = True
        created += is_new
        updated += changed and not is_new
    session.flush()
    report = ImportReport(len(rows), created, updated, len(rows) - created - updated)
    if report.created or report.updated:  # a re-import that changes nothing leaves no trace either
        record(session, actor, "import_listings", "listing", None, source=source, publish=publish,
               created=report.created, updated=report.updated, unchanged=report.unchanged)
    return report


def prepare_import(session: Session, rows: list[RawRow], *, source: str,
                   progress: Callable[[int], None] | None = None) -> list[PreparedRow]:
    """Validate every row, then segment the new or changed ones: all the slow work, before any write."""
    return tokenize_rows(session, source, validate_rows(session, rows), progress)


def read_listing_file(path: Path) -> list[RawRow]:
    """Read a listing file; a malformed file is an ImportRejected with Vietnamese messages."""
    try:
        return read_rows(path)
    except FileFormatError as exc:
        raise ImportRejected(exc.messages) from None
