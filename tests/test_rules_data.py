"""The agency and place registries in rules/: shape, uniqueness and a few names that must
resolve. These files are data the tagger trusts, so a duplicate alias or a dangling parent
here becomes a wrong entity in every tagged document."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parents[1] / "rules"
AGENCIES = RULES / "agencies.jsonl"
PLACES = RULES / "places.jsonl"

CATEGORIES = {
    "party", "discipline", "government", "ministry", "commission", "regulator", "central-bank",
    "court", "procuratorate", "legislature", "consultative", "police", "military",
    "international", "state-owned", "local-government", "agency",
}
PLACE_KINDS = {"country", "union", "region", "province", "municipality", "state", "district",
               "territory", "city", "prefecture"}
# Aliases that name no body in particular; the tagger would pin them on one at random.
VAGUE = {"central bank", "the central bank", "commission", "the commission", "ministry",
         "the ministry", "government", "the government", "regulator", "the regulator",
         "parliament", "the parliament", "senate", "the senate", "the house", "cabinet",
         "the cabinet", "the court", "supreme court", "the supreme court", "watchdog",
         "the watchdog", "ministry of finance", "finance ministry", "the finance ministry",
         "securities regulator", "the securities regulator", "state council of", "police"}



def codes(text: str) -> set[str]:
    return set(text.split())


# ISO 3166-1 alpha-2, all 249 officially assigned codes.
ISO_COUNTRIES = codes("""
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
    BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ
    DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP
    GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG
    KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML
    MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
    PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL
    SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM
    US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
