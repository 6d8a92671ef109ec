"""The English catalog is complete for every message the code and templates mark, and compiled."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from exchange.i18n import TRANSLATIONS_DIR
from exchange.notifications.kinds import TEXTS, notification_text
from exchange.notifications.mail import translations

ROOT = Path(__file__).resolve().parents[2]
CATALOG = TRANSLATIONS_DIR / "en" / "LC_MESSAGES"
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "Msg": None, "_l": None, "lazy_gettext": None}
METHODS = [("exchange/**.py", "python"), ("exchange/**/templates/**.html", "jinja2"),
           ("exchange/**/templates/**.txt", "jinja2")]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%")


@pytest.fixture(scope="module")
def extracted() -> set[str]:
    """Every message the code and the templates mark, as pybabel extracts them (babel.cfg)."""
    found = extract_from_dir(str(ROOT), METHODS, keywords=KEYWORDS)
    ids = {message if isinstance(message, str) else message[0] for _, _, message, _, _ in found}
    return {i for i in ids if i}


@pytest.fixture(scope="module")
def english():  # type: ignore[no-untyped-def]
    with (CATALOG / "messages.po").open("rb") as handle:
        return read_po(handle)


def test_the_babel_config_extracts_the_same_files_as_this_test():
    text = (ROOT / "babel.cfg").read_text(encoding="utf-8")
    for pattern, method in METHODS:
        assert f"[{method}: {pattern}]" in text


def test_the_code_marks_hundreds_of_messages(extracted):
    assert len(extracted) > 300
    assert "E-mail hoặc mật khẩu không đúng." in extracted and "Đăng nhập" in extracted


def test_every_marked_message_has_an_english_translation(extracted, english):
    translated = {m.id for m in english if m.id and m.string}
    assert sorted(extracted - translated) == []


def test_translations_keep_every_placeholder(english):
    wrong = [m.id for m in english if m.id and m.string and
             sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))]
    assert wrong == []


def test_the_compiled_catalog_matches_the_po_file(english):
    with (CATALOG / "messages.mo").open("rb") as handle:
        compiled = read_mo(handle)
    po = {m.id: m.string for m in english if m.id and m.string}
    mo = {m.id: m.string for m in compiled if m.id}
    assert mo == po


@pytest.mark.parametrize("kind", list(TEXTS), ids=lambda k: k.value)
def test_every_notification_kind_reads_in_english(kind):
    params = {"title": "T", "count": 2, "reason": "R", "date": "01/01/2027", "decision": "D", "need": "N",
              "offer": "O", "organization": "Org", "days": 30, "query": "q", "inviter": "I"}
    text = notification_text(kind, params, translations("en").gettext)
    assert text != notification_text(kind, params, translations("vi").gettext)
