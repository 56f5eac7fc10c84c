"""Outcome pages: provenance on record pages, staff-only editing through the write path, reports and exports."""
from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from silkbridge.outcomes import services
from silkbridge.outcomes.models import Agreement, CityRelation, Investment, Party

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(reference, forum):
    return services.save_record(Investment(title="Brake plant", amount=Decimal("12500000"), currency="EUR",
                                           signed_on=date(2024, 6, 2), country_id="RS", forum=forum,
                                           source_url="https://example.org/news/1", source_title="Plant news",
                                           source_excerpt="The plant will cost 12.5 million euros."))


def test_record_page_shows_amounts_rates_and_provenance(client, project):
    html = client.get(f"/outcomes/investments/{project.pk}/").content.decode()
    assert "12,500,000.00 EUR" in html
    assert f"{project.amount_cny:,.2f}" in html
    assert project.conversions["CNY"]["source"] in html
    assert '<a href="https://example.org/news/1" rel="noopener noreferrer">Plant news</a>' in html
    assert "The plant will cost 12.5 million euros." in html
    assert "Entered by hand" in html
    assert "Outcome Forum" in html


def test_anonymous_visitors_cannot_edit(client, project):
    response = client.get(f"/outcomes/investments/{project.pk}/edit/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert client.post(f"/outcomes/investments/{project.pk}/delete/").status_code == 302
    assert Investment.objects.count() == 1


def test_staff_creates_an_agreement_with_parties(client, staff, make_org, city):
    org = make_org(id="rs-zora", name="Zora")
    response = client.post("/outcomes/agreements/new/", {
        "kind": "loan", "title": "Loan for the bypass", "signed_on": "2023-03-01", "status": "signed",
        "amount": "100000000", "currency": "CNY", "parties_text": "rs-zora\ncity: Belgrade, RS\ngovernment: CN",
        "source_url": "example.org/loan",
    })
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/outcomes/agreements/{agreement.pk}/"
    assert (agreement.entered_by, agreement.entry_method, agreement.amount_cny) == (staff, "manual", Decimal("100000000.00"))
    assert agreement.source_url == "https://example.org/loan"
    assert [(p.organisation_id, p.city_id, p.country_id) for p in agreement.parties.all()] == [
        (org.pk, None, None), (None, city("Belgrade", "RS").pk, None), (None, None, "CN")]


def test_unknown_party_is_refused_with_the_line_named(client, staff, reference):
    response = client.post("/outcomes/agreements/new/", {"kind": "mou", "title": "X", "status": "signed",
                                                         "parties_text": "no-such-org"})
    assert response.status_code == 200
    assert "“no-such-org”: no organisation has this directory ID" in response.content.decode()
    assert Agreement.objects.count() == 0


def test_city_partnership_form_accepts_either_order_but_not_twice(client, staff, city):
    a, b = city("Chengdu", "CN"), city("Niš", "RS")
    high, low = max(a, b, key=lambda c: c.pk), min(a, b, key=lambda c: c.pk)
    assert client.post("/outcomes/cities/new/", {"city_a": high.pk, "city_b": low.pk, "kind": "sister"}).status_code == 302
    relation = CityRelation.objects.get()
    assert (relation.city_a_id, relation.city_b_id) == (low.pk, high.pk)
    again = client.post("/outcomes/cities/new/", {"city_a": low.pk, "city_b": high.pk, "kind": "sister"})
    assert again.status_code == 200 and CityRelation.objects.count() == 1


def test_staff_edit_converts_the_new_amount(client, staff, project):
    response = client.post(f"/outcomes/investments/{project.pk}/edit/", {
        "title": "Brake plant", "status": "under_way", "signed_on": "2024-06-02", "date_precision": "day",
        "amount": "20000000", "currency": "USD", "country": "RS", "investors_text": "", "targets_text": "",
    })
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.status, project.amount_usd, project.entered_by) == ("under_way", Decimal("20000000.00"), None)
    assert project.conversions["USD"]["source"] == "identity"


