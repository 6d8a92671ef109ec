"""Closed vocabularies of the data model, as str enums (stored as checked strings)."""
from __future__ import annotations

import enum


class OrganizationType(str, enum.Enum):
    enterprise = "enterprise"
    cooperative = "cooperative"
    institute = "institute"
    university = "university"
    individual = "individual"
    agency = "agency"


class Role(str, enum.Enum):
    enterprise = "enterprise"
    broker = "broker"
    staff = "staff"


class ListingKind(str, enum.Enum):
    offer = "offer"
    need = "need"


class ListingStatus(str, enum.Enum):
    draft = "draft"
    submitted = "submitted"
    published = "published"
    rejected = "rejected"
    closed = "closed"
    expired = "expired"


class ProductType(str, enum.Enum):
    technology = "technology"
    equipment = "equipment"
    ip = "ip"
    ocop = "ocop"


class IpStatus(str, enum.Enum):
    none = "none"
    know_how = "know_how"
    pending = "pending"
    granted = "granted"


class TransferMode(str, enum.Enum):
    """Forms of technology transfer, Law 07/2017/QH14 Art. 5."""

    license = "license"
    transfer_contract = "transfer_contract"
    capital_contribution = "capital_contribution"
    franchise = "franchise"
    ip_assignment = "ip_assignment"
    equipment_with_technology = "equipment_with_technology"
    other = "other"


class AttachmentVisibility(str, enum.Enum):
    """Who may download an attachment: anyone who may read the listing, or only after a contact."""

    public = "public"
    after_contact = "after_contact"


class RevisionStatus(str, enum.Enum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class MatchStatus(str, enum.Enum):
    suggested = "suggested"
    confirmed = "confirmed"
    rejected = "rejected"


class MatchSource(str, enum.Enum):
    auto = "auto"
    manual = "manual"


class ContactStatus(str, enum.Enum):
    requested = "requested"
    accepted = "accepted"
    declined = "declined"
    negotiating = "negotiating"
    agreement = "agreement"
    closed = "closed"


class Periodicity(str, enum.Enum):
    per_month = "per_month"
    per_year = "per_year"
    in_quarters = "in_quarters"
    maintained = "maintained"


class LocalityLevel(str, enum.Enum):
    province = "province"
    city = "city"
    town = "town"
    district = "district"
    urban_district = "urban_district"


class NotificationKind(str, enum.Enum):
    """What a notification is about: a closed set, each with its own text and mail preference."""

    listing_submitted = "listing_submitted"
    listing_approved = "listing_approved"
    listing_rejected = "listing_rejected"
    listing_expiring = "listing_expiring"
    listing_expired = "listing_expired"
    revision_decided = "revision_decided"
    new_suggestion = "new_suggestion"
    match_confirmed = "match_confirmed"
    contact_requested = "contact_requested"
    contact_accepted = "contact_accepted"
    contact_declined = "contact_declined"
    message = "message"
    reminder = "reminder"
    outcome_disputed = "outcome_disputed"
    saved_search_hit = "saved_search_hit"
    invitation = "invitation"


class Delivery(str, enum.Enum):
    """How a user wants a kind of notification by e-mail."""

    immediately = "immediately"
    daily = "daily"
    never = "never"


class MailStatus(str, enum.Enum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    failed = "failed"
