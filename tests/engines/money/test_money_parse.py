"""Amounts of money read from English, Chinese and Central & Eastern European text."""
from decimal import Decimal

import pytest

from silkbridge.engines.money import Money, MoneyParseError, ParsedAmount, parse_amount, parse_amounts

D = Decimal

PHRASES = [
    # English
    ("$50bn", D("50000000000"), "USD"),
    ("1684.58 billion yuan", D("1684580000000"), "CNY"),
    ("RMB 204.9 million", D("204900000"), "CNY"),
    ("EUR 134.4 million", D("134400000"), "EUR"),
    ("US$ 1.2 billion", D("1200000000"), "USD"),
    ("$1,290", D("1290"), "USD"),
    ("€30m", D("30000000"), "EUR"),
    ("USD 5 million", D("5000000"), "USD"),
    ("5 million US dollars", D("5000000"), "USD"),
    ("HUF 2 billion", D("2000000000"), "HUF"),
    ("CNY 10 billion", D("10000000000"), "CNY"),
    ("£3.5bn", D("3500000000"), "GBP"),
    ("10 billion yen", D("10000000000"), "JPY"),
    ("US$1,290.50", D("1290.50"), "USD"),
    ("EUR 1.234,5 million", D("1234500000"), "EUR"),
    ("$5k", D("5000"), "USD"),
    ("2.4 million pounds", D("2400000"), "GBP"),
    ("300 million Czech koruna", D("300000000"), "CZK"),
    # Chinese
    ("1.5亿欧元", D("150000000"), "EUR"),
    ("3000万元人民币", D("30000000"), "CNY"),
    ("2亿美元", D("200000000"), "USD"),
    ("人民币1684.58亿元", D("168458000000"), "CNY"),
    ("500元", D("500"), "CNY"),
    ("12万亿元", D("12000000000000"), "CNY"),
    ("800万英镑", D("8000000"), "GBP"),
    # Serbian, Croatian, Bosnian, Macedonian
    ("150 miliona evra", D("150000000"), "EUR"),
    ("150 милиона евра", D("150000000"), "EUR"),
    ("1 milijarda evra", D("1000000000"), "EUR"),
    ("1.234.567 dinara", D("1234567"), "RSD"),
    ("5 млн динара", D("5000000"), "RSD"),
    ("2,5 milijardi dinara", D("2500000000"), "RSD"),
    ("20 miliona KM", D("20000000"), "BAM"),
    ("200 BAM", D("200"), "BAM"),
    ("5000 ALL", D("5000"), "ALL"),
    ("3 miliona denari", D("3000000"), "MKD"),
    ("40 милиони денари", D("40000000"), "MKD"),
    ("7,5 milijuna eura", D("7500000"), "EUR"),
    # Polish
    ("3,2 mld zł", D("3200000000"), "PLN"),
    ("500 tys. zł", D("500000"), "PLN"),
    ("10 mln euro", D("10000000"), "EUR"),
    ("1 234 567 zł", D("1234567"), "PLN"),
    ("2 mld dolarów", D("2000000000"), "USD"),
    # Czech, Hungarian, Romanian, Bulgarian
    ("20 milionů Kč", D("20000000"), "CZK"),
    ("2,5 milliárd forint", D("2500000000"), "HUF"),
    ("100 millió forint", D("100000000"), "HUF"),
    ("350 Ft", D("350"), "HUF"),
    ("1,5 miliarde dolari", D("1500000000"), "USD"),
    ("400 lei", D("400"), "RON"),
    ("3 млрд. лева", D("3000000000"), "BGN"),
    ("2 mln leva", D("2000000"), "BGN"),
    ("1,2 млрд. евро", D("1200000000"), "EUR"),
]


@pytest.mark.parametrize(("phrase", "amount", "currency"), PHRASES, ids=[p[0] for p in PHRASES])
def test_phrase_parses_to_its_amount_and_currency(phrase, amount, currency):
    assert parse_amount(phrase) == Money(amount, currency)


def test_the_table_covers_at_least_forty_phrases():
    assert len({p[0] for p in PHRASES}) >= 40


def test_amounts_in_running_english_text_carry_their_offsets():
    text = "The plant cost €1.2bn in 2024, and the city added $1,290 per worker."
    assert parse_amounts(text) == [
        ParsedAmount(Money(D("1200000000"), "EUR"), 15, 21, "€1.2bn"),
        ParsedAmount(Money(D("1290"), "USD"), 50, 56, "$1,290"),
    ]


