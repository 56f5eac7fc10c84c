"""Chinese and Serbian text: places from the built-in gazetteer, people and bodies from title and head-noun rules."""
from __future__ import annotations

import datetime as dt

DAY = dt.date(2024, 9, 12)


def test_chinese_people_come_with_titles_and_places_with_countries(read):
    r = read("2024年9月10日，匈牙利外交部长西雅尔多在北京会见了商务部副部长王强。双方签署了合作备忘录。", DAY)
    assert r.language == "zh"
    assert [(p.name, p.title, p.affiliation) for p in r.people] == [("西雅尔多", "部长", "匈牙利外交部"), ("王强", "副部长", "商务部")]
    assert [o.name for o in r.organizations] == ["匈牙利外交部", "商务部"]
    # a country named inside an organisation's name is part of that name, as in English text
    assert [(p.name, p.country) for p in r.places] == [("Beijing", "CN")]
    assert [(e.type, e.date) for e in r.events] == [("meeting", "2024-09-10"), ("mou", "2024-09")]


def test_serbian_latin_places_match_in_any_case_ending(read):
    r = read("Ministar finansija Siniša Mali potpisao je u Beogradu ugovor sa kineskom kompanijom o izgradnji fabrike u Zrenjaninu.", DAY)
    assert [(p.name, p.country) for p in r.places] == [("Belgrade", "RS"), ("Zrenjanin", "RS")]
    assert [(p.name, p.title) for p in r.people] == [("Siniša Mali", "Ministar finansija")]


def test_serbian_cyrillic_body_and_mou(read):
    r = read("Привредна комора Србије и град Ченгду потписали су 5. марта 2024. меморандум о сарадњи.", DAY)
    assert [o.name for o in r.organizations] == ["Привредна комора Србије"]
    assert [(p.name, p.country) for p in r.places] == [("Chengdu", "CN")]
    assert [(e.type, e.date) for e in r.events] == [("mou", "2024-03-05")]
