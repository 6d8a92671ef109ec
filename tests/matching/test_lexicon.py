"""The fitting lexicon canonicalizes fields exactly as canonicalize_pairs does, word memo or not."""
from __future__ import annotations

import random

import pytest

from exchange.matching.lexicon import Lexicon
from exchange.text.synonyms import canonicalize_pairs, parse_synonyms

TABLE = parse_synonyms(["lợn\theo", "ngô\tbắp", "bơm nhiệt\theat pump", "máy sấy lạnh\tmáy sấy bơm nhiệt",
                        "xử lý nước thải\txlnt", "ro\tthẩm thấu ngược", "a b c d e f\tsáu"])
WORDS = ["máy", "sấy", "lạnh", "máy_sấy", "bơm", "nhiệt", "bơm_nhiệt", "heat", "pump", "xử_lý", "nước",
         "thải", "xử", "lý_nước", "ro", "lợn", "heo", "a", "b_c", "d", "e_f", "a_b", "c_d_e", "f", "_", "",
         "bom", "nhiet", "may_say", "ngô", "1", "x__y"]


def expected(words: list[str], ascii_singles: bool) -> list[str]:
    """Usable canonical tokens the reference implementation gives."""
    return [t for t, _ in canonicalize_pairs(words, TABLE, ascii_singles) if any(c.isalpha() for c in t)]


@pytest.mark.parametrize("ascii_singles", [True, False])
def test_field_ids_match_canonicalize_pairs_on_random_fields(ascii_singles):
    lex = Lexicon(TABLE, frozenset())
    rng = random.Random(7)
    for _ in range(3000):
        words = [rng.choice(WORDS) for _ in range(rng.randint(0, 12))]
        infos = [lex.word(w, ascii_singles) for w in words]
        assert [lex.names[i] for i in lex.field_ids(infos, ascii_singles)] == expected(words, ascii_singles), words
