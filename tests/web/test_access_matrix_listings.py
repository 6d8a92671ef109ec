"""The README access-matrix rows of posting, moderation, revisions and attachments, in HTML and JSON.

The world (tests/web/matrix_world.py) signs its people in once per module and backend; every test
makes throwaway listings: of the enterprise member's organization, or of ANOTHER organization
(which the member may read once published, but never change). A refused request is checked to
have changed nothing.
"""
from __future__ import annotations

import itertools
from typing import Any, Callable

import pytest
from sqlalchemy import Engine, select

from exchange.models import ContactRequest, ContactStatus, Listing
from tests.web.matrix_world import (
    NDA,
    NOTE,
    PDF,
    PHONE,
    ROLES,
    SECRET,
    World,
    api_row,
    attach,
    build_world,
    cells,
    check,
    expect,
    make,
    numbers,
    pdf_form,
    propose,
    revision_status,
    send,
    snapshot,
    upload_api,
)

UNPUBLISHED = ("draft", "submitted", "rejected", "closed", "expired")
# The rows of the matrix: role → what a request of that role gets.
EVERYONE = {role: "ok" for role in ROLES}
PRIVATE = {"visitor": False, "enterprise": True, "broker": False, "staff": True, "deactivated": False}
READ_HIDDEN = {"visitor": "404", "enterprise": "ok", "broker": "ok", "staff": "ok", "deactivated": "404"}
POSTING = {"visitor": "login", "enterprise": "ok", "broker": "403", "staff": "403", "deactivated": "login"}
OWNER = {"visitor": "login", "enterprise": "ok", "broker": "403", "staff": "ok", "deactivated": "login"}
MINE = {"visitor": "login", "enterprise": "ok", "broker": "403", "staff": "403", "deactivated": "login"}
DASHBOARD = {"visitor": "login", "enterprise": "ok", "broker": "ok", "staff": "queue", "deactivated": "login"}
STAFF = {"visitor": "login", "enterprise": "403", "broker": "403", "staff": "ok", "deactivated": "login"}
AFTER_CONTACT = {"visitor": "403", "enterprise": "ok", "broker": "ok", "staff": "ok", "deactivated": "403"}
REVISIONS_READ = {"visitor": "401", "enterprise": "ok", "broker": "403", "staff": "ok", "deactivated": "401"}


