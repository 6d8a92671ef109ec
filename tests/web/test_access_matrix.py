"""Every cell of the README's access matrix, in HTML and (where the resource has an API) in JSON.

Roles: visitor (no session), enterprise, broker, staff, and deactivated: a member who signed in and
took a token, then was deactivated by staff (its cookie and token are dead; signing in is refused).
The people sign in once per module and backend (scrypt makes each sign-in cost); every test that
changes something works on throwaway rows it makes itself, and a refused request is checked to
have changed nothing.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlsplit

import pytest
from sqlalchemy import Engine, func, select

from exchange.models import (
    Invitation,
    LoginSession,
    Notification,
    NotificationKind,
    NotificationPreference,
    Organization,
    OrganizationType,
    User,
)
from exchange.notifications.services import notify
from tests.support import (
    PASSWORD,
    Person,
    add_person,
    get_user,
    post_form,
    sign_in,
)
from tests.web.matrix_world import MEMBERS, ROLES, World, build_world, cells, check

LOCKED = "Tài khoản này đã bị khoá. Vui lòng liên hệ Sở Khoa học và Công nghệ."
# The rows of the matrix: role → what a request of that role gets.
EVERYONE = {role: "ok" for role in ROLES}
OWN = {"visitor": "login", "enterprise": "ok", "broker": "ok", "staff": "ok", "deactivated": "login"}
OWN_API = {"visitor": "401", "enterprise": "ok", "broker": "ok", "staff": "ok", "deactivated": "401"}
OWN_ORGANIZATION = {"visitor": "login", "enterprise": "ok", "broker": "403", "staff": "403", "deactivated": "login"}
STAFF = {"visitor": "login", "enterprise": "403", "broker": "403", "staff": "ok", "deactivated": "login"}
names = itertools.count(1)


@pytest.fixture(scope="module")
def world(database_url: str, engine: Engine, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The module's world on the backend under test (its rows are wiped before and after)."""
    yield from build_world(database_url, engine, tmp_path_factory)


@pytest.fixture(autouse=True)
def _alive(world: World) -> None:
    world.keep_alive()


def fill(world: World, path: str, **extra: Any) -> str:
    return path.format(listing=world.listing_id, **extra)


# ---- published listings, search, suggestions -----------------------------------------------------

@pytest.mark.parametrize("role,method,path,expected", cells(
    EVERYONE, ("GET", "/"), ("GET", "/tim-kiem"), ("GET", "/tim-kiem?q=m%C3%A1y+s%E1%BA%A5y"),
    ("GET", "/tin/{listing}")))
def test_published_listing_pages(world, role, method, path, expected):
    response = world.get(role, fill(world, path))
    check(response, expected)
    html = response.get_data(as_text=True)
    shown = "Cần máy sấy chuối tiết kiệm điện" if path.startswith("/tin/") else f'href="/tin/{world.listing_id}"'
    assert shown in html
    if role in ("visitor", "deactivated"):  # the deactivated member reads as a visitor
        assert 'href="/dang-nhap' in html and "khoa@thu.vn" not in html
    else:
        assert world.people[role].email in html


API_LISTINGS = [("GET", "/api/listings"), ("GET", "/api/listings?q=s%E1%BA%A5y+chu%E1%BB%91i"),
                ("GET", "/api/listings/{listing}"), ("GET", "/api/listings/{listing}/matches"),
                ("GET", "/api/listings/{listing}/experts")]


@pytest.mark.parametrize("role,method,path,expected", cells(
    {**EVERYONE, "deactivated": "401"}, *API_LISTINGS))
def test_published_listing_api_with_each_roles_token(world, role, method, path, expected):
    # A visitor sends no token; the deactivated member sends its dead one, which is a 401 on every /api/ path.
    response = world.api(role, method, fill(world, path))
    check(response, expected)
    if expected == "ok":
        body = response.get_json()
        if path.startswith("/api/listings?") or path == "/api/listings":
            assert world.listing_id in [item["id"] for item in body["results"]]
        elif path.endswith("{listing}"):
            assert body["id"] == world.listing_id
        else:
            assert isinstance(body["results"], list) and body["page"] == 1


