"""The organisers' set-up and import pages: one service path behind them, errors named at the field."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from silkbridge.forums.models import Forum

pytestmark = pytest.mark.django_db

FORM = {"name": "Cangzhou Docking Meeting", "slug": "cangzhou", "starts_on": "2026-09-08", "days": "1",
        "time_zone": "Asia/Shanghai", "sessions": "09:00-10:00", "slot_minutes": "20", "tables": "4",
        "venue": "Convention Centre", "city": "", "request_deadline": "2026-09-06T18:00", "max_meetings": "",
        "public_participants": "on"}


@pytest.fixture
def staff(client, django_user_model):
    user = django_user_model.objects.create_user("org", "org@example.org", "pw", is_staff=True)
    client.force_login(user)
    return user


def test_staff_set_a_forum_up_from_the_web_and_become_its_organiser(client, staff):
    response = client.post("/forums/new/", FORM)
    assert response.status_code == 302 and response["Location"] == "/forums/cangzhou/manage/"
    forum = Forum.objects.get(slug="cangzhou")
    assert (forum.time_zone, forum.slots.count(), forum.request_deadline) == (
        "Asia/Shanghai", 3, datetime(2026, 9, 6, 10, 0, tzinfo=UTC))
    assert list(forum.organisers.all()) == [staff]
    page = client.get("/forums/cangzhou/").content.decode()
    assert "Asia/Shanghai" in page


def test_a_bad_value_is_shown_at_its_field(client, staff):
    response = client.post("/forums/new/", FORM | {"sessions": "09:00-10:00, 09:30-11:00"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"sessions": ["sessions 09:00-10:00 and 09:30-11:00 overlap"]}
    assert Forum.objects.count() == 0


def test_people_who_are_not_staff_cannot_create_forums(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("ana", "ana@example.org", "pw"))
    assert client.get("/forums/new/").status_code == 403


def test_an_organiser_edits_the_set_up(client, staff):
    client.post("/forums/new/", FORM)
    page = client.get("/forums/cangzhou/manage/setup/")
    assert page.context["form"].initial["request_deadline"] == datetime(2026, 9, 6, 18, 0)
    response = client.post("/forums/cangzhou/manage/setup/", FORM | {"sessions": "09:00-11:00"})
    assert response.status_code == 302
    assert Forum.objects.get(slug="cangzhou").slots.count() == 6


def test_the_participant_upload_runs_as_a_job_with_the_rejected_rows_to_download(
        client, staff, reference, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.TASKS_EAGER = True
    settings.DATA_DIR = tmp_path  # the upload copy and the rejected rows stay with this test
    client.post("/forums/new/", FORM)
    csv = (b"id,name,country,delegate_name,delegate_email,delegate_language\n"
           b"cn-pipe,Cangzhou Pipe,CN,Wang Wei,wang@pipe.example.cn,zh-hans\n"
           b"xx-bad,Bad,,Nobody,nobody@example.org,en\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/forums/cangzhou/manage/import/", {
            "kind": "participants", "file": SimpleUploadedFile("people.csv", csv, content_type="text/csv")})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.context["report"]["invited"] == 1
    assert page.context["report"]["rejected"] == [
        {"row": 3, "id": "xx-bad", "field": "country", "error": "missing country"}]
    assert [m.to for m in mail.outbox] == [["wang@pipe.example.cn"]]
    assert f'href="{response["Location"]}"' in client.get("/forums/cangzhou/manage/").content.decode()
    rejects = client.get(response["Location"] + "rejects.csv")
    assert b"".join(rejects.streaming_content).decode("utf-8-sig").splitlines()[1] == (
        "xx-bad,Bad,,Nobody,nobody@example.org,en,country: missing country")


def test_host_stands_are_set_from_the_set_up_page_through_the_same_service(client, staff, join, django_user_model):
    from silkbridge.forums import setup

    client.post("/forums/new/", FORM)
    forum = Forum.objects.get(slug="cangzhou")
    join(forum, "rs-a", "Alpha")
    join(forum, "cn-b", "Beta")
    page = client.get("/forums/cangzhou/manage/setup/")
    hosts_form = page.context["hosts_form"]
    assert sorted(hosts_form.fields) == ["table_1", "table_2", "table_3", "table_4"]
    assert [v for v, _ in hosts_form.fields["table_1"].choices] == ["", "rs-a", "cn-b"]
    response = client.post("/forums/cangzhou/manage/setup/hosts/", {"table_2": "rs-a", "table_3": "cn-b"})
    assert response.status_code == 302 and response["Location"] == "/forums/cangzhou/manage/setup/"
    assert setup.hosts(forum) == {2: "rs-a", 3: "cn-b"}
    # Alpha moves to table 4 and Beta leaves table 3; the other tables stay as they are.
    client.post("/forums/cangzhou/manage/setup/hosts/", {"table_2": "", "table_3": "", "table_4": "rs-a"})
    assert setup.hosts(forum) == {4: "rs-a"}
    assert client.get("/forums/cangzhou/manage/setup/").context["hosts_form"]["table_4"].initial == "rs-a"


def test_one_participant_at_two_stands_is_refused_and_nothing_is_written(client, staff, join, django_user_model):
    from silkbridge.forums import setup

    client.post("/forums/new/", FORM)
    forum = Forum.objects.get(slug="cangzhou")
    join(forum, "rs-a", "Alpha")
    response = client.post("/forums/cangzhou/manage/setup/hosts/", {"table_1": "rs-a", "table_2": "rs-a"})
    assert response.status_code == 200
    assert "Alpha can host one stand only, not at tables 1 and 2." in response.content.decode()
    assert setup.hosts(forum) == {}
    # A participant who is not approved is not offered, and a forged value is refused at its field.
    response = client.post("/forums/cangzhou/manage/setup/hosts/", {"table_1": "nobody"})
    assert "table_1" in response.context["hosts_form"].errors
    assert setup.hosts(forum) == {}


def test_only_the_forums_organisers_set_host_stands(client, staff, join, django_user_model):
    client.post("/forums/new/", FORM)
    forum = Forum.objects.get(slug="cangzhou")
    join(forum, "rs-a", "Alpha")
    client.force_login(django_user_model.objects.create_user("ana", "ana@example.org", "pw"))
    assert client.post("/forums/cangzhou/manage/setup/hosts/", {"table_1": "rs-a"}).status_code == 403
    assert forum.tables.get(number=1).host is None
