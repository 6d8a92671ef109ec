"""Translatable messages without Flask: services mark them, the web layer (or a mail) translates them.

Source messages are Vietnamese (the default language); `N_("…")` marks a message for
extraction and returns it unchanged; `Msg(N_("Không có tin số %(id)s."), id=5)` is a
message with parameters: a `str` holding the Vietnamese text (so logs, the CLI and tests
read it as is) that also remembers its template and parameters, so that
`translate(message, gettext)` can render it in another language.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Mapping

Gettext = Callable[[str], str]
# Compiled catalogs (messages.mo) of the languages other than Vietnamese, the source language.
TRANSLATIONS_DIR = Path(__file__).with_name("translations")


def N_(message: str) -> str:
    """Mark a message for extraction (pybabel -k N_); translated where it is shown."""
    return message


class Msg(str):
    """A Vietnamese message with %(name)s parameters that can be translated later."""

    template: str
    params: Mapping[str, Any]

    def __new__(cls, template: str, **params: Any) -> "Msg":
        text = super().__new__(cls, template % params if params else template)
        text.template = template
        text.params = params
        return text

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (_rebuild, (self.template, dict(self.params)))


def _rebuild(template: str, params: dict[str, Any]) -> Msg:
    return Msg(template, **params)


def translate(message: str, gettext: Gettext) -> str:
    """The message in the language of `gettext` (a Msg is formatted after its template is translated;
    parameters that are Msg themselves, such as a status label, are translated too)."""
    if isinstance(message, Msg):
        translated = gettext(message.template)
        if not message.params:
            return translated
        return translated % {k: translate(v, gettext) if isinstance(v, Msg) else v for k, v in message.params.items()}
    return gettext(message) if message else message
