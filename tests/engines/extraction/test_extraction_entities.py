"""Organisations, people and places read from English news text."""
from __future__ import annotations

import datetime as dt

from silkbridge.engines.extraction import Gazetteer, GazetteerEntry

DAY = dt.date(2024, 5, 10)


def orgs(result):
    return {o.name: o.aliases for o in result.organizations}


def test_bracketed_abbreviation_becomes_an_alias_and_later_mentions_join_it(read):
    r = read("The Croatian Chamber of Economy (HGK) hosted the meeting in Zagreb. HGK said exports grew.", DAY)
    assert orgs(r) == {"Croatian Chamber of Economy": ("HGK",)}
    assert len(r.organizations[0].spans) == 3


def test_span_points_at_the_name_in_the_text(read):
    r = read("The Croatian Chamber of Economy (HGK) hosted the meeting in Zagreb.", DAY)
    span = r.organizations[0].spans[0]
    assert r.text[span.start:span.end] == "Croatian Chamber of Economy"


def test_person_with_title_and_affiliation_after_the_name(read):
    r = read("Ana Kovac, director of the Croatian Chamber of Economy (HGK), opened the forum in Zagreb.", DAY)
    assert [(p.name, p.title, p.affiliation) for p in r.people] == [("Ana Kovac", "director", "Croatian Chamber of Economy")]


def test_person_with_title_and_affiliation_before_the_name(read):
    r = read("The Deputy Governor of the Central Bank of Hungary, Laszlo Nagy, said that rates would stay unchanged.", DAY)
    assert [(p.name, p.title, p.affiliation) for p in r.people] == [("Laszlo Nagy", "Deputy Governor", "Central Bank of Hungary")]


def test_nationality_before_a_title_gives_the_affiliation_country(read):
    r = read("Slovak Prime Minister Robert Fico attended the opening in Bratislava.", DAY)
    assert [(p.name, p.title, p.affiliation) for p in r.people] == [("Robert Fico", "Prime Minister", "Slovakia")]


def test_surname_alone_is_the_same_person(read):
    r = read("Marta Nowak, president of the Lodz Business Club, met investors. Nowak said talks went well.", DAY)
    assert [p.name for p in r.people] == ["Marta Nowak"]
    assert len(r.people[0].spans) == 2


def test_places_carry_iso_country_codes(read):
    r = read("The delegation travelled from Warsaw to Chengdu, Sichuan province, and then to the Western Balkans.", DAY)
    assert {(p.name, p.country) for p in r.places} == {
        ("Warsaw", "PL"), ("Chengdu", "CN"), ("Sichuan", "CN"), ("Western Balkans", None)}


def test_unknown_place_takes_the_country_of_its_neighbour(read):
    r = read("The plant will be built in Xinzheng, Henan province.", DAY)
    assert {(p.name, p.country) for p in r.places} == {("Xinzheng", "CN"), ("Henan", "CN")}


def test_minister_of_a_portfolio_names_the_ministry(read):
    r = read("Serbia's Minister of Finance Sinisa Mali signed the document in Belgrade.", DAY)
    assert orgs(r) == {"Ministry of Finance": ()}
    assert [(p.name, p.title, p.affiliation) for p in r.people] == [("Sinisa Mali", "Minister", "Ministry of Finance")]


def test_caller_gazetteer_finds_names_in_any_script(read):
    gaz = Gazetteer((GazetteerEntry("塞尔维亚商会", "organization", id="org-7", country="RS", canonical="Serbian Chamber"),
                     GazetteerEntry("王伟", "person", id="p-3")))
    r = read("2024年5月8日，王伟在北京会见了塞尔维亚商会代表团。", DAY)
    r = __import__("silkbridge.engines.extraction", fromlist=["extract"]).extract(
        __import__("silkbridge.engines.extraction", fromlist=["Article"]).Article(text=r.text, published=DAY), gazetteer=gaz)
    assert [(o.name, o.id) for o in r.organizations] == [("Serbian Chamber", "org-7")]
    assert [(p.name, p.id) for p in r.people] == [("王伟", "p-3")]
    assert [(p.name, p.country) for p in r.places] == [("Beijing", "CN")]
