"""`news ingest`: text, HTML, RSS and Atom files become articles with candidates, once, and nothing more."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from silkbridge.cli import main
from silkbridge.news import services
from silkbridge.news.models import Article, Candidate
from silkbridge.outcomes.models import Agreement, CityRelation, Investment, Visit

pytestmark = pytest.mark.django_db

PAGE = """<!doctype html><html><head><title>Meisheng opens Belgrade office</title>
<meta property="article:published_time" content="2025-09-01"></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/about">About us</a></li></ul></nav>
<article><h1>Meisheng opens Belgrade office</h1>
<p>Hangzhou Meisheng Medical Technology Co., Ltd. opened an office in Belgrade on 1 September 2025 to serve hospitals in Serbia and Montenegro.</p>
<p>The office will employ twelve engineers who train doctors to use portable ultrasound systems.</p></article>
<footer><p>Subscribe to our newsletter</p><p>Copyright 2025 Example News</p></footer></body></html>"""

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Trade news</title>
<item><title>Tianhui plans plant</title><link>https://news.example/tianhui</link>
<pubDate>Mon, 02 Jun 2025 08:00:00 +0000</pubDate>
<description>&lt;p&gt;Wuxi Tianhui Photovoltaic Technology will invest USD 40 million in a solar panel plant in Zrenjanin, Serbia.&lt;/p&gt;</description></item>
<item><title>Medivera grows</title><link>https://news.example/medivera#top</link>
<pubDate>Tue, 03 Jun 2025 08:00:00 +0000</pubDate>
<content:encoded><![CDATA[<p>Medivera Balkan d.o.o. hired twenty service engineers in Novi Sad.</p>]]></content:encoded></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Forum</title>
<entry><title>Forum opens</title><link rel="alternate" href="https://forum.example/opens"/>
<published>2025-10-13T09:00:00Z</published>
<summary>The China-CEEC SME Cooperation Forum opened in Belgrade with 140 companies.</summary></entry></feed>"""


def _candidates(article):
    return {(c.kind, c.payload["name"]): c for c in article.candidates.all() if not c.is_fact}


def test_a_text_file_becomes_one_article_with_linked_candidates(directory, article_file):
    report = services.ingest_path(article_file)
    assert (report.new, report.duplicates, report.errors) == (1, 0, [])
    article = Article.objects.get()
    assert (article.title, article.published, article.language, article.url) == (
        "Medivera Balkan and Meisheng sign ultrasound deal", dt.date(2025, 6, 3), "en", "")
    assert article.text_hash == services.text_hash(article_file.read_text(encoding="utf-8"))
    assert report.candidates == article.candidates.count()
    names = _candidates(article)
    medivera = names[("organisation", "Medivera Balkan d.o.o")]
    assert (medivera.organisation, medivera.confidence, medivera.payload["link"]["how"]) == (
        directory["medivera"], 0.95, "transliteration")
    assert article.text[medivera.start:medivera.end] == "Medivera Balkan d.o.o"
    wang = names[("person", "Wang Li")]
    assert (wang.person.name, wang.confidence, wang.payload["link"]["how"]) == ("王丽", 0.85, "pinyin")
    assert names[("city", "Ningbo")].city.name_en == "Ningbo"
    assert {c.status for c in article.candidates.all()} == {Candidate.Status.PROPOSED}


def test_facts_carry_the_names_amount_and_date_of_their_sentence(directory, article_file):
    services.ingest_path(article_file)
    investment = Candidate.objects.get(kind=Candidate.Kind.INVESTMENT)
    assert investment.sentence == ("Wuxi Tianhui Photovoltaic Technology will invest USD 40 million in a solar "
                                   "panel plant in Zrenjanin, Serbia.")
    assert investment.article.text[investment.start:investment.end] == investment.sentence
    p = investment.payload
    assert (p["organisations"], p["amount"], p["currency"], p["city"], p["country"]) == (
        ["Wuxi Tianhui Photovoltaic Technology"], "40000000", "USD", "Zrenjanin", "RS")
    partnership = Candidate.objects.get(kind=Candidate.Kind.SISTER_CITY)
    assert (partnership.payload["cities"], partnership.payload["date"]) == (["Kragujevac", "Ningbo"], "2025")


def test_ingesting_creates_no_outcome_records_and_no_directory_entries(directory, article_file):
    from silkbridge.directory.models import City, Organisation, Person

    before = (Organisation.objects.count(), City.objects.count(), Person.objects.count())
    report = services.ingest_path(article_file)
    assert report.candidates > 0
    assert [m.objects.count() for m in (Agreement, Investment, CityRelation, Visit)] == [0, 0, 0, 0]
    assert (Organisation.objects.count(), City.objects.count(), Person.objects.count()) == before


