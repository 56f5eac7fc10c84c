"""Dates found in several languages and normalised against the publication date (no spaCy needed)."""
from __future__ import annotations

import datetime as dt

from silkbridge.engines.extraction.dates import find_dates, speaks_of_future

NOV_29 = dt.date(2024, 11, 29)


def values(text, published=NOV_29, language="en"):
    return [f.value for f in find_dates(text, published=published, language=language,
                                        is_future=lambda a, b: speaks_of_future(text))]


def test_day_and_month_without_year_take_the_publication_year_when_past():
    assert values("The chamber announced on November 28 that talks had ended.") == ["2024-11-28"]


def test_month_spoken_of_in_the_future_is_the_next_such_month():
    assert values("A delegation is scheduled to visit Chengdu in late February.") == ["2025-02"]


def test_month_spoken_of_in_the_past_is_the_last_such_month():
    assert values("The agreement came into effect in July.") == ["2024-07"]
    assert values("The fair was held in December.") == ["2023-12"]


def test_full_dates_in_english_serbian_polish_and_chinese():
    assert values("Dec. 22, 2023") == ["2023-12-22"]
    assert values("Beograd, 12. septembra 2024.", language="sr") == ["2024-09-12"]
    assert values("Сајам се одржава 3. октобра 2024. године", language="sr") == ["2024-10-03"]
    assert values("Warszawa, 28 listopada 2024 r.", language="pl") == ["2024-11-28"]
    assert values("2023年5月16日，博览会开幕") == ["2023-05-16"]


def test_croatian_listopad_is_october_but_polish_listopad_is_november():
    assert values("Zagreb, 5. listopada 2024.", language="hr") == ["2024-10-05"]
    assert values("Kraków, 5 listopada 2024", language="pl") == ["2024-11-05"]


def test_weekday_resolves_against_publication():
    # 29 November 2024 is a Friday
    assert values("The minister said on Tuesday that the deal was done.") == ["2024-11-26"]


def test_lowercase_may_is_not_a_month():
    assert values("Companies may apply until the end of the year.") == []


def test_relative_years():
    assert values("Exports grew last year and will grow next year.") == ["2023", "2025"]
    assert values("去年双边贸易增长", language="zh") == ["2023"]
