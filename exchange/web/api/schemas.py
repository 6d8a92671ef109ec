"""Request and response schemas of the API: they validate what comes in, shape what goes out, and are
the OpenAPI document. Responses dump the objects the services return (never raw rows by accident:
only declared fields leave)."""
from __future__ import annotations

from typing import Any

from flask_babel import gettext
from marshmallow import fields

from exchange.notifications.kinds import notification_text
from exchange.search.backend import MAX_PER_PAGE, SORTS
from exchange.web.api.fields import (
    BodySchema,
    Boolean,
    Integer,
    Length,
    List,
    OneOf,
    OutputSchema,
    QuerySchema,
    Range,
    String,
)

KINDS = ("offer", "need")


class Code(fields.String):
    """An enum member dumped as its value."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else str(getattr(value, "value", value))


# ---- errors and pages -------------------------------------------------------------------------

class ErrorBody(OutputSchema):
    code = fields.String(required=True, metadata={"description": "machine-readable code, e.g. validation_error"})
    message = fields.String(required=True, metadata={"description": "message in the page's language (Vietnamese)"})
    fields = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                         metadata={"description": "field name → message"})


class ErrorSchema(OutputSchema):
    error = fields.Nested(ErrorBody, required=True)


class PageArgs(QuerySchema):
    page = Integer(load_default=1, validate=Range(min=1, max=10**6))
    per_page = Integer(load_default=20, validate=Range(min=1, max=MAX_PER_PAGE))


class PageSchema(OutputSchema):
    """Every list answers {results, total, page, per_page}."""

    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)


# ---- listings ----------------------------------------------------------------------------------

class SearchArgs(PageArgs):
    q = String(load_default="", metadata={"description": "words, with or without diacritics; \"quoted phrase\"; "
                                                         "empty = browse; cut at 500 characters"})
    # Facet values are not validated: an unknown one simply finds nothing (as a facet link would).
    kind = String(validate=Length(max=40), metadata={"description": "offer or need"})
    field = String(validate=Length(max=40), metadata={"description": "field code, e.g. nong-nghiep"})
    locality = String(validate=Length(max=8), metadata={"description": "locality code"})
    product_type = String(validate=Length(max=40), metadata={"description": "technology, equipment, ip or ocop"})
    trl_min = Integer(validate=Range(min=1, max=9))
    trl_max = Integer(validate=Range(min=1, max=9))
    sort = String(load_default="relevance", validate=OneOf(SORTS))
    typing = Boolean(load_default=False,
                     metadata={"description": "search as you type: the last word also matches as a prefix"})
    mine = Boolean(load_default=False, metadata={
        "description": "the listings of the caller's organization, every status, from the database (no facets, "
                       "no score); needs a token"})


class ListingHitSchema(OutputSchema):
    id = fields.Integer(attribute="listing.id")
    ref = fields.String(attribute="listing.ref")
    kind = Code(attribute="listing.kind", metadata={"enum": list(KINDS)})
    title = fields.String(attribute="listing.title")
    summary = fields.Function(lambda item: item.listing.summary or "")
    field = fields.String(attribute="listing.field_code", allow_none=True)
    locality = fields.Function(lambda item: item.listing.locality.name if item.listing.locality else None,
                               metadata={"type": ["string", "null"]})
    organization = fields.Function(lambda item: item.listing.organization.name if item.listing.organization
                                   else None, metadata={"type": ["string", "null"]})
    published_at = fields.DateTime(attribute="listing.published_at", allow_none=True)
    status = Code(attribute="listing.status", metadata={"description": "published in a search; any with mine=1"})
    expires_at = fields.DateTime(attribute="listing.expires_at", allow_none=True)
    score = fields.Function(lambda item: round(float(item.hit.score), 4) if item.hit is not None else None,
                            metadata={"type": ["number", "null"]})
    highlight = fields.Function(lambda item: [[text, bool(m)] for text, m in item.fragments],
                                metadata={"type": "array", "description": "fragments [text, is_match]; no HTML",
                                          "items": {"type": "array"}})


class SearchPageSchema(PageSchema):
    results = fields.List(fields.Nested(ListingHitSchema), attribute="hits")
    page = fields.Integer(attribute="query.page")
    per_page = fields.Integer(attribute="query.per_page")
    facets = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.Integer()),
                         metadata={"description": "kind, field, locality, product_type: value → count"})


class PublicListingSchema(OutputSchema):
    """What anyone may read of a published listing: no contact fields, no confidential details."""

    id = fields.Integer()
    ref = fields.String()
    kind = Code(metadata={"enum": list(KINDS)})
    status = Code()
    title = fields.String()
    summary = fields.String(allow_none=True)
    description = fields.String()
    field = fields.String(attribute="field_code", allow_none=True)
    keywords = fields.Function(lambda listing: list(listing.keywords or []), metadata={"type": "array"})
    organization = fields.Function(lambda listing: listing.organization.name if listing.organization else None,
                                   metadata={"type": ["string", "null"]})
    locality = fields.Function(lambda listing: listing.locality.name if listing.locality else None,
                               metadata={"type": ["string", "null"]})
    product_type = Code(allow_none=True)
    trl = fields.Integer(allow_none=True)
    ip_status = Code(allow_none=True)
    transfer_modes = fields.Function(lambda listing: list(listing.transfer_modes or []), metadata={"type": "array"})
    price_min_vnd = fields.Integer(allow_none=True)
    price_max_vnd = fields.Integer(allow_none=True)
    origin = fields.String(allow_none=True)
    specifications = fields.String(allow_none=True)
    advantages = fields.String(allow_none=True)
    requires_nda = fields.Boolean()
    published_at = fields.DateTime(allow_none=True)


class ListingRefSchema(OutputSchema):
    id = fields.Integer()
    ref = fields.String()
    kind = Code(metadata={"enum": list(KINDS)})
    title = fields.String()


class SuggestionSchema(OutputSchema):
    match_id = fields.Integer(attribute="match.id")
    listing = fields.Nested(ListingRefSchema, attribute="other")
    score = fields.Function(lambda item: round(item.match.score, 4), metadata={"type": "number"})
    reasons = fields.Function(lambda item: list(item.match.reasons or []), metadata={"type": "array"})
    status = Code(attribute="match.status", metadata={"enum": ["suggested", "confirmed", "rejected"]})


class SuggestionPageSchema(PageSchema):
    results = fields.List(fields.Nested(SuggestionSchema))


class ExpertRefSchema(OutputSchema):
    id = fields.Integer()
    full_name = fields.String()
    title = fields.String(allow_none=True)
    specialties = fields.List(fields.String())
    organization = fields.String(attribute="organization_name", allow_none=True)


class ExpertSuggestionSchema(OutputSchema):
    expert = fields.Nested(ExpertRefSchema)
    score = fields.Function(lambda item: round(item.score, 4), metadata={"type": "number"})
    reasons = fields.Function(lambda item: list(item.reasons or []), metadata={"type": "array"})


class ExpertSuggestionPageSchema(PageSchema):
    results = fields.List(fields.Nested(ExpertSuggestionSchema))


# ---- accounts ----------------------------------------------------------------------------------

class TokenRequestSchema(BodySchema):
    email = String(required=True, validate=Length(max=254))
    password = String(required=True, validate=Length(max=1024))
    otp = String(validate=Length(max=64), metadata={"description": "TOTP code or recovery code, when MFA is on"})


class TokenSchema(OutputSchema):
    token = fields.String(required=True, metadata={"description": "send as Authorization: Bearer <token>"})
    expires_at = fields.DateTime(required=True)


class OrganizationRefSchema(OutputSchema):
    id = fields.Integer()
    name = fields.String()
    type = Code()
    is_verified = fields.Boolean()


class MeSchema(OutputSchema):
    id = fields.Integer()
    email = fields.String()
    full_name = fields.String(allow_none=True)
    role = Code(metadata={"enum": ["enterprise", "broker", "staff"]})
    organization = fields.Nested(OrganizationRefSchema, allow_none=True)
    language = fields.String(allow_none=True)
    has_mfa = fields.Boolean()
    last_login_at = fields.DateTime(allow_none=True)


# ---- notifications -----------------------------------------------------------------------------

class NotificationArgs(PageArgs):
    unread = Boolean(load_default=False, metadata={"description": "only unread notifications"})


class NotificationSchema(OutputSchema):
    id = fields.Integer()
    kind = Code()
    text = fields.Function(lambda note: notification_text(note.kind, note.params, gettext), metadata={
        "type": "string", "description": "in the reader's language"})
    link = fields.String(allow_none=True)
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


class NotificationPageSchema(PageSchema):
    results = fields.List(fields.Nested(NotificationSchema))
    unread = fields.Integer(required=True)


class MarkReadSchema(BodySchema):
    ids = List(Integer(), validate=Length(max=1000), metadata={"description": "ids to mark read"})
    all = Boolean(load_default=False, metadata={"description": "mark every notification read"})


class MarkedSchema(OutputSchema):
    marked = fields.Integer()
    unread = fields.Integer()

