"""Checks the demo forum's organisation files: format, vocabulary, languages and scripts.

Pure Python on purpose: a broken file should fail here, in a second, rather than
halfway through loading the demo into a database.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parents[2] / "src" / "silkbridge" / "directory" / "demo_organisations"
FILES = sorted(DATA_DIR.glob("organisations_*.json"))

KINDS = {"company", "university", "research_institute", "chamber", "agency", "government", "city", "other"}
SIZES = {"micro", "small", "medium", "large"}
EXCHANGE_TYPES = {
    "product", "service", "technology", "distribution", "investment", "research",
    "education", "logistics", "land", "finance", "tourism", "culture",
}
PROFILE_LANGUAGES = {
    "zh-hans", "sr-cyrl", "sr-latn", "pl", "hu", "cs", "sk", "hr", "bs", "ro",
    "bg", "el", "mk", "sq", "sl", "lt", "lv", "et", "en",
}
# NACE Rev. 2 divisions; the gaps (04, 34, 40, 44, 48, 54, 57, 67, 76, 83, 89) do not exist.
NACE_DIVISIONS = {
    f"{n:02d}"
    for n in [*range(1, 4), *range(5, 10), *range(10, 34), *range(35, 40), *range(41, 44),
              *range(45, 48), *range(49, 54), 55, 56, *range(58, 67), *range(68, 76),
              *range(77, 83), 84, 85, *range(86, 89), *range(90, 100)]
}
# The language an organisation writes its own profile in; a few countries use more than one.
AUTHOR_LANGUAGES = {
    "CN": {"zh-hans"},
    "RS": {"sr-cyrl", "sr-latn"},
    "ME": {"sr-latn", "sr-cyrl"},
    "BA": {"bs", "hr", "sr-cyrl", "sr-latn"},
    "HR": {"hr"},
    "HU": {"hu"},
    "PL": {"pl"},
    "CZ": {"cs"},
    "SK": {"sk"},
    "RO": {"ro"},
    "BG": {"bg"},
    "GR": {"el"},
    "MK": {"mk"},
    "AL": {"sq"},
    "SI": {"sl"},
    "LT": {"lt"},
    "LV": {"lv"},
    "EE": {"et"},
}
ID_PATTERN = re.compile(r"^[a-z]{2}(-[a-z0-9]+)+$")
WEBSITE_PATTERN = re.compile(r"^https://([a-z0-9-]+\.)+example\.[a-z]{2,}$")
EMAIL_PATTERN = re.compile(r"^[a-z0-9.]+@([a-z0-9-]+\.)+example\.[a-z]{2,}$")


def _load() -> list[dict]:
    organisations = []
    for path in FILES:
        with path.open(encoding="utf-8") as handle:
            organisations.extend(json.load(handle))
    return organisations


ORGANISATIONS = _load()


def _script_share(text: str, script: str) -> float:
    """Share of the letters in ``text`` whose Unicode name starts with ``script``."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(unicodedata.name(c, "").startswith(script) for c in letters) / len(letters)


def _profile_text(profile: dict) -> str:
    return " ".join((profile["description"], profile["offers"], profile["needs"]))


def _author_profile(org: dict) -> dict:
    return next(p for p in org["profiles"] if p["origin"] == "author")


def test_there_is_one_file_per_country_group_and_each_is_a_json_list():
    assert len(FILES) >= 3
    for path in FILES:
        with path.open(encoding="utf-8") as handle:
            assert isinstance(json.load(handle), list), path.name


def test_ids_are_unique_across_files_and_prefixed_with_the_country():
    ids = [org["id"] for org in ORGANISATIONS]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    for org in ORGANISATIONS:
        assert ID_PATTERN.match(org["id"]), org["id"]
        assert org["id"][:2] == org["country"].lower(), org["id"]


def test_the_forum_has_at_least_120_organisations_from_china_and_eight_cee_countries():
    countries = Counter(org["country"] for org in ORGANISATIONS)
    assert len(ORGANISATIONS) >= 120
    assert countries["CN"] >= 40
    assert countries["RS"] >= 15
    assert len(set(countries) - {"CN"}) >= 8