def test_amounts_in_running_chinese_text_carry_their_offsets():
    text = "2024年投资5000万美元，约合人民币3.6亿元。"
    assert parse_amounts(text) == [
        ParsedAmount(Money(D("50000000"), "USD"), 7, 14, "5000万美元"),
        ParsedAmount(Money(D("360000000"), "CNY"), 17, 25, "人民币3.6亿元"),
    ]


def test_amounts_in_running_serbian_text_carry_their_offsets():
    text = "Grad je uložio 1.234.567 dinara i 20 miliona KM u 2024."
    assert parse_amounts(text) == [
        ParsedAmount(Money(D("1234567"), "RSD"), 15, 31, "1.234.567 dinara"),
        ParsedAmount(Money(D("20000000"), "BAM"), 34, 47, "20 miliona KM"),
    ]


def test_offsets_slice_the_input_to_the_matched_text():
    text = "Umowa na 3,2 mld zł oraz 500 tys. zł dotacji."
    found = parse_amounts(text)
    assert [text[p.start:p.end] for p in found] == ["3,2 mld zł", "500 tys. zł"]
    assert [p.text for p in found] == ["3,2 mld zł", "500 tys. zł"]


def test_a_year_before_a_currency_code_is_not_taken_as_the_amount():
    assert parse_amounts("in 2024 EUR 5 million") == [
        ParsedAmount(Money(D("5000000"), "EUR"), 8, 21, "EUR 5 million"),
    ]


@pytest.mark.parametrize("text", [
    "In 2024 the city had 150 firms",
    "2024年，共有3000家企业",
    "a 30m tower, 15 km away, 10 ft tall",
    "1.234.567 stanovnika",
    "",
])
def test_numbers_without_a_currency_are_not_amounts(text):
    assert parse_amounts(text) == []


def test_a_decimal_comma_follows_the_language_of_the_currency():
    assert parse_amount("1,290 zł") == Money(D("1.290"), "PLN")
    assert parse_amount("$1,290") == Money(D("1290"), "USD")
    assert parse_amount("1.290 dinara") == Money(D("1290"), "RSD")
    assert parse_amount("$1.290") == Money(D("1.290"), "USD")


def test_parse_amount_names_the_text_it_could_not_read():
    with pytest.raises(MoneyParseError, match="'in 2024'"):
        parse_amount("in 2024")


def test_parse_amount_rejects_a_phrase_holding_two_amounts():
    with pytest.raises(MoneyParseError, match=r"\$5 and two €3"):
        parse_amount("$5 and two €3")


def test_the_fullest_currency_name_is_taken():
    assert parse_amounts("20 milionů korun českých.") == [
        ParsedAmount(Money(D("20000000"), "CZK"), 0, 24, "20 milionů korun českých"),
    ]


@pytest.mark.parametrize("text", [
    "Yuan Ming met Lei Jun in 2019",
    "In 2019 Lei Jun said",
    "the road is 300 km long",
    "ALL 25 MEMBERS VOTED",
    "TRY 3 TIMES",
])
def test_names_and_units_that_look_like_currencies_are_not_amounts(text):
    assert parse_amounts(text) == []


def test_a_long_text_is_scanned_in_one_pass():
    sentence = "Novi Sad signed 12 agreements worth 150 miliona evra in 2024 and $1,290 per head. "
    found = parse_amounts(sentence * 200)
    assert len(found) == 400
    start = len(sentence) * 199 + sentence.index("$1,290")
    assert found[-1] == ParsedAmount(Money(D("1290"), "USD"), start, start + 6, "$1,290")


@pytest.mark.parametrize(("phrase", "amount", "currency"), [
    ("两亿美元", D("200000000"), "USD"),
    ("人民币三千万元", D("30000000"), "CNY"),
    ("三亿五千万元", D("350000000"), "CNY"),
    ("十五万欧元", D("150000"), "EUR"),
    ("一百二十亿元人民币", D("12000000000"), "CNY"),
])
def test_chinese_numerals_are_read_as_amounts(phrase, amount, currency):
    assert parse_amount(phrase) == Money(amount, currency)


@pytest.mark.parametrize("text", ["一元二次方程", "万元户", "千万不要迟到", "统一元素"])
def test_chinese_words_built_from_numerals_and_yuan_are_not_amounts(text):
    assert parse_amounts(text) == []


def test_mixed_arabic_and_chinese_numerals_yield_one_amount():
    assert parse_amounts("投资5千万美元") == [
        ParsedAmount(Money(D("50000000"), "USD"), 2, 7, "5千万美元"),
    ]