@pytest.mark.parametrize("method,path", API_LISTINGS)
def test_the_deactivated_member_reads_the_public_api_as_a_visitor_without_its_token(world, method, path):
    check(world.clients["deactivated"].open(fill(world, path), method=method), "ok")


# ---- sign-in, registration, password reset pages ------------------------------------------------

@pytest.mark.parametrize("role,method,path,expected", [
    *cells(EVERYONE, ("GET", "/dang-ky"), ("GET", "/quen-mat-khau"), ("GET", "/dat-lai-mat-khau/khong-hop-le")),
    *cells({"visitor": "ok", "enterprise": "home", "broker": "home", "staff": "home", "deactivated": "ok"},
           ("GET", "/dang-nhap")),
])
def test_sign_in_registration_and_reset_pages(world, role, method, path, expected):
    response = world.get(role, path)
    if expected == "home":  # a signed-in member is sent on to its account
        assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/bang-tin"
    else:
        check(response, expected)
        assert 'name="csrf_token"' in response.get_data(as_text=True)


def test_the_deactivated_member_cannot_sign_in(world):
    client = world.app.test_client()
    response = sign_in(client, world.people["deactivated"].email)
    assert response.status_code == 401 and LOCKED in response.get_data(as_text=True)
    assert client.get("/tai-khoan").status_code == 302


def test_the_deactivated_members_old_cookie_no_longer_opens_its_account(world):
    response = world.get("deactivated", "/tai-khoan")
    check(response, "login")


# ---- API tokens ----------------------------------------------------------------------------------

@pytest.mark.parametrize("role,expected", [("visitor", "401"), ("enterprise", "ok"), ("broker", "ok"),
                                           ("staff", "ok"), ("deactivated", "401")])
def test_creating_a_token_with_ones_own_credentials(world, role, expected):
    email = world.people[role].email if role != "visitor" else "chua-co-tai-khoan@thu.vn"
    response = world.clients[role].post("/api/tokens", json={"email": email, "password": PASSWORD})
    check(response, expected)
    if expected == "ok":
        token = response.get_json()["token"]
        me = world.clients[role].get("/api/me", headers={"Authorization": f"Bearer {token}"}).get_json()
        assert me["id"] == world.people[role].id
    else:
        assert "token" not in response.get_json()


@pytest.mark.parametrize("role,expected", [("visitor", "401"), ("enterprise", "ok"), ("broker", "ok"),
                                           ("staff", "ok"), ("deactivated", "401")])
def test_revoking_the_current_token_revokes_only_ones_own(world, role, expected):
    client, headers = world.clients[role], {}
    if role in MEMBERS:  # a token of its own to throw away (first used on a GET: see World.keep_alive)
        body = client.post("/api/tokens", json={"email": world.people[role].email, "password": PASSWORD}).get_json()
        headers = {"Authorization": f"Bearer {body['token']}"}
        assert client.get("/api/me", headers=headers).status_code == 200
    elif role == "deactivated":
        headers = {"Authorization": f"Bearer {world.tokens['deactivated']}"}
    check(client.delete("/api/tokens/current", headers=headers), expected)
    for member in MEMBERS:  # the module's own tokens all still work
        assert world.api(member, "GET", "/api/me").status_code == 200


# ---- own account ---------------------------------------------------------------------------------

@pytest.mark.parametrize("role,method,path,expected", cells(
    OWN, ("GET", "/tai-khoan"), ("GET", "/tai-khoan/mat-khau"), ("GET", "/tai-khoan/xac-thuc-hai-buoc")))
def test_own_account_pages(world, role, method, path, expected):
    response = world.get(role, path)
    check(response, expected)
    if expected == "ok" and path == "/tai-khoan":
        assert world.people[role].email in response.get_data(as_text=True)


@pytest.mark.parametrize("role,method,path,expected", cells(OWN_API, ("GET", "/api/me")))
def test_own_account_api(world, role, method, path, expected):
    response = world.api(role, method, path)
    check(response, expected)
    if expected == "ok":
        assert response.get_json()["id"] == world.people[role].id


