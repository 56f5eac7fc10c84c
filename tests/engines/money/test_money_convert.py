"""Conversions at published ECB and NBP rates, and the errors when no rate exists."""
from datetime import date
from decimal import Decimal

import pytest

from silkbridge.engines.money import (
    Conversion,
    Money,
    RateUnavailable,
    UnknownCurrency,
    convert,
)

D = Decimal


@pytest.mark.parametrize(("day", "currency", "published"), [
    # The euro's first reference rates, and the dollar's record high and low against it.
    (date(1999, 1, 4), "USD", D("1.1789")),
    (date(1999, 1, 4), "JPY", D("133.73")),
    (date(2008, 7, 15), "USD", D("1.5990")),
    (date(2000, 10, 26), "USD", D("0.8252")),
])
def test_euro_converts_at_the_ecb_reference_rate_published_that_day(day, currency, published):
    conversion = convert(Money(D("100"), "EUR"), currency, day)
    assert conversion == Conversion(
        source=Money(D("100"), "EUR"),
        result=Money(D("100") * published, currency),
        rate=published,
        rate_date=day,
        source_name=f"ECB {day.isoformat()}",
    )


def test_a_holiday_uses_the_previous_business_day_and_reports_that_date():
    # Good Friday and Easter Monday 2019: no ECB fixing, Thursday's rate applies.
    conversion = convert(Money(D("1"), "EUR"), "USD", date(2019, 4, 22))
    assert (conversion.rate, conversion.rate_date, conversion.source_name) == (
        D("1.125"), date(2019, 4, 18), "ECB 2019-04-18")


def test_cross_rates_between_two_ecb_currencies_go_through_the_euro():
    conversion = convert(Money(D("1000"), "USD"), "CNY", date(2021, 3, 4))
    assert conversion.rate == D("7.7846") / D("1.2034")
    assert conversion.rate_date == date(2021, 3, 4)
    assert conversion.result == Money(D("1000") * (D("7.7846") / D("1.2034")), "CNY")


def test_converting_back_to_the_euro_divides_by_the_published_rate():
    conversion = convert(Money(D("117.89"), "USD"), "EUR", date(1999, 1, 4))
    assert conversion.result.amount.quantize(D("0.0001")) == D("100.0000")


def test_serbian_dinar_goes_through_the_nbp_table_b_of_that_week():
    conversion = convert(Money(D("100"), "EUR"), "RSD", date(2021, 3, 4))
    # NBP 2021-03-03: table A EUR 4.5393 PLN, table B RSD 0.0386 PLN.
    assert conversion.rate == D("4.5393") / D("0.0386")
    assert conversion.rate_date == date(2021, 3, 3)
    assert conversion.source_name == "NBP tables A, B 2021-03-03"


def test_serbian_dinar_rate_agrees_with_the_national_bank_of_serbia():
    # The NBS middle rate stayed between 117.5 and 117.7 dinars per euro in 2021;
    # NBP's three-digit quote of the dinar limits agreement to about 0.2 %.
    rate = convert(Money(D("1"), "EUR"), "RSD", date(2021, 3, 4)).rate
    assert D("117.3") < rate < D("117.9")


def test_dinar_to_zloty_is_the_nbp_quote_itself():
    conversion = convert(Money(D("1000"), "RSD"), "PLN", date(2021, 3, 4))
    assert (conversion.rate, conversion.rate_date, conversion.source_name) == (
        D("0.0386"), date(2021, 3, 3), "NBP table B 2021-03-03")
    assert conversion.result == Money(D("38.6000"), "PLN")


def test_nbp_and_ecb_agree_on_the_zloty():
    ecb = convert(Money(D("1"), "EUR"), "PLN", date(2021, 3, 4))
    assert ecb.rate == D("4.5529")
    from silkbridge.engines.money import rates

    nbp, day = rates.nbp_quote("EUR", date(2021, 3, 4))
    assert day == date(2021, 3, 4)
    assert abs(nbp - ecb.rate) / ecb.rate < D("0.005")


def test_convertible_mark_uses_its_legal_peg_to_the_euro():
    conversion = convert(Money(D("195583"), "BAM"), "EUR", date(2021, 3, 4))
    assert conversion.result == Money(D("100000"), "EUR")
    assert conversion.rate == D(1) / D("1.95583")
    assert conversion.source_name.startswith("fixed rate 1.95583 BAM/EUR")


def test_convertible_mark_to_dollar_chains_peg_and_ecb():
    conversion = convert(Money(D("1.95583"), "BAM"), "USD", date(2021, 3, 4))
    assert conversion.rate == D("1.2034") / D("1.95583")
    assert conversion.rate_date == date(2021, 3, 4)
    assert conversion.source_name.startswith("fixed rate 1.95583 BAM/EUR")
    assert conversion.source_name.endswith("ECB 2021-03-04")


def test_same_currency_converts_at_exactly_one():
    conversion = convert(Money(D("12.34"), "RSD"), "RSD", date(2021, 3, 4))
    assert (conversion.result, conversion.rate, conversion.source_name) == (
        Money(D("12.34"), "RSD"), D(1), "identity")


def test_without_a_date_the_latest_bundled_rate_is_used():
    from silkbridge.engines.money import rates

    latest = rates.ecb_table().dates[-1]
    conversion = convert(Money(D("1"), "EUR"), "USD")
    assert conversion.rate_date == latest
    assert conversion.rate == rates.ecb_table().rates["USD"][latest]


def test_an_unknown_currency_is_named_in_the_error():
    with pytest.raises(UnknownCurrency, match="'XYZ'"):
        convert(Money(D("1"), "EUR"), "XYZ", date(2021, 3, 4))


def test_an_unknown_source_currency_is_named_in_the_error():
    with pytest.raises(UnknownCurrency, match="'QQQ'"):
        convert(Money(D("1"), "QQQ"), "EUR", date(2021, 3, 4))


def test_a_date_before_the_data_is_unavailable_not_a_rate_of_one():
    with pytest.raises(RateUnavailable, match="EUR/USD rate for 1990-01-01"):
        convert(Money(D("1"), "EUR"), "USD", date(1990, 1, 1))


def test_a_date_after_the_data_is_unavailable():
    with pytest.raises(RateUnavailable, match="2031-01-01"):
        convert(Money(D("1"), "EUR"), "RSD", date(2031, 1, 1))


def test_a_currency_replaced_by_the_euro_has_no_rate_after_its_last_fixing():
    # The lev's ECB series ends on 2025-12-31; an old rate must not stand in.
    with pytest.raises(RateUnavailable, match="BGN"):
        convert(Money(D("1"), "EUR"), "BGN", date(2026, 3, 3))
    assert convert(Money(D("1"), "EUR"), "BGN", date(2025, 12, 31)).rate == D("1.9558")


def test_money_refuses_floats_and_non_iso_codes():
    with pytest.raises(TypeError):
        Money(1.5, "EUR")
    with pytest.raises(ValueError):
        Money(D("1.5"), "euro")


def test_nbp_stands_in_before_the_ecb_published_a_currency():
    # The ECB's renminbi series starts in 2005; the NBP quoted it in table B before.
    from silkbridge.engines.money import rates

    conversion = convert(Money(D("1"), "EUR"), "CNY", date(2003, 6, 4))
    cny, day = rates.nbp_quote("CNY", date(2003, 6, 4))
    eur, _ = rates.nbp_quote("EUR", day)
    assert (conversion.rate, conversion.rate_date) == (eur / cny, date(2003, 5, 27))
    assert conversion.source_name.startswith("NBP ")
