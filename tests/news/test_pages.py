"""The review pages and API: staff only, spans marked safely, accept / edit / reject from the browser."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from ninja.testing import TestClient

from silkbridge.news import services
from silkbridge.news.api import router
from silkbridge.news.highlight import Marked, highlight
from silkbridge.news.models import Article, Candidate
from silkbridge.outcomes.models import Agreement

TEXT = "Tom & Jerry <b>Ltd</b> signed an MoU with Medivera Balkan d.o.o. in Belgrade."


def test_marks_wrap_spans_and_everything_is_escaped():
    html = highlight(TEXT, [Marked(0, 22, 1, "span--organisation"), Marked(0, 78, 2, "span--agreement")])
    assert html == ('<mark class="span--organisation span--agreement" data-candidates="1 2">'
                    "Tom &amp; Jerry &lt;b&gt;Ltd&lt;/b&gt;</mark>"
                    '<mark class="span--agreement" data-candidates="2"> signed an MoU with Medivera Balkan d.o.o. '
                    "in Belgrade.</mark>")


def test_crossing_and_out_of_range_spans_never_cross_tags():
    html = highlight("abcdef", [Marked(1, 4, 1, "x"), Marked(3, 99, 2, "y"), Marked(5, 2, 3, "z")])
    assert html == ('a<mark class="x" data-candidates="1">bc</mark><mark class="x y" data-candidates="1 2">d</mark>'
                    '<mark class="y" data-candidates="2">ef</mark>')


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("editor", password="pw", is_staff=True)


@pytest.fixture
def article(directory):
    article = Article.objects.create(title="Deal <signed>", text=TEXT, text_hash=services.text_hash(TEXT), language="en")
    Candidate.objects.create(article=article, kind=Candidate.Kind.ORGANISATION, start=42, end=63,
                             sentence=TEXT, payload={"name": "Medivera Balkan d.o.o"},
                             organisation=directory["medivera"], confidence=0.95)
    Candidate.objects.create(article=article, kind=Candidate.Kind.AGREEMENT, start=0, end=len(TEXT), sentence=TEXT,
                             payload={"title": "MoU with Medivera", "date": "2025-06-03", "agreement_kind": "mou",
                                      "organisations": ["Medivera Balkan"]})
    return article


@pytest.mark.django_db
def test_the_review_pages_are_for_staff_only(client, django_user_model, article):
    urls = [reverse("news:list"), reverse("news:article", args=[article.pk]),
            reverse("news:edit", args=[article.candidates.first().pk])]
    for url in urls:
        assert client.get(url).status_code == 302
    django_user_model.objects.create_user("member", password="pw")
    client.login(username="member", password="pw")
    for url in urls:
        response = client.get(url)
        assert (response.status_code, response.url.split("?")[0]) == (302, "/admin/login/")
    fact = Candidate.objects.get(kind=Candidate.Kind.AGREEMENT)
    assert client.post(reverse("news:accept", args=[fact.pk])).status_code == 302
    assert (Agreement.objects.count(), Candidate.objects.get(pk=fact.pk).status) == (0, Candidate.Status.PROPOSED)


@pytest.mark.django_db
def test_the_queue_lists_articles_with_pending_counts(client, staff, article):
    client.force_login(staff)
    response = client.get(reverse("news:list"))
    assert response.status_code == 200
    rows = [(a.title, a.pending, a.total) for a in response.context["page"].object_list]
    assert rows == [("Deal <signed>", 2, 2)]
    assert b"Deal &lt;signed&gt;" in response.content


@pytest.mark.django_db
def test_the_article_page_marks_the_spans_in_the_escaped_text(client, staff, article):
    client.force_login(staff)
    response = client.get(reverse("news:article", args=[article.pk]))
    org = Candidate.objects.get(kind=Candidate.Kind.ORGANISATION)
    html = response.content.decode()
    assert "Tom &amp; Jerry &lt;b&gt;Ltd&lt;/b&gt;" in html
    assert "<b>Ltd</b>" not in html
    fact = Candidate.objects.get(kind=Candidate.Kind.AGREEMENT)
    assert (f'<mark class="span--agreement span--proposed span--organisation" data-candidates="{fact.pk} {org.pk}">'
            "Medivera Balkan d.o.o</mark>") in html


@pytest.mark.django_db
def test_accepting_from_the_page_creates_the_record(client, staff, article):
    client.force_login(staff)
    fact = Candidate.objects.get(kind=Candidate.Kind.AGREEMENT)
    response = client.post(reverse("news:accept", args=[fact.pk]))
    assert (response.status_code, response.url) == (302, f"/news/articles/{article.pk}/#candidate-{fact.pk}")
    agreement = Agreement.objects.get()
    assert (agreement.title, agreement.source_article_id, agreement.entered_by) == ("MoU with Medivera", article.pk, staff)


@pytest.mark.django_db
def test_the_edit_form_is_prefilled_and_accepts_the_changes(client, staff, article):
    client.force_login(staff)
    fact = Candidate.objects.get(kind=Candidate.Kind.AGREEMENT)
    form = client.get(reverse("news:edit", args=[fact.pk])).context["form"]
    assert (form["title"].value(), form["date"].value(), form["organisations"].value(), form["agreement_kind"].value()) == (
        "MoU with Medivera", "2025-06-03", "Medivera Balkan", "mou")
    data = {"title": "Distribution MoU", "agreement_kind": "mou", "date": "2025-06-03", "place": "", "city": "Belgrade",
            "organisations": "Medivera Balkan\r\nNobody Known Ltd", "amount": "", "currency": ""}
    response = client.post(reverse("news:edit", args=[fact.pk]), data)
    assert response.status_code == 400
    assert response.context["form"].errors["organisations"] == [
        "not in the directory: Nobody Known Ltd (accept or correct the organisation, or remove the name)"]
    data["organisations"] = "Medivera Balkan"
    assert client.post(reverse("news:edit", args=[fact.pk]), data).status_code == 302
    agreement = Agreement.objects.get()
    assert (agreement.title, agreement.city.name_en) == ("Distribution MoU", "Belgrade")
    assert Candidate.objects.get(pk=fact.pk).status == Candidate.Status.EDITED


@pytest.mark.django_db
def test_rejecting_from_the_page_stores_nothing(client, staff, article):
    client.force_login(staff)
    fact = Candidate.objects.get(kind=Candidate.Kind.AGREEMENT)
    assert client.post(reverse("news:reject", args=[fact.pk])).status_code == 302
    assert (Candidate.objects.get(pk=fact.pk).status, Agreement.objects.count()) == (Candidate.Status.REJECTED, 0)


@pytest.mark.django_db
def test_the_api_is_for_staff_and_accepts_with_changes(staff, django_user_model, article):
    api = TestClient(router)
    member = django_user_model.objects.create_user("member", password="pw")
    assert api.get("/articles", user=member).status_code == 403
    assert api.get("/articles", user=AnonymousUser()).status_code == 401
    listing = api.get("/articles", user=staff).json()
    assert (listing["count"], listing["items"][0]["pending"]) == (1, 2)
    fact = Candidate.objects.get(kind=Candidate.Kind.AGREEMENT)
    assert api.post(f"/candidates/{fact.pk}/accept", json={"changes": {"title": "API MoU"}}, user=member).status_code == 403
    out = api.post(f"/candidates/{fact.pk}/accept", json={"changes": {"title": "API MoU"}}, user=staff).json()
    assert (out["status"], out["record_kind"], Agreement.objects.get().title) == ("edited", "agreement", "API MoU")
    again = api.post(f"/candidates/{fact.pk}/reject", user=staff)
    assert (again.status_code, again.json()["errors"]) == (
        422, {"__all__": ["this candidate was already reviewed (Accepted after editing)"]})


@pytest.mark.django_db
def test_the_queue_and_article_pages_cost_the_same_queries_for_more_rows(client, staff, article):
    client.force_login(staff)
    client.get(reverse("news:list"))  # session and user queries settle
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    few = (queries(reverse("news:list")), queries(reverse("news:article", args=[article.pk])))
    for n in range(5):
        text = f"Article {n} about Medivera Balkan d.o.o. in Belgrade."
        more = Article.objects.create(title=f"More {n}", text=text, text_hash=services.text_hash(text))
        Candidate.objects.create(article=more, kind=Candidate.Kind.CITY, start=len(text) - 9, end=len(text) - 1,
                                 sentence=text, payload={"name": "Belgrade"})
    for c in list(article.candidates.all()):
        Candidate.objects.create(article=article, kind=c.kind, start=c.start, end=c.end, sentence=c.sentence,
                                 payload=c.payload, organisation=c.organisation)
    assert (queries(reverse("news:list")), queries(reverse("news:article", args=[article.pk]))) == few


@pytest.mark.django_db
def test_accepting_what_cannot_be_stored_shows_the_form_with_the_reason(client, staff, article):
    client.force_login(staff)
    new = Candidate.objects.create(article=article, kind=Candidate.Kind.ORGANISATION, start=0, end=11, sentence=TEXT,
                                   payload={"name": "Tom & Jerry", "country": ""})
    response = client.post(reverse("news:accept", args=[new.pk]))
    assert response.status_code == 400
    form = response.context["form"]
    assert (form["name"].value(), form["org_kind"].value(), form.errors) == (
        "Tom & Jerry", "company", {"country": ["the country is needed to add an organisation"]})
    assert Candidate.objects.get(pk=new.pk).status == Candidate.Status.PROPOSED


@pytest.mark.django_db
def test_an_uploaded_feed_is_ingested_by_a_background_job(client, staff, directory, settings,
                                                          django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from silkbridge.jobs.models import Job

    settings.TASKS_EAGER = True
    client.force_login(staff)
    feed = (b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>Office opens</title>'
            b"<link>https://news.example/office</link><description>Medivera Balkan d.o.o. opened an office in "
            b"Novi Sad.</description></item></channel></rss>")
    refused = client.post(reverse("news:upload"), {"file": SimpleUploadedFile("x.exe", b"MZ")})
    assert (refused.status_code, refused.context["form"].errors) == (200, {"file": ["Upload a .txt, .html or .xml file."]})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("news:upload"), {"file": SimpleUploadedFile("feed.xml", feed)})
    job = Job.objects.get()
    assert (response.status_code, response.url) == (302, f"/news/jobs/{job.pk}/")
    job.refresh_from_db()
    assert (job.status, job.localised_message) == ("done", f"1 new article(s), 0 duplicate(s), "
                                                 f"{Candidate.objects.count()} candidate(s) to review")
    article = Article.objects.get()
    assert (article.title, article.url) == ("Office opens", "https://news.example/office")
    page = client.get(reverse("news:job", args=[job.pk])).content.decode()
    assert f'<a href="/news/articles/{article.pk}/">Office opens</a>' in page