def test_an_html_page_is_stored_without_its_menus_and_footer(directory, tmp_path):
    page = tmp_path / "office.html"
    page.write_text(PAGE, encoding="utf-8")
    assert services.ingest_path(page).new == 1
    article = Article.objects.get()
    assert article.title == "Meisheng opens Belgrade office"
    assert article.published == dt.date(2025, 9, 1)
    assert "opened an office in Belgrade on 1 September 2025" in article.text
    assert ("Subscribe" in article.text, "About us" in article.text, "Copyright" in article.text) == (False, False, False)
    assert article.raw_html == PAGE
    meisheng = _candidates(article)[("organisation", "Hangzhou Meisheng Medical Technology Co., Ltd")]
    assert meisheng.organisation == directory["meisheng"]


def test_each_item_of_an_rss_feed_is_an_article(directory, tmp_path):
    feed = tmp_path / "trade.xml"
    feed.write_text(RSS, encoding="utf-8")
    report = services.ingest_path(feed)
    assert (report.new, report.duplicates) == (2, 0)
    stored = [(a.title, a.url, a.published, a.text) for a in Article.objects.order_by("published")]
    assert stored == [
        ("Tianhui plans plant", "https://news.example/tianhui", dt.date(2025, 6, 2),
         "Wuxi Tianhui Photovoltaic Technology will invest USD 40 million in a solar panel plant in Zrenjanin, Serbia."),
        ("Medivera grows", "https://news.example/medivera", dt.date(2025, 6, 3),
         "Medivera Balkan d.o.o. hired twenty service engineers in Novi Sad."),
    ]
    assert Candidate.objects.filter(kind=Candidate.Kind.INVESTMENT).count() == 1


def test_an_atom_feed_is_read_too(reference, tmp_path):
    feed = tmp_path / "forum.atom"
    feed.write_text(ATOM, encoding="utf-8")
    assert services.ingest_path(feed).new == 1
    article = Article.objects.get()
    assert (article.title, article.url, article.published) == ("Forum opens", "https://forum.example/opens",
                                                              dt.date(2025, 10, 13))


def test_the_same_url_is_stored_once(directory, tmp_path):
    feed = tmp_path / "trade.xml"
    feed.write_text(RSS, encoding="utf-8")
    services.ingest_path(feed)
    again = tmp_path / "again.xml"
    again.write_text(RSS.replace("hired twenty", "has hired twenty"), encoding="utf-8")
    report = services.ingest_path(again)
    assert (report.new, report.duplicates) == (0, 2)
    assert Article.objects.count() == 2


def test_the_same_text_differently_spaced_and_cased_is_stored_once(directory, article_file, tmp_path):
    services.ingest_path(article_file)
    copy = tmp_path / "copy.txt"
    copy.write_text("  " + article_file.read_text(encoding="utf-8").upper().replace(" ", "  \n"), encoding="utf-8")
    report = services.ingest_path(copy)
    assert (report.new, report.duplicates, report.articles[0]["id"]) == (0, 1, Article.objects.get().pk)


def test_a_folder_is_read_file_by_file_and_bad_files_are_reported(directory, article_file, tmp_path):
    (tmp_path / "broken.xml").write_text("<rss><channel><item>", encoding="utf-8")
    (tmp_path / "notes.bin").write_bytes(b"\x00\x01")
    report = services.ingest_path(tmp_path)
    assert (report.new, len(report.errors)) == (1, 1)
    assert report.errors[0].startswith(f"{tmp_path / 'broken.xml'}: not well-formed XML")


def test_the_command_prints_a_summary_and_json(directory, article_file, capsys):
    assert main(["news", "ingest", str(article_file)]) == 0
    count = Candidate.objects.count()
    assert capsys.readouterr().out == f"1 new article(s), 0 duplicate(s), {count} candidate(s) to review\n"
    assert main(["news", "ingest", str(article_file), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["new"], out["duplicates"], out["candidates"], out["articles"][0]["status"]) == (0, 1, 0, "duplicate")


def test_the_command_refuses_a_missing_path(reference, tmp_path, capsys):
    assert main(["news", "ingest", str(tmp_path / "nope")]) == 2
    assert capsys.readouterr().err == f"silkbridge news: error: no such file or folder: {tmp_path / 'nope'}\n"
