"""Rendering a mail (Vietnamese or English, plain text plus HTML) and sending it: SMTP or .eml files.

Rendering uses Jinja2 with Babel's translations directly, not Flask, so the worker and
the CLI render exactly what a request would. Every link is built from EXCHANGE_BASE_URL.
"""
from __future__ import annotations

import smtplib
import ssl
import threading
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from babel.support import NullTranslations, Translations
from jinja2 import Environment, FileSystemLoader, select_autoescape

from exchange.i18n import N_, TRANSLATIONS_DIR
from exchange.models import NotificationKind
from exchange.notifications.kinds import kind_label, notification_text

TEMPLATES = Path(__file__).with_name("templates")
LANGUAGES = ("vi", "en")
SITE = N_("Sàn Giao dịch công nghệ")
SUBJECTS = {
    "password_reset": N_("Đặt lại mật khẩu"),
    "account_activation": N_("Kích hoạt tài khoản"),
    "digest": N_("Tóm tắt thông báo trong ngày"),
    NotificationKind.invitation.value: N_("Lời mời tham gia tổ chức"),
}
# Mails with a template of their own; every other kind uses the notification template.
OWN_TEMPLATE = frozenset(SUBJECTS)


@lru_cache(maxsize=len(LANGUAGES))
def translations(language: str) -> NullTranslations:
    """The compiled catalog of a language (Vietnamese is the source language: no catalog)."""
    if language == "vi" or language not in LANGUAGES:
        return NullTranslations()
    return Translations.load(str(TRANSLATIONS_DIR), [language])


_envs: dict[str, Environment] = {}
_envs_lock = threading.Lock()


def environment(language: str) -> Environment:
    """A Jinja2 environment with the language's translations installed (one per language)."""
    with _envs_lock:
        if language not in _envs:
            env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]),
                              extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
            env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
            _envs[language] = env
        return _envs[language]


@dataclass(frozen=True)
class Rendered:
    """A mail ready to send."""

    to: str
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class MailSettings:
    """What rendering and sending need from the configuration."""

    base_url: str
    sender: str
    timezone: str


def render(*, kind: str, params: dict[str, Any], to: str, language: str, settings: MailSettings,
           extra: dict[str, Any] | None = None) -> Rendered:
    """Render one mail of a kind with its parameters (extra: context the delivery loaded, e.g. a digest's items)."""
    language = language if language in LANGUAGES else "vi"
    gettext = translations(language).gettext
    env = environment(language)
    name = kind if kind in OWN_TEMPLATE else "notification"
    context = {"params": params, "base_url": settings.base_url, "kind": kind, "site": gettext(SITE),
               "link": _absolute(settings.base_url, params.get("link")), **(extra or {})}
    if name == "notification":
        context["text"] = notification_text(kind, params, gettext)
        context["preferences_link"] = f"{settings.base_url}/thong-bao/cai-dat#{kind}"
        subject = kind_label(kind, gettext)
    else:
        subject = gettext(SUBJECTS[kind])
    return Rendered(to=to, subject=f"[{gettext(SITE)}] {subject}",
                    text=env.get_template(f"mail/{name}.txt").render(context),
                    html=env.get_template(f"mail/{name}.html").render(context))


def _absolute(base_url: str, link: str | None) -> str | None:
    """A site path made absolute with the base URL (links already absolute are kept)."""
    if not link:
        return None
    return link if link.startswith(("http://", "https://")) else f"{base_url}{link}"


def to_message(mail: Rendered, settings: MailSettings, now: datetime) -> EmailMessage:
    """The RFC 5322 message: plain text with an HTML alternative."""
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(now.astimezone(ZoneInfo(settings.timezone)))
    message["Message-ID"] = make_msgid(domain=urlsplit(settings.base_url).hostname or "localhost")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(mail.text)
    message.add_alternative(mail.html, subtype="html")
    return message


class MailBackend(Protocol):
    """Where rendered mails go."""

    def send(self, message: EmailMessage, mail_id: int) -> None:
        """Deliver one message; raise on failure (the delivery retries later)."""


@dataclass(frozen=True)
class FileBackend:
    """Writes each mail as an .eml file, so a newcomer can read what would have been sent."""

    folder: Path

    def send(self, message: EmailMessage, mail_id: int) -> None:
        """Write <folder>/mail-<id>.eml atomically (a partial file is renamed when complete)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"mail-{mail_id:06d}.eml"
        partial = target.with_suffix(".eml.part")
        partial.write_bytes(message.as_bytes())
        partial.replace(target)


@dataclass(frozen=True)
class SmtpBackend:
    """SMTP: smtp:// (STARTTLS when the server offers it), smtp+starttls:// (STARTTLS required), smtps:// (TLS)."""

    url: str
    timeout: float = 30.0

    def send(self, message: EmailMessage, mail_id: int) -> None:
        """Open a connection, authenticate if the URL has a user, send, close."""
        parts = urlsplit(self.url)
        host = parts.hostname or "localhost"
        if parts.scheme == "smtps":
            client: smtplib.SMTP = smtplib.SMTP_SSL(host, parts.port or 465, timeout=self.timeout,
                                                    context=ssl.create_default_context())
        elif parts.scheme in ("smtp", "smtp+starttls"):
            client = smtplib.SMTP(host, parts.port or 587, timeout=self.timeout)
        else:
            raise ValueError(f"EXCHANGE_SMTP_URL: unknown scheme {parts.scheme!r} (smtp, smtp+starttls, smtps)")
        with client:
            if parts.scheme != "smtps":
                client.ehlo()
                if client.has_extn("starttls"):
                    client.starttls(context=ssl.create_default_context())
                    client.ehlo()
                elif parts.scheme == "smtp+starttls":
                    raise smtplib.SMTPException("the server does not offer STARTTLS, which the URL requires")
            if parts.username:
                client.login(unquote(parts.username), unquote(parts.password or ""))
            client.send_message(message)


def backend_for(smtp_url: str | None, mail_dir: Path) -> MailBackend:
    """SMTP when a URL is set, otherwise .eml files in the mail folder."""
    return SmtpBackend(smtp_url) if smtp_url else FileBackend(mail_dir)
