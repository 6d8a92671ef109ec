"""API schemas of posting: the listing record as POST takes it, the listing as GET gives it, revisions, files.

The body schema types nothing beyond "a JSON value": the listing record (`records.validate_record`)
is the one validation of every door, so the API refuses exactly what the form and import refuse,
with the same Vietnamese messages per field. Unknown keys are still refused here (422).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import fields

from exchange.listings.lookups import POSTER_KEYS, PRIVATE_KEYS, record_values
from exchange.models import Listing, ListingRevision
from exchange.web.api.fields import (
    BodySchema,
    Length,
    OneOf,
    OutputSchema,
    QuerySchema,
    Raw,
    String,
)
from exchange.web.api.schemas import Code, PageArgs, PageSchema

RECORD_DOCS: dict[str, dict[str, Any]] = {
    "kind": {"type": "string", "enum": ["offer", "need"]},
    "title": {"type": "string", "maxLength": 300},
    "summary": {"type": ["string", "null"], "maxLength": 1000},
    "description": {"type": "string", "maxLength": 20000},
    "field": {"type": ["string", "null"], "description": "field code"},
    "keywords": {"type": ["array", "string", "null"], "items": {"type": "string"}, "description": "list, or 'a; b'"},
    "product_type": {"type": ["string", "null"], "enum": ["technology", "equipment", "ip", "ocop", None]},
    "trl": {"type": ["integer", "null"], "minimum": 1, "maximum": 9},
    "ip_status": {"type": ["string", "null"], "enum": ["none", "know_how", "pending", "granted", None]},
    "transfer_modes": {"type": ["array", "null"], "items": {"type": "string"}, "description": "Law 07/2017 Art. 5"},
    "price_min_vnd": {"type": ["integer", "string", "null"], "description": "đồng: 1250000000, '1.250.000.000', "
                                                                           "'1,25 tỷ', '800 triệu'"},
    "price_max_vnd": {"type": ["integer", "string", "null"], "description": "as price_min_vnd, not below it"},
    "district": {"type": ["string", "null"], "description": "locality name, with or without diacritics"},
    "contact_name": {"type": ["string", "null"], "maxLength": 200},
    "contact_phone": {"type": ["string", "null"], "maxLength": 50},
    "contact_email": {"type": ["string", "null"], "maxLength": 254},
    "confidential_details": {"type": ["string", "null"], "description": "never indexed, matched or public"},
    "nda_text": {"type": ["string", "null"], "maxLength": 5000, "description": "default text when empty"},
}
# Keys a GET gives that a PATCH may send back unchanged (changing one is refused).
READ_ONLY = ("id", "ref", "status", "organization", "locality", "locality_code", "requires_nda", "published_at",
             "expires_at", "first_published_at", "review_note")
IGNORED = ("warnings",)  # what a POST answered besides the listing: a PATCH may send it back, it is not read


def _record_fields() -> dict[str, Raw]:
    return {key: Raw(allow_none=True, metadata=RECORD_DOCS.get(key, {"type": ["string", "null"]}))
            for key in POSTER_KEYS}


ListingBodySchema = BodySchema.from_dict(
    {**_record_fields(),
     # Accepted so the record can refuse them by name: the exchange assigns the ref, the organization is the poster's.
     "ref": Raw(allow_none=True, metadata={"description": "refused: assigned as O-<id> / N-<id>"}),
     "organization": Raw(allow_none=True, metadata={"description": "refused: the poster's organization"}),
     "organization_type": Raw(allow_none=True, metadata={"description": "refused: set on the organization"})},
    name="ListingBody")
ListingPatchSchema = BodySchema.from_dict(
    {**_record_fields(), **{key: Raw(allow_none=True, metadata={"description": "read-only: only its current value"})
                            for key in READ_ONLY},
     **{key: Raw(allow_none=True, metadata={"description": "ignored"}) for key in IGNORED}},
    name="ListingPatch")


class ReasonSchema(BodySchema):
    # Not required here: whether the listing still waits is checked first (409), then the reason (422).
    reason = String(load_default="", validate=Length(max=2000), metadata={"description": "required to reject"})


def _listing_output_fields() -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": fields.Integer(), "ref": fields.String(), "status": fields.String(),
        "organization": fields.String(allow_none=True),
        "locality": fields.String(allow_none=True, metadata={"description": "locality name (as district)"}),
        "locality_code": fields.String(allow_none=True),
        "requires_nda": fields.Boolean(metadata={"description": "has confidential details (cần ký NDA)"}),
        "published_at": fields.DateTime(allow_none=True), "expires_at": fields.DateTime(allow_none=True),
        "first_published_at": fields.DateTime(allow_none=True),
        "review_note": fields.String(allow_none=True, metadata={"description": "owner and staff only"}),
        "warnings": fields.List(fields.String(), metadata={
            "description": "POST only: near duplicates of listings already on the exchange (never a refusal)"}),
    }
    for key in POSTER_KEYS:
        doc = {**RECORD_DOCS.get(key, {"type": ["string", "null"]})}
        if key in PRIVATE_KEYS:
            doc["description"] = "owner and staff only"
        out[key] = fields.Raw(allow_none=True, metadata=doc)
    return out


# A listing as its reader may see it: contact, confidential and review fields only for the owner and staff.
ListingSchema = OutputSchema.from_dict(_listing_output_fields(), name="Listing")


def listing_json(listing: Listing, *, private: bool) -> dict[str, Any]:
    """The listing as the API gives it: the record's keys (PATCHable back) and the read-only facts."""
    values = record_values(listing)
    if not private:
        values = {k: v for k, v in values.items() if k not in PRIVATE_KEYS}
    out = {"id": listing.id, "ref": listing.ref, "status": listing.status.value,
           "organization": listing.organization.name if listing.organization is not None else None,
           "locality": listing.locality.name if listing.locality is not None else None,
           "locality_code": listing.locality_code, "requires_nda": listing.requires_nda,
           "published_at": listing.published_at, "expires_at": listing.expires_at,
           "first_published_at": listing.first_published_at, **values}
    if private:
        out["review_note"] = listing.review_note
    return out


