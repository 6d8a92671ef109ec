"""The data model of the whole exchange, by area."""
from exchange.models.accounts import (
                                     ApiToken,
                                     Invitation,
                                     LoginAttempt,
                                     LoginSession,
                                     Organization,
                                     RecoveryCode,
                                     User,
)
from exchange.models.audit import AuditEvent
from exchange.models.brokering import ExpertSuggestion, Match
from exchange.models.contacts import ContactRequest, Message
from exchange.models.enums import (
                                     AttachmentVisibility,
                                     ContactStatus,
                                     Delivery,
                                     IpStatus,
                                     ListingKind,
                                     ListingStatus,
                                     LocalityLevel,
                                     MailStatus,
                                     MatchSource,
                                     MatchStatus,
                                     NotificationKind,
                                     OrganizationType,
                                     Periodicity,
                                     ProductType,
                                     RevisionStatus,
                                     Role,
                                     TransferMode,
)
from exchange.models.experts import Expert
from exchange.models.listings import (
                                     Attachment,
                                     Listing,
                                     ListingRevision,
                                     SuggestionRefresh,
)
from exchange.models.notifications import (
                                     Notification,
                                     NotificationPreference,
                                     OutgoingMail,
)
from exchange.models.plans import Plan, PlanActivity, PlanOutput, PlanTarget
from exchange.models.reference import Field, Locality

__all__ = [
    "ApiToken", "Attachment", "AttachmentVisibility", "AuditEvent", "ContactRequest", "ContactStatus", "Delivery",
    "Expert",
    "ExpertSuggestion", "Field", "Invitation", "IpStatus", "Listing", "ListingKind", "ListingRevision",
    "ListingStatus", "Locality", "LocalityLevel", "LoginAttempt", "LoginSession", "MailStatus", "Match",
    "MatchSource", "MatchStatus", "Message", "Notification", "NotificationKind", "NotificationPreference",
    "Organization", "OrganizationType", "OutgoingMail", "Periodicity", "Plan", "PlanActivity", "PlanOutput",
    "PlanTarget", "ProductType", "RecoveryCode", "RevisionStatus", "Role", "SuggestionRefresh", "TransferMode", "User",
]
