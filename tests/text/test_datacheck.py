"""The data-file check: staff learn which lines of synonyms.tsv and classes.tsv the engine skips."""
from __future__ import annotations

from exchange.text.datacheck import check_classes, check_data, check_synonyms
from exchange.text.synonyms import parse_synonyms


def test_bundled_data_files_have_no_skipped_lines():
    assert check_data() == []


def test_a_one_term_group_and_a_term_in_two_groups_are_reported_by_line():
    lines = ["# chú thích", "heo\tlợn", "bắp", "", "lợn\tcon heo", "ngô\tbắp  # ghi chú"]
    problems = check_synonyms(lines)
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [
        (3, "nhóm chỉ có một từ ('bắp')"), (5, "'lợn' đã có trong nhóm ở dòng 2; ở dòng này nó bị bỏ qua")]
    assert str(problems[0]).startswith("synonyms.tsv:3: ")


def test_a_short_class_and_a_member_in_two_classes_are_reported_by_line():
    synonyms = parse_synonyms(["lợn\theo"])
    lines = ["# ---- Động vật ---- (family)", "gia súc\tlợn\tbò", "vật nuôi\theo\tdê", "cây\tlúa"]
    problems = check_classes(lines, synonyms)
    assert [p.line for p in problems] == [3, 4]
    assert "'heo' đã thuộc lớp ở dòng 2" in problems[0].message
    assert "ít nhất hai thành viên" in problems[1].message


def test_files_given_by_path_are_checked(tmp_path):
    synonyms, classes = tmp_path / "s.tsv", tmp_path / "c.tsv"
    synonyms.write_text("heo\tlợn\nbắp\n", encoding="utf-8")
    classes.write_text("gia súc\tlợn\tbò\nvật nuôi\theo\tdê\n", encoding="utf-8")
    assert [(p.file, p.line) for p in check_data(synonyms, classes)] == [("s.tsv", 2), ("c.tsv", 2)]
