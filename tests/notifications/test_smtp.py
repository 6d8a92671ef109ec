"""Mail over real SMTP: a loopback aiosmtpd server receives the backend's messages and the password reset flow."""
from __future__ import annotations

import re
import socket
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller

from exchange.config import Config
from exchange.db import utcnow
from exchange.notifications.mail import MailSettings, SmtpBackend, render, to_message
from tests.support import PASSWORD, add_person, csrf_token, post_form, sign_in

BASE_URL = "http://sgd.test"
NEW_PASSWORD = "một mật khẩu mới khá dài"
RESET_LINK = re.compile(r"(\S+/dat-lai-mat-khau/\S+)")
SENT_PAGE = "Nếu e-mail này có tài khoản trên Sàn, một liên kết đặt lại mật khẩu vừa được gửi tới."


class Collector:
    """An aiosmtpd handler that keeps every envelope it receives."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self) -> list[EmailMessage]:
        """The received messages, parsed."""
        return [BytesParser(policy=policy.default).parsebytes(e.content) for e in self.envelopes]  # type: ignore[misc]


def _free_port() -> int:
    # aiosmtpd's Controller connects to its own port once started, so it needs a real one (not 0).
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback: (its smtp:// URL, the collector of what it received)."""
    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{controller.port}", collector
    finally:
        controller.stop()


def text_of(message: EmailMessage) -> str:
    return message.get_body(("plain",)).get_content()


# --- the backend alone ----------------------------------------------------------------------------------

def test_smtp_backend_delivers_a_rendered_message_to_the_server(smtp_server):
    url, collector = smtp_server
    settings = MailSettings(base_url=BASE_URL, sender="Sàn Giao dịch công nghệ <no-reply@sgd.test>",
                            timezone="Asia/Ho_Chi_Minh")
    rendered = render(kind="password_reset", params={"link": "/dat-lai-mat-khau/abc"}, to="nhan@thu.vn",
                      language="vi", settings=settings)
    SmtpBackend(url, timeout=5).send(to_message(rendered, settings, utcnow()), 1)
    [envelope] = collector.envelopes
    assert envelope.rcpt_tos == ["nhan@thu.vn"] and envelope.mail_from == "no-reply@sgd.test"
    [message] = collector.messages()
    assert message["Subject"] == "[Sàn Giao dịch công nghệ] Đặt lại mật khẩu"
    assert f"{BASE_URL}/dat-lai-mat-khau/abc" in text_of(message)


def test_smtp_backend_raises_when_no_server_listens():
    with pytest.raises(OSError):
        SmtpBackend(f"smtp://127.0.0.1:{_free_port()}", timeout=5).send(EmailMessage(), 1)


# --- the password reset through the web app ---------------------------------------------------------------

@pytest.fixture
def smtp_app(database_url, tmp_path, committed, smtp_server):  # type: ignore[no-untyped-def]
    """The web app (tasks run at once after commit) mailing through the loopback server."""
    from exchange.web.app import create_app

    config = Config.from_env(environ={}, ENV="test", DATABASE_URL=database_url, INSTANCE_DIR=str(tmp_path),
                             QUEUE_URL="immediate", SMTP_URL=smtp_server[0], BASE_URL=BASE_URL)
    application = create_app(config)
    yield application
    application.extensions["exchange"].engine.dispose()


@pytest.fixture
def member(smtp_app):
    return add_person(smtp_app.extensions["exchange"].session_factory, "enterprise", email="quen@thu.vn")


def reset_links(collector: Collector) -> list[str]:
    return [RESET_LINK.search(text_of(m)).group(1) for m in collector.messages()]  # type: ignore[union-attr]


def test_a_forgotten_password_is_reset_through_the_mailed_link(smtp_app, smtp_server, member):
    _, collector = smtp_server
    client = smtp_app.test_client()
    response = post_form(client, "/quen-mat-khau", {"email": member.email})
    assert response.status_code == 200 and SENT_PAGE in response.get_data(as_text=True)
    [envelope] = collector.envelopes
    assert envelope.rcpt_tos == [member.email]
    [link] = reset_links(collector)
    assert link.startswith(f"{BASE_URL}/dat-lai-mat-khau/")
    path = urlsplit(link).path
    page = client.get(path)
    assert page.status_code == 200
    done = client.post(path, data={"csrf_token": csrf_token(page.get_data(as_text=True)),
                                   "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302 and done.headers["Location"] == "/tai-khoan"
    assert sign_in(smtp_app.test_client(), member.email, NEW_PASSWORD).status_code == 302
    assert sign_in(smtp_app.test_client(), member.email, PASSWORD).status_code == 401


def test_a_reset_link_works_only_once(smtp_app, smtp_server, member):
    _, collector = smtp_server
    post_form(smtp_app.test_client(), "/quen-mat-khau", {"email": member.email})
    [link] = reset_links(collector)
    path = urlsplit(link).path
    first = post_form(smtp_app.test_client(), path, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert first.status_code == 302
    again = post_form(smtp_app.test_client(), path, {"password": "lại một mật khẩu khác nữa", "confirm":
                                                     "lại một mật khẩu khác nữa"})
    assert again.status_code == 422
    assert "Liên kết không hợp lệ hoặc đã được dùng." in again.get_data(as_text=True)
    assert sign_in(smtp_app.test_client(), member.email, NEW_PASSWORD).status_code == 302


def test_a_forged_host_header_does_not_change_the_mailed_link(smtp_app, smtp_server, member):
    _, collector = smtp_server
    client = smtp_app.test_client()
    forged = {"Host": "evil.example"}
    page = client.get("/quen-mat-khau", headers=forged)
    response = client.post("/quen-mat-khau", headers=forged,
                           data={"csrf_token": csrf_token(page.get_data(as_text=True)), "email": member.email})
    assert response.status_code == 200
    [link] = reset_links(collector)
    assert link.startswith(f"{BASE_URL}/dat-lai-mat-khau/") and "evil.example" not in link


def _without_tokens(html: str) -> str:
    return re.sub(r'value="[^"]*"', 'value=""', html)


def test_an_unknown_address_gets_the_same_page_and_no_mail(smtp_app, smtp_server, member):
    _, collector = smtp_server
    unknown = post_form(smtp_app.test_client(), "/quen-mat-khau", {"email": "khong-ai@thu.vn"})
    assert collector.envelopes == []
    known = post_form(smtp_app.test_client(), "/quen-mat-khau", {"email": member.email})
    assert len(collector.envelopes) == 1
    assert unknown.status_code == known.status_code == 200
    assert SENT_PAGE in unknown.get_data(as_text=True)
    assert _without_tokens(unknown.get_data(as_text=True)) == _without_tokens(known.get_data(as_text=True))
