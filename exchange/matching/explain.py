"""Vietnamese reasons for a suggestion: shared terms, field, TRL, price, place."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Mapping

from exchange.matching.accents import fold
from exchange.matching.features import DocFeatures
from exchange.matching.rowtext import text_facts
from exchange.matching.types import MatchDoc

if TYPE_CHECKING:
    from exchange.matching.confidence import Conflict, Doubt
    from exchange.matching.model import MatchModel
    from exchange.matching.rescore import Scored

KIND_LABELS = {"need": "nhu cầu", "offer": "chào bán", "expert": "chuyên gia"}
# A term in more than this share of the documents is too common to explain anything.
MAX_DF_SHARE = 0.1
MIN_DF_CAP = 3


def explain(model: "MatchModel", query: MatchDoc, feat: DocFeatures, scored: "Scored",
            field_names: Mapping[str, str], query_words: Mapping[str, str] | None = None,
            doubt: "Doubt | None" = None) -> tuple[str, ...]:
    """Reasons, in Vietnamese, why the document suits the query (and what speaks against it)."""
    doc = model.docs[scored.row]
    qwords = query_words if query_words is not None else surfaces(model, query)[0]
    conflict, unasked = (doubt.conflict, doubt.unasked) if doubt else ((), ())
    reasons = [shared_terms_reason(model, qwords, feat, doc), conflict_reason(query, doc, conflict),
               unasked_reason(doc, unasked),
               field_reason(query, doc, field_names), trl_reason(query, doc), price_reason(query, doc),
               place_reason(query, doc)]
    return tuple(r for r in reasons if r)


def conflict_reason(query: MatchDoc, doc: MatchDoc, conflict: "Conflict") -> str | None:
    """'Khác đối tượng: ...' when the document is about another thing of the kind the query names."""
    if not conflict:
        return None
    parts = [f"{KIND_LABELS.get(query.kind, 'yêu cầu')} nói về {', '.join(wanted)}, "
             f"{KIND_LABELS.get(doc.kind, 'đề xuất')} nói về {', '.join(offered)}" for wanted, offered in conflict]
    return "Khác đối tượng: " + "; ".join(parts)


def unasked_reason(doc: MatchDoc, unasked: tuple[str, ...]) -> str | None:
    """'Chưa thấy nói tới điều nhu cầu cần: ...' when the document leaves out most of the need's request."""
    if not unasked:
        return None
    return f"{KIND_LABELS.get(doc.kind, 'Đề xuất').capitalize()} chưa nói tới điều nhu cầu cần: {', '.join(unasked)}"


def surfaces(model: "MatchModel", doc: MatchDoc) -> tuple[dict[str, str], dict[str, str]]:
    """Canonical token → surface, and folded syllable → surface syllable (cached for fitted documents)."""
    facts = text_facts(model, doc)
    return facts.words, facts.syllables


def _informative(model: "MatchModel", view: str, term: str) -> float:
    """The idf of a term, or 0 when it is a stopword or too common to be telling."""
    vs = model.space.of(view)
    if term in model.stopwords or term not in vs.vocab:
        return 0.0
    idf = float(vs.idf[vs.vocab[term]])
    return idf if idf >= telling_idf(model) else 0.0


def telling_idf(model: "MatchModel") -> float:
    """The lowest idf of a term telling enough to name in a reason (in at most MAX_DF_SHARE of the documents)."""
    n = len(model.docs)
    return math.log((1 + n) / (1 + max(MIN_DF_CAP, MAX_DF_SHARE * n))) + 1 - 1e-6


def shared_terms(model: "MatchModel", qwords: Mapping[str, str], feat: DocFeatures, doc: MatchDoc) -> list[str]:
    """The most telling terms both documents mention, spelt as in the candidate."""
    row = model.index[doc.key]
    start, end = model.full.indptr[row], model.full.indptr[row + 1]
    present = dict(zip(model.full.indices[start:end].tolist(), model.full.data[start:end].tolist()))
    ws, fs = model.space.of("w"), model.space.of("f")
    dwords, dsyls = surfaces(model, doc)
    weights = {}
    for token, count in feat.views["w"].items():
        col = ws.vocab.get(token)
        if col is not None and ws.offset + col in present and token in dwords:
            weights[token] = _informative(model, "w", token) * math.log1p(count) * present[ws.offset + col]
    ranked = [t for t in sorted(weights, key=lambda t: (-weights[t], t)) if weights[t] > 0]
    terms = [_label(dwords[t], qwords.get(t)) for t in ranked]
    covered = {fold(s) for t in ranked for s in dwords[t].split()}
    for syl, _count in sorted(feat.views["f"].items(), key=lambda kv: -kv[1]) if len(terms) < 2 else ():
        col = fs.vocab.get(syl)
        if (len(terms) < 2 and col is not None and fs.offset + col in present and syl in dsyls
                and syl not in covered and _informative(model, "f", syl) and len(syl) > 2):
            terms.append(dsyls[syl])
            covered.add(syl)
    return terms[: model.config.max_reason_terms]


