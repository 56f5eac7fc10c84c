"""Reference data: ISO countries and their groups, Chinese and CEE cities, NACE Rev. 2 and sector mapping.

Pure Python: no database is needed.
"""
from __future__ import annotations

import re
from collections import Counter

import pytest

from silkbridge.directory.reference import (
    country_codes,
    find_cities,
    find_country,
    load_cities,
    load_countries,
    load_nace,
    load_sister_cities,
    map_sector,
    name_key,
)
from silkbridge.engines.script import fold, serbian_to_cyrillic

CJK = re.compile(r"[\u4e00-\u9fff]")
CEEC = {"AL", "BA", "BG", "HR", "CZ", "EE", "GR", "HU", "LV", "LT", "ME", "MK", "PL", "RO", "RS", "SK", "SI"}
NACE_DIVISIONS = (
    "01 02 03 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 "
    "35 36 37 38 39 41 42 43 45 46 47 49 50 51 52 53 55 56 58 59 60 61 62 63 64 65 66 68 69 70 71 72 "
    "73 74 75 77 78 79 80 81 82 84 85 86 87 88 90 91 92 93 94 95 96 97 98 99"
).split()


def _is_latin(text: str) -> bool:
    import unicodedata

    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in text)


# Countries

def test_every_iso_3166_country_is_listed_once():
    codes = [c["code"] for c in load_countries()]
    assert len(codes) == 249
    assert len(set(codes)) == 249
    assert all(re.fullmatch(r"[A-Z]{2}", code) for code in codes)


def test_every_country_has_a_chinese_name():
    missing = [c["code"] for c in load_countries() if not CJK.search(c["name_zh"] or "")]
    assert missing == []


def test_serbia_reads_as_in_serbian_and_chinese():
    serbia = find_country("RS")
    assert (serbia["name_en"], serbia["name_zh"], serbia["name_local"], serbia["name_local_latn"]) == (
        "Serbia", "塞尔维亚", "Србија", "Srbija")
    assert serbia["groups"] == ["cee", "western_balkans", "ceec", "eu_candidate"]


def test_chinese_names_follow_prc_usage_for_taiwan_and_the_sars():
    assert [find_country(c)["name_zh"] for c in ("CN", "TW", "HK", "MO")] == ["中国", "中国台湾", "中国香港", "中国澳门"]


def test_every_cee_country_and_neighbour_has_a_local_name_in_latin_script_too():
    codes = country_codes("cee") + ["CN", "AT", "DE"]
    lacking = [c for c in codes if not find_country(c)["name_local"] or not _is_latin(find_country(c)["name_local_latn"] or "x!")]
    assert lacking == []
    assert {c: find_country(c)["name_local"] for c in ("GR", "BG", "MK", "HU", "CN")} == {
        "GR": "Ελλάδα", "BG": "България", "MK": "Северна Македонија", "HU": "Magyarország", "CN": "中国"}


def test_ceec_group_holds_every_member_the_mechanism_ever_had():
    assert set(country_codes("ceec")) == CEEC
    assert set(country_codes("ceec_former")) == {"EE", "LV", "LT"}


def test_regional_groups():
    assert country_codes("western_balkans") == ["AL", "BA", "ME", "MK", "RS"]
    assert country_codes("baltics") == ["EE", "LT", "LV"]
    assert country_codes("china") == ["CN"]
    assert country_codes("china_sar") == ["HK", "MO"]
    assert len(country_codes("eu")) == 27
    assert set(country_codes("cee")) == CEEC | {"MD", "UA", "BY"}
    assert "GR" in country_codes("eu") and "RS" not in country_codes("eu")


@pytest.mark.parametrize("written, code", [
    # As written in the China Global Investment Tracker rows.
    ("Bosnia", "BA"), ("Macedonia", "MK"), ("Czech Republic", "CZ"), ("Serbia", "RS"), ("Greece", "GR"),
    # Other scripts and codes.
    ("塞尔维亚", "RS"), ("Србија", "RS"), ("srbija", "RS"), ("rs", "RS"), ("Magyarország", "HU"), ("Türkiye", "TR"),
    ("Turkey", "TR"),
])
def test_find_country_accepts_names_in_any_listed_form(written, code):
    assert find_country(written)["code"] == code