ACCOUNT_POSTS = [
    ("/tai-khoan/mat-khau", {"current": PASSWORD, "password": "mật khẩu mới tinh đây", "confirm": "mật khẩu mới tinh đây"}),
    ("/tai-khoan/dang-xuat-moi-noi", {}),
    ("/tai-khoan/xac-thuc-hai-buoc", {"code": "123456"}),
    ("/tai-khoan/xac-thuc-hai-buoc/tat", {"code": "123456"}),
    ("/tai-khoan/xac-thuc-hai-buoc/ma-khoi-phuc", {}),
]


@pytest.mark.parametrize("role", ["visitor", "deactivated"])
@pytest.mark.parametrize("path,data", ACCOUNT_POSTS, ids=[p for p, _ in ACCOUNT_POSTS])
def test_account_changes_without_a_live_session_go_to_sign_in_and_change_nothing(world, role, path, data):
    before = get_user(world.factory, world.people["deactivated"].id)
    check(world.post(role, path, data), "login")
    after = get_user(world.factory, world.people["deactivated"].id)
    assert (after.password_hash, after.session_version, after.totp_secret) == (
        before.password_hash, before.session_version, before.totp_secret)


@pytest.mark.parametrize("role", MEMBERS)
def test_account_changes_reach_ones_own_account_and_are_checked_there(world, role):
    # A wrong current password: the page answers (422) instead of refusing the member, and nothing changes.
    before = get_user(world.factory, world.people[role].id)
    response = world.post(role, "/tai-khoan/mat-khau", {"current": "không phải mật khẩu", "password": "x" * 12,
                                                        "confirm": "x" * 12})
    assert response.status_code == 422 and "Mật khẩu hiện tại không đúng." in response.get_data(as_text=True)
    assert get_user(world.factory, world.people[role].id).password_hash == before.password_hash


@pytest.mark.parametrize("role", MEMBERS)
def test_signing_out_everywhere_ends_only_ones_own_sessions(world, role):
    person = throwaway(world, role, password=PASSWORD)
    client = world.app.test_client()
    assert sign_in(client, person.email).status_code == 302
    check(post_form(client, "/tai-khoan/dang-xuat-moi-noi", page="/tai-khoan"), "done")
    check(client.get("/tai-khoan"), "login")
    for member in MEMBERS:
        check(world.get(member, "/tai-khoan"), "ok")


# ---- notifications -------------------------------------------------------------------------------

def note_for(world: World, role: str) -> int:
    """A new unread notification of that role's user."""
    with world.factory.begin() as session:
        user = session.get(User, world.people[role].id)
        if not user.is_active:  # notify skips inactive users; the row is what matters here
            note = Notification(user_id=user.id, kind=NotificationKind.message, params={"title": "Máy sấy"})
            session.add(note)
            session.flush()
            return note.id
        return notify(session, user=user, kind=NotificationKind.message,
                      params={"organization": "HTX Thử", "title": "Máy sấy"}).id


def is_read(world: World, note_id: int) -> bool:
    with world.factory() as session:
        return session.get(Notification, note_id).read_at is not None


@pytest.mark.parametrize("role,method,path,expected", cells(OWN, ("GET", "/thong-bao"), ("GET", "/thong-bao/cai-dat")))
def test_notification_pages(world, role, method, path, expected):
    check(world.get(role, path), expected)


@pytest.mark.parametrize("role,method,path,expected", cells(OWN_API, ("GET", "/api/notifications")))
def test_notification_list_api_lists_only_ones_own(world, role, method, path, expected):
    mine = note_for(world, role) if role != "visitor" else None
    theirs = note_for(world, "broker" if role != "broker" else "enterprise")
    response = world.api(role, method, path)
    check(response, expected)
    if expected == "ok":
        ids = {item["id"] for item in response.get_json()["results"]}
        assert mine in ids and theirs not in ids


@pytest.mark.parametrize("role,method,path,expected", cells(
    OWN, ("POST", "/thong-bao/{mine}/da-doc"), ("POST", "/thong-bao/da-doc-tat-ca")))
def test_marking_notifications_read_on_the_page_marks_only_ones_own(world, role, method, path, expected):
    owner = role if role != "visitor" else "deactivated"
    mine, theirs = note_for(world, owner), note_for(world, "broker" if role != "broker" else "enterprise")
    check(world.post(role, path.format(mine=mine)), "done" if expected == "ok" else expected)
    assert is_read(world, mine) is (expected == "ok")
    assert not is_read(world, theirs)


