"""Languages of the pages: Flask-Babel with Vietnamese as the default, English as the second language.

The chosen language is the signed-in user's saved one, else the visitor's choice kept in
the session, else Vietnamese. Domain messages (exchange.i18n) are translated here.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, session
from flask_babel import Babel, get_locale, gettext
from flask_login import current_user

from exchange.i18n import TRANSLATIONS_DIR, translate

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT_LANGUAGE = "vi"


def select_language() -> str:
    """The language of this request."""
    if current_user and current_user.is_authenticated and current_user.user.language in LANGUAGES:
        return current_user.user.language
    chosen = session.get("lang")
    return chosen if chosen in LANGUAGES else DEFAULT_LANGUAGE


def t(message: str | None) -> str:
    """A domain message (plain marked string or Msg) in the page's language."""
    return translate(message, gettext) if message else ""


def translate_fields(fields: dict[str, str]) -> dict[str, str]:
    """Field errors in the page's language."""
    return {name: t(message) for name, message in fields.items()}


def current_language() -> str:
    """'vi' or 'en' (for <html lang> and the switch)."""
    return str(get_locale() or DEFAULT_LANGUAGE)


def register(app: Flask) -> None:
    """Install Flask-Babel and the template helpers."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    Babel(app, locale_selector=select_language)

    @app.context_processor
    def _language() -> dict[str, Any]:
        return {"t": t, "languages": LANGUAGES, "current_language": current_language()}