def _label(surface: str, query_surface: str | None) -> str:
    """The candidate's wording, with the query's in brackets when it used another word."""
    if query_surface and fold(query_surface) != fold(surface):
        return f"{surface} (≈ {query_surface})"
    return surface


def shared_terms_reason(model: "MatchModel", qwords: Mapping[str, str], feat: DocFeatures, doc: MatchDoc) -> str | None:
    """'Cùng đề cập: …' or None."""
    terms = shared_terms(model, qwords, feat, doc)
    return "Cùng đề cập: " + ", ".join(terms) if terms else None


def field_reason(query: MatchDoc, doc: MatchDoc, names: Mapping[str, str]) -> str | None:
    """Same or different field, by name."""
    if not query.field or not doc.field:
        return None
    if query.field == doc.field:
        return f"Cùng lĩnh vực: {names.get(doc.field, doc.field)}"
    return (f"Khác lĩnh vực ({KIND_LABELS[query.kind]}: {names.get(query.field, query.field)}, "
            f"{KIND_LABELS[doc.kind]}: {names.get(doc.field, doc.field)})")


def trl_reason(query: MatchDoc, doc: MatchDoc) -> str | None:
    """The offer's technology readiness level against the level the need asks for."""
    offer, need = (doc, query) if query.kind == "need" else (query, doc)
    if offer.trl is None:
        return None
    if need.trl is None:
        return f"Mức sẵn sàng công nghệ: TRL {offer.trl}"
    verdict = "đạt" if offer.trl >= need.trl else "thấp hơn"
    return f"Mức sẵn sàng công nghệ TRL {offer.trl}, {verdict} mức TRL {need.trl} nhu cầu đặt ra"


def money(vnd: int) -> str:
    """An amount in Vietnamese units: 120 triệu đồng, 1,5 tỷ đồng."""
    for unit, name in ((1_000_000_000, "tỷ"), (1_000_000, "triệu")):
        if vnd >= unit:
            value = f"{vnd / unit:.1f}".rstrip("0").rstrip(".").replace(".", ",")
            return f"{value} {name} đồng"
    return f"{vnd:,}".replace(",", ".") + " đồng"


def money_range(low: int | None, high: int | None) -> str | None:
    """'120 triệu đồng' or '100–150 triệu đồng' (None when both are missing)."""
    if low is None and high is None:
        return None
    if low is None or high is None or low == high:
        return money(low if low is not None else high)  # type: ignore[arg-type]
    a, b = money(low).split(" ", 1), money(high).split(" ", 1)
    return f"{a[0]}–{b[0]} {b[1]}" if a[1] == b[1] else f"{money(low)} – {money(high)}"


def price_reason(query: MatchDoc, doc: MatchDoc) -> str | None:
    """The offer's price against the need's budget."""
    offer, need = (doc, query) if query.kind == "need" else (query, doc)
    if offer.kind != "offer":
        return None
    price = money_range(offer.price_min, offer.price_max)
    budget = money_range(need.price_min, need.price_max)
    if price is None:
        return None
    if budget is None:
        return f"Giá chào {price}"
    lowest = offer.price_min if offer.price_min is not None else offer.price_max
    ceiling = need.price_max if need.price_max is not None else need.price_min
    verdict = "nằm trong" if lowest <= ceiling else "vượt"  # type: ignore[operator]
    return f"Giá chào {price} {verdict} ngân sách {budget}"


def place_reason(query: MatchDoc, doc: MatchDoc) -> str | None:
    """'Cùng địa bàn: …' when both are in the same locality."""
    if query.locality and doc.locality and fold(query.locality) == fold(doc.locality):
        return f"Cùng địa bàn: {doc.locality}"
    return None
