"""Reports: totals equal the sums of the stored records, for any records; the JSON shape; the XLSX export."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from silkbridge.outcomes import exports, reports, services
from silkbridge.outcomes.models import Agreement, CityRelation, Investment, Visit

pytestmark = pytest.mark.django_db

investment = st.fixed_dictionaries({
    "amount": st.one_of(st.none(), st.decimals(min_value=1, max_value=10**11, places=2)),
    "currency": st.sampled_from(["USD", "EUR", "CNY", "RSD", "HUF", "XXQ"]),
    "on": st.one_of(st.none(), st.dates(min_value=date(2008, 1, 1), max_value=date(2024, 12, 31))),
    "country": st.sampled_from(["RS", "HU", "PL", "CN"]),
    "sector": st.sampled_from([None, "D", "H", "29"]),
    "at_forum": st.booleans(),
})
agreement = st.fixed_dictionaries({
    "kind": st.sampled_from([k.value for k in Agreement.Kind]),
    "on": st.one_of(st.none(), st.dates(min_value=date(2008, 1, 1), max_value=date(2024, 12, 31))),
    "at_forum": st.booleans(),
})


class Rollback(Exception):
    pass


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(investments=st.lists(investment, max_size=8), agreements=st.lists(agreement, max_size=6),
       years=st.tuples(st.integers(2008, 2024), st.integers(2008, 2024)))
def test_report_totals_are_the_sums_of_the_records(reference, forum, investments, agreements, years):
    try:
        with transaction.atomic():
            for i in investments:
                services.save_record(Investment(title="p", amount=i["amount"], currency=i["currency"] if i["amount"] else "",
                                                signed_on=i["on"], country_id=i["country"], sector_id=i["sector"],
                                                forum=forum if i["at_forum"] else None))
            for a in agreements:
                services.save_record(Agreement(title="a", kind=a["kind"], signed_on=a["on"],
                                               forum=forum if a["at_forum"] else None))
            from_year, to_year = min(years), max(years)
            cases = [
                (reports.forum_report(forum), Investment.objects.filter(forum=forum), Agreement.objects.filter(forum=forum)),
                (reports.programme_report(), Investment.objects.all(), Agreement.objects.all()),
                (reports.programme_report(from_year, to_year),
                 Investment.objects.filter(signed_on__year__gte=from_year, signed_on__year__lte=to_year),
                 Agreement.objects.filter(signed_on__year__gte=from_year, signed_on__year__lte=to_year)),
            ]
            for report, projects, deals in cases:
                projects, deals = list(projects), list(deals)
                converted = [p for p in projects if p.amount_usd is not None]
                assert report.totals.usd == sum((p.amount_usd for p in converted), Decimal("0.00"))
                assert report.totals.cny == sum((p.amount_cny for p in converted), Decimal("0.00"))
                assert report.totals.eur == sum((p.amount_eur for p in converted), Decimal("0.00"))
                assert report.totals.unconverted == sum(p.amount is not None and p.amount_usd is None for p in projects)
                assert report.totals.without_amount == sum(p.amount is None for p in projects)
                assert (report.investments, report.agreements) == (len(projects), len(deals))
                assert report.mous == sum(d.kind == "mou" for d in deals)
                # Every breakdown adds up to the same totals.
                for rows in (report.by_year, report.by_country, report.by_sector):
                    assert sum(r.investments for r in rows) == len(projects)
                    assert sum((r.usd for r in rows), Decimal("0.00")) == report.totals.usd
                assert sum(r.agreements for r in report.by_year) == len(deals)
            raise Rollback
    except Rollback:
        pass


def test_unknown_currency_is_counted_not_summed(reference, forum):
    services.save_record(Investment(title="a", amount=Decimal("1000"), currency="USD", signed_on=date(2020, 3, 2),
                                    forum=forum))
    services.save_record(Investment(title="b", amount=Decimal("5"), currency="XXQ", signed_on=date(2020, 3, 2),
                                    forum=forum))
    services.save_record(Investment(title="c", forum=forum))
    totals = reports.forum_report(forum).totals
    assert (totals.usd, totals.with_amount, totals.unconverted, totals.without_amount) == (Decimal("1000.00"), 2, 1, 1)


def test_city_partnerships_are_counted_under_the_partner_country(city, forum):
    services.save_record(CityRelation(city_a=city("Chengdu", "CN"), city_b=city("Niš", "RS"), forum=forum, since=2011))
    services.save_record(CityRelation(city_a=city("Chengdu", "CN"), city_b=city("Łódź", "PL"), forum=forum))
    services.save_record(CityRelation(city_a=city("Belgrade", "RS"), city_b=city("Łódź", "PL"), forum=forum))
    report = reports.forum_report(forum)
    assert [(r.key, r.relations) for r in report.relations_by_country] == [("PL", 2), ("RS", 2)]
    assert (report.relations, report.relations_undated) == (3, 2)
    assert [(r.key, r.relations) for r in reports.programme_report(2010, 2012).by_year] == [("2011", 1)]


def test_report_json_shape(reference, forum, make_org):
    org = make_org(id="rs-a", name="A")
    services.save_record(Agreement(title="MoU", kind="mou", signed_on=date(2021, 4, 1), forum=forum),
                         parties=[services.PartyRef(organisation_id=org.pk), services.PartyRef(country_id="CN")])
    services.save_record(Investment(title="P", amount=Decimal("100"), currency="EUR", signed_on=date(2021, 4, 1),
                                    country_id="RS", sector_id="D", forum=forum))
    services.save_record(Visit(delegation="D", starts_on=date(2021, 4, 2), from_country_id="CN", to_country_id="RS",
                               forum=forum))
    data = reports.forum_report(forum).as_dict()
    assert sorted(data) == ["agreements", "agreements_by_kind", "by_country", "by_sector", "by_year", "investments",
                            "investments_by_status", "mous", "network", "relations", "relations_by_country",
                            "relations_undated", "scope", "title", "totals", "visits"]
    assert data["scope"] == {"forum": "outcome-forum", "name": "Outcome Forum", "starts_on": "2026-06-01"}
    assert (data["agreements"], data["mous"], data["investments"], data["visits"]) == (1, 1, 1, 1)
    assert data["totals"]["eur"] == "100.00"
    assert sorted(data["totals"]) == ["cny", "eur", "unconverted", "usd", "with_amount", "without_amount"]
    assert data["by_year"] == [{"key": "2021", "label": "2021", "agreements": 1, "mous": 1, "investments": 1,
                                "usd": data["totals"]["usd"], "relations": 0, "visits": 1}]
    assert [(r["key"], r["agreements"], r["investments"], r["visits"]) for r in data["by_country"]] == [
        ("RS", 1, 1, 1), ("CN", 1, 0, 1)]
    assert data["network"] == {"nodes": 2, "edges": 1}


def test_xlsx_export_holds_the_report_numbers(reference, forum):
    services.save_record(Investment(title="P", amount=Decimal("100"), currency="EUR", signed_on=date(2021, 4, 1),
                                    country_id="RS", forum=forum))
    report = reports.forum_report(forum)
    book = load_workbook(io.BytesIO(exports.report_xlsx(report)))
    assert book.sheetnames == ["Summary", "By year", "By country", "By sector", "City partnerships"]
    summary = {row[0]: row[1] for row in book["Summary"].iter_rows(values_only=True)}
    assert summary["Investment total, EUR"] == 100.0
    assert summary["Investment total, USD"] == float(report.totals.usd)
    assert list(book["By country"].iter_rows(min_row=2, values_only=True)) == [
        ("RS", "Serbia", 0, 0, 1, float(report.totals.usd), 0, 0)]
