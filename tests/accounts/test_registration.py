"""Organizations: registered (unverified) with their first member, or made on first use by the CLI and the import."""
from __future__ import annotations

import dataclasses
import unicodedata

import pytest
from sqlalchemy import select

from exchange.accounts.organizations import (NAME_TAKEN, Registration, find_organization, get_or_create_organization,
                                             list_organizations, register_organization, verify_organization)
from exchange.accounts.passwords import verify_password
from exchange.errors import PermissionDenied, ValidationError
from exchange.models import AuditEvent, Organization, OrganizationType, Role, User
from tests.support import PASSWORD

FORM = Registration(organization_name="Hợp tác xã Nông nghiệp Xanh Tam Kỳ", organization_type="cooperative",
                    locality_code="502", address="12 Phan Chu Trinh, Tam Kỳ", contact_person="Trần Thị Bích",
                    phone="0235 3812 345", organization_email="htx.xanh@gmail.com", full_name="Lê Văn Cường",
                    email="Cuong.Le@HTXXanh.vn", password=PASSWORD)


def _form(**changes: str) -> Registration:
    return dataclasses.replace(FORM, **changes)


def test_registration_creates_an_unverified_organization_and_its_first_member(db_session, web_client):
    member = register_organization(db_session, form=FORM, client=web_client)
    org = member.organization
    assert (org.name, org.type, org.locality_code, org.is_verified) == (FORM.organization_name,
                                                                       OrganizationType.cooperative, "502", False)
    assert (org.address, org.contact_person, org.phone, org.email) == (FORM.address, FORM.contact_person,
                                                                       FORM.phone, "htx.xanh@gmail.com")
    assert member.role is Role.enterprise and member.email == "cuong.le@htxxanh.vn"
    assert member.full_name == "Lê Văn Cường" and member.is_active
    assert verify_password(member.password_hash, PASSWORD)


def test_registration_is_audited_with_the_address(db_session, web_client):
    member = register_organization(db_session, form=FORM, client=web_client)
    event = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "register_organization")).one()
    assert event.actor_id == member.id and event.object_id == str(member.organization_id)
    assert event.detail["address"] == web_client.address


def test_spaces_around_and_inside_the_fields_are_tidied(db_session, web_client):
    member = register_organization(db_session, client=web_client, form=_form(
        organization_name="  Hợp tác xã   Nông nghiệp Xanh  ", address=" 12  Phan Chu Trinh ", phone=" 0905123456 "))
    assert member.organization.name == "Hợp tác xã Nông nghiệp Xanh"
    assert member.organization.address == "12 Phan Chu Trinh" and member.organization.phone == "0905123456"


@pytest.mark.parametrize("typed", ["CÔNG TY  thử nghiệm", "Công ty Thử nghiệm", " công ty thử nghiệm ",
                                   unicodedata.normalize("NFD", "Công ty Thử nghiệm")])
def test_a_name_already_taken_is_refused_with_the_advice_to_ask_for_an_invitation(db_session, organization,
                                                                                   web_client, count_rows, typed):
    before = (count_rows(Organization), count_rows(User), count_rows(AuditEvent))
    with pytest.raises(ValidationError) as refused:
        register_organization(db_session, form=_form(organization_name=typed), client=web_client)
    assert refused.value.fields == {"organization_name": NAME_TAKEN}
    assert "lời mời" in refused.value.fields["organization_name"]
    assert (count_rows(Organization), count_rows(User), count_rows(AuditEvent)) == before


def test_every_bad_field_is_reported_at_once_and_nothing_is_written(db_session, web_client, count_rows):
    form = Registration(organization_name="  ", organization_type="công ty", locality_code="99999", address="",
                        contact_person="", phone="gọi tôi nhé", organization_email="không phải e-mail",
                        full_name=" ", email="sai@", password="matkhau123")
    with pytest.raises(ValidationError) as refused:
        register_organization(db_session, form=form, client=web_client)
    fields = refused.value.fields
    assert set(fields) == {"organization_name", "organization_type", "locality_code", "address", "contact_person",
                           "phone", "organization_email", "full_name", "email", "password"}
    assert fields["address"] == "Bắt buộc."
    assert fields["phone"] == "Số điện thoại không hợp lệ."
    assert fields["email"] == fields["organization_email"] == "Địa chỉ e-mail không hợp lệ."
    assert fields["locality_code"] == "Hãy chọn địa phương trong danh sách."
    assert "phổ biến" in fields["password"]
    assert refused.value.message == "Chưa đăng ký được, vui lòng sửa các mục được đánh dấu."
    assert count_rows(Organization) == count_rows(User) == count_rows(AuditEvent) == 0


