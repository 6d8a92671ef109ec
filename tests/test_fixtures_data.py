"""Consistency of the reference data and the Vietnamese demo fixtures.

Reads the files with csv/json only, so it runs before (and independently of) the
code that loads them.
"""

import csv
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "exchange" / "reference"
DEMO = ROOT / "fixtures" / "demo"

LISTING_KEYS = {
    "ref", "kind", "title", "description", "summary", "field", "keywords", "organization",
    "district", "product_type", "trl", "ip_status", "transfer_modes", "price_min_vnd",
    "price_max_vnd", "origin", "specifications", "advantages", "contact_name",
    "contact_phone", "contact_email", "confidential_details",
}
REQUIRED_LISTING_KEYS = {"ref", "kind", "title", "description"}
PRODUCT_TYPES = {"technology", "equipment", "ip", "ocop"}
IP_STATUSES = {"none", "know_how", "pending", "granted"}
TRANSFER_MODES = {
    "license", "transfer_contract", "capital_contribution", "franchise",
    "ip_assignment", "equipment_with_technology", "other",
}
ORG_TYPES = {"enterprise", "cooperative", "institute", "university", "individual", "agency"}
ROLES = {"enterprise", "broker", "staff"}
LEVELS = {"province", "city", "town", "district", "urban_district"}
PERIODICITIES = {"per_month", "per_year", "in_quarters", "maintained"}
EVAL_FIELD_CODES = {
    "nong-nghiep", "thuy-san", "che-bien-thuc-pham", "duoc-lieu", "moi-truong", "nang-luong",
    "co-khi-tu-dong-hoa", "cntt-truyen-thong", "vat-lieu-xay-dung", "y-te",
    "thu-cong-my-nghe", "khac",
}
TT24_LEVEL1 = {
    "1": "Khoa học tự nhiên",
    "2": "Khoa học kỹ thuật và công nghệ",
    "3": "Khoa học y, dược",
    "4": "Khoa học nông nghiệp",
    "5": "Khoa học xã hội",
    "6": "Khoa học nhân văn",
}
VIETNAMESE_LETTERS = re.compile("[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.I)


def fold(text):
    """Lower-case, strip diacritics (đ → d) and collapse spaces, as a locality lookup would."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.lower().split())


def read_csv(name):
    with open(REFERENCE / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_jsonl(name):
    rows = []
    with open(DEMO / name, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            assert line.strip(), f"{name}:{number} is blank"
            rows.append(json.loads(line))
    return rows


@pytest.fixture(scope="module")
def localities():
    return read_csv("localities.csv")


@pytest.fixture(scope="module")
def aliases():
    return read_csv("locality_aliases.csv")


@pytest.fixture(scope="module")
def fields():
    return read_csv("fields.csv")


@pytest.fixture(scope="module")
def organizations():
    return read_jsonl("organizations.jsonl")


@pytest.fixture(scope="module")
def listings():
    return read_jsonl("listings.jsonl")


@pytest.fixture(scope="module")
def experts():
    return read_jsonl("experts.jsonl")


@pytest.fixture(scope="module")
def users():
    return read_jsonl("users.jsonl")


@pytest.fixture(scope="module")
def plan():
    return json.loads((DEMO / "plan-2024.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def locality_lookup(localities, aliases):
    """Folded name or alias → code, the way an importer resolves `district`."""
    lookup = {fold(row["name"]): row["code"] for row in localities}
    lookup.update({fold(row["alias"]): row["code"] for row in aliases})
    return lookup


DATA_FILES = sorted(
    [p for p in REFERENCE.glob("*.csv")] + [p for p in DEMO.iterdir() if p.suffix in {".jsonl", ".json"}]
)


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_data_file_is_utf8_nfc_without_bom(path):
    text = path.read_bytes().decode("utf-8")
    assert not text.startswith("\ufeff")
    assert unicodedata.is_normalized("NFC", text)


# --- localities -------------------------------------------------------------------


def test_localities_have_exactly_the_expected_columns():
    with open(REFERENCE / "localities.csv", encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == ["code", "name", "level", "parent_code", "province_2025"]


def test_there_are_63_pre_2025_provinces_five_of_them_central_cities(localities):
    provinces = [row for row in localities if not row["parent_code"]]
    assert len(provinces) == 63
    assert sorted(row["name"] for row in provinces if row["level"] == "city") == sorted(
        ["Hà Nội", "Hải Phòng", "Đà Nẵng", "Cần Thơ", "Thành phố Hồ Chí Minh"]
    )
    assert {row["level"] for row in provinces} == {"province", "city"}


def test_provinces_merge_into_34_units_under_resolution_202(localities):
    provinces = [row for row in localities if not row["parent_code"]]
    targets = {row["province_2025"] for row in provinces}
    assert len(targets) == 34
    # a unit that absorbed others keeps its own name: every target names itself
    names = {row["name"] for row in provinces} | {"Huế"}
    assert targets <= names


@pytest.mark.parametrize(
    "name, code, province_2025",
    [
        ("Hà Nội", "01", "Hà Nội"),
        ("Đà Nẵng", "48", "Đà Nẵng"),
        ("Quảng Nam", "49", "Đà Nẵng"),
        ("Quảng Ngãi", "51", "Quảng Ngãi"),
        ("Kon Tum", "62", "Quảng Ngãi"),
        ("Thành phố Hồ Chí Minh", "79", "Thành phố Hồ Chí Minh"),
        ("Bình Dương", "74", "Thành phố Hồ Chí Minh"),
        ("Thừa Thiên Huế", "46", "Huế"),
        ("Cà Mau", "96", "Cà Mau"),
    ],
)
def test_known_province_codes_and_merger_targets(localities, name, code, province_2025):
    row = next(row for row in localities if row["name"] == name)
    assert (row["code"], row["province_2025"]) == (code, province_2025)


def test_locality_codes_and_names_are_unique(localities):
    assert len({row["code"] for row in localities}) == len(localities)
    assert len({row["name"] for row in localities}) == len(localities)


def test_locality_names_stay_distinct_once_folded(localities):
    folded = Counter(fold(row["name"]) for row in localities)
    assert [name for name, n in folded.items() if n > 1] == []


def test_quang_nam_has_18_districts_and_da_nang_8(localities):
    by_parent = Counter(row["parent_code"] for row in localities if row["parent_code"])
    assert by_parent == {"49": 18, "48": 8}


@pytest.mark.parametrize(
    "name, code, level, parent",
    [
        ("Tam Kỳ", "502", "city", "49"),
        ("Hội An", "503", "city", "49"),
        ("Điện Bàn", "507", "town", "49"),
        ("Nông Sơn", "519", "district", "49"),
        ("Hải Châu", "492", "urban_district", "48"),
        ("Hòa Vang", "497", "district", "48"),
        ("Hoàng Sa", "498", "district", "48"),
    ],
)
def test_known_district_codes(localities, name, code, level, parent):
    row = next(row for row in localities if row["name"] == name)
    assert (row["code"], row["level"], row["parent_code"]) == (code, level, parent)


def test_districts_are_in_the_gso_code_ranges_and_merge_into_da_nang(localities):
    for row in localities:
        if row["parent_code"] == "49":
            assert 502 <= int(row["code"]) <= 519, row
        if row["parent_code"] == "48":
            assert 490 <= int(row["code"]) <= 498, row
        if row["parent_code"]:
            assert row["province_2025"] == "Đà Nẵng", row
            assert not row["name"].startswith(("Huyện", "Thị xã", "Thành phố", "Quận")), row


def test_locality_levels_are_valid(localities):
    assert {row["level"] for row in localities} <= LEVELS


def test_aliases_point_to_existing_codes_and_never_contradict_a_name(localities, aliases):
    codes = {row["code"] for row in localities}
    name_codes = {fold(row["name"]): row["code"] for row in localities}
    for row in aliases:
        assert row["code"] in codes, row
        assert row["alias"] not in {r["name"] for r in localities}, row
        # an old-tone spelling ("Hoà Bình") folds onto its name; it must mean the same place
        assert name_codes.get(fold(row["alias"]), row["code"]) == row["code"], row
    folded = {}
    for row in aliases:
        assert folded.setdefault(fold(row["alias"]), row["code"]) == row["code"], row


@pytest.mark.parametrize(
    "alias, code",
    [
        ("TP. Hồ Chí Minh", "79"),
        ("TP HCM", "79"),
        ("Sài Gòn", "79"),
        ("TP. Đà Nẵng", "48"),
        ("Thành phố Tam Kỳ", "502"),
        ("TP. Hội An", "503"),
        ("Thị xã Điện Bàn", "507"),
        ("Huế", "46"),
    ],
)
def test_common_alternative_spellings_resolve(locality_lookup, alias, code):
    assert locality_lookup[fold(alias)] == code


def test_every_district_of_the_eval_set_resolves(locality_lookup):
    eval_dir = ROOT.parent / "shared" / "eval" / "dev"
    if not eval_dir.is_dir():
        pytest.skip("shared eval set not present")
    for name in ("offers.jsonl", "needs.jsonl"):
        for line in (eval_dir / name).read_text(encoding="utf-8").splitlines():
            district = json.loads(line)["district"]
            assert fold(district) in locality_lookup, district


# --- fields -----------------------------------------------------------------------


def test_fields_cover_exactly_the_eval_codes(fields):
    assert len(fields) == 12
    assert {row["code"] for row in fields} == EVAL_FIELD_CODES


def test_fields_map_to_a_level_one_field_of_circular_24_2025(fields):
    for row in fields:
        assert row["name"].strip(), row
        assert TT24_LEVEL1.get(row["tt24_code"]) == row["tt24_name"], row


# --- organizations and users ------------------------------------------------------


def test_organizations_are_complete_and_unique(organizations, locality_lookup):
    assert len(organizations) >= 8
    keys = {"name", "type", "locality", "address", "contact_person", "phone", "email", "website"}
    for org in organizations:
        assert set(org) == keys, org["name"]
        assert org["type"] in ORG_TYPES, org
        assert fold(org["locality"]) in locality_lookup, org
        assert "@" in org["email"], org
    assert len({org["name"] for org in organizations}) == len(organizations)


def test_organizations_include_the_department_and_many_quang_nam_members(organizations, localities):
    assert any(org["type"] == "agency" and "Sở Khoa học và Công nghệ" in org["name"] for org in organizations)
    quang_nam = {row["name"] for row in localities if row["parent_code"] == "49"}
    assert sum(org["locality"] in quang_nam for org in organizations) >= 8


def test_one_demo_user_per_role_with_known_organization(users, organizations):
    names = {org["name"] for org in organizations}
    assert sorted(user["role"] for user in users) == sorted(ROLES)
    for user in users:
        assert set(user) == {"email", "role", "organization", "full_name"}
        assert user["organization"] == "" or user["organization"] in names, user
    assert len({user["email"].lower() for user in users}) == len(users)


# --- listings ---------------------------------------------------------------------


def test_listing_refs_are_unique_and_numbered_by_kind(listings):
    refs = [listing["ref"] for listing in listings]
    assert len(set(refs)) == len(refs)
    for listing in listings:
        prefix = {"offer": "DEMO-O-", "need": "DEMO-N-"}[listing["kind"]]
        assert re.fullmatch(re.escape(prefix) + r"\d{3}", listing["ref"]), listing["ref"]


def test_there_are_enough_offers_and_needs(listings):
    kinds = Counter(listing["kind"] for listing in listings)
    assert kinds["offer"] >= 28 and kinds["need"] >= 20


def test_listings_use_only_import_record_keys(listings):
    for listing in listings:
        assert REQUIRED_LISTING_KEYS <= set(listing) <= LISTING_KEYS, listing["ref"]


def test_listing_text_lengths(listings):
    for listing in listings:
        assert 0 < len(listing["title"]) <= 300, listing["ref"]
        assert 250 <= len(listing["description"]) <= 900, (listing["ref"], len(listing["description"]))
        assert len(listing.get("summary", "")) <= 1000, listing["ref"]


def test_listing_enumerations_are_valid(listings, fields):
    codes = {row["code"] for row in fields}
    for listing in listings:
        ref = listing["ref"]
        assert listing.get("field", "khac") in codes, ref
        assert listing.get("product_type", "technology") in PRODUCT_TYPES, ref
        assert listing.get("ip_status", "none") in IP_STATUSES, ref
        assert set(listing.get("transfer_modes", [])) <= TRANSFER_MODES, ref
        if "trl" in listing:
            assert type(listing["trl"]) is int and 1 <= listing["trl"] <= 9, ref


def test_listing_lists_are_lists_of_text(listings):
    for listing in listings:
        for key in ("keywords", "transfer_modes"):
            value = listing.get(key, [])
            assert isinstance(value, list) and all(isinstance(v, str) and v for v in value), (listing["ref"], key)


def test_listing_prices_are_ordered_non_negative_integers(listings):
    for listing in listings:
        low, high = listing.get("price_min_vnd"), listing.get("price_max_vnd")
        for value in (low, high):
            assert value is None or (type(value) is int and value >= 0), listing["ref"]
        if low is not None and high is not None:
            assert low <= high, listing["ref"]
    assert any(listing.get("price_max_vnd", 0) > 2_100_000_000 for listing in listings)


def test_listings_reference_known_organizations_and_localities(listings, organizations, locality_lookup):
    names = {org["name"] for org in organizations}
    for listing in listings:
        if "organization" in listing:
            assert listing["organization"] in names, listing["ref"]
        if "district" in listing:
            assert fold(listing["district"]) in locality_lookup, (listing["ref"], listing["district"])


def test_every_field_code_appears_among_listings(listings):
    assert {listing.get("field") for listing in listings} >= EVAL_FIELD_CODES


def test_some_listings_are_typed_without_diacritics(listings):
    bare = [listing["ref"] for listing in listings
            if not VIETNAMESE_LETTERS.search(listing["title"] + listing["description"])]
    assert 4 <= len(bare) <= 6, bare


def test_some_listings_use_the_old_tone_mark_placement(listings):
    old = re.compile(r"\b(hoà|hoá|khoẻ|thuỷ|uỷ)\b", re.I)
    assert sum(bool(old.search(listing["title"] + " " + listing["description"])) for listing in listings) >= 2


def test_some_listings_carry_contacts_and_confidential_details(listings):
    assert sum("contact_name" in listing for listing in listings) >= 3
    assert 1 <= sum("confidential_details" in listing for listing in listings) <= 3


# --- experts ----------------------------------------------------------------------


def test_experts_are_complete(experts, fields):
    codes = {row["code"] for row in fields}
    keys = {"full_name", "title", "specialties", "fields", "organization", "email", "phone", "bio", "is_public"}
    assert len(experts) >= 16
    for expert in experts:
        assert set(expert) == keys, expert["full_name"]
        assert expert["specialties"] and all(isinstance(s, str) and s for s in expert["specialties"])
        assert expert["fields"] and set(expert["fields"]) <= codes, expert["full_name"]
        assert isinstance(expert["is_public"], bool)
    assert 1 <= sum(not expert["is_public"] for expert in experts) <= 2
    assert len({expert["email"] for expert in experts}) == len(experts)


# --- plan -------------------------------------------------------------------------


def test_plan_has_ten_activities_and_four_sub_items_of_seven(plan):
    assert plan["year"] == 2024
    codes = [activity["code"] for activity in plan["activities"]]
    assert codes == ["1", "2", "3", "4", "5", "6", "7", "7.1", "7.2", "7.3", "7.4", "8", "9", "10"]
    parents = {activity["code"]: activity["parent"] for activity in plan["activities"]}
    assert {code for code, parent in parents.items() if parent == "7"} == {"7.1", "7.2", "7.3", "7.4"}
    assert all(parent in (None, "7") for parent in parents.values())


def test_plan_activity_titles_are_taken_from_the_seed(plan):
    seed = ROOT.parent / "shared" / "seed" / "000_a5d6fc2936e6ba43.txt"
    if not seed.is_file():
        pytest.skip("seed plan not present")
    text = seed.read_text(encoding="utf-8")
    for activity in plan["activities"]:
        assert activity["title"] in text, activity["code"]


def test_plan_targets_are_well_formed(plan):
    keys = {"quantity", "unit", "periodicity", "quarters", "text"}
    for activity in plan["activities"]:
        assert "<" not in activity["product"] and "&amp;" not in activity["product"], activity["code"]
        for target in activity["targets"]:
            assert set(target) == keys, activity["code"]
            assert target["periodicity"] in PERIODICITIES, activity["code"]
            assert (target["quarters"] is not None) == (target["periodicity"] == "in_quarters"), activity["code"]
            if target["quarters"] is not None:
                assert target["quarters"] and set(target["quarters"]) <= {1, 2, 3, 4}
            if target["periodicity"] == "maintained":
                assert target["quantity"] is None, activity["code"]
            assert target["text"], activity["code"]


@pytest.mark.parametrize(
    "code, expected",
    [
        ("1", [(2, "per_month", None), (2, "per_month", None)]),
        ("2", [(1, "per_month", None)]),
        ("3", [(12, "per_year", None)]),
        ("5", [(300, "in_quarters", [4])]),
        ("6", [(2, "in_quarters", [2, 3])]),
    ],
)
def test_plan_quantified_targets(plan, code, expected):
    activity = next(a for a in plan["activities"] if a["code"] == code)
    assert [(t["quantity"], t["periodicity"], t["quarters"]) for t in activity["targets"]] == expected


# --- demo judgements --------------------------------------------------------------


def test_demo_qrels_judge_every_need_with_existing_offers(listings):
    qrels = read_jsonl("qrels.jsonl")
    needs = {listing["ref"] for listing in listings if listing["kind"] == "need"}
    offers = {listing["ref"] for listing in listings if listing["kind"] == "offer"}
    assert [row["need"] for row in qrels] == sorted(needs)
    for row in qrels:
        assert set(row["relevant"]) <= offers, row
        assert set(row["relevant"].values()) <= {1, 2}, row
    answered = sum(2 in row["relevant"].values() for row in qrels)
    assert answered >= len(needs) * 3 // 4
