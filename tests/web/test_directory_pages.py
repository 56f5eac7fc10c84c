"""Directory pages: search and filters, pagination, escaping, contact privacy, languages, query counts, import."""
from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from silkbridge.directory import services, views
from silkbridge.directory.models import Organisation

pytestmark = pytest.mark.django_db


def names_on(response) -> list[str]:
    """Organisation names in the order the list page shows them."""
    html = response.content.decode()
    return re.findall(r'<h2><a href="/[^"]*organisations/[^"]+/">([^<]+)</a></h2>', html)


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_user("staff", password="pw-for-tests", is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


@pytest.fixture
def sample(make_org):
    make_org(id="rs-zora", name="Зора Софтвер д.о.о.", country="RS", city="Niš", sectors="62",
             language="sr-cyrl", description="Развој софтвера за логистику и складишта.")
    make_org(id="rs-polje", name="Polje Agro", country="RS", city="Novi Sad", sectors="01",
             language="sr-latn", description="Proizvodnja organskog voća i prerada.")
    make_org(id="cn-huaxin", name="华信物流有限公司", country="CN", kind="company", sectors="52",
             language="zh-hans", description="我们提供中欧铁路物流和仓储服务。")
    make_org(id="pl-uni", name="Politechnika Łódzka", country="PL", kind="university", sectors="85",
             language="pl", description="Uczelnia techniczna: badania materiałowe i współpraca z przemysłem.")


def test_list_shows_every_organisation_sorted_by_name_with_count(client, sample):
    response = client.get("/")
    assert response.status_code == 200
    assert names_on(response) == ["Politechnika Łódzka", "Polje Agro", "Зора Софтвер д.о.о.", "华信物流有限公司"]
    assert "4 organisations" in response.content.decode()


def test_cyrillic_query_finds_latin_text(client, sample):
    assert names_on(client.get("/", {"q": "поље"})) == ["Polje Agro"]


def test_latin_query_finds_cyrillic_text(client, sample):
    assert names_on(client.get("/", {"q": "zora softver"})) == ["Зора Софтвер д.о.о."]


def test_chinese_query_finds_chinese_text(client, sample):
    assert names_on(client.get("/", {"q": "铁路物流"})) == ["华信物流有限公司"]


def test_query_without_accents_finds_accented_text(client, sample):
    assert names_on(client.get("/", {"q": "lodzka"})) == ["Politechnika Łódzka"]
    assert names_on(client.get("/", {"q": "materialowe"})) == ["Politechnika Łódzka"]


def test_filters_by_country_kind_sector_and_language(client, sample):
    assert names_on(client.get("/", {"country": "CN"})) == ["华信物流有限公司"]
    assert names_on(client.get("/", {"kind": "university"})) == ["Politechnika Łódzka"]
    assert names_on(client.get("/", {"sector": "J"})) == ["Зора Софтвер д.о.о."]
    assert names_on(client.get("/", {"language": "sr-latn"})) == ["Polje Agro"]
    assert names_on(client.get("/", {"country": "RS", "q": "softver"})) == ["Зора Софтвер д.о.о."]


def test_filter_form_keeps_the_chosen_values(client, sample):
    html = client.get("/", {"country": "CN", "q": "物流"}).content.decode()
    assert 'name="q" value="物流"' in html
    assert '<option value="CN" selected>' in html


def test_empty_result_says_so(client, sample):
    response = client.get("/", {"q": "nonexistentword"})
    assert names_on(response) == []
    assert "No organisation matches your search." in response.content.decode()


def test_pagination_pages_through_all_results_and_keeps_filters(client, make_org):
    for i in range(45):
        make_org(id=f"rs-firm-{i:02d}", name=f"Firma {i:02d}", country="RS")
    make_org(id="cn-other", name="Firma CN", country="CN")
    first = client.get("/", {"country": "RS"})
    third = client.get("/", {"country": "RS", "page": 3})
    assert names_on(first) == [f"Firma {i:02d}" for i in range(20)]
    assert names_on(third) == [f"Firma {i:02d}" for i in range(40, 45)]
    html = first.content.decode()
    assert 'href="?country=RS&amp;page=2"' in html
    assert "45 organisations" in html


def test_html_in_profile_texts_is_escaped(client, make_org):
    make_org(id="rs-x", name="<b>Bold</b> d.o.o.", language="en",
             description='<script>alert("x")</script> We make tools.', offers="<img src=x onerror=alert(1)>")
    for url in ("/", "/organisations/rs-x/"):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
        assert "<b>Bold</b>" not in html
        assert "&lt;b&gt;Bold&lt;/b&gt; d.o.o." in html
    detail = client.get("/organisations/rs-x/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; We make tools." in detail
    assert "<img src=x" not in detail


@pytest.fixture
def with_contact(make_org):
    return make_org(id="rs-kontakt", name="Kontakt d.o.o.", language="sr-latn", description="Opis.",
                    contact_name="Milica Jovanović", contact_title="direktorka", contact_email="milica@kontakt.example.rs")


def test_contact_details_are_hidden_from_anonymous_visitors(client, with_contact):
    html = client.get("/organisations/rs-kontakt/").content.decode()
    assert "Milica Jovanović" in html
    assert "direktorka" in html
    assert "milica@kontakt.example.rs" not in html
    assert "/admin/directory/organisation/" not in html


def test_contact_details_and_admin_link_are_shown_to_staff(client, staff, with_contact):
    html = client.get("/organisations/rs-kontakt/").content.decode()
    assert 'href="mailto:milica@kontakt.example.rs"' in html
    assert f'href="/admin/directory/organisation/{with_contact.pk}/change/"' in html


def test_profile_in_the_readers_language_is_preferred_and_marked(client, make_org):
    org = make_org(id="cn-fy", name="丰原科技", country="CN", language="zh-hans", description="中文简介。")
    services.save_organisation_details(org, names={"en": "Fengyuan Technology"}, profiles=[
        {"language": "en", "description": "English profile.", "offers": "Sensors\nSoftware", "origin": "translation"},
    ])
    english = client.get("/organisations/cn-fy/").content.decode()
    assert english.index("English profile.") < english.index("中文简介。")
    assert "<li>Sensors</li><li>Software</li>" in english
    assert "Fengyuan Technology" in english
    chinese = client.get("/zh-hans/organisations/cn-fy/").content.decode()
    assert chinese.index("中文简介。") < chinese.index("English profile.")
    assert "原文" in chinese


def test_recommendations_section_is_absent_when_matching_gives_none(client, with_contact, monkeypatch):
    monkeypatch.setattr(views, "_recommendations", lambda org: None)
    assert "Recommended partners" not in client.get("/organisations/rs-kontakt/").content.decode()


def test_recommendations_list_partners_with_score_and_reasons(client, with_contact, make_org, monkeypatch):
    partner = make_org(id="cn-partner", name="合作伙伴公司", country="CN")
    found = SimpleNamespace(name=partner.name, url=partner.get_absolute_url(), country=partner.country,
                            score=0.8734, reasons=("Both work in logistics", "<i>needs</i> meet offers"))
    monkeypatch.setattr(views, "_recommendations", lambda org: [found])
    html = client.get("/zh-hans/organisations/rs-kontakt/").content.decode()
    assert "推荐合作伙伴" in html
    assert '<a href="/organisations/cn-partner/">合作伙伴公司</a>' in html
    assert "匹配度 0.87" in html
    assert '<span class="muted">中国</span>' in html
    assert "<li>Both work in logistics</li><li>&lt;i&gt;needs&lt;/i&gt; meet offers</li>" in html


def test_empty_recommendations_say_matching_has_not_run(client, with_contact, monkeypatch):
    monkeypatch.setattr(views, "_recommendations", lambda org: [])
    html = client.get("/organisations/rs-kontakt/").content.decode()
    assert "No recommendations yet: they appear once matching has run." in html


def test_unknown_organisation_gives_the_site_404_page(client, reference):
    response = client.get("/organisations/nobody/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_switching_language_renders_the_chinese_interface(client, sample):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/?q=zora"})
    assert response.status_code == 302
    assert response["Location"] == "/zh-hans/?q=zora"
    html = client.get(response["Location"]).content.decode()
    assert '<html lang="zh-hans">' in html
    assert "名录" in html
    assert "1 家机构" in html
    assert "<span>尼什, 塞尔维亚</span>" in html


def test_serbian_interfaces_use_their_own_script(client, sample):
    cyrillic = client.get("/sr/").content.decode()
    latin = client.get("/sr-latn/").content.decode()
    assert "Именик" in cyrillic
    assert "Imenik" in latin
    assert "<span>Ниш, Србија</span>" in cyrillic
    assert "<span>Niš, Srbija</span>" in latin
    # Django's own strings come translated too: the login form's labels.
    assert "Корисничко име" in client.get("/sr/accounts/login/").content.decode()
    assert "用户名" in client.get("/zh-hans/accounts/login/").content.decode()


def test_list_page_runs_a_fixed_number_of_queries(client, make_org):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    for i in range(3):
        make_org(id=f"rs-q{i}", name=f"Query {i}", city="Niš", sectors="62; 01", language="sr-latn", description="Tekst.")
    few = count_queries()
    for i in range(3, 20):
        make_org(id=f"rs-q{i}", name=f"Query {i}", city="Niš", sectors="62; 01", language="sr-latn", description="Tekst.")
    assert count_queries() == few


def test_import_page_is_for_staff_only(client, reference):
    response = client.get("/organisations/import/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_import_runs_as_a_job_whose_page_reports_the_bad_row_and_offers_it_back(
        client, reference, staff, settings, tmp_path, django_capture_on_commit_callbacks):
    from silkbridge.jobs.models import Job

    settings.DATA_DIR, settings.TASKS_EAGER = tmp_path, True
    csv_text = (
        "id,name,kind,country,contact_email\n"
        "rs-good,Dobra firma,company,RS,\n"
        "rs-bad,Loša firma,company,Atlantis,not-an-email\n"
    )
    upload = SimpleUploadedFile("members.csv", csv_text.encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/organisations/import/", {"file": upload})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/organisations/import/jobs/{job.pk}/"
    assert (job.status, job.localised_message) == ("done", "imported 1 rows: 1 created, 0 updated, 0 unchanged; 1 rejected")
    assert list(Organisation.objects.values_list("external_id", flat=True)) == ["rs-good"]
    html = client.get(response["Location"]).content.decode()
    assert "<td class=\"num\">3</td><td>rs-bad</td>" in html
    assert "unknown country &#x27;Atlantis&#x27;" in html
    assert "members.csv" in html and 'http-equiv="refresh"' not in html
    rejected = client.get(f"/organisations/import/jobs/{job.pk}/rejected.csv")
    body = b"".join(rejected.streaming_content).decode("utf-8-sig")
    assert rejected.status_code == 200 and "rs-bad,Loša firma" in body and "rs-good" not in body
    assert [p.name for p in (tmp_path / "uploads").iterdir()] == [f"rejects-{job.pk}.csv"]  # the upload is gone
    # The job wrote its report with no reader; each reader gets it in their language.
    chinese = client.get(f"/zh-hans/organisations/import/jobs/{job.pk}/").content.decode()
    assert "已导入 1 行：新建 1，更新 0，未变 0；拒绝 1" in chinese
    latin = client.get(f"/sr-latn/organisations/import/jobs/{job.pk}/").content.decode()
    assert "uvezeno redova: 1; novih 1, izmenjenih 0, nepromenjenih 0; odbijenih 1" in latin


def test_import_job_page_refreshes_until_the_job_ends(client, staff):
    from silkbridge.jobs.models import Job

    job = Job.objects.create(name="import organisations")
    html = client.get(f"/organisations/import/jobs/{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' in html
    assert client.get(f"/organisations/import/jobs/{job.pk}/rejected.csv").status_code == 404
    other = Job.objects.create(name="schedule demo")
    assert client.get(f"/organisations/import/jobs/{other.pk}/").status_code == 404


def test_unreadable_upload_fails_the_job_with_the_files_own_name(client, staff, settings, tmp_path,
                                                                 django_capture_on_commit_callbacks):
    from silkbridge.jobs.models import Job

    settings.DATA_DIR, settings.TASKS_EAGER = tmp_path, True
    upload = SimpleUploadedFile("members.csv", "city,country\nNiš,RS\n".encode(), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/organisations/import/", {"file": upload})
    job = Job.objects.get()
    assert job.status == "failed" and "members.csv" in job.message and "name" in job.message
    assert list((tmp_path / "uploads").iterdir()) == []


def test_import_page_rejects_other_file_types(client, staff):
    upload = SimpleUploadedFile("members.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post("/organisations/import/", {"file": upload})
    assert "Upload a .csv or .xlsx file." in response.content.decode()
