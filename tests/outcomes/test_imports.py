"""The two reference imports: the real files load, re-importing changes nothing, bad rows are named by row."""
from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

import pytest

from silkbridge.directory.models import City, Organisation
from silkbridge.engines.money import Money, convert
from silkbridge.outcomes import services
from silkbridge.outcomes.models import CityRelation, EntryMethod, Investment, Party

pytestmark = pytest.mark.django_db

SISTER = services.packaged_file(services.SISTER_CITIES_FILE)
DEALS = services.packaged_file(services.INVESTMENTS_FILE)


def counts(report) -> tuple[int, int, int, int, int]:
    return report.imported, report.created, report.updated, report.unchanged, len(report.rejected)


def test_sister_city_file_loads_all_pairs_but_the_ambiguous_yichun(reference):
    report = services.import_sister_cities(SISTER)
    # Riga and Nowy Sącz are listed twice with Suzhou (once from each side): one relation each.
    assert counts(report) == (161, 159, 0, 2, 1)
    assert [(e.row, e.field) for e in report.rejected] == [(110, "city1")]
    assert report.rejected[0].error == ("'Yichun' names more than one city in CN: Yichun, Heilongjiang or "
                                        "Yichun, Jiangxi; write the one meant")
    assert CityRelation.objects.count() == 159
    assert set(CityRelation.objects.values_list("entry_method", flat=True)) == {EntryMethod.IMPORT}


def test_sister_city_pairs_are_matched_to_directory_cities_by_any_name(reference):
    services.import_sister_cities(SISTER)
    tirana_beijing = CityRelation.objects.get(city_a__name_en__in=["Tirana", "Beijing"],
                                              city_b__name_en__in=["Tirana", "Beijing"])
    assert tirana_beijing.kind == "sister"
    # Every city of the file was known to the reference data: none had to be added.
    assert City.objects.filter(name_zh="").filter(pk__in=CityRelation.objects.values("city_a")).count() == 0


def test_sister_city_reimport_changes_nothing(reference):
    services.import_sister_cities(SISTER)
    again = services.import_sister_cities(SISTER)
    assert counts(again) == (161, 0, 0, 161, 1)
    assert CityRelation.objects.count() == 159


def test_sister_city_dry_run_stores_nothing(reference):
    report = services.import_sister_cities(SISTER, dry_run=True)
    assert counts(report) == (161, 159, 0, 2, 1)
    assert CityRelation.objects.count() == 0


