"""The organisers' API: forum create and edit, participant and pairing imports, organisers; the services of the CLI."""
from __future__ import annotations

import json

import pytest
from django.core import mail
from django.test import Client

from silkbridge.forums.models import Forum

pytestmark = pytest.mark.django_db

BODY = {"slug": "cangzhou", "name": "Cangzhou Docking Meeting", "starts_on": "2026-09-08", "time_zone": "Asia/Shanghai",
        "sessions": "09:00-10:00,14:00-15:00", "slot_minutes": 20, "tables": ["Hall A", "Hall B"],
        "request_deadline": "2026-09-06T18:00:00"}


@pytest.fixture
def staff(django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user("org", "org@example.org", "pw", is_staff=True))
    return client


def post(client, path, body):
    return client.post(f"/api/v1{path}", data=json.dumps(body), content_type="application/json")


def test_create_answers_like_the_command_line(staff):
    response = post(staff, "/forums", BODY)
    assert (response.status_code, response.json()) == (
        201, {"forum": "cangzhou", "timezone": "Asia/Shanghai", "slots": 6, "tables": 2})
    detail = staff.get("/api/v1/forums/cangzhou").json()
    assert (detail["time_zone"], detail["request_deadline"]) == ("Asia/Shanghai", "2026-09-06T10:00:00Z")


def test_a_bad_value_is_a_400_naming_the_field(staff):
    response = post(staff, "/forums", BODY | {"time_zone": "Moon/Base"})
    assert (response.status_code, response.json()) == (400, {
        "detail": "unknown time zone 'Moon/Base': use an IANA name such as Asia/Shanghai",
        "errors": [{"field": "time_zone", "error": "unknown time zone 'Moon/Base': use an IANA name such as Asia/Shanghai"}]})


def test_only_staff_create_and_only_organisers_edit(staff, django_user_model):
    other = Client()
    other.force_login(django_user_model.objects.create_user("ana", "ana@example.org", "pw"))
    assert post(other, "/forums", BODY).status_code == 403
    post(staff, "/forums", BODY)
    response = other.patch("/api/v1/forums/cangzhou", data=json.dumps({"tables": 3}), content_type="application/json")
    assert response.status_code == 403
    response = staff.patch("/api/v1/forums/cangzhou", data=json.dumps({"tables": 3, "sessions": "09:00-11:00"}),
                           content_type="application/json")
    assert response.json() == {"forum": "cangzhou", "timezone": "Asia/Shanghai", "slots": 6, "tables": 3}
    assert post(staff, "/forums/cangzhou/organisers", {"email": "ANA@example.org"}).json() == [
        "ana@example.org", "org@example.org"]
    assert other.patch("/api/v1/forums/cangzhou", data=json.dumps({"name": "Renamed"}),
                       content_type="application/json").status_code == 200
    assert Forum.objects.get(slug="cangzhou").name == "Renamed"


def test_imports_answer_with_the_report(staff, reference):
    post(staff, "/forums", BODY)
    people = (b"id,name,country,delegate_name,delegate_email\n"
              b"cn-pipe,Cangzhou Pipe,CN,Wang Wei,wang@pipe.example.cn\n"
              b"rs-food,Novi Sad Food,RS,Marko,marko@food.example.rs\n")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = staff.post("/api/v1/forums/cangzhou/participants/import",
                          {"file": SimpleUploadedFile("people.csv", people)})
    assert response.json() == {"imported": 2, "created": 2, "updated": 0, "unchanged": 0, "rejected": [], "invited": 2}
    assert len(mail.outbox) == 2
    response = staff.post("/api/v1/forums/cangzhou/requests/import",
                          {"file": SimpleUploadedFile("pairs.csv", b"from,to,priority\ncn-pipe,rs-food,must\n"
                                                                   b"cn-pipe,xx-none,\n")})
    assert response.json() == {"imported": 1, "created": 1, "updated": 0, "unchanged": 0, "invited": 0, "rejected": [
        {"row": 3, "id": "cn-pipe", "field": "to", "error": "no organisation with id 'xx-none'"}]}


def test_a_host_stand_through_the_api(staff, reference):
    from silkbridge.directory import services as directory
    from silkbridge.forums import services

    post(staff, "/forums", BODY)
    forum = Forum.objects.get(slug="cangzhou")
    record, _ = directory.validate_row({"id": "cn-pipe", "name": "Pipe", "country": "CN"}, directory.Lookups())
    _, [org] = directory.upsert([(2, record)])
    services.invite(forum, org)
    response = staff.put("/api/v1/forums/cangzhou/tables/2/host", data=json.dumps({"organisation": "cn-pipe"}),
                         content_type="application/json")
    assert (response.status_code, response.json()) == (200, {"2": "cn-pipe"})
    response = staff.put("/api/v1/forums/cangzhou/tables/2/host", data=json.dumps({"organisation": "xx-none"}),
                         content_type="application/json")
    assert (response.status_code, response.json()) == (400, {
        "detail": "organisation 'xx-none' does not take part in cangzhou",
        "errors": [{"field": "organisation", "error": "organisation 'xx-none' does not take part in cangzhou"}]})


def test_an_integration_sets_a_forum_up_with_a_personal_token(django_user_model):
    from silkbridge.accounts.services import create_token

    user = django_user_model.objects.create_user("org", "org@example.org", "pw", is_staff=True)
    secret = create_token(user, "registration system").secret
    response = Client().post("/api/v1/forums", data=json.dumps(BODY), content_type="application/json",
                             HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert (response.status_code, response.json()["slots"]) == (201, 6)
    assert list(Forum.objects.get(slug="cangzhou").organisers.all()) == [user]
    assert Client().post("/api/v1/forums", data=json.dumps(BODY | {"slug": "other"}),
                         content_type="application/json").status_code == 401