@pytest.mark.parametrize("role", MEMBERS)
def test_marking_someone_elses_notification_read_on_the_page_changes_nothing(world, role):
    theirs = note_for(world, "broker" if role != "broker" else "enterprise")
    world.post(role, f"/thong-bao/{theirs}/da-doc")
    assert not is_read(world, theirs)


@pytest.mark.parametrize("role,method,path,expected", cells(OWN_API, ("POST", "/api/notifications/read")))
def test_marking_notifications_read_in_the_api_marks_only_ones_own(world, role, method, path, expected):
    owner = role if role != "visitor" else "deactivated"
    mine, theirs = note_for(world, owner), note_for(world, "broker" if role != "broker" else "enterprise")
    response = world.api(role, method, path, {"ids": [mine, theirs]})
    check(response, expected)
    if expected == "ok":
        assert response.get_json()["marked"] == 1
    assert is_read(world, mine) is (expected == "ok")
    assert not is_read(world, theirs)


def _preference(world: World, role: str) -> Any:
    with world.factory() as session:
        return session.scalar(select(NotificationPreference.delivery).where(
            NotificationPreference.user_id == world.people[role].id,
            NotificationPreference.kind == NotificationKind.reminder))


@pytest.mark.parametrize("role,method,path,expected", cells(OWN, ("POST", "/thong-bao/cai-dat")))
def test_notification_preferences_are_saved_only_for_ones_own_account(world, role, method, path, expected):
    owner = role if role != "visitor" else "deactivated"
    check(world.post(role, path, {"reminder": "never"}), "done" if expected == "ok" else expected)
    assert (_preference(world, owner) is not None) is (expected == "ok")


# ---- own organization (/to-chuc) -----------------------------------------------------------------

def throwaway(world: World, role: str, *, password: str | None = None, organization: str | None = None,
              is_active: bool = True) -> Person:
    """A new user the test may change (no password: it never signs in, and costs no scrypt)."""
    return add_person(world.factory, role, email=f"tam-{next(names)}@thu.vn", password=password,
                      organization=organization, is_active=is_active)


def invitations_to(world: World, email: str) -> int:
    with world.factory() as session:
        return session.scalar(select(func.count()).select_from(Invitation).where(Invitation.email == email)) or 0


@pytest.mark.parametrize("role,method,path,expected", cells(OWN_ORGANIZATION, ("GET", "/to-chuc")))
def test_own_organization_page(world, role, method, path, expected):
    response = world.get(role, path)
    check(response, expected)
    if expected == "ok":
        assert "Công ty Thử nghiệm" in response.get_data(as_text=True)


@pytest.mark.parametrize("role,method,path,expected", cells(OWN_ORGANIZATION, ("POST", "/to-chuc/moi")))
def test_inviting_a_colleague(world, role, method, path, expected):
    email = f"moi-{next(names)}@thu.vn"
    check(world.post(role, path, {"email": email}), "done" if expected == "ok" else expected)
    assert invitations_to(world, email) == (1 if expected == "ok" else 0)


@pytest.mark.parametrize("role,method,path,expected", cells(OWN_ORGANIZATION, ("POST", "/to-chuc/thanh-vien/{target}/go")))
def test_removing_a_colleague(world, role, method, path, expected):
    colleague = throwaway(world, "enterprise")  # in the enterprise member's organization
    check(world.post(role, path.format(target=colleague.id)), "done" if expected == "ok" else expected)
    assert get_user(world.factory, colleague.id).is_active is (expected != "ok")


def test_removing_a_member_of_another_organization_is_403_and_changes_nothing(world):
    stranger = throwaway(world, "enterprise", organization="Hợp tác xã Khác")
    check(world.post("enterprise", f"/to-chuc/thanh-vien/{stranger.id}/go"), "403")
    assert get_user(world.factory, stranger.id).is_active


# ---- users, organizations, audit log (staff) -----------------------------------------------------

@pytest.mark.parametrize("role,method,path,expected", cells(
    STAFF, ("GET", "/quan-tri/nguoi-dung"), ("GET", "/quan-tri/to-chuc"), ("GET", "/quan-tri/nhat-ky")))