def test_find_country_returns_none_for_an_unknown_name():
    assert find_country("Atlantis") is None


# Cities

def test_every_city_in_the_sister_cities_list_resolves_in_its_own_country():
    pairs = load_sister_cities()
    assert len(pairs) == 162
    unresolved = []
    for pair in pairs:
        for city, country in ((pair["city1"], pair["country1"]), (pair["city2"], pair["country2"])):
            code = find_country(country)["code"]
            if [c["country"] for c in find_cities(city, code)] == []:
                unresolved.append((city, country))
    assert unresolved == []


def test_district_and_bracketed_names_resolve_to_their_own_record():
    assert [c["name_zh"] for c in find_cities("Tongzhou (Beijing)")] == ["通州区"]
    assert [c["name_en"] for c in find_cities("Budapest XI – Újbuda", "HU")] == ["Újbuda"]
    assert [c["name_zh"] for c in find_cities("Suzhou, Jiangsu")] == ["苏州"]
    assert [c["name_zh"] for c in find_cities("Yichun")] == ["伊春", "宜春"]


def test_city_names_match_across_scripts_and_old_spellings():
    assert [c["name_en"] for c in find_cities("Ниш")] == ["Niš"]
    assert [c["name_en"] for c in find_cities("nis", "RS")] == ["Niš"]
    assert [c["name_en"] for c in find_cities("Peking")] == ["Beijing"]
    assert [c["name_en"] for c in find_cities("北京")] == ["Beijing"]
    assert [c["name_en"] for c in find_cities("Θεσσαλονίκη")] == ["Thessaloniki"]
    assert find_cities("Niš", "CN") == []


def test_every_city_has_a_chinese_name_and_a_known_country():
    known = {c["code"] for c in load_countries()}
    rows = load_cities()
    assert [r["name_en"] for r in rows if not CJK.search(r["name_zh"])] == []
    assert [r["name_en"] for r in rows if r["country"] not in known] == []


def test_city_english_names_are_unique_within_a_country():
    # The database keys cities on (country, folded English name).
    counts = Counter((r["country"], fold(r["name_en"])) for r in load_cities())
    assert [k for k, n in counts.items() if n > 1] == []


def test_chinese_cities_carry_their_chinese_name_and_toned_pinyin():
    beijing = find_cities("Beijing")[0]
    assert (beijing["name_local"], beijing["name_local_latn"], beijing["aliases"]) == ("北京", "Běijīng", ["Peking", "Pekin"])
    assert find_cities("Chongqing")[0]["name_local_latn"] == "Chóngqìng"
    assert find_cities("Xi'an")[0]["name_local_latn"] == "Xī'ān"
    chinese = [r for r in load_cities() if r["country"] == "CN"]
    assert [r["name_en"] for r in chinese if r["name_local"] != r["name_zh"]] == []


def test_coverage_of_china_and_cee():
    per_country = Counter(r["country"] for r in load_cities())
    assert per_country["CN"] >= 60
    assert {c: n for c, n in per_country.items() if c in {"PL", "HU", "RO", "CZ", "RS", "BG", "GR", "HR", "SK"} and n < 8} == {}
    assert [c for c in CEEC if per_country[c] < 6] == []
    capitals = ["Beijing", "Tianjin", "Shanghai", "Chongqing", "Shijiazhuang", "Taiyuan", "Hohhot", "Shenyang",
                "Changchun", "Harbin", "Nanjing", "Hangzhou", "Hefei", "Fuzhou", "Nanchang", "Jinan", "Zhengzhou",
                "Wuhan", "Changsha", "Guangzhou", "Nanning", "Haikou", "Chengdu", "Guiyang", "Kunming", "Lhasa",
                "Xi'an", "Lanzhou", "Xining", "Yinchuan", "Ürümqi"]
    assert [c for c in capitals if not find_cities(c, "CN")] == []


def test_serbian_cities_are_written_in_both_scripts():
    serbian = {r["name_local_latn"]: r["name_local"] for r in load_cities() if r["country"] == "RS"}
    required = ["Beograd", "Novi Sad", "Niš", "Kragujevac", "Subotica", "Smederevo", "Zrenjanin", "Čačak", "Kraljevo",
                "Pančevo", "Šabac", "Bor", "Valjevo", "Sremska Mitrovica", "Užice", "Leskovac", "Vranje"]
    assert [c for c in required if c not in serbian] == []
    assert {latn: cyr for latn, cyr in serbian.items() if serbian_to_cyrillic(latn) != cyr} == {}
    assert serbian["Čačak"] == "Чачак"


