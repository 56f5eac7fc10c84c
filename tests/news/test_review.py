"""Accepting and rejecting candidates: facts become outcome records pointing back to the article, only on a person's word."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from silkbridge.directory.models import City, Organisation, Person
from silkbridge.news import services
from silkbridge.news.models import Article, Candidate
from silkbridge.outcomes.models import Agreement, CityRelation, EntryMethod, Investment, Party, Visit

pytestmark = pytest.mark.django_db

TEXT = ("Belgrade, 3 June 2025 - Medivera Balkan d.o.o. and Hangzhou Meisheng Medical Technology Co., Ltd. "
        "signed a memorandum of understanding in Belgrade on 3 June 2025.")


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("editor", password="pw", is_staff=True)


@pytest.fixture
def article(reference):
    return Article.objects.create(title="Medivera and Meisheng sign", url="https://news.example/deal", text=TEXT,
                                  text_hash=services.text_hash(TEXT), language="en")


def _candidate(article, kind, payload, start=0, end=len(TEXT)):  # noqa: B008 - TEXT is a constant
    return Candidate.objects.create(article=article, kind=kind, payload=payload, start=start, end=end,
                                    sentence=article.text[start:end])


def _mou(article):
    return _candidate(article, Candidate.Kind.AGREEMENT, {
        "event": "mou", "title": "Memorandum of understanding between Medivera and Meisheng", "date": "2025-06-03",
        "place": "Belgrade", "city": "Belgrade", "agreement_kind": "mou", "amount": "2500000", "currency": "EUR",
        "organisations": ["Medivera Balkan d.o.o", "Hangzhou Meisheng Medical Technology Co., Ltd"]})


def test_accepting_a_fact_creates_the_outcome_record_with_its_source(directory, article, staff):
    candidate = _mou(article)
    record = services.accept_candidate(candidate, by=staff)
    agreement = Agreement.objects.get()
    assert record == agreement
    assert (agreement.title, agreement.kind, agreement.signed_on, agreement.city.name_en, agreement.amount,
            agreement.currency) == ("Memorandum of understanding between Medivera and Meisheng", "mou",
                                    dt.date(2025, 6, 3), "Belgrade", Decimal("2500000.00"), "EUR")
    assert (agreement.source_url, agreement.source_title, agreement.source_excerpt, agreement.source_article_id,
            agreement.source_span) == ("https://news.example/deal", "Medivera and Meisheng sign", TEXT, article.pk,
                                       {"start": 0, "end": len(TEXT)})
    assert (agreement.entry_method, agreement.entered_by) == (EntryMethod.NEWS, staff)
    assert [(p.role, p.organisation) for p in agreement.parties.all()] == [
        (Party.Role.SIGNATORY, directory["medivera"]), (Party.Role.SIGNATORY, directory["meisheng"])]
    candidate.refresh_from_db()
    assert (candidate.status, candidate.record_kind, candidate.record_id, candidate.reviewed_by) == (
        Candidate.Status.ACCEPTED, "agreement", agreement.pk, staff)


def test_accepting_with_changes_stores_the_changes_and_remembers_what_was_read(directory, article, staff):
    candidate = _mou(article)
    services.accept_candidate(candidate, by=staff, changes={"title": "Ultrasound distribution MoU", "amount": ""})
    agreement = Agreement.objects.get()
    assert (agreement.title, agreement.amount, agreement.currency) == ("Ultrasound distribution MoU", None, "")
    candidate.refresh_from_db()
    assert candidate.status == Candidate.Status.EDITED
    assert candidate.payload["as_read"] == {"title": "Memorandum of understanding between Medivera and Meisheng",
                                            "amount": "2500000"}


def test_rejecting_leaves_no_record(directory, article, staff):
    candidate = _mou(article)
    services.reject_candidate(candidate, by=staff)
    candidate.refresh_from_db()
    assert (candidate.status, candidate.record_id, candidate.reviewed_by) == (Candidate.Status.REJECTED, None, staff)
    assert [m.objects.count() for m in (Agreement, Investment, CityRelation, Visit)] == [0, 0, 0, 0]


def test_a_candidate_is_reviewed_once(directory, article, staff):
    candidate = _mou(article)
    services.reject_candidate(candidate, by=staff)
    with pytest.raises(ValidationError, match="already reviewed"):
        services.accept_candidate(candidate, by=staff)
    assert Agreement.objects.count() == 0


def test_a_party_missing_from_the_directory_stops_the_record_and_says_which(directory, article, staff):
    candidate = _candidate(article, Candidate.Kind.AGREEMENT, {
        "title": "MoU", "date": "2025-06-03", "organisations": ["Medivera Balkan", "Unknown Trading Ltd"]})
    with pytest.raises(ValidationError) as caught:
        services.accept_candidate(candidate, by=staff)
    assert caught.value.message_dict == {"organisations": [
        "not in the directory: Unknown Trading Ltd (accept or correct the organisation, or remove the name)"]}
    candidate.refresh_from_db()
    assert (candidate.status, Agreement.objects.count()) == (Candidate.Status.PROPOSED, 0)


def test_accepting_a_city_partnership_joins_the_two_cities(directory, article, staff):
    candidate = _candidate(article, Candidate.Kind.SISTER_CITY, {"cities": ["Kragujevac", "Ningbo"], "date": "2025"})
    services.accept_candidate(candidate, by=staff)
    relation = CityRelation.objects.get()
    assert ({relation.city_a.name_en, relation.city_b.name_en}, relation.kind, relation.since,
            relation.source_article_id) == ({"Kragujevac", "Ningbo"}, "sister", 2025, article.pk)


def test_accepting_an_investment_keeps_the_month_precision_and_converts(directory, article, staff):
    candidate = _candidate(article, Candidate.Kind.INVESTMENT, {
        "title": "Tianhui solar plant in Zrenjanin", "date": "2025-06", "city": "Zrenjanin", "country": "RS",
        "organisations": ["Wuxi Tianhui Photovoltaic Technology"], "amount": "40000000", "currency": "USD"})
    services.accept_candidate(candidate, by=staff)
    investment = Investment.objects.get()
    assert (investment.signed_on, investment.date_precision, investment.country_id, investment.city.name_en,
            investment.amount, investment.amount_usd) == (dt.date(2025, 6, 1), "month", "RS", "Zrenjanin",
                                                          Decimal("40000000.00"), Decimal("40000000.00"))
    assert [(p.role, p.organisation) for p in investment.parties.all()] == [(Party.Role.INVESTOR, directory["tianhui"])]


def test_a_visit_needs_its_first_day(directory, article, staff):
    candidate = _candidate(article, Candidate.Kind.VISIT, {"title": "Medivera delegation", "date": "",
                                                           "city": "Ningbo", "organisations": ["Medivera Balkan"]})
    with pytest.raises(ValidationError) as caught:
        services.accept_candidate(candidate, by=staff)
    assert caught.value.message_dict == {"date": ["the first day of the visit is needed"]}
    services.accept_candidate(candidate, by=staff, changes={"date": "2025-05-10", "end_date": "2025-05-14"})
    visit = Visit.objects.get()
    assert (visit.delegation, visit.organisation, visit.from_country_id, visit.to_city.name_en, visit.to_country_id,
            visit.starts_on, visit.ends_on) == ("Medivera delegation", directory["medivera"], "RS", "Ningbo", "CN",
                                                dt.date(2025, 5, 10), dt.date(2025, 5, 14))


def test_accepting_an_unknown_organisation_adds_it_to_the_directory(directory, article, staff):
    candidate = _candidate(article, Candidate.Kind.ORGANISATION, {"name": "Sava Robotics d.o.o.", "country": "",
                                                                  "org_kind": "company"}, 0, 10)
    with pytest.raises(ValidationError) as caught:
        services.accept_candidate(candidate, by=staff)
    assert caught.value.message_dict == {"country": ["the country is needed to add an organisation"]}
    org = services.accept_candidate(candidate, by=staff, changes={"country": "Serbia"})
    assert (org.name, org.country_id, org.kind, Organisation.objects.filter(name="Sava Robotics d.o.o.").count()) == (
        "Sava Robotics d.o.o.", "RS", "company", 1)
    candidate.refresh_from_db()
    assert (candidate.status, candidate.organisation, candidate.record_kind) == (
        Candidate.Status.EDITED, org, "organisation")


def test_accepting_a_known_organisation_only_confirms_the_link(directory, article, staff):
    candidate = _candidate(article, Candidate.Kind.ORGANISATION, {"name": "Medivera Balkan d.o.o"}, 24, 46)
    count = Organisation.objects.count()
    assert services.accept_candidate(candidate, by=staff) == directory["medivera"]
    assert Organisation.objects.count() == count


def test_accepting_a_new_city_adds_it_to_its_country(directory, article, staff):
    candidate = _candidate(article, Candidate.Kind.CITY, {"name": "Aranđelovac", "country": "RS"}, 0, 8)
    city = services.accept_candidate(candidate, by=staff)
    assert (city.name_en, city.country_id, City.objects.filter(name_en="Aranđelovac").count()) == ("Aranđelovac", "RS", 1)


def test_accepting_a_new_person_adds_them_to_their_organisation(directory, article, staff):
    candidate = _candidate(article, Candidate.Kind.PERSON, {"name": "Jelena Marković", "title": "sales manager",
                                                            "organisation": "Medivera Balkan"}, 0, 8)
    person = services.accept_candidate(candidate, by=staff)
    assert (person.name, person.title, person.organisation) == ("Jelena Marković", "sales manager", directory["medivera"])
    assert Person.objects.filter(name="Jelena Marković").count() == 1


def test_an_ingested_investment_accepted_as_read_becomes_a_record(directory, article_file, staff):
    services.ingest_path(article_file)
    candidate = Candidate.objects.get(kind=Candidate.Kind.INVESTMENT)
    services.accept_candidate(candidate, by=staff)
    investment = Investment.objects.get()
    assert (investment.title, investment.amount, investment.currency, investment.city.name_en,
            investment.source_excerpt, investment.source_span) == (
        "Wuxi Tianhui Photovoltaic Technology investment in Zrenjanin", Decimal("40000000.00"), "USD", "Zrenjanin",
        candidate.sentence, {"start": candidate.start, "end": candidate.end})
    assert [p.organisation for p in investment.parties.all()] == [directory["tianhui"]]
