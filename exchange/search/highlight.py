"""Highlight fragments ([text, is_match] pairs, no HTML) for the hits of one page.

Matching is done in folded space, so "hoà", "hòa" and "hoa" mark each other,
like the folded fields that let such documents match in the first place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from exchange.search.analysis import analyze, folded_analyzer
from exchange.search.backend import Fragment
from exchange.search.parsing import ParsedQuery
from exchange.text import fold

SNIPPET_CHARS = 240
MAX_SPANS = 200
_FOLDED = folded_analyzer()
_EDGE = r"(?<![^\W_])"
_TAIL = r"(?![^\W_])"


@dataclass(frozen=True)
class Marker:
    """Finds the query's syllables (and prefix) in display text."""

    pattern: re.Pattern | None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Start and end of every match, in order."""
        if self.pattern is None or not text:
            return []
        folded = fold(text)
        if len(folded) == len(text):
            return [m.span() for m in self.pattern.finditer(folded)][:MAX_SPANS]
        return self._spans_by_word(text)

    def _spans_by_word(self, text: str) -> list[tuple[int, int]]:
        """Slow path when folding changes the length (decomposed or exotic text)."""
        spans = []
        for word in re.finditer(r"[^\W_]+", text):
            if self.pattern.fullmatch(fold(word.group())):
                spans.append(word.span())
        return spans[:MAX_SPANS]


def make_marker(parsed: ParsedQuery) -> Marker:
    """A marker for the folded syllables of the query's words, phrases and prefix."""
    words = list(parsed.words) + [w for phrase in parsed.phrases for w in phrase]
    targets = sorted(set(analyze(_FOLDED, " ".join(words))), key=len, reverse=True)
    options = [re.escape(t) + _TAIL for t in targets]
    prefix = analyze(_FOLDED, parsed.prefix or "")
    if prefix:
        options.append(re.escape(prefix[-1]) + r"[^\W_]*")
    if not options:
        return Marker(None)
    return Marker(re.compile(_EDGE + "(?:" + "|".join(options) + ")"))


def fragments(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> list[Fragment]:
    """Cut text[start:end] into alternating plain and matched fragments."""
    end = len(text) if end is None else end
    out: list[Fragment] = []
    position = start
    for left, right in spans:
        if left < start or right > end:
            continue
        if left > position:
            out.append((text[position:left], False))
        out.append((text[left:right], True))
        position = right
    if position < end:
        out.append((text[position:end], False))
    return out


def _best_window(spans: list[tuple[int, int]], text: str) -> int:
    """Start of the SNIPPET_CHARS window holding the most distinct matched words."""
    best, best_start = -1, 0
    for i, (left, _) in enumerate(spans):
        inside = {text[a:b].lower() for a, b in spans[i:] if b <= left + SNIPPET_CHARS}
        if len(inside) > best:
            best, best_start = len(inside), left
    return best_start


def _word_boundary(text: str, position: int, forward: bool) -> int:
    """Move a cut position to the nearest space so no word is split."""
    if position <= 0 or position >= len(text):
        return max(0, min(position, len(text)))
    found = text.find(" ", position) if forward else text.rfind(" ", 0, position)
    return (found if found != -1 else len(text)) if forward else found + 1


def snippet(text: str, spans: list[tuple[int, int]]) -> list[Fragment]:
    """A window of about SNIPPET_CHARS around the densest matches, with … at cut ends."""
    if len(text) <= SNIPPET_CHARS:
        return fragments(text, spans)
    anchor = _best_window(spans, text) if spans else 0
    start = _word_boundary(text, max(0, anchor - SNIPPET_CHARS // 5), forward=False)
    end = _word_boundary(text, start + SNIPPET_CHARS, forward=True)
    out = fragments(text, spans, start, end)
    if start > 0:
        out.insert(0, ("…", False))
    if end < len(text):
        out.append(("…", False))
    return out


def highlight_hit(marker: Marker, title: str, summary: str, body: str) -> tuple[list[Fragment], list[Fragment]]:
    """Fragments of the title and of a snippet (summary if it matches, else the body)."""
    title_fragments = fragments(title, marker.spans(title)) if title else []
    summary_spans = marker.spans(summary)
    if summary and (summary_spans or not body):
        return title_fragments, snippet(summary, summary_spans)
    body_spans = marker.spans(body)
    if summary and not body_spans:
        return title_fragments, snippet(summary, [])
    return title_fragments, snippet(body, body_spans)