@pytest.mark.parametrize("field,value", [("phone", ""), ("phone", "12"), ("phone", "0905-abc-123"),
                                         ("locality_code", ""), ("organization_type", "enterprise "),
                                         ("organization_email", ""), ("organization_name", "x" * 301),
                                         ("full_name", "x" * 201), ("password", "ngắn quá"),
                                         ("password", "cuong.le@htxxanh.vn")])
def test_each_bad_field_is_named(db_session, web_client, field, value):
    with pytest.raises(ValidationError) as refused:
        register_organization(db_session, form=_form(**{field: value}), client=web_client)
    assert set(refused.value.fields) == {field}


def test_an_email_that_has_an_account_is_refused(db_session, make_user, web_client):
    make_user("broker", email="cuong.le@htxxanh.vn")
    with pytest.raises(ValidationError) as refused:
        register_organization(db_session, form=FORM, client=web_client)
    assert refused.value.fields == {"email": "E-mail này đã có tài khoản."}


def test_markup_in_names_is_stored_as_typed(db_session, web_client):
    """Escaping belongs to the templates; the stored text is what was typed."""
    member = register_organization(db_session, client=web_client, form=_form(
        organization_name="<script>alert('x')</script> & Co", full_name="<b>Cường</b>",
        contact_person='"Bích" <i>'))
    assert member.organization.name == "<script>alert('x')</script> & Co"
    assert member.full_name == "<b>Cường</b>" and member.organization.contact_person == '"Bích" <i>'


def test_a_registered_organization_is_found_by_its_name_in_any_case(db_session, web_client):
    member = register_organization(db_session, form=FORM, client=web_client)
    assert find_organization(db_session, FORM.organization_name.upper()) is member.organization


# Made on first use (CLI, import)

def test_get_or_create_makes_a_verified_organization_once(db_session, system, count_rows):
    first = get_or_create_organization(db_session, actor=system, name="Viện Cơ điện Nông nghiệp")
    again = get_or_create_organization(db_session, actor=system, name="  VIỆN CƠ ĐIỆN   nông nghiệp ")
    assert again is first and first.is_verified and first.type is OrganizationType.enterprise
    assert count_rows(Organization) == 1
    assert count_rows(AuditEvent, AuditEvent.action == "create_organization") == 1


@pytest.mark.parametrize("locality,code", [("TP. Hồ Chí Minh", "79"), ("Thành phố Tam Kỳ", "502"),
                                           ("da nang", "48"), ("Quảng Nam", "49")])
def test_get_or_create_resolves_the_locality_from_a_name(db_session, system, locality, code):
    org = get_or_create_organization(db_session, actor=system, name="Trường Đại học Thử nghiệm", locality=locality,
                                     type="university")
    assert org.locality_code == code and org.type is OrganizationType.university


def test_get_or_create_refuses_an_unknown_locality(db_session, system, count_rows):
    with pytest.raises(ValidationError) as refused:
        get_or_create_organization(db_session, actor=system, name="Công ty Mới", locality="Atlantis")
    assert "Atlantis" in refused.value.fields["locality"]
    assert count_rows(Organization) == 0


def test_get_or_create_refuses_an_unknown_type(db_session, system):
    with pytest.raises(ValidationError) as refused:
        get_or_create_organization(db_session, actor=system, name="Công ty Mới", type="tập đoàn")
    assert "organization_type" in refused.value.fields


@pytest.mark.parametrize("name", ["", "   ", "\t\n"])
def test_get_or_create_refuses_an_empty_name(db_session, system, name):
    with pytest.raises(ValidationError):
        get_or_create_organization(db_session, actor=system, name=name)


def test_get_or_create_refuses_a_name_longer_than_the_column(db_session, system, count_rows):
    """The CLI passes what was typed: a ValidationError on both databases, not PostgreSQL's DataError."""
    with pytest.raises(ValidationError) as refused:
        get_or_create_organization(db_session, actor=system, name="Công ty " + "x" * 300)
    assert "organization" in refused.value.fields
    assert count_rows(Organization) == 0


# Verification by staff

def test_staff_verify_a_registered_organization(db_session, web_client, make_user):
    org = register_organization(db_session, form=FORM, client=web_client).organization
    staff = make_user("staff")
    assert list_organizations(db_session, actor=staff, unverified_only=True) == [org]
    verify_organization(db_session, actor=staff, organization_id=org.id)
    assert org.is_verified and org.verified_at is not None
    assert list_organizations(db_session, actor=staff, unverified_only=True) == []


@pytest.mark.parametrize("role", ["enterprise", "broker"])
def test_only_staff_verify_or_list_organizations(db_session, web_client, make_user, role):
    org = register_organization(db_session, form=FORM, client=web_client).organization
    actor = make_user(role)
    with pytest.raises(PermissionDenied):
        verify_organization(db_session, actor=actor, organization_id=org.id)
    with pytest.raises(PermissionDenied):
        list_organizations(db_session, actor=actor)
    assert not org.is_verified