def test_every_organisation_has_the_required_fields_with_the_right_types():
    required = {
        "id": str, "name": str, "names": dict, "kind": str, "country": str, "city": str,
        "sectors": list, "size": str, "founded": int, "website": str, "languages": list,
        "offer_types": list, "need_types": list, "profiles": list, "people": list,
    }
    for org in ORGANISATIONS:
        for field, expected in required.items():
            assert isinstance(org.get(field), expected), (org["id"], field)
        assert org["name"].strip() == org["name"] != ""
        assert "en" in org["names"], org["id"]
        assert all(isinstance(v, str) and v for v in org["names"].values()), org["id"]
        assert org["languages"] and all(re.fullmatch(r"[a-z]{2}", lang) for lang in org["languages"]), org["id"]
        assert 1800 <= org["founded"] <= 2026, org["id"]


def test_kinds_sizes_and_offer_and_need_types_come_from_the_vocabulary():
    for org in ORGANISATIONS:
        assert org["kind"] in KINDS, org["id"]
        assert org["size"] in SIZES, org["id"]
        assert 1 <= len(org["offer_types"]) and set(org["offer_types"]) <= EXCHANGE_TYPES, org["id"]
        assert 1 <= len(org["need_types"]) and set(org["need_types"]) <= EXCHANGE_TYPES, org["id"]


def test_the_forum_mixes_every_kind_of_organisation_except_other_may_be_rare():
    kinds = Counter(org["kind"] for org in ORGANISATIONS)
    assert set(kinds) >= KINDS - {"other"}
    assert kinds["company"] > len(ORGANISATIONS) / 2


def test_sectors_are_one_to_three_distinct_nace_divisions_as_two_digit_strings():
    for org in ORGANISATIONS:
        sectors = org["sectors"]
        assert 1 <= len(sectors) <= 3, org["id"]
        assert len(set(sectors)) == len(sectors), org["id"]
        for sector in sectors:
            assert isinstance(sector, str) and re.fullmatch(r"\d\d", sector), (org["id"], sector)
            assert sector in NACE_DIVISIONS, (org["id"], sector)


def test_every_organisation_has_exactly_one_author_profile_in_a_language_of_its_country():
    for org in ORGANISATIONS:
        origins = Counter(p["origin"] for p in org["profiles"])
        assert origins["author"] == 1, org["id"]
        assert set(origins) <= {"author", "translation"}, org["id"]
        assert _author_profile(org)["language"] in AUTHOR_LANGUAGES[org["country"]], org["id"]


def test_profiles_use_known_languages_once_each_and_translations_are_english():
    for org in ORGANISATIONS:
        languages = [p["language"] for p in org["profiles"]]
        assert len(set(languages)) == len(languages), org["id"]
        assert set(languages) <= PROFILE_LANGUAGES, org["id"]
        for profile in org["profiles"]:
            if profile["origin"] == "translation":
                assert profile["language"] == "en", org["id"]


def test_about_a_third_of_the_organisations_carry_an_english_translation():
    translated = sum(any(p["language"] == "en" for p in org["profiles"]) for org in ORGANISATIONS)
    assert len(ORGANISATIONS) / 4 <= translated <= len(ORGANISATIONS) / 2


def _count_sentences(text: str) -> int:
    """Counts sentence ends; a full stop only ends a sentence before a capital, a digit or the end.

    That keeps abbreviations such as "d.o.o. je" or "ok. 30 000" from counting twice.
    """
    ends = len(re.findall(r"[。！？]", text))
    for match in re.finditer(r"[.!?](\s+(\S)|\s*$)", text):
        following = match.group(2)
        if following is None or following.isupper() or following.isdigit():
            ends += 1
    return ends


def test_sentence_counting_ignores_abbreviations():
    assert _count_sentences("Firma d.o.o. je mala. Ima 5 radnika.") == 2
    assert _count_sentences("公司成立于2001年。我们生产机器人。") == 2
    assert _count_sentences("One sentence only") == 0


def test_descriptions_have_two_to_four_sentences_and_offers_and_needs_one_to_four_lines():
    for org in ORGANISATIONS:
        for profile in org["profiles"]:
            sentences = _count_sentences(profile["description"])
            assert 2 <= sentences <= 4, (org["id"], profile["language"], sentences)
            for field in ("offers", "needs"):
                items = profile[field].split("\n")
                assert 1 <= len(items) <= 4, (org["id"], profile["language"], field)
                assert all(item.strip() == item != "" for item in items), (org["id"], field)


