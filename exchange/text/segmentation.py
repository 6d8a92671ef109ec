"""Word segmentation: normalize, fix case, underthesea, domain compounds, lower-case tokens."""

import logging
import re
import threading
from collections.abc import Iterator

from exchange.text.compounds import merge_compounds
from exchange.text.normalization import normalize
from exchange.text.tones import is_syllable

logger = logging.getLogger(__name__)

# Sentence ends: . ! ? … ; followed by space, or any line break.
_SENTENCE_END = re.compile(r"(?<=[.!?…;])\s+|\s*\n\s*")
_LETTER_WORD = re.compile(r"[^\W\d_][^\s]*")
CHUNK_CHARS = 3000
_EDGE_PUNCTUATION = ".,;:!?…\"'“”‘’()[]{}<>«»_"

_word_tokenize = None
_load_lock = threading.Lock()


def _tokenizer():
    """underthesea's word_tokenize, imported and warmed up once (the import costs ~0.3 s).

    underthesea loads its CRF model on the first call without a lock, so two threads
    segmenting at once on a cold process crash inside it; the first call happens here,
    under our lock, before any caller sees the function.
    """
    global _word_tokenize
    if _word_tokenize is None:
        with _load_lock:
            if _word_tokenize is None:
                from underthesea import word_tokenize

                word_tokenize("khởi động", format="text")
                _word_tokenize = word_tokenize
    return _word_tokenize


def _fix_case(sentence: str) -> str:
    """Lower-case an all-caps or Title Case sentence: underthesea mis-segments both."""
    lower = sentence.lower()
    if lower == sentence:
        return sentence
    words = _LETTER_WORD.findall(sentence)
    if len(words) < 2:
        return sentence
    if sentence.upper() == sentence:
        return lower
    if all(w[0].isupper() for w in words):
        # Title Case: lower-case the capitalized words, keep acronyms such as KH&CN, RO.
        return _LETTER_WORD.sub(lambda m: m.group() if _is_acronym(m.group()) else m.group().lower(), sentence)
    return sentence


def _is_acronym(word: str) -> bool:
    """Two or more capitals in a word (RO, KH&CN, IoT's T does not count as the first)."""
    return sum(c.isupper() for c in word) >= 2


def _pieces(sentence: str) -> Iterator[str]:
    """Cut a sentence longer than CHUNK_CHARS at spaces."""
    while len(sentence) > CHUNK_CHARS:
        cut = sentence.rfind(" ", 0, CHUNK_CHARS)
        cut = cut if cut > 0 else CHUNK_CHARS
        yield sentence[:cut]
        sentence = sentence[cut:].lstrip()
    if sentence:
        yield sentence


def _chunks(text: str) -> Iterator[str]:
    """Group case-fixed sentences into chunks of at most about CHUNK_CHARS."""
    chunk: list[str] = []
    size = 0
    for sentence in _SENTENCE_END.split(text):
        for piece in _pieces(_fix_case(sentence)):
            if chunk and size + len(piece) > CHUNK_CHARS:
                yield " ".join(chunk)
                chunk, size = [], 0
            chunk.append(piece)
            size += len(piece) + 1
    if chunk:
        yield " ".join(chunk)


def _is_word(token: str) -> bool:
    """A token with at least one letter or digit (punctuation and emoji are not words)."""
    return any(c.isalnum() for c in token)


def _trim(token: str) -> str:
    """Strip sentence punctuation glued to a token by underthesea ("iba." → "iba")."""
    return token.strip(_EDGE_PUNCTUATION)


def _split_foreign(token: str) -> list[str]:
    """Split an underthesea compound that glues codes or English words (đèn_uv-c, iot_plc)."""
    parts = token.split("_")
    if len(parts) > 1 and not all(is_syllable(p) for p in parts):
        return parts
    return [token]


def segment(text: str) -> list[str]:
    """Lower-case word tokens of a text, compound syllables joined by "_"."""
    # "_" is our compound joiner, so it cannot survive from the input.
    text = normalize(text).replace("_", " ")
    if not any(c.isalnum() for c in text):
        return []
    word_tokenize = _tokenizer()
    tokens: list[str] = []
    for chunk in _chunks(text):
        words = word_tokenize(chunk, format="text", use_token_normalize=False).lower().split()
        tokens.extend(part for word in words for part in _split_foreign(_trim(word)) if part)
    return [t for t in merge_compounds(tokens) if _is_word(t)]
