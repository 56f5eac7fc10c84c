"""The demo news: three fictional articles about the demo forum, linked to the demo organisations."""
from __future__ import annotations

import pytest

from silkbridge.news.demo import load_demo_news
from silkbridge.news.models import Article, Candidate
from silkbridge.outcomes.models import Agreement, CityRelation, Investment, Visit

pytestmark = pytest.mark.django_db


def test_the_demo_articles_are_ingested_once_and_link_to_demo_organisations(reference):
    from silkbridge.demo import load_directory

    said: list[str] = []
    load_directory(said.append)
    assert load_demo_news(said.append) == 3
    assert load_demo_news(said.append) == 0
    assert said[-1] == "reading demo news articles…"
    assert sorted(Article.objects.values_list("title", flat=True)) == [
        "Dunav Logistik Centar and Rong-Ou Rail sign rail freight agreement",
        "Guangyao to build inverter plant near Belgrade",
        "Kragujevac delegation visits Ningbo",
    ]
    linked = {c.payload["name"]: (c.linked and getattr(c.linked, "external_id", None) or str(c.linked))
              for c in Candidate.objects.filter(kind__in=Candidate.ENTITY_KINDS)}
    assert linked["Dunav Logistik Centar"] == "rs-bg-dunav-logistika"
    assert linked["Chengdu Rong-Ou Rail Logistics Co., Ltd"] == "cn-sc-rongou-rail"
    assert linked["Avalski solarni sistemi d.o.o"] == "rs-bg-avalski-solarni"
    assert linked["Milica Jovanović"] == "Милица Јовановић"
    assert linked["Kragujevac"] == "Kragujevac"
    partnership = Candidate.objects.get(kind=Candidate.Kind.SISTER_CITY)
    assert (partnership.payload["cities"], partnership.payload["date"], partnership.label) == (
        ["Kragujevac", "Ningbo"], "2025-10-30", "Kragujevac – Ningbo")
    assert [m.objects.count() for m in (Agreement, Investment, CityRelation, Visit)] == [0, 0, 0, 0]
