"""The write path: conversions stored with a record, city pairs kept unordered and unique, party lists."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from silkbridge.engines.money import Money, convert
from silkbridge.outcomes import services
from silkbridge.outcomes.models import Agreement, CityRelation, EntryMethod, Investment, Party, Visit

pytestmark = pytest.mark.django_db


def test_investment_saved_with_usd_cny_and_eur_at_the_signing_date(reference, staff):
    project = services.save_record(
        Investment(title="Plant", signed_on=date(2019, 6, 3), amount=Decimal("250000000"), currency="EUR",
                   country_id="RS"), by=staff)
    project.refresh_from_db()
    usd = convert(Money(Decimal("250000000"), "EUR"), "USD", date(2019, 6, 3))
    cny = convert(Money(Decimal("250000000"), "EUR"), "CNY", date(2019, 6, 3))
    assert project.amount_eur == Decimal("250000000.00")
    assert project.amount_usd == usd.result.amount.quantize(Decimal("0.01"))
    assert project.amount_cny == cny.result.amount.quantize(Decimal("0.01"))
    assert project.conversions["USD"] == {"rate": str(usd.rate), "rate_date": "2019-06-03", "source": usd.source_name}
    assert project.conversions["CNY"]["rate_date"] == "2019-06-03"
    assert project.conversions["EUR"] == {"rate": "1", "rate_date": "2019-06-03", "source": "identity"}
    assert (project.entered_by, project.entry_method, project.conversion_error) == (staff, EntryMethod.MANUAL, "")


def test_changing_the_amount_converts_again(reference):
    project = services.save_record(Investment(title="P", signed_on=date(2020, 1, 15), amount=Decimal("100"),
                                              currency="USD"))
    project.amount, project.currency = Decimal("700"), "CNY"
    services.save_record(project)
    project.refresh_from_db()
    expected = convert(Money(Decimal("700"), "CNY"), "USD", date(2020, 1, 15)).result.amount.quantize(Decimal("0.01"))
    assert (project.amount_cny, project.amount_usd) == (Decimal("700.00"), expected)


def test_unknown_currency_is_stored_unconverted_with_the_reason(reference):
    project = services.save_record(Investment(title="P", signed_on=date(2020, 1, 15), amount=Decimal("5"),
                                              currency="XXQ"))
    project.refresh_from_db()
    assert (project.amount_usd, project.amount_cny, project.amount_eur, project.conversions) == (None, None, None, {})
    assert project.conversion_error == "unknown currency 'XXQ': no bundled rate source publishes it"


def test_city_pair_is_stored_in_one_order_and_once_per_kind(city):
    belgrade, shanghai = city("Belgrade", "RS"), city("Shanghai", "CN")
    first = services.save_record(CityRelation(city_a=shanghai, city_b=belgrade))
    assert (first.city_a_id, first.city_b_id) == tuple(sorted((belgrade.pk, shanghai.pk)))
    with pytest.raises(ValidationError):
        services.save_record(CityRelation(city_a=belgrade, city_b=shanghai))
    friendship = services.save_record(CityRelation(city_a=belgrade, city_b=shanghai, kind="friendship"))
    assert CityRelation.objects.count() == 2 and friendship.kind == "friendship"


def test_agreement_parties_are_replaced_on_save(make_org, city):
    a = make_org(id="rs-a", name="A d.o.o.")
    b = make_org(id="cn-b", name="B Co", country="CN")
    mou = services.save_record(Agreement(title="MoU", kind="mou", signed_on=date(2024, 5, 8)),
                               parties=[services.PartyRef(organisation_id=a.pk), services.PartyRef(organisation_id=b.pk)])
    assert [p.organisation_id for p in mou.parties.all()] == [a.pk, b.pk]
    services.save_record(mou, parties=[services.PartyRef(city_id=city("Belgrade", "RS").pk),
                                       services.PartyRef(country_id="CN")])
    assert [(p.city_id is not None, p.country_id) for p in mou.parties.all()] == [(True, None), (False, "CN")]
    assert Party.objects.count() == 2


def test_visit_must_not_end_before_it_starts(reference):
    with pytest.raises(ValidationError):
        services.save_record(Visit(delegation="Chengdu trade delegation", starts_on=date(2024, 5, 8),
                                   ends_on=date(2024, 5, 7)))
    assert Visit.objects.count() == 0