def test_list_page_query_count_does_not_grow_with_rows(client, reference, forum):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/outcomes/investments/").status_code == 200
        return len(ctx.captured_queries)

    services.save_record(Investment(title="one", country_id="RS", forum=forum))
    few = queries()
    for i in range(10):
        services.save_record(Investment(title=f"p{i}", country_id="HU", city=None, forum=forum))
    assert queries() == few


def test_forum_report_page_and_exports(client, project, forum):
    html = client.get(f"/outcomes/reports/forum/{forum.slug}/").content.decode()
    assert '<dd id="figure-investments">1</dd>' in html
    assert '<td class="num" id="total-eur">12,500,000</td>' in html
    assert '<script src="/outcomes/plotly.min.js"></script>' in html
    assert "cdn.plot.ly" not in html
    printable = client.get(f"/outcomes/reports/forum/{forum.slug}/", {"format": "print"}).content.decode()
    assert "@page{size:A4" in printable and '<dd id="figure-investments">1</dd>' in printable
    xlsx = client.get(f"/outcomes/reports/forum/{forum.slug}/", {"format": "xlsx"})
    assert xlsx["Content-Disposition"] == 'attachment; filename="outcomes-outcome-forum.xlsx"'
    book = load_workbook(io.BytesIO(xlsx.content))
    assert {r[0]: r[1] for r in book["Summary"].iter_rows(values_only=True)}["Investment total, EUR"] == 12500000.0


def test_unknown_forum_report_is_404(client, reference):
    assert client.get("/outcomes/reports/forum/nothing/").status_code == 404


def test_programme_report_filters_years(client, project):
    services.save_record(Investment(title="old", amount=Decimal("5"), currency="USD", signed_on=date(2010, 1, 4),
                                    country_id="HU"))
    html = client.get("/outcomes/reports/programme/", {"from": "2020", "to": "2025"}).content.decode()
    assert '<dd id="figure-investments">1</dd>' in html
    assert client.get("/outcomes/reports/programme/", {"from": "20x"}).status_code == 404


def test_plotly_is_served_from_the_installed_package(client, db):
    import plotly.offline

    response = client.get("/outcomes/plotly.min.js")
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response.content == plotly.offline.get_plotlyjs().encode()


def test_party_roles_of_an_investment_survive_editing_in_the_form(client, staff, make_org, project):
    make_org(id="cn-yongchi", name="Yongchi", country="CN")
    make_org(id="rs-target", name="Target")
    assert client.post(f"/outcomes/investments/{project.pk}/edit/", {
        "title": "Brake plant", "status": "signed", "date_precision": "day", "country": "RS",
        "investors_text": "cn-yongchi", "targets_text": "rs-target"}).status_code == 302
    page = client.get(f"/outcomes/investments/{project.pk}/edit/").content.decode()
    assert ">\ncn-yongchi</textarea>" in page and ">\nrs-target</textarea>" in page
    assert [(p.role, p.organisation.external_id) for p in Party.objects.all()] == [
        ("investor", "cn-yongchi"), ("target", "rs-target")]


def test_staff_upload_runs_the_import_as_a_job(client, staff, reference, settings, tmp_path,
                                               django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from silkbridge.jobs.models import Job

    settings.DATA_DIR = tmp_path
    upload = SimpleUploadedFile("pairs.csv", "city1,country1,city2,country2\nNiš,Serbia,Chengdu,China\n"
                                             "X,Atlantis,Chengdu,China\n".encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/outcomes/import/", {"kind": "sister-cities", "file": upload})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/outcomes/import/jobs/{job.pk}/"
    assert (job.status, job.localised_message) == ("done", "imported 1 rows: 1 created, 0 updated, 0 unchanged; 1 rejected")
    assert job.result["rejected"] == [{"row": 3, "id": "X – Chengdu", "field": "country1",
                                       "error": "unknown country 'Atlantis'"}]
    assert CityRelation.objects.count() == 1
    assert list((tmp_path / "uploads").iterdir()) == []
    page = client.get(response["Location"]).content.decode()
    assert "unknown country &#x27;Atlantis&#x27;" in page