def test_staff_pages(world, role, method, path, expected):
    check(world.get(role, path), expected)


@dataclass(frozen=True)
class Action:
    """A staff action: how to make its target, the form, and whether it happened."""

    path: str
    prepare: Callable[[World], dict[str, Any]]
    data: Callable[[dict[str, Any]], dict[str, str]]
    happened: Callable[[World, dict[str, Any]], bool]


def _unverified_organization(world: World) -> dict[str, Any]:
    with world.factory.begin() as session:
        org = Organization(name=f"Tổ chức chờ xác minh {next(names)}", type=OrganizationType.enterprise,
                           is_verified=False)
        session.add(org)
        session.flush()
        return {"target": org.id, "email": f"moi-{next(names)}@thu.vn"}


def _is_verified(world: World, ctx: dict[str, Any]) -> bool:
    with world.factory() as session:
        return session.get(Organization, ctx["target"]).is_verified


def _has_user(world: World, ctx: dict[str, Any]) -> bool:
    with world.factory() as session:
        return session.scalar(select(func.count()).select_from(User).where(User.email == ctx["email"])) == 1


ACTIONS = {
    "create account": Action(
        "/quan-tri/nguoi-dung", lambda w: {"email": f"moi-gioi-{next(names)}@thu.vn"},
        lambda ctx: {"email": ctx["email"], "full_name": "Môi Giới Mới", "role": "broker"}, _has_user),
    "deactivate": Action(
        "/quan-tri/nguoi-dung/{target}/khoa", lambda w: {"target": throwaway(w, "broker").id}, lambda ctx: {},
        lambda w, ctx: not get_user(w.factory, ctx["target"]).is_active),
    "reactivate": Action(
        "/quan-tri/nguoi-dung/{target}/mo-khoa", lambda w: {"target": throwaway(w, "broker", is_active=False).id},
        lambda ctx: {}, lambda w, ctx: get_user(w.factory, ctx["target"]).is_active),
    "change role": Action(
        "/quan-tri/nguoi-dung/{target}/vai-tro", lambda w: {"target": throwaway(w, "broker").id},
        lambda ctx: {"role": "staff"}, lambda w, ctx: get_user(w.factory, ctx["target"]).role.value == "staff"),
    "verify organization": Action(
        "/quan-tri/to-chuc/{target}/xac-minh", _unverified_organization, lambda ctx: {}, _is_verified),
    "invite to any organization": Action(
        "/quan-tri/to-chuc/{target}/moi", _unverified_organization, lambda ctx: {"email": ctx["email"]},
        lambda w, ctx: invitations_to(w, ctx["email"]) == 1),
}


@pytest.mark.parametrize("role,action,expected", [
    pytest.param(role, action, STAFF[role], id=f"{role}-{action}") for action in ACTIONS for role in ROLES])
def test_staff_actions(world, role, action, expected):
    act = ACTIONS[action]
    ctx = act.prepare(world)
    response = world.post(role, act.path.format(**ctx), act.data(ctx))
    check(response, "done" if expected == "ok" else expected)
    assert act.happened(world, ctx) is (expected == "ok")


@pytest.fixture
def other_staff(world: World):  # type: ignore[no-untyped-def]
    """A staff member of its own, signed in (for what it might do to itself)."""
    person = throwaway(world, "staff", password=PASSWORD)
    client = world.app.test_client()
    assert sign_in(client, person.email).status_code == 302
    return person, client


@pytest.mark.parametrize("path,data", [("/quan-tri/nguoi-dung/{me}/khoa", {}),
                                       ("/quan-tri/nguoi-dung/{me}/vai-tro", {"role": "broker"})],
                         ids=["deactivate itself", "demote itself to broker"])
def test_staff_cannot_deactivate_or_demote_itself(world, other_staff, path, data):
    person, client = other_staff
    response = post_form(client, path.format(me=person.id), data, page="/")
    user = get_user(world.factory, person.id)
    assert (user.is_active, user.role.value) == (True, "staff")
    check(response, "403")
    with world.factory() as session:
        assert session.scalar(select(func.count()).select_from(LoginSession).where(
            LoginSession.user_id == person.id, LoginSession.ended_at.is_(None))) == 1