# NACE

def test_nace_has_21_sections_and_88_divisions():
    rows = load_nace()
    sections = [r["code"] for r in rows if r["level"] == "section"]
    divisions = [r["code"] for r in rows if r["level"] == "division"]
    assert sections == list("ABCDEFGHIJKLMNOPQRSTU")
    assert divisions == NACE_DIVISIONS


def test_every_division_belongs_to_an_existing_section():
    rows = load_nace()
    sections = {r["code"] for r in rows if r["level"] == "section"}
    assert [r["code"] for r in rows if r["level"] == "division" and r["parent"] not in sections] == []
    assert {r["code"]: r["parent"] for r in rows if r["code"] in ("01", "26", "35", "62", "99")} == {
        "01": "A", "26": "C", "35": "D", "62": "J", "99": "U"}


def test_every_nace_entry_has_a_chinese_title():
    assert [r["code"] for r in load_nace() if not CJK.search(r["name_zh"])] == []


def test_no_keyword_points_at_two_sectors():
    owner: dict[str, set[str]] = {}
    for row in load_nace():
        for kw in row.get("keywords", ()):
            owner.setdefault(name_key(kw), set()).add(row["code"])
    assert {kw: codes for kw, codes in owner.items() if len(codes) > 1} == {}


def test_important_divisions_have_keywords_in_several_languages():
    keywords = {r["code"]: r.get("keywords", []) for r in load_nace()}
    important = ["01", "10", "21", "24", "26", "29", "35", "41", "42", "46", "52", "55", "62", "64", "68", "79", "85", "86"]
    assert {c: len(keywords[c]) for c in important if len(keywords[c]) < 10} == {}
    # Serbian keywords come in both scripts.
    assert "logistika" in keywords["52"] and "логистика" in keywords["52"]


@pytest.mark.parametrize("text, code", [
    ("26", "26"), ("C26", "26"), ("c 26", "26"), ("62.01", "62"), ("C", "C"), ("j", "J"),
    ("Manufacturing", "C"), ("制造业", "C"), ("Manufacture of computer, electronic and optical products", "26"),
    ("medical devices", "32"), ("Medical imaging", "26"), ("logistika", "52"), ("Логистика", "52"), ("logistyka", "52"),
    ("汽车零部件", "29"), ("新能源汽车电池", "29"), ("电子商务", "47"), ("IT", "62"), ("software development for banks", "62"),
    ("agriculture", "01"), ("mezőgazdaság", "01"), ("Poljoprivreda", "01"), ("пољопривреда", "01"),
    ("turizam", "79"), ("туризъм", "79"), ("energetika", "35"), ("енергетика", "35"), ("Renewable energy", "35"),
    ("autóipar", "29"), ("przemysł motoryzacyjny", "29"), ("Automotive parts supplier", "29"),
    ("stavebnictví", "41"), ("Telecom", "61"), ("Transport", "H"), ("Real estate", "68"), ("Metals", "24"),
    ("  Health ", "86"), ("industria farmaceutică", "21"), ("građevinarstvo", "41"), ("R&D", "72"),
    # Inflected forms reach the keyword through its stem; a division wins over its section.
    ("výroba elektroniky", "26"), ("energetikai", "35"), ("poljoprivredi", "01"), ("bankowości", "64"),
    ("Manufacturing of furniture", "31"), ("proizvodnja lekova", "21"),
])
def test_map_sector_understands_codes_names_and_keywords_in_many_languages(text, code):
    assert map_sector(text) == code


@pytest.mark.parametrize("text", ["", "   ", "blorfgl", "xyz 123", "Other", "00", "A26", "C99", "V", "???"])
def test_map_sector_returns_none_when_nothing_fits(text):
    assert map_sector(text) is None


def test_loaders_hand_out_fresh_copies():
    first = load_cities()
    first[0]["name_en"] = "changed"
    first.clear()
    assert load_cities()[0]["name_en"] == "Beijing"
