"""The security baseline: headers on every response, no inline script or style, cookies, HSTS, the 500 page,
the trusted-proxy rule and escaping of what users typed."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from exchange.config import Config
from exchange.models import LoginAttempt
from exchange.web.app import create_app
from tests.support import PASSWORD, add_person, csrf_token, post_form, sign_in

TEMPLATES = Path(__file__).parents[2] / "exchange" / "web" / "templates"
SERVER_ERROR = "Đã có lỗi ở máy chủ. Vui lòng thử lại sau."
HTTPS = "https://localhost"
VISITOR_PATHS = ["/", "/tim-kiem", "/tim-kiem?q=m%C3%A1y+s%E1%BA%A5y", "/dang-nhap", "/dang-ky", "/quen-mat-khau",
                 "/tai-khoan", "/khong-co-trang-nay", "/tin/999999", "/static/site.css", "/api/listings",
                 "/api/listings/999999", "/api/me", "/api/openapi.json", "/api/khong-co"]
SIGNED_IN_PATHS = ["/", "/tai-khoan", "/tai-khoan/mat-khau", "/tai-khoan/xac-thuc-hai-buoc", "/thong-bao",
                   "/thong-bao/cai-dat", "/quan-tri/nguoi-dung", "/quan-tri/to-chuc", "/quan-tri/nhat-ky"]
RENDERED_PAGES = ["/", "/tim-kiem", "/dang-nhap", "/dang-ky", "/quen-mat-khau", "/khong-co-trang-nay"]


def policy(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as directive → sources."""
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def header_problems(response) -> list[str]:  # type: ignore[no-untyped-def]
    """What the security headers of a response lack (empty: all there)."""
    csp = policy(response.headers.get("Content-Security-Policy", ""))
    problems = [f"{name} {want}" for name, want in (("object-src", "'none'"), ("base-uri", "'none'"),
                                                     ("frame-ancestors", "'none'"), ("script-src", "'self'"))
                if csp.get(name) != [want]]
    if "'unsafe-inline'" in " ".join(csp.get("style-src", []) + csp.get("default-src", [])):
        problems.append("unsafe-inline style")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("nosniff")
    if not response.headers.get("Referrer-Policy"):
        problems.append("Referrer-Policy")
    return problems


INLINE = [
    ("inline <script>", re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE)),
    ("<script src> with a body", re.compile(r"<script\b[^>]*\bsrc\s*=[^>]*>\s*[^<\s]", re.IGNORECASE)),
    ("<style> element", re.compile(r"<style\b", re.IGNORECASE)),
    ("style= attribute", re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)),
    ("on*= handler", re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)),
    ("javascript: URL", re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)),
]


def inline_code(html: str) -> list[str]:
    """Names of the inline script or style constructs in a page or template (CSP would block them)."""
    return [name for name, pattern in INLINE if pattern.search(html)]


# ---- headers -------------------------------------------------------------------------------------

def test_every_visitor_response_carries_the_security_headers(client):
    wrong = {}
    for path in VISITOR_PATHS:
        with client.get(path) as response:  # closes the static file
            if problems := header_problems(response):
                wrong[path] = problems
    assert wrong == {}


def test_every_signed_in_page_and_api_response_carries_the_security_headers(signed_in, token_for):
    staff = signed_in("staff")
    responses = {path: staff.get(path) for path in SIGNED_IN_PATHS}
    responses["GET /api/me"] = staff.get("/api/me", headers={"Authorization": f"Bearer {token_for('staff')}"})
    responses["POST /dang-xuat"] = post_form(staff, "/dang-xuat", page="/")
    assert responses["/quan-tri/nguoi-dung"].status_code == 200 and responses["GET /api/me"].status_code == 200
    assert {name: problems for name, r in responses.items() if (problems := header_problems(r))} == {}


def test_the_header_check_notices_a_missing_or_weak_policy():
    from werkzeug.wrappers import Response

    weak = Response("x", headers={"Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'"})
    assert {"object-src 'none'", "script-src 'self'", "nosniff", "Referrer-Policy"} <= set(header_problems(weak))


# ---- no inline script or style -------------------------------------------------------------------

def test_the_templates_are_found():
    assert len(list(TEMPLATES.rglob("*.html"))) >= 20