@pytest.fixture(scope="module")
def world(database_url: str, engine: Engine, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    yield from build_world(database_url, engine, tmp_path_factory)


@pytest.fixture(autouse=True)
def _alive(world: World) -> None:
    world.keep_alive()


# ---- contact fields, confidential details, NDA text, reviewer's note ------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_private_fields_of_a_published_listing_on_its_page_and_in_the_api(world, role):
    listing = make(world)
    html = world.get(role, f"/tin/{listing}").get_data(as_text=True)
    assert "Máy sấy bơm nhiệt cho hạt điều" in html
    assert all((text in html) is PRIVATE[role] for text in (PHONE, SECRET, NDA, "thu@dieu.vn"))
    response = world.api(role, "GET", f"/api/listings/{listing}")
    check(response, "401" if role == "deactivated" else "ok")  # its dead token; without one it reads as a visitor
    body = response.get_json() if role != "deactivated" else \
        world.clients[role].get(f"/api/listings/{listing}").get_json()
    assert all((key in body) is PRIVATE[role] for key in ("contact_phone", "confidential_details", "nda_text"))
    assert ("review_note" in body) is PRIVATE[role]


@pytest.mark.parametrize("role", ROLES)
def test_the_reviewers_note_of_a_rejected_listing(world, role):
    listing = make(world, "rejected")
    response = world.get(role, f"/tin/{listing}")
    check(response, READ_HIDDEN[role])
    assert (NOTE in response.get_data(as_text=True)) is PRIVATE[role]
    response = world.api(role, "GET", f"/api/listings/{listing}")
    check(response, api_row(READ_HIDDEN)[role])
    if response.status_code == 200:
        assert (response.get_json().get("review_note") == NOTE) is PRIVATE[role]
        assert ("contact_phone" in response.get_json()) is PRIVATE[role]


def test_another_organizations_published_listing_shows_the_enterprise_no_private_field(world):
    listing = make(world, other=True)
    html = world.get("enterprise", f"/tin/{listing}").get_data(as_text=True)
    assert "Máy sấy bơm nhiệt cho hạt điều" in html and PHONE not in html and SECRET not in html
    body = world.api("enterprise", "GET", f"/api/listings/{listing}").get_json()
    assert body["id"] == listing and "contact_phone" not in body and "confidential_details" not in body


# ---- draft, submitted, rejected, closed, expired listings ----------------------------------------

@pytest.mark.parametrize("status", UNPUBLISHED)
@pytest.mark.parametrize("role", ROLES)
def test_an_unpublished_listing_page_and_api(world, role, status):
    listing = make(world, status)
    response = world.get(role, f"/tin/{listing}")
    check(response, READ_HIDDEN[role])
    if response.status_code == 200:
        assert (PHONE in response.get_data(as_text=True)) is PRIVATE[role]
    response = world.api(role, "GET", f"/api/listings/{listing}")
    check(response, api_row(READ_HIDDEN)[role])
    if response.status_code == 200:
        body = response.get_json()
        assert body["status"] == status and ("contact_phone" in body) is PRIVATE[role]


@pytest.mark.parametrize("status", UNPUBLISHED)
def test_another_organizations_unpublished_listing_is_a_404_for_the_enterprise(world, status):
    listing = make(world, status, other=True)
    check(world.get("enterprise", f"/tin/{listing}"), "404")
    check(world.api("enterprise", "GET", f"/api/listings/{listing}"), "404")


# ---- posting ---------------------------------------------------------------------------------------

def listings_titled(world: World, title: str) -> list[Listing]:
    with world.factory() as session:
        return list(session.scalars(select(Listing).where(Listing.title == title)))


@pytest.mark.parametrize("role,method,path,expected", [*cells(POSTING, ("GET", "/dang-tin"), ("POST", "/dang-tin")),
                                                       *cells(api_row(POSTING), ("POST", "/api/listings"))])
def test_posting_a_listing(world, role, method, path, expected):
    title = f"Cần quy trình nuôi tôm thẻ hai giai đoạn {next(numbers)}"
    data = {"kind": "need", "title": title, "description": "Ao nuôi tôm hay bệnh, cần quy trình nuôi trong nhà màng."}
    check(send(world, role, method, path, {**data, "action": "draft"} if path == "/dang-tin" else data),
          expect(method, path, expected))
    made = listings_titled(world, title)
    if method == "POST":
        assert len(made) == (1 if expected == "ok" else 0)
    if made:
        assert (made[0].status.value, made[0].organization_id) == ("draft", world.people["enterprise"].organization_id)


# ---- a listing: edit, submit, close, renew ---------------------------------------------------------

NEW_TITLE = "Máy sấy bơm nhiệt hai buồng cho hạt điều"
Happened = Callable[[dict[str, Any], dict[str, Any]], bool]
CHANGES: dict[str, tuple[str, str, str, Any, Happened | None]] = {
    "edit form": ("draft", "GET", "/tin/{id}/sua", None, None),
    "edit": ("draft", "POST", "/tin/{id}/sua", {"title": NEW_TITLE, "description": "Sấy hạt điều.", "action": "draft"},
             lambda before, after: after["title"] == NEW_TITLE),
    "submit": ("draft", "POST", "/tin/{id}/gui-duyet", {}, lambda before, after: after["status"] == "submitted"),
    "close": ("published", "POST", "/tin/{id}/dong", {}, lambda before, after: after["status"] == "closed"),
    "renew": ("published", "POST", "/tin/{id}/gia-han", {},
              lambda before, after: after["expires_at"] > before["expires_at"]),
    "patch a draft": ("draft", "PATCH", "/api/listings/{id}", {"title": NEW_TITLE},
                      lambda before, after: after["title"] == NEW_TITLE),
    "patch a published one": ("published", "PATCH", "/api/listings/{id}", {"title": NEW_TITLE},
                              lambda before, after: after["revisions"] == 1 and after["title"] == before["title"]),
    "submit (API)": ("draft", "POST", "/api/listings/{id}/submit", None,
                     lambda before, after: after["status"] == "submitted"),
    "close (API)": ("published", "POST", "/api/listings/{id}/close", None,
                    lambda before, after: after["status"] == "closed"),
    "renew (API)": ("published", "POST", "/api/listings/{id}/renew", None,
                    lambda before, after: after["expires_at"] > before["expires_at"]),
}


def change(world: World, role: str, name: str, *, other: bool = False) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    status, method, path, data, _ = CHANGES[name]
    listing = make(world, status, other=other)
    before = snapshot(world, listing)
    response = send(world, role, method, path.format(id=listing), data)
    return response, before, snapshot(world, listing)


@pytest.mark.parametrize("role,name", [(role, name) for name in CHANGES for role in ROLES])
def test_changing_a_listing_of_the_enterprises_organization(world, role, name):
    _, method, path, _, happened = CHANGES[name]
    expected = OWNER[role] if not path.startswith("/api/") else api_row(OWNER)[role]
    response, before, after = change(world, role, name)
    check(response, expect(method, path, expected))
    if happened is not None:
        assert happened(before, after) is (expected == "ok")
    if expected != "ok":
        assert after == before


@pytest.mark.parametrize("name", CHANGES)
def test_the_enterprise_cannot_change_another_organizations_listing(world, name):
    # README: 403, or 404 while the listing is unpublished (it does not reveal that it exists).
    response, before, after = change(world, "enterprise", name, other=True)
    check(response, "403" if CHANGES[name][0] == "published" else "404")
    assert after == before


# ---- "Tin của tôi", dashboard ----------------------------------------------------------------------

@pytest.mark.parametrize("role,method,path,expected", [*cells(MINE, ("GET", "/tin-cua-toi")),
                                                       *cells(DASHBOARD, ("GET", "/bang-tin")),
                                                       *cells(api_row(MINE), ("GET", "/api/listings?mine=1"))])
def test_my_listings_and_the_dashboard(world, role, method, path, expected):
    mine, theirs = make(world, "draft"), make(world, "draft", other=True)
    response = send(world, role, method, path)
    if expected == "queue":
        assert response.status_code == 302 and response.headers["Location"].endswith("/duyet-tin")
        return
    check(response, expected)
    if expected == "ok" and path.startswith("/api/"):
        ids = [item["id"] for item in response.get_json()["results"]]
        assert mine in ids and theirs not in ids
    elif expected == "ok" and role == "enterprise":
        html = response.get_data(as_text=True)
        assert f'href="/tin/{mine}"' in html and f'href="/tin/{theirs}"' not in html


# ---- attachments: add, remove ----------------------------------------------------------------------

def files_of(world: World, listing_id: int) -> int:
    return snapshot(world, listing_id)["files"]


@pytest.mark.parametrize("role", ROLES)
def test_adding_an_attachment(world, role):
    page_listing, api_listing = make(world, "draft"), make(world, "draft")
    response = world.post(role, f"/tin/{page_listing}/tep", pdf_form())
    check(response, expect("POST", "/tin", OWNER[role]))
    assert files_of(world, page_listing) == (1 if OWNER[role] == "ok" else 0)
    check(upload_api(world, role, api_listing), api_row(OWNER)[role])
    assert files_of(world, api_listing) == (1 if OWNER[role] == "ok" else 0)


@pytest.mark.parametrize("role", ROLES)
def test_removing_an_attachment(world, role):
    listing = make(world, "draft")
    on_page, in_api = attach(world, listing), attach(world, listing)
    check(world.post(role, f"/tep/{on_page}/xoa"), expect("POST", "/tep", OWNER[role]))
    check(world.api(role, "DELETE", f"/api/attachments/{in_api}"), api_row(OWNER)[role])
    assert files_of(world, listing) == (0 if OWNER[role] == "ok" else 2)


def test_the_enterprise_cannot_add_or_remove_files_of_another_organizations_listing(world):
    listing = make(world, other=True)
    theirs = attach(world, listing)
    check(world.post("enterprise", f"/tin/{listing}/tep", pdf_form()), "403")
    check(upload_api(world, "enterprise", listing), "403")
    check(world.post("enterprise", f"/tep/{theirs}/xoa"), "403")
    check(world.api("enterprise", "DELETE", f"/api/attachments/{theirs}"), "403")
    assert files_of(world, listing) == 1


# ---- attachment downloads ----------------------------------------------------------------------------

DOWNLOADS = {("public", "published"): EVERYONE, ("public", "draft"): READ_HIDDEN,
             ("after_contact", "published"): AFTER_CONTACT,
             ("after_contact", "draft"): {**READ_HIDDEN, "enterprise": "ok"}}


@pytest.mark.parametrize("visibility,status", DOWNLOADS)
@pytest.mark.parametrize("role", ROLES)
def test_downloading_an_attachment(world, role, visibility, status):
    file_id = attach(world, make(world, status), visibility)
    expected = DOWNLOADS[(visibility, status)][role]
    for path, row_expected in ((f"/tep/{file_id}", expected), (f"/api/attachments/{file_id}",
                                                                "401" if role == "deactivated" else expected)):
        with send(world, role, "GET", path) as response:
            check(response, row_expected)
            if row_expected == "ok":
                assert response.data == PDF and response.headers["Content-Disposition"].startswith("attachment")
    if role == "deactivated":  # without its dead token, as a visitor
        with world.clients[role].get(f"/api/attachments/{file_id}") as response:
            check(response, DOWNLOADS[(visibility, status)]["visitor"])


@pytest.mark.parametrize("contact,status,expected", [
    (None, "published", "403"), ("requested", "published", "403"), ("accepted", "published", "ok"),
    ("negotiating", "published", "ok"), ("accepted", "draft", "404")])
def test_another_organizations_after_contact_file_opens_to_an_accepted_counterpart(world, contact, status, expected):
    listing = make(world, status, other=True)
    file_id = attach(world, listing, "after_contact")
    if contact:
        with world.factory.begin() as session:
            session.add(ContactRequest(listing_id=listing, status=ContactStatus(contact),
                                       requester_organization_id=world.people["enterprise"].organization_id))
    for path in (f"/tep/{file_id}", f"/api/attachments/{file_id}"):
        with send(world, "enterprise", "GET", path) as response:
            check(response, expected)


# ---- review queue, approve, reject -------------------------------------------------------------------

REVIEW = [("GET", "/duyet-tin", None, None), ("GET", "/duyet-tin/{id}", None, None),
          ("POST", "/duyet-tin/{id}/duyet", {}, "published"), ("POST", "/duyet-tin/{id}/tu-choi", {"reason": NOTE},
                                                                 "rejected"),
          ("POST", "/api/listings/{id}/approve", None, "published"),
          ("POST", "/api/listings/{id}/reject", {"reason": NOTE}, "rejected")]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method,path,data,after", REVIEW, ids=[f"{m}-{p}" for m, p, _, _ in REVIEW])
def test_reviewing_a_submitted_listing(world, role, method, path, data, after):
    listing = make(world, "submitted")
    expected = api_row(STAFF)[role] if path.startswith("/api/") else STAFF[role]
    response = send(world, role, method, path.format(id=listing), data)
    check(response, expect(method, path, expected))
    if expected == "ok" and method == "GET":
        assert "Máy sấy bơm nhiệt cho hạt điều" in response.get_data(as_text=True)
    now = snapshot(world, listing)
    assert now["status"] == (after if after and expected == "ok" else "submitted")
    assert (now["review_note"] == NOTE) is (after == "rejected" and expected == "ok")


@pytest.mark.parametrize("status", ["draft", "published", "rejected"])
@pytest.mark.parametrize("path,data", [("/duyet-tin/{id}/duyet", {}), ("/duyet-tin/{id}/tu-choi", {"reason": NOTE}),
                                       ("/api/listings/{id}/approve", None), ("/api/listings/{id}/reject", {})])
def test_staff_decide_only_submitted_listings(world, status, path, data):
    listing = make(world, status)
    before = snapshot(world, listing)
    check(send(world, "staff", "POST", path.format(id=listing), data), "409")  # 409 before a missing reason
    assert snapshot(world, listing) == before


# ---- revisions ---------------------------------------------------------------------------------------

REVISION_DECISIONS = [("GET", "/duyet-tin/ban-sua/{rid}", None, None),
                      ("POST", "/duyet-tin/ban-sua/{rid}/duyet", {}, "approved"),
                      ("POST", "/duyet-tin/ban-sua/{rid}/tu-choi", {"reason": NOTE}, "rejected"),
                      ("POST", "/api/revisions/{rid}/approve", None, "approved"),
                      ("POST", "/api/revisions/{rid}/reject", {"reason": NOTE}, "rejected")]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method,path,data,after", REVISION_DECISIONS, ids=[p for _, p, _, _ in REVISION_DECISIONS])
def test_reading_and_deciding_a_revision(world, role, method, path, data, after):
    listing = make(world)
    revision = propose(world, listing)
    title = snapshot(world, listing)["title"]
    expected = api_row(STAFF)[role] if path.startswith("/api/") else STAFF[role]
    response = send(world, role, method, path.format(rid=revision), data)
    check(response, expect(method, path, expected))
    decided = after if after and expected == "ok" else "pending"
    assert revision_status(world, revision) == decided
    assert snapshot(world, listing)["title"] == (title + " (bản sửa)" if decided == "approved" else title)


def revision_ids(world: World, role: str) -> list[int]:
    """Every pending revision the role's token lists, page after page."""
    ids: list[int] = []
    for page in itertools.count(1):
        results = world.api(role, "GET", f"/api/revisions?per_page=50&page={page}").get_json()["results"]
        ids += [item["id"] for item in results]
        if len(results) < 50:
            return ids
    return ids


@pytest.mark.parametrize("role,method,path,expected", cells(REVISIONS_READ, ("GET", "/api/revisions"),
                                                            ("GET", "/api/revisions/{rid}")))
def test_revisions_in_the_api_are_read_by_staff_and_their_organization(world, role, method, path, expected):
    mine, theirs = propose(world, make(world)), propose(world, make(world, other=True))
    response = world.api(role, method, path.format(rid=mine))
    check(response, expected)
    if expected == "ok" and path == "/api/revisions":
        ids = revision_ids(world, role)
        assert mine in ids and (theirs in ids) is (role == "staff")
    elif expected == "ok":
        assert response.get_json()["id"] == mine and response.get_json()["status"] == "pending"


def test_the_enterprise_cannot_read_another_organizations_revision(world):
    theirs = propose(world, make(world, other=True))
    check(world.api("enterprise", "GET", f"/api/revisions/{theirs}"), "404")
    check(world.get("enterprise", f"/duyet-tin/ban-sua/{theirs}"), "403")
