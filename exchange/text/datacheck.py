"""Checks of the staff-editable data files (synonyms.tsv, classes.tsv), with Vietnamese messages.

Both files are read leniently: a line the engine cannot use is skipped and a term already seen
keeps its first group or class. Staff who edit them need to know when that happens, so
`exchange data-check` and `exchange reindex` list every such line.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from exchange.text import classes as class_file
from exchange.text import synonyms as synonym_file
from exchange.text.synonyms import SynonymTable, line_terms


@dataclass(frozen=True)
class Problem:
    """One line the engine reads otherwise than its writer meant."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def check_synonyms(lines: Iterable[str], name: str = "synonyms.tsv") -> list[Problem]:
    """Lines with a single term, and terms already in an earlier group."""
    problems: list[Problem] = []
    seen: dict[tuple[str, ...], int] = {}
    for number, line in enumerate(lines, 1):
        terms = line_terms(line)
        if not terms:
            continue
        if len(terms) < 2:
            problems.append(Problem(name, number, f"nhóm chỉ có một từ ('{' '.join(terms[0])}'): "
                                                  "cần ít nhất hai từ cách nhau bằng dấu Tab; dòng bị bỏ qua"))
            continue
        for term in terms:
            if term in seen and seen[term] != number:
                problems.append(Problem(name, number, f"'{' '.join(term)}' đã có trong nhóm ở dòng {seen[term]}; "
                                                      "ở dòng này nó bị bỏ qua"))
            seen.setdefault(term, number)
    return problems


def check_classes(lines: Iterable[str], synonyms: SynonymTable, name: str = "classes.tsv") -> list[Problem]:
    """Lines with fewer than a class name and two members, and members already in an earlier class."""
    problems: list[Problem] = []
    seen: dict[tuple[str, ...], int] = {}
    for number, line in enumerate(lines, 1):
        if line.startswith(class_file.SECTION):
            continue
        terms = line_terms(line)
        if not terms:
            continue
        if len(terms) < 3:
            problems.append(Problem(name, number, "một lớp cần tên lớp và ít nhất hai thành viên, cách nhau bằng "
                                                  "dấu Tab; dòng bị bỏ qua"))
            continue
        for term in terms:
            for key in class_file._canonical(term, synonyms):
                if key in seen and seen[key] != number:
                    problems.append(Problem(name, number, f"'{' '.join(term)}' đã thuộc lớp ở dòng {seen[key]}; "
                                                          "ở dòng này nó bị bỏ qua"))
                    break
                seen.setdefault(key, number)
    return problems


def check_data(synonyms_path: Path | None = None, classes_path: Path | None = None) -> list[Problem]:
    """Problems of both files (default: the bundled ones)."""
    syn = synonyms_path or synonym_file.DATA_FILE
    cls = classes_path or class_file.DATA_FILE
    syn_lines = syn.read_text(encoding="utf-8").splitlines() if syn.is_file() else []
    cls_lines = cls.read_text(encoding="utf-8").splitlines() if cls.is_file() else []
    table = synonym_file.parse_synonyms(syn_lines)
    return check_synonyms(syn_lines, syn.name) + check_classes(cls_lines, table, cls.name)