@pytest.mark.parametrize("template", sorted(str(p.relative_to(TEMPLATES)) for p in TEMPLATES.rglob("*.html")))
def test_no_template_has_inline_script_style_or_handlers(template):
    assert inline_code((TEMPLATES / template).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize("snippet,found", [
    ("<script>alert(1)</script>", "inline <script>"),
    ('<script type="module">\nimport x from "y"</script>', "inline <script>"),
    ('<script src="/static/a.js">alert(1)</script>', "<script src> with a body"),
    ("<style>p { color: red }</style>", "<style> element"),
    ('<p class="x" style="color: red">', "style= attribute"),
    ('<button type="submit" onclick="go()">', "on*= handler"),
    ('<img src="x.png"\n     onerror="steal()">', "on*= handler"),
    ('<a href="javascript:void(0)">', "javascript: URL"),
])
def test_the_template_scan_finds_each_kind_of_inline_code(snippet, found):
    assert found in inline_code(snippet)


@pytest.mark.parametrize("snippet", ['<script src="{{ url_for(\'static\', filename=\'search.js\') }}" defer></script>',
                                     '<p class="styled">one=two, onward</p>', '<a href="/javascript-guide">'])
def test_the_template_scan_lets_external_scripts_and_plain_text_through(snippet):
    assert inline_code(snippet) == []


def test_rendered_pages_have_no_inline_script_style_or_handlers(client, signed_in):
    pages = {path: client.get(path).get_data(as_text=True) for path in RENDERED_PAGES}
    staff = signed_in("staff")
    pages.update({f"staff {path}": staff.get(path).get_data(as_text=True) for path in SIGNED_IN_PATHS})
    assert {path: found for path, html in pages.items() if (found := inline_code(html))} == {}


# ---- cookies and HSTS ----------------------------------------------------------------------------

def session_cookie(response, name: str) -> str:  # type: ignore[no-untyped-def]
    """The Set-Cookie header of the session cookie."""
    found = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert found, response.headers.getlist("Set-Cookie")
    return found[-1]


def cookie_attributes(header: str) -> dict[str, str]:
    """The attributes of a Set-Cookie header, lower-cased names."""
    parts = [p.strip() for p in header.split(";")[1:]]
    return {p.partition("=")[0].lower(): p.partition("=")[2] for p in parts if p}


@pytest.fixture
def make_app(database_url, tmp_path, committed):  # type: ignore[no-untyped-def]
    """make_app(**settings) → an app on the backend under test with these settings."""
    made = []

    def make(**settings):  # type: ignore[no-untyped-def]
        cfg = Config.from_env(environ={}, DATABASE_URL=database_url, INSTANCE_DIR=str(tmp_path / f"app{len(made)}"),
                              QUEUE_URL="immediate", **settings)
        application = create_app(cfg)
        made.append(application)
        return application

    yield make
    for application in made:
        application.extensions["exchange"].engine.dispose()


@pytest.fixture
def production_app(make_app):  # type: ignore[no-untyped-def]
    """The app as it is served: ENV=production with a secret key."""
    return make_app(ENV="production", SECRET_KEY="x" * 40)


def https_sign_in(client, email: str):  # type: ignore[no-untyped-def]
    """Sign in over HTTPS the way a browser does (CSRF is strict about the Referer there)."""
    token = csrf_token(client.get("/dang-nhap", base_url=HTTPS).get_data(as_text=True))
    return client.post("/dang-nhap", base_url=HTTPS, headers={"Referer": f"{HTTPS}/dang-nhap"},
                       data={"csrf_token": token, "email": email, "password": PASSWORD})


def test_in_development_the_session_cookie_is_not_secure_and_there_is_no_hsts(make_app):
    application = make_app(ENV="development")
    person = add_person(application.extensions["exchange"].session_factory, "enterprise")
    client = application.test_client()
    response = sign_in(client, person.email)
    assert response.status_code == 302
    attributes = cookie_attributes(session_cookie(response, "session"))
    assert "secure" not in attributes and "httponly" in attributes and attributes["samesite"] == "Lax"
    assert all("Strict-Transport-Security" not in client.get(path).headers for path in ("/", "/api/listings"))


def test_in_production_the_sign_in_cookie_is_host_prefixed_secure_httponly_and_lax(production_app):
    person = add_person(production_app.extensions["exchange"].session_factory, "enterprise")
    client = production_app.test_client()
    response = https_sign_in(client, person.email)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    header = session_cookie(response, "__Host-session")
    attributes = cookie_attributes(header)
    assert "secure" in attributes and "httponly" in attributes and attributes["samesite"] == "Lax"
    assert attributes.get("path") == "/" and "domain" not in attributes  # what the __Host- prefix demands
    assert client.get("/tai-khoan", base_url=HTTPS).status_code == 200


@pytest.mark.parametrize("path", ["/", "/dang-nhap", "/khong-co-trang-nay", "/api/listings", "/api/me"])
def test_in_production_every_response_carries_hsts(production_app, path):
    response = production_app.test_client().get(path, base_url=HTTPS)
    assert response.headers.get("Strict-Transport-Security", "").startswith("max-age=")
    assert int(response.headers["Strict-Transport-Security"].split(";")[0].split("=")[1]) >= 180 * 24 * 3600


# ---- the 500 page --------------------------------------------------------------------------------

def _break(application):  # type: ignore[no-untyped-def]
    def explode():  # type: ignore[no-untyped-def]
        raise RuntimeError("chi tiết nội bộ: mật khẩu cơ sở dữ liệu là hunter2")

    application.add_url_rule("/loi-thu", "explode_page", explode)
    application.add_url_rule("/api/loi-thu", "explode_api", explode)


@pytest.mark.parametrize("which", ["test", "production"])
def test_a_500_page_is_the_vietnamese_error_page_without_a_trace(app, production_app, which):
    application = app if which == "test" else production_app
    _break(application)
    response = application.test_client().get("/loi-thu", base_url=HTTPS)
    html = response.get_data(as_text=True)
    assert response.status_code == 500 and response.mimetype == "text/html"
    assert SERVER_ERROR in html and '<html lang="vi">' in html
    assert "Traceback" not in html and "hunter2" not in html and "RuntimeError" not in html


def test_a_500_on_the_api_is_the_internal_error_envelope_without_a_trace(app):
    _break(app)
    response = app.test_client().get("/api/loi-thu")
    assert response.status_code == 500
    assert response.get_json() == {"error": {"code": "internal_error", "message": SERVER_ERROR, "fields": {}}}
    assert "hunter2" not in response.get_data(as_text=True)


def test_a_500_in_a_real_view_keeps_the_security_headers(app, monkeypatch):
    from exchange.web.views import public

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("hunter2")

    monkeypatch.setattr(public, "newest_published", broken)
    response = app.test_client().get("/")
    assert response.status_code == 500 and "hunter2" not in response.get_data(as_text=True)
    assert header_problems(response) == []


# ---- which client address to believe -------------------------------------------------------------

@pytest.mark.parametrize("trusted,peer,forwarded,recorded", [
    (None, "127.0.0.1", "203.0.113.7", "127.0.0.1"),
    ("127.0.0.1", "127.0.0.1", "203.0.113.7", "203.0.113.7"),
    ("127.0.0.1", "127.0.0.1", "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # only the last hop, our proxy's
    ("10.0.0.0/8", "10.1.2.3", "203.0.113.7", "203.0.113.7"),
    ("10.0.0.0/8", "127.0.0.1", "203.0.113.7", "127.0.0.1"),
    ("10.0.0.1", "192.0.2.50", "203.0.113.7", "192.0.2.50"),
])
def test_x_forwarded_for_counts_only_from_a_trusted_proxy(make_app, trusted, peer, forwarded, recorded):
    application = make_app(ENV="test", TRUSTED_PROXIES=trusted)
    factory = application.extensions["exchange"].session_factory
    client = application.test_client()
    client.environ_base["REMOTE_ADDR"] = peer
    response = post_form(client, "/dang-nhap", {"email": "ai-do@thu.vn", "password": "sai mật khẩu rồi nhé"},
                         headers={"X-Forwarded-For": forwarded})
    assert response.status_code == 401
    with factory() as session:
        assert session.scalars(select(LoginAttempt.client_address)).all() == [recorded]


# ---- what users typed is escaped -----------------------------------------------------------------

NAME = "<script>alert(1)</script><img src=x onerror=alert(3)>"
ORGANIZATION = "<script>alert(2)</script> Công ty"


@pytest.fixture
def scripted(app, factory):  # type: ignore[no-untyped-def]
    """A member whose full name and organization name are HTML, signed in."""
    add_person(factory, "enterprise", email="xss@thu.vn", organization=ORGANIZATION, full_name=NAME)
    client = app.test_client()
    assert sign_in(client, "xss@thu.vn").status_code == 302
    return client


@pytest.mark.parametrize("who,path,shown", [
    ("member", "/tai-khoan", (NAME, ORGANIZATION)),
    ("member", "/to-chuc", (NAME, ORGANIZATION)),
    ("staff", "/quan-tri/nguoi-dung", (NAME, ORGANIZATION)),
    ("staff", "/quan-tri/to-chuc", (ORGANIZATION,)),
])
def test_html_in_names_comes_back_escaped_and_never_raw(scripted, signed_in, who, path, shown):
    client = scripted if who == "member" else signed_in("staff")
    response = client.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<script>alert(" not in html and "<img src=x" not in html
    for text in shown:
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert escaped in html
