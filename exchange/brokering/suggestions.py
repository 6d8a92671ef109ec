"""Suggestions kept as Match / ExpertSuggestion rows; a broker's decision is never overwritten."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from exchange.brokering.documents import field_names, key_id, listing_doc
from exchange.matching import MatchModel, Suggestion
from exchange.models import ExpertSuggestion, Listing, ListingKind, ListingStatus, Match, MatchSource, MatchStatus

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RefreshReport:
    """How many needs were ranked again and how many suggestion rows were written."""

    needs: int
    matches: int
    experts: int


def _is_replaceable(match: Match) -> bool:
    return match.source is MatchSource.auto and match.status is MatchStatus.suggested


def store_need_suggestions(session: Session, need: Listing, ranking: list[Suggestion], version: str) -> int:
    """Make the need's automatic, undecided rows equal to `ranking`; decided and manual rows stay as they are."""
    existing = {m.offer_id: m for m in session.scalars(select(Match).where(Match.need_id == need.id))}
    wanted = {key_id(s.key): s for s in ranking}
    for offer_id, match in existing.items():
        if _is_replaceable(match) and offer_id not in wanted:
            session.delete(match)
    for offer_id, sug in wanted.items():
        match = existing.get(offer_id)
        if match is None:
            session.add(Match(need_id=need.id, offer_id=offer_id, score=_unit(sug.score), reasons=list(sug.reasons),
                              model_version=version))
        elif _is_replaceable(match):
            match.score, match.reasons, match.model_version = _unit(sug.score), list(sug.reasons), version
    return len(wanted)


def store_expert_suggestions(session: Session, need: Listing, ranking: list[Suggestion], version: str) -> int:
    """Replace the experts suggested for a need."""
    session.execute(delete(ExpertSuggestion).where(ExpertSuggestion.need_id == need.id))
    for sug in ranking:
        session.add(ExpertSuggestion(need_id=need.id, expert_id=key_id(sug.key), score=_unit(sug.score),
                                     reasons=list(sug.reasons), model_version=version))
    return len(ranking)


def _unit(score: float) -> float:
    return min(1.0, max(0.0, float(score)))


def refresh_need(session: Session, model: MatchModel, need: Listing, top_k: int,
                 names: dict[str, str] | None = None) -> tuple[int, int]:
    """Rank offers and experts for one published need and store them."""
    names = names if names is not None else field_names(session)
    doc = listing_doc(need)
    offers = model.rank(doc, "offer", top_k, field_names=names)
    experts = model.rank(doc, "expert", top_k, field_names=names)
    return (store_need_suggestions(session, need, offers, model.version),
            store_expert_suggestions(session, need, experts, model.version))


def drop_suggestions(session: Session, listing: Listing) -> int:
    """Remove the automatic, undecided suggestions of a listing that left the exchange."""
    column = Match.need_id if listing.kind is ListingKind.need else Match.offer_id
    result = session.execute(delete(Match).where(column == listing.id, Match.source == MatchSource.auto,
                                                 Match.status == MatchStatus.suggested))
    if listing.kind is ListingKind.need:
        session.execute(delete(ExpertSuggestion).where(ExpertSuggestion.need_id == listing.id))
    return result.rowcount or 0


def _needs_touching_offer(session: Session, model: MatchModel, offer: Listing, top_k: int,
                          names: dict[str, str]) -> set[int]:
    ranked = {key_id(s.key) for s in model.rank(listing_doc(offer), "need", top_k, field_names=names)}
    current = set(session.scalars(select(Match.need_id).where(Match.offer_id == offer.id)))
    return ranked | current


def refresh_for_listing(session: Session, model: MatchModel, listing: Listing, top_k: int) -> RefreshReport:
    """After a listing is published or edited: its suggestions, in both directions, from the current model."""
    if listing.status is not ListingStatus.published:
        drop_suggestions(session, listing)
        return RefreshReport(0, 0, 0)
    names = field_names(session)
    if listing.kind is ListingKind.need:
        need_ids = {listing.id}
    else:
        need_ids = _needs_touching_offer(session, model, listing, top_k, names)
    needs = session.scalars(select(Listing).where(Listing.id.in_(need_ids),
                                                  Listing.status == ListingStatus.published))
    totals = [refresh_need(session, model, need, top_k, names) for need in needs]
    session.flush()
    return RefreshReport(len(totals), sum(t[0] for t in totals), sum(t[1] for t in totals))


def refresh_all(session: Session, model: MatchModel, top_k: int) -> RefreshReport:
    """Rank every published need again (after a rebuild of the model), in batches."""
    names = field_names(session)
    needs = list(session.scalars(select(Listing).where(Listing.kind == ListingKind.need,
                                                       Listing.status == ListingStatus.published)))
    docs = [listing_doc(need) for need in needs]
    offers = model.rank_many(docs, "offer", top_k, field_names=names)
    experts = model.rank_many(docs, "expert", top_k, field_names=names)
    matches = expert_rows = 0
    for need, offer_ranking, expert_ranking in zip(needs, offers, experts):
        matches += store_need_suggestions(session, need, offer_ranking, model.version)
        expert_rows += store_expert_suggestions(session, need, expert_ranking, model.version)
    session.flush()
    log.info("suggestions refreshed for %d needs with model %s", len(needs), model.version)
    return RefreshReport(len(needs), matches, expert_rows)