""")
# User-assigned codes in use for countries ISO 3166-1 does not list: Kosovo (XK, used by
# the EU, the IMF and the World Bank).
USER_ASSIGNED = {"XK"}
# ISO 3166-2:CN provincial-level divisions of the mainland (HK, MO, TW are 3166-1 entries).
CN_PROVINCES = codes("""AH BJ CQ FJ GD GS GX GZ HA HB HE HI HL HN JL JS JX LN NM NX QH SC SD SH
                      SN SX TJ XJ XZ YN ZJ""")
US_STATES = codes("""AK AL AR AZ CA CO CT DE FL GA HI IA ID IL IN KS KY LA MA MD ME MI MN MO MS
                   MT NC ND NE NH NJ NM NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV
                   WY""")


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{path.name}:{number}"
        assert text.strip(), f"{where}: blank line"
        try:
            row = json.loads(text)
        except json.JSONDecodeError as exc:
            pytest.fail(f"{where}: not valid JSON: {exc}")
        assert isinstance(row, dict), f"{where}: expected a JSON object"
        row["_where"] = where
        rows.append(row)
    return rows


def key(name: str) -> str:
    """How the tagger compares long names: case, spacing and a leading 'the' do not count."""
    return re.sub(r"^the ", "", re.sub(r"\s+", " ", name.strip().lower()))


@pytest.fixture(scope="module")
def agencies() -> list[dict]:
    return read_jsonl(AGENCIES)


@pytest.fixture(scope="module")
def places() -> list[dict]:
    return read_jsonl(PLACES)


@pytest.fixture(scope="module")
def resolve(agencies, places):
    """name -> ids, the way a gazetteer would: abbreviations exactly, other names by key()."""
    exact, loose = defaultdict(set), defaultdict(set)
    for row in agencies:
        for abbr in row["abbr"]:
            exact[abbr].add(row["id"])
        for name in [row["name"], *row["aliases"]]:
            loose[key(name)].add(row["id"])
    for row in places:
        for name in [row["name"], *row["aliases"], *row["demonyms"]]:
            loose[key(name)].add(row["id"])
    return lambda name: exact.get(name) or loose.get(key(name), set())


def test_read_jsonl_names_file_and_line_of_a_bad_line(tmp_path):
    bad = tmp_path / "agencies.jsonl"
    bad.write_text('{"id": "a"}\n{"id": \n', encoding="utf-8")
    with pytest.raises(pytest.fail.Exception, match=r"agencies\.jsonl:2: not valid JSON"):
        read_jsonl(bad)


# ------------------------------------------------------------------------- agencies

def test_agency_rows_have_exactly_the_schema_fields(agencies):
    fields = {"id", "name", "category", "jurisdiction", "abbr", "aliases", "parent", "_where"}
    for row in agencies:
        assert set(row) == fields, f"{row['_where']}: fields {sorted(set(row) ^ fields)}"
        assert isinstance(row["name"], str) and row["name"].strip() == row["name"] != ""
        for name in [*row["abbr"], *row["aliases"]]:
            assert isinstance(name, str) and name.strip() == name != "", \
                f"{row['_where']}: empty or padded name {name!r}"


def test_agency_ids_are_unique_and_prefixed_by_jurisdiction(agencies):
    seen = set()
    for row in agencies:
        ident, where = row["id"], row["_where"]
        assert ident not in seen, f"{where}: duplicate id {ident}"
        seen.add(ident)
        assert re.fullmatch(r"([a-z]{2}|intl)-[a-z0-9]+(-[a-z0-9]+)*", ident), f"{where}: {ident}"
        expected = (row["jurisdiction"] or "intl").lower()
        assert ident.split("-")[0] == expected, f"{where}: {ident} under {row['jurisdiction']}"


def test_agency_category_and_jurisdiction_come_from_the_allowed_sets(agencies, places):
    jurisdictions = {p["id"] for p in places if p["kind"] in ("country", "union")}
    for row in agencies:
        assert row["category"] in CATEGORIES, f"{row['_where']}: category {row['category']!r}"
        assert row["jurisdiction"] is None or row["jurisdiction"] in jurisdictions, \
            f"{row['_where']}: jurisdiction {row['jurisdiction']!r} is not a place id"
        assert (row["jurisdiction"] is None) == (row["category"] == "international"), \
            f"{row['_where']}: international bodies, and only they, have no jurisdiction"


def test_agency_parents_exist_and_form_no_cycle(agencies):
    parent = {row["id"]: row["parent"] for row in agencies}
    for row in agencies:
        assert row["parent"] is None or row["parent"] in parent, \
            f"{row['_where']}: parent {row['parent']!r} is not in the registry"
        chain, node = [], row["id"]
        while node is not None:
            assert node not in chain, f"{row['_where']}: parent cycle {chain + [node]}"
            chain.append(node)
            node = parent[node]


def test_registry_is_large_enough_and_china_heavy(agencies):
    assert len(agencies) >= 600
    assert sum(row["jurisdiction"] == "CN" for row in agencies) >= 80


def test_no_name_or_abbreviation_belongs_to_two_agencies(agencies):
    names, abbrs = defaultdict(set), defaultdict(set)
    for row in agencies:
        for name in [row["name"], *row["aliases"]]:
            names[key(name)].add(row["id"])
        for abbr in row["abbr"]:
            abbrs[abbr].add(row["id"])
    shared = {n: ids for n, ids in [*names.items(), *abbrs.items()] if len(ids) > 1}
    assert not shared, f"names under several ids: {shared}"
    # An abbreviation must not be spelled exactly like another body's name either.
    clash = {a: names[key(a)] - ids for a, ids in abbrs.items() if names.get(key(a), ids) - ids}
    assert not clash, clash


def test_no_vague_aliases(agencies):
    vague = [(row["id"], name) for row in agencies for name in row["aliases"] if key(name) in
             {key(v) for v in VAGUE}]
    assert not vague


def test_agency_names_are_not_place_names(agencies, places):
    place_names = {key(n) for p in places for n in [p["name"], *p["aliases"], *p["demonyms"]]}
    clash = [(row["id"], n) for row in agencies for n in [row["name"], *row["aliases"]]
             if key(n) in place_names]
    assert not clash


@pytest.mark.parametrize("name, ident", [
    ("NDRC", "cn-ndrc"),
    ("National Development and Reform Commission", "cn-ndrc"),
    ("China's top economic planner", "cn-ndrc"),
    ("国家发改委", "cn-ndrc"),
    ("CCDI", "cn-ccdi"),
    ("Central Commission for Discipline Inspection", "cn-ccdi"),
    ("the Communist Party's disciplinary body", "cn-ccdi"),
    ("PBOC", "cn-pboc"),
    ("PBoC", "cn-pboc"),
    ("China's central bank", "cn-pboc"),
    ("CSRC", "cn-csrc"),
    ("China's securities regulator", "cn-csrc"),
    ("CBIRC", "cn-cbirc"),
    ("National Financial Regulatory Administration", "cn-nfra"),
    ("Inner Mongolia Development and Reform Commission", "cn-nm-drc"),
    ("SEC", "us-sec"),
    ("the Fed", "us-fed"),
    ("U.S. Congress", "us-congress"),  # bare "Congress" is a shared name (by country)
    ("FCA", "gb-fca"),
    ("ESMA", "eu-esma"),
    ("FATF", "intl-fatf"),
    ("Bank of Russia", "ru-cbr"),
    ("Hong Kong Police Force", "hk-police"),
    ("Kosovo Police", "xk-police"),
    ("Supreme Court of India", "in-supreme-court"),
    ("South Korea's finance ministry", "kr-moef"),
    ("Ministry of Digital Economy and Society", "th-mdes"),
    ("Swedish Environmental Protection Agency", "se-epa"),
    ("Tianjin No. 1 Intermediate People's Court", "cn-tianjin-no1-court"),
    ("Yunnan provincial discipline inspection commission", "cn-yn-cdi"),
])

def test_press_names_resolve_to_one_agency(resolve, name, ident):
    assert resolve(name) == {ident}


# Jurisdictions the tracker follows: each has its government, central bank, a financial or
# securities regulator and its legislature in the registry, so "the government", "the central
# bank" and "parliament" in their news resolve to a body rather than to nothing.
CORE_JURISDICTIONS = codes("""CN US GB JP KR SG HK IN RU KZ BR AR CA AU DE FR IT ES NL CH TR AE
                           NG ZA PK VN TH ID MY PH UA IR VE SV PY NO SE XK GE EG BO BD""")


def test_registry_has_the_core_bodies_of_each_followed_jurisdiction(agencies):
    have = defaultdict(set)
    for row in agencies:
        have[row["jurisdiction"]].add(row["category"])
    for code in sorted(CORE_JURISDICTIONS):
        missing = {"government", "central-bank", "legislature"} - have[code]
        assert not missing, f"{code}: no {sorted(missing)} in agencies.jsonl"


def test_every_chinese_province_has_its_government_and_discipline_commission(agencies):
    ids = {row["id"] for row in agencies}
    for code in sorted(CN_PROVINCES):
        for body in ("gov", "drc", "cdi"):
            assert f"cn-{code.lower()}-{body}" in ids, f"cn-{code.lower()}-{body}"


# ------------------------------------------------------------------------- places

def test_place_rows_have_the_schema_fields(places):
    fields = {"id", "name", "kind", "country", "aliases", "demonyms", "_where"}
    for row in places:
        assert set(row) == fields, f"{row['_where']}: fields {sorted(set(row) ^ fields)}"
        assert row["kind"] in PLACE_KINDS, f"{row['_where']}: kind {row['kind']!r}"
        for name in [row["name"], *row["aliases"], *row["demonyms"]]:
            assert isinstance(name, str) and name.strip() == name != "", row["_where"]


def test_every_iso_country_is_present_once_with_its_alpha2_id(places):
    ids = [row["id"] for row in places]
    assert len(ids) == len(set(ids)), "duplicate place ids"
    countries = {row["id"] for row in places if row["kind"] == "country"}
    assert countries == ISO_COUNTRIES | USER_ASSIGNED
    assert all(row["country"] == row["id"] for row in places if row["kind"] == "country")
    eu = next(row for row in places if row["id"] == "EU")
    assert eu["kind"] == "union"


def test_place_ids_look_like_iso_codes_and_point_at_a_country(places):
    countries = {row["id"] for row in places if row["kind"] in ("country", "union")}
    for row in places:
        ident, where = row["id"], row["_where"]
        assert row["country"] in countries, f"{where}: country {row['country']!r} not listed"
        if row["kind"] in ("country", "union"):
            assert re.fullmatch(r"[A-Z]{2}", ident), where
        elif ident.startswith(("city:", "prefecture:")):
            assert re.fullmatch(r"(city|prefecture):[a-z0-9]+(-[a-z0-9]+)*", ident), where
            assert ident.split(":")[0] == row["kind"], where
        else:
            assert re.fullmatch(r"[A-Z]{2}-[A-Z0-9]{1,3}", ident), f"{where}: {ident}"
            assert ident[:2] == row["country"], f"{where}: {ident} under {row['country']}"


def test_no_place_name_belongs_to_two_places(places):
    names = defaultdict(set)
    for row in places:
        for name in [row["name"], *row["aliases"], *row["demonyms"]]:
            names[key(name)].add(row["id"])
    shared = {n: ids for n, ids in names.items() if len(ids) > 1}
    assert not shared


def test_chinese_provinces_and_us_states_are_all_there(places):
    ids = {row["id"] for row in places}
    assert {f"CN-{c}" for c in CN_PROVINCES} <= ids
    assert {f"US-{c}" for c in US_STATES} <= ids
    kinds = {row["id"]: row["kind"] for row in places}
    assert {kinds[f"CN-{c}"] for c in ("BJ", "SH", "TJ", "CQ")} == {"municipality"}


@pytest.mark.parametrize("name, ident", [
    ("China", "CN"), ("PRC", "CN"), ("Chinese", "CN"), ("U.S.", "US"), ("America", "US"),
    ("Britain", "GB"), ("South Korea", "KR"), ("Russian Federation", "RU"), ("Macao", "MO"),
    ("Hong Kong", "HK"), ("Taiwan", "TW"), ("Singapore", "SG"), ("European Union", "EU"),
    ("Inner Mongolia", "CN-NM"), ("内蒙古", "CN-NM"), ("Xinjiang", "CN-XJ"), ("Beijing", "CN-BJ"),
    ("Georgia", "GE"), ("Georgia (U.S. state)", "US-GA"), ("Washington", "US-DC"),
    ("Ordos", "city:ordos"), ("Ekibastuz", "city:ekibastuz"), ("Pavlodar Region", "KZ-55"),
    ("Quebec", "CA-QC"), ("Astana", "KZ-71"), ("Kosovo", "XK"),
])
def test_press_names_resolve_to_one_place(resolve, name, ident):
    assert resolve(name) == {ident}


# ------------------------------------------------------------------------- consumer

def test_the_tagger_loads_both_registries():
    rules = pytest.importorskip("tracker.nlp.rules")
    agencies = rules.load_agencies(AGENCIES)
    places = rules.load_places(PLACES)
    assert agencies["cn-ndrc"].country == "CN"
    assert places["CN-NM"].country == "CN"
