"""Database rows → matching-engine documents (confidential details never cross this line)."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.matching import MatchDoc
from exchange.models import Expert, Field, Listing, ListingStatus


def listing_key(listing_id: int) -> str:
    """Engine key of a listing."""
    return f"L{listing_id}"


def expert_key(expert_id: int) -> str:
    """Engine key of an expert."""
    return f"E{expert_id}"


def key_id(key: str) -> int:
    """The database id inside an engine key."""
    return int(key[1:])


def listing_doc(listing: Listing) -> MatchDoc:
    """A listing as the engine sees it: cached tokens and the facts the explanations use."""
    return MatchDoc(key=listing_key(listing.id), kind=listing.kind.value, tokens=listing.cached_tokens(),
                    field=listing.field_code, title=listing.title, keywords=tuple(listing.keywords or ()),
                    trl=listing.trl, price_min=listing.price_min_vnd, price_max=listing.price_max_vnd,
                    locality=listing.locality_code)


def expert_doc(expert: Expert) -> MatchDoc:
    """An expert as the engine sees it (specialties and bio; never contact details)."""
    field = expert.field_codes[0] if expert.field_codes else None
    return MatchDoc(key=expert_key(expert.id), kind="expert", tokens=expert.cached_tokens(), field=field,
                    title="; ".join(expert.specialties or []), keywords=tuple(expert.specialties or ()))


def published_documents(session: Session) -> list[MatchDoc]:
    """Every published listing and public expert: what the live model is fitted on."""
    listings = session.scalars(select(Listing).where(Listing.status == ListingStatus.published)
                               .order_by(Listing.id))
    experts = session.scalars(select(Expert).where(Expert.is_public.is_(True)).order_by(Expert.id))
    return [*map(listing_doc, listings), *map(expert_doc, experts)]


def all_listing_documents(session: Session) -> tuple[list[MatchDoc], dict[str, str]]:
    """Every listing whatever its status (for `exchange suggest`), with key → ref."""
    listings = list(session.scalars(select(Listing).order_by(Listing.id)))
    return [listing_doc(l) for l in listings], {listing_key(l.id): l.ref for l in listings}


def field_names(session: Session) -> dict[str, str]:
    """Field code → Vietnamese name, for explanations."""
    return {code: name for code, name in session.execute(select(Field.code, Field.name))}

