"""Classes of alternative objects: parsing, lookup and conflicts."""
from __future__ import annotations

from exchange.text.classes import CLASS_NAME, conflicts, load_classes, parse_classes, replaced_syllables
from exchange.text.synonyms import parse_synonyms

SYNONYMS = parse_synonyms(["lợn\theo", "lạc\tđậu phộng", "quy trình\tcông nghệ"])
LINES = ["# comment", "# ---- Animals ---- (family)", "gia súc\theo\tbò\tdê", "gia cầm\tgà\tvịt\tngan",
         "# ---- Fish ---- (family)", "cá nước ngọt\tcá chép\tcá trắm", "# ---- Plants ----", "cây công nghiệp\thạt điều\tđậu phộng\tcà phê", "cây dược liệu\tnghệ\tba kích\tgừng",
         "thiếu\tmột", "vật nuôi khác\tbò\tthỏ\tong"]


def table():
    return parse_classes(LINES, SYNONYMS)


def found(table, tokens, every=False):
    named, mentioned = table.terms(tokens)
    hits = mentioned if every else named
    return {(table.lines[c][0], table.lines[c][m]) for c, m in hits}


def test_lines_with_fewer_than_a_name_and_two_members_are_ignored():
    assert [line[0] for line in table().lines] == ["gia súc", "gia cầm", "cá nước ngọt", "cây công nghiệp",
                                                   "cây dược liệu", "vật nuôi khác"]


def test_terms_are_canonicalized_through_synonyms_and_found_longest_first():
    t = table()
    # documents arrive canonicalized ("đậu phộng" → "lạc", "heo" → "lợn"), and so do the members
    assert found(t, ["máy", "bóc", "vỏ", "lạc"]) == {("cây công nghiệp", "đậu phộng")}
    assert found(t, ["nuôi", "lợn", "và", "hạt_điều"]) == {("gia súc", "heo"), ("cây công nghiệp", "hạt điều")}
    assert found(t, ["hat", "dieu"]) == {("cây công nghiệp", "hạt điều")}  # several syllables: folded too
    assert found(t, ["bo"]) == set()  # one syllable: only with its diacritics


def test_one_syllable_members_are_whole_words_unless_every_mention_is_wanted():
    t = table()
    assert found(t, ["chuyển_giao", "công_nghệ"]) == set()
    assert found(t, ["bột_nghệ"], every=True) == {("cây dược liệu", "nghệ")}
    assert found(t, ["bột_nghệ"]) == set()


def test_a_member_listed_twice_keeps_its_first_class():
    assert found(table(), ["bò"]) == {("gia súc", "bò")}


def test_family_sections_share_one_family_and_other_classes_have_their_own():
    families = table().families
    assert families[0] == families[1]  # gia súc, gia cầm: Animals (family)
    assert len({families[0], families[2], families[3], families[4], families[5]}) == 5  # Fish is a family of its own


def test_conflict_needs_another_member_named_and_the_wanted_one_absent():
    t = table()
    cashew, peanut, coffee, name = (3, 1), (3, 2), (3, 3), (3, CLASS_NAME)
    assert conflicts(t, frozenset({cashew}), frozenset({peanut}), frozenset({peanut})) == {t.families[3]}
    assert conflicts(t, frozenset({cashew}), frozenset({peanut}), frozenset({peanut, cashew})) == frozenset()
    assert conflicts(t, frozenset({cashew}), frozenset({peanut}), frozenset({peanut, name})) == frozenset()
    assert conflicts(t, frozenset({cashew}), frozenset(), frozenset({coffee})) == frozenset()
    assert conflicts(t, frozenset({name}), frozenset({peanut}), frozenset({peanut})) == frozenset()


def test_within_a_family_another_classes_member_conflicts_and_a_named_class_is_on_topic():
    t = table()
    chicken, pig, poultry = (1, 1), (0, 1), (1, CLASS_NAME)
    assert conflicts(t, frozenset({chicken}), frozenset({pig}), frozenset({pig})) == {t.families[0]}
    assert conflicts(t, frozenset({chicken}), frozenset({pig}), frozenset({pig, poultry})) == frozenset()
    # a query naming only a class accepts any of its members
    ginger, turmeric, herbs = (4, 3), (4, 1), (4, CLASS_NAME)
    assert conflicts(t, frozenset({herbs, ginger}), frozenset({turmeric}), frozenset({turmeric})) == frozenset()
    # across plain sections nothing conflicts
    cashew = (3, 1)
    assert conflicts(t, frozenset({ginger}), frozenset({cashew}), frozenset({cashew})) == frozenset()


def test_bundled_file_parses_and_missing_file_gives_an_empty_table(tmp_path):
    bundled = load_classes()
    assert len(bundled.lines) >= 30 and len(set(bundled.families)) < len(bundled.lines)
    assert not load_classes(str(tmp_path / "none.tsv"), SYNONYMS).exact


def test_what_a_text_wants_to_replace_is_mentioned_but_not_named():
    t = table()
    named, mentioned = t.terms(["thay_thế", "lạc", "bằng", "hạt_điều"])
    assert named == {(3, 1)} and mentioned == {(3, 1), (3, 2)}
    named, _ = t.terms(["bỏ", "nuôi", "lợn", "để", "nuôi", "bò"])
    assert named == {(0, 2)}


def test_replaced_words_end_at_a_word_that_names_what_comes_instead_or_after_a_few_words():
    assert replaced_syllables(["muốn", "thay_thế", "túi", "nilon", "bằng", "túi", "giấy"]) == {3, 4}
    assert replaced_syllables(["thay", "the", "tui", "nilon"]) == {2, 3}
    assert replaced_syllables(["hạn_chế", "a", "b", "c", "d", "e"]) == {2, 3, 4, 5}
    assert replaced_syllables(["máy", "bóc", "vỏ", "hạt_điều"]) == set()
