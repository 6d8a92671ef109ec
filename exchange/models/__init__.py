"""The data model of the whole exchange, by area."""
from exchange.models.accounts import Organization, User
from exchange.models.audit import AuditEvent
from exchange.models.brokering import ExpertSuggestion, Match
from exchange.models.contacts import ContactRequest, Message, Notification
from exchange.models.enums import (ContactStatus, IpStatus, ListingKind, ListingStatus, LocalityLevel, MatchSource,
                                   MatchStatus, OrganizationType, Periodicity, ProductType, RevisionStatus, Role,
                                   TransferMode)
from exchange.models.experts import Expert
from exchange.models.listings import Attachment, Listing, ListingRevision
from exchange.models.plans import Plan, PlanActivity, PlanOutput, PlanTarget
from exchange.models.reference import Field, Locality

__all__ = [
    "Attachment", "AuditEvent", "ContactRequest", "ContactStatus", "Expert", "ExpertSuggestion", "Field",
    "IpStatus", "Listing", "ListingKind", "ListingRevision", "ListingStatus", "Locality", "LocalityLevel",
    "Match", "MatchSource", "MatchStatus", "Message", "Notification", "Organization", "OrganizationType",
    "Periodicity", "Plan", "PlanActivity", "PlanOutput", "PlanTarget", "ProductType", "RevisionStatus", "Role",
    "TransferMode", "User",
]