class RevisionArgs(PageArgs):
    status = String(load_default="pending", validate=OneOf(("pending", "approved", "rejected")))


@dataclass(frozen=True)
class RevisionView:
    """A revision and the record keys it changes."""

    revision: ListingRevision
    changed: list[str]


class RevisionSchema(OutputSchema):
    id = fields.Integer(attribute="revision.id")
    listing_id = fields.Integer(attribute="revision.listing_id")
    status = Code(attribute="revision.status")
    data = fields.Dict(attribute="revision.data", metadata={"description": "the whole record as it will be published"})
    note = fields.String(attribute="revision.note", allow_none=True,
                         metadata={"description": "the reviewer's reason when rejected"})
    created_at = fields.DateTime(attribute="revision.created_at")
    decided_at = fields.DateTime(attribute="revision.decided_at", allow_none=True)
    changed = fields.List(fields.String(), metadata={"description": "record keys that differ from the published"})


class RevisionPageSchema(PageSchema):
    results = fields.List(fields.Nested(RevisionSchema))


class AttachmentFormSchema(QuerySchema):
    visibility = String(validate=OneOf(("public", "after_contact")), metadata={
        "description": "default: after_contact when the listing needs an NDA, else public"})


class AttachmentSchema(OutputSchema):
    id = fields.Integer()
    listing_id = fields.Integer()
    name = fields.String(attribute="original_name")
    mime_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    visibility = Code()
    created_at = fields.DateTime()


__all__ = ["AttachmentFormSchema", "AttachmentSchema", "ListingBodySchema", "ListingPatchSchema", "ListingSchema",
           "IGNORED", "READ_ONLY", "ReasonSchema", "RevisionArgs", "RevisionPageSchema", "RevisionSchema",
           "RevisionView", "listing_json"]