def test_a_translation_lists_as_many_offers_and_needs_as_the_original():
    for org in ORGANISATIONS:
        author = _author_profile(org)
        for profile in org["profiles"]:
            for field in ("offers", "needs"):
                assert profile[field].count("\n") == author[field].count("\n"), (org["id"], field)


@pytest.mark.parametrize(
    ("language", "script"),
    [("sr-cyrl", "CYRILLIC"), ("mk", "CYRILLIC"), ("bg", "CYRILLIC"), ("el", "GREEK"),
     ("zh-hans", "CJK UNIFIED IDEOGRAPH"), ("sr-latn", "LATIN"), ("en", "LATIN"), ("hu", "LATIN")],
)
def test_profile_text_is_written_in_the_script_its_language_code_says(language, script):
    profiles = [
        (org["id"], p) for org in ORGANISATIONS for p in org["profiles"] if p["language"] == language
    ]
    assert profiles, language
    for org_id, profile in profiles:
        # Acronyms such as CE or ISO stay in Latin letters inside Cyrillic and Greek text.
        assert _script_share(_profile_text(profile), script) >= 0.9, (org_id, language)


def test_serbian_names_are_given_in_both_scripts():
    for org in ORGANISATIONS:
        if org["country"] != "RS":
            continue
        assert _script_share(org["names"]["sr-cyrl"], "CYRILLIC") >= 0.9, org["id"]
        assert _script_share(org["names"]["sr-latn"], "LATIN") == 1.0, org["id"]
        author = _author_profile(org)["language"]
        assert org["name"] == org["names"][author], org["id"]


def test_serbian_profiles_are_split_roughly_evenly_between_cyrillic_and_latin():
    serbian = Counter(
        _author_profile(org)["language"] for org in ORGANISATIONS if org["country"] == "RS"
    )
    assert abs(serbian["sr-cyrl"] - serbian["sr-latn"]) <= 2


def test_websites_are_https_under_an_example_domain():
    for org in ORGANISATIONS:
        assert WEBSITE_PATTERN.match(org["website"]), org["website"]


def test_websites_and_email_addresses_are_not_shared_between_organisations_or_people():
    websites = Counter(org["website"] for org in ORGANISATIONS)
    emails = Counter(person["email"] for org in ORGANISATIONS for person in org["people"])
    assert [site for site, n in websites.items() if n > 1] == []
    assert [email for email, n in emails.items() if n > 1] == []


def test_every_organisation_has_one_to_three_people_with_fictional_contacts():
    domain = re.compile(r"^https://(.+)$")
    for org in ORGANISATIONS:
        site = domain.match(org["website"]).group(1)
        assert 1 <= len(org["people"]) <= 3, org["id"]
        for person in org["people"]:
            for field in ("name", "name_latin", "title", "title_en", "email", "phone"):
                assert isinstance(person[field], str) and person[field], (org["id"], field)
            assert EMAIL_PATTERN.match(person["email"]), person["email"]
            assert person["email"].endswith("@" + site), person["email"]
            assert _script_share(person["name_latin"], "LATIN") == 1.0, person["name_latin"]
            assert re.fullmatch(r"\+\d{1,3}( \d{1,4})? 555 \d{4}", person["phone"]), person["phone"]


def test_each_profile_language_of_the_vocabulary_is_used_at_least_once():
    used = {p["language"] for org in ORGANISATIONS for p in org["profiles"]}
    assert used == PROFILE_LANGUAGES


def test_chinese_organisations_come_from_at_least_six_provinces():
    # The id's second part names the province (zj = Zhejiang, sc = Sichuan, ...).
    provinces = {org["id"].split("-")[1] for org in ORGANISATIONS if org["country"] == "CN"}
    assert len(provinces) >= 6


def test_needs_have_an_answer_across_the_border():
    # Matchmaking is only worth demonstrating if most needs have a counterpart abroad.
    def answered(org: dict) -> bool:
        china = org["country"] == "CN"
        return any(
            other["country"] != org["country"] and (other["country"] == "CN") != china
            and set(org["need_types"]) & set(other["offer_types"])
            for other in ORGANISATIONS
        )

    unanswered = [org["id"] for org in ORGANISATIONS if not answered(org)]
    assert unanswered == []
