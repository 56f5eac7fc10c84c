"""Counts, events, boilerplate and HTML input."""
from __future__ import annotations

import datetime as dt

DAY = dt.date(2024, 3, 14)


def events(result):
    return [(e.type, e.date) for e in result.events]


def test_counts_read_the_number_and_what_is_counted(read):
    r = read("At the forum, 31 cooperation agreements were signed and nearly 400 participants attended.", DAY)
    assert [(c.value, c.what) for c in r.counts] == [(31, "cooperation agreements"), (400, "participants")]


def test_amounts_and_years_are_not_counts(read):
    r = read("In 2023 the company invested 20 million euros in 3 new plants.", DAY)
    assert [(c.value, c.what) for c in r.counts] == [(3, "new plants")]


def test_signed_loan_agreement_is_an_agreement_not_an_investment(read):
    r = read("Serbia and the Export-Import Bank of China signed a loan agreement worth 480 million US dollars on Tuesday.", DAY)
    assert events(r) == [("agreement", "2024-03-12")]


def test_investment_agreement_is_both_an_investment_and_an_agreement(read):
    r = read("The company signed an investment agreement worth 350 million euros with the government on Friday.", DAY)
    assert sorted(events(r)) == [("agreement", "2024-03-08"), ("investment", "2024-03-08")]


def test_investment_as_a_topic_is_no_event(read):
    r = read("Hong Kong remains an important trade and investment partner of the province.", DAY)
    assert events(r) == []


def test_event_types_from_their_wording(read):
    text = ("The city signed a memorandum of understanding with Ningbo on Monday. "
            "The two cities also established sister city relations. "
            "A business forum will take place in Chengdu in May. "
            "Serbian firms will present their products at an exhibition in Shanghai in November.")
    r = read(text, DAY)
    assert events(r) == [("mou", "2024-03-11"), ("sister_city", "2024-03"), ("forum", "2024-05"), ("exhibition", "2024-11")]


def test_free_trade_agreement_is_a_trade_agreement_dated_by_its_month(read):
    r = read("The free trade agreement between the two countries came into effect in July.", dt.date(2024, 11, 29))
    assert events(r) == [("trade_agreement", "2024-07")]


def test_later_mention_of_the_same_meeting_is_one_event(read):
    r = read("The minister met the governor of Sichuan in Chengdu on Monday. The meeting focused on rail freight.", DAY)
    assert events(r) == [("meeting", "2024-03-11")]
    assert r.events[0].place == "Chengdu"


def test_scraped_leftovers_are_never_entities(read):
    text = ("omniture\n\nHome > News > Business\n\nThe Croatian Chamber of Economy (HGK) opened an office in Shanghai.\n\n"
            "Recent Updates\n\nDismiss\n\ncollection\n\nShare\n")
    r = read(text, DAY)
    names = [o.name for o in r.organizations] + [p.name for p in r.people] + [p.name for p in r.places]
    assert names == ["Croatian Chamber of Economy", "Shanghai"]
    assert r.title == "The Croatian Chamber of Economy (HGK) opened an office in Shanghai."


def test_header_gives_title_date_and_url(read):
    text = ("Ningbo port signs deal with Rijeka\n/ example-news.hr\nBy Ivana Horvat in Zagreb June 8, 2023\n\n"
            "The port of Ningbo signed an agreement with the Port of Rijeka on Thursday.\n")
    r = read(text)
    assert (r.title, r.published) == ("Ningbo port signs deal with Rijeka", dt.date(2023, 6, 8))
    assert [p.name for p in r.people] == ["Ivana Horvat"]


def test_html_input_is_stripped_of_navigation(read):
    html = ("<html><head><title>Czech firms sign contracts in Chengdu</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/login'>Log in</a></nav>"
            "<article><h1>Czech firms sign contracts in Chengdu</h1>"
            "<p>Czech companies signed four contracts worth 95 million euros in Chengdu on Friday, the Confederation "
            "of Industry of the Czech Republic said. The contracts cover tram supplies and food processing.</p>"
            "<p>Jan Rafaj, president of the Confederation of Industry of the Czech Republic, said more deals would follow "
            "at an exhibition in Prague in April.</p></article>"
            "<footer><p>Subscribe to our newsletter</p><p>Cookie settings</p></footer></body></html>")
    r = read(html, DAY)
    assert r.title == "Czech firms sign contracts in Chengdu"
    assert "Log in" not in r.text and "<p>" not in r.text
    assert [o.name for o in r.organizations] == ["Confederation of Industry of the Czech Republic"]
    assert [(p.name, p.title) for p in r.people] == [("Jan Rafaj", "president")]
    assert [(a.value, a.currency) for a in r.amounts] == [(95_000_000, "EUR")]
