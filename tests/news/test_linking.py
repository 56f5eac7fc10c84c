"""Resolving names from news to directory records across scripts, languages, legal forms and initials."""
from __future__ import annotations

import pytest

from silkbridge.news.linking import Link, Linker, Named, pinyin_display, strip_legal_form


@pytest.fixture(scope="module")
def linker():
    return Linker(
        organisations=[
            Named(1, "Медивера Балкан д.о.о.", ("Медивера Балкан д.о.о.", "Medivera Balkan LLC"), "RS"),
            Named(2, "Srpsko-kinesko poslovno udruženje", ("Srpsko-kinesko poslovno udruženje",
                                                            "Serbian-Chinese Business Association"), "RS"),
            Named(3, "杭州美声医疗科技有限公司", ("杭州美声医疗科技有限公司",), "CN"),
            Named(4, "Град Крагујевац – Канцеларија за ЛЕР", ("Град Крагујевац – Канцеларија за ЛЕР",
                                                             "City of Kragujevac – Local Economic Development Office"), "RS"),
            Named(5, "Nova Trgovina d.o.o.", ("Nova Trgovina d.o.o.",), "RS"),
            Named(6, "Nova Trgovina a.d.", ("Nova Trgovina a.d.",), "BA"),
            Named(7, "成都蓉欧班列物流有限公司", ("成都蓉欧班列物流有限公司", "Chengdu Rong-Ou Rail Logistics Co., Ltd."), "CN"),
            Named(8, "宁波市外事办公室国际合作处", ("宁波市外事办公室国际合作处",
                                             "Ningbo Foreign Affairs Office, International Cooperation Division"), "CN"),
        ],
        people=[Named(10, "王丽", ("王丽", "")), Named(11, "Nagy Zoltán", ("Nagy Zoltán", "")),
                Named(12, "Милица Јовановић", ("Милица Јовановић", "Milica Jovanović"))],
        cities=[Named(20, "Kragujevac", ("Kragujevac", "克拉古耶瓦茨", "Крагујевац", "Kragujevac"), "RS"),
                Named(21, "Yichun", ("Yichun", "伊春"), "CN"), Named(22, "Yichun", ("Yichun", "宜春"), "CN")],
    )


def test_a_latin_name_in_the_article_finds_the_cyrillic_name_in_the_directory(linker):
    assert linker.organisation("Medivera Balkan d.o.o.") == Link(
        "organisation", 1, "Медивера Балкан д.о.о.", 0.95, "transliteration")


def test_a_cyrillic_name_in_the_article_finds_the_latin_name_in_the_directory(linker):
    assert linker.organisation("Српско-кинеско пословно удружење") == Link(
        "organisation", 2, "Srpsko-kinesko poslovno udruženje", 0.95, "transliteration")


def test_the_same_name_in_the_same_script_is_certain(linker):
    assert linker.organisation("Serbian-Chinese Business Association").confidence == 1.0


def test_a_name_without_its_legal_form_still_links(linker):
    assert linker.organisation("Medivera Balkan") == Link(
        "organisation", 1, "Медивера Балкан д.о.о.", 0.9, "name without legal form")


def test_a_bracketed_abbreviation_links_by_initials(linker):
    assert linker.organisation("SCBA") == Link(
        "organisation", 2, "Srpsko-kinesko poslovno udruženje", 0.6, "initials")


def test_an_alias_from_the_article_links_when_the_name_does_not(linker):
    assert linker.organisation("the Association", ["Serbian-Chinese Business Association"]).id == 2


def test_the_part_before_a_dash_names_the_organisation(linker):
    assert linker.organisation("City of Kragujevac") == Link(
        "organisation", 4, "Град Крагујевац – Канцеларија за ЛЕР", 0.75, "main part of the name")


def test_the_office_before_a_comma_names_the_organisation(linker):
    assert linker.organisation("Ningbo Foreign Affairs Office") == Link(
        "organisation", 8, "宁波市外事办公室国际合作处", 0.75, "main part of the name")


def test_a_short_name_quoted_from_a_longer_one_links(linker):
    assert linker.organisation("Rong-Ou Rail") == Link("organisation", 7, "成都蓉欧班列物流有限公司", 0.65, "part of the name")


def test_common_words_inside_a_name_do_not_link(linker):
    assert linker.organisation("Business Association") is None
    assert linker.organisation("Foreign Affairs Office") is None


def test_a_name_two_records_share_links_neither(linker):
    assert linker.organisation("Nova Trgovina") is None


def test_a_country_tells_two_records_of_one_name_apart(linker):
    assert linker.organisation("Nova Trgovina", country="BA").id == 6


def test_a_chinese_name_in_pinyin_links_in_either_order(linker):
    assert linker.person("Wang Li") == Link("person", 10, "王丽", 0.85, "pinyin")
    assert linker.person("Li Wang").id == 10
    assert linker.person("Wáng Lì").id == 10


def test_a_chinese_company_written_in_full_pinyin_links(linker):
    assert linker.organisation("Hangzhou Meisheng Yiliao Keji").id == 3


def test_a_hungarian_name_in_western_order_links(linker):
    assert linker.person("Zoltán Nagy") == Link("person", 11, "Nagy Zoltán", 0.8, "name in the other order")


def test_a_person_written_in_latin_links_to_the_cyrillic_name(linker):
    assert linker.person("Milica Jovanovic").id == 12


def test_cities_resolve_in_any_script_within_their_country(linker):
    assert linker.city("Крагујевац", "RS").id == 20
    assert linker.city("克拉古耶瓦茨").id == 20
    assert linker.city("Kragujevac", "CN") is None


def test_a_city_named_with_city_of_is_the_city(linker):
    assert linker.city("City of Kragujevac").id == 20
    assert linker.city("Град Крагујевац").id == 20


def test_a_city_name_two_cities_share_is_left_to_a_person(linker):
    assert linker.city("Yichun", "CN") is None
    assert linker.city("宜春").id == 22


def test_legal_forms_are_stripped_in_any_script():
    assert strip_legal_form("Медивера Балкан д.о.о.") == "medivera balkan"
    assert strip_legal_form("Hangzhou Meisheng Medical Technology Co., Ltd.") == "hangzhou meisheng medical technology"
    assert strip_legal_form("杭州美声医疗科技有限公司") == "杭州美声医疗科技"
    assert strip_legal_form("UAB Lazerių šviesa") == "lazeriu sviesa"


def test_pinyin_display_gives_both_orders():
    assert pinyin_display("许志明") == ["Xu Zhiming", "Zhiming Xu"]


def test_the_gazetteer_holds_the_forms_an_article_prints(linker):
    entries = {(e.name, e.id) for e in linker.gazetteer().entries}
    assert ("Medivera Balkan d.o.o.", "org:1") in entries
    assert ("Medivera Balkan", "org:1") in entries
    assert ("Wang Li", "person:10") in entries
    assert ("Milica Jovanović", "person:12") in entries
    assert ("City of Kragujevac", "org:4") in entries