def test_sister_city_bad_rows_are_rejected_with_their_row_numbers(reference, tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text("city1,country1,city2,country2,kind,since\n"
                    "Niš,Serbia,Chengdu,China,sister,2011\n"
                    "Chengdu,China,Niš,Serbia,sister,2015\n"
                    "Chengdu,China,Niš,Serbia,,\n"
                    "Nowhere,Atlantis,Chengdu,China,,\n"
                    "Belgrade,Serbia,Belgrade,Serbia,,\n"
                    "Kragujevac,Serbia,Mudanjiang,China,twin town,1999\n"
                    "Novi Pazar,Serbia,Zhengzhou,China,cousin,\n", encoding="utf-8")
    rejects = tmp_path / "rejects.csv"
    report = services.import_sister_cities(path, rejects=rejects)
    assert [(e.row, e.field) for e in report.rejected] == [(3, "since"), (5, "country1"), (6, "city2"), (8, "kind")]
    assert report.rejected[0].error == "the same pair as row 2 but since 2015, not 2011"
    assert counts(report) == (3, 2, 0, 1, 4)
    assert CityRelation.objects.get(city_a__name_en__in=["Niš", "Chengdu"], city_b__name_en__in=["Niš", "Chengdu"]).since == 2011
    with rejects.open(encoding="utf-8-sig") as handle:
        assert [r["city1"] for r in csv.DictReader(handle)] == ["Chengdu", "Nowhere", "Belgrade", "Novi Pazar"]


def test_sister_city_missing_from_directory_is_added_to_its_country(reference, tmp_path):
    path = tmp_path / "pairs.csv"
    path.write_text("city1,country1,city2,country2\nSmall Village,Serbia,Chengdu,China\n", encoding="utf-8")
    report = services.import_sister_cities(path)
    assert counts(report) == (1, 1, 0, 0, 0)
    assert City.objects.get(name_en="Small Village").country_id == "RS"


def test_investment_file_loads_all_93_deals(reference):
    report = services.import_investments(DEALS)
    assert counts(report) == (93, 93, 0, 0, 0)
    assert Investment.objects.count() == 93
    with DEALS.open(encoding="utf-8") as handle:
        total = sum(Decimal(r["usd_millions"].strip("$").replace(",", "")) for r in csv.DictReader(handle))
    assert sum(i.amount_usd for i in Investment.objects.all()) == total * 1_000_000


def test_investment_is_converted_at_the_first_day_of_its_month(reference):
    services.import_investments(DEALS)
    deal = Investment.objects.get(signed_on=date(2007, 10, 1), title__startswith="Sinoma")
    expected = convert(Money(Decimal("170000000"), "USD"), "CNY", date(2007, 10, 1))
    assert (deal.amount, deal.currency, deal.date_precision) == (Decimal("170000000.00"), "USD", "month")
    assert deal.amount_cny == expected.result.amount.quantize(Decimal("0.01"))
    assert deal.conversions["CNY"] == {"rate": str(expected.rate), "rate_date": "2007-10-01",
                                       "source": expected.source_name}
    assert (deal.country_id, deal.sector_id, deal.sector_text, deal.target_name) == (
        "HU", "L", "Real estate / Construction", "Holcim")


def test_investors_become_chinese_companies_once_each(reference):
    services.import_investments(DEALS)
    powerchina = Organisation.objects.filter(name__startswith="Power Construction Corp")
    # "Power Construction Corp." and "Power Construction Corp" are one name once punctuation is folded.
    assert [(o.name, o.country_id, o.kind) for o in powerchina] == [
        ("Power Construction Corp. (PowerChina)", "CN", "company")]
    joint = Investment.objects.get(signed_on=date(2019, 2, 1))
    assert [p.organisation.name for p in joint.parties.filter(role=Party.Role.INVESTOR)] == [
        "China Energy Engineering", "Zhejiang Supcon"]


def test_investor_already_in_the_directory_is_reused(make_org):
    huawei = make_org(id="cn-huawei", name="Huawei Technologies", country="CN")
    services.import_investments(DEALS)
    assert Organisation.objects.filter(name="Huawei Technologies").count() == 1
    assert Party.objects.filter(organisation=huawei, role="investor").count() == 2


def test_investor_whose_id_is_taken_is_linked_not_renamed(make_org):
    huawei = make_org(id="cn-huawei-technologies", name="华为技术有限公司", country="CN")
    services.import_investments(DEALS)
    huawei.refresh_from_db()
    assert huawei.name == "华为技术有限公司"
    assert Party.objects.filter(organisation=huawei, role="investor").count() == 2
    assert counts(services.import_investments(DEALS)) == (93, 0, 0, 93, 0)


def test_investment_reimport_is_idempotent_and_picks_up_corrections(reference, tmp_path):
    services.import_investments(DEALS)
    assert counts(services.import_investments(DEALS)) == (93, 0, 0, 93, 0)
    text = DEALS.read_text(encoding="utf-8").replace("2007,October,Sinoma,$170,,", "2007,October,Sinoma,$170,40%,")
    corrected = tmp_path / "deals.csv"
    corrected.write_text(text, encoding="utf-8")
    assert counts(services.import_investments(corrected)) == (93, 0, 1, 92, 0)
    assert Investment.objects.get(signed_on=date(2007, 10, 1), title__startswith="Sinoma").share == Decimal("40")
    assert Investment.objects.count() == 93


def test_investment_bad_rows_are_rejected_with_their_row_numbers(reference, tmp_path):
    path = tmp_path / "deals.csv"
    path.write_text(
        "year,month,investor,usd_millions,share,transaction_party,sector,subsector,country,region,bri,greenfield\n"
        "2019,June,Good Investor,$100,,,Energy,,Serbia,Europe,1,G\n"
        "2019,Juno,Bad Month,$100,,,Energy,,Serbia,Europe,1,\n"
        "2019,June,No Amount,n/a,,,Energy,,Serbia,Europe,1,\n"
        "2019,June,Lost,$100,,,Energy,,Atlantis,Europe,1,\n"
        "2019,June,Good Investor,$100,,,Energy,,Serbia,Europe,1,G\n", encoding="utf-8")
    report = services.import_investments(path)
    assert [(e.row, e.field) for e in report.rejected] == [(3, "month"), (4, "usd_millions"), (5, "country"),
                                                           (6, "investor")]
    assert report.rejected[3].error == "the same deal as row 2"
    assert counts(report)[:2] == (1, 1)
    deal = Investment.objects.get()
    assert (deal.belt_and_road, deal.greenfield, deal.sector_id) == (True, True, "D")


def test_investment_dry_run_stores_nothing(reference):
    report = services.import_investments(DEALS, dry_run=True)
    assert counts(report) == (93, 93, 0, 0, 0)
    assert (Investment.objects.count(), Organisation.objects.count()) == (0, 0)
