"""The directory's JSON API: listing with filters, one organisation, staff-only writes with import validation."""
from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs(make_org):
    make_org(id="rs-medika", name="Медика Дистрибуција", country="RS", language="sr-cyrl",
             description="Дистрибутер медицинске опреме", sectors="46")
    make_org(id="cn-meisheng", name="杭州美声医疗", country="CN", description="便携式超声设备制造商", sectors="26")
    make_org(id="hu-uni", name="Debreceni Egyetem", kind="university", country="HU", language="hu",
             description="Kutatási együttműködés akkumulátorokról")


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_user("staff", password="pw-123456", is_staff=True)
    client.force_login(user)
    return client


def test_list_returns_count_and_items_filtered_by_country_kind_and_query(client, orgs):
    body = client.get("/api/v1/organisations", {"limit": 10}).json()
    assert body["count"] == 3
    assert [i["id"] for i in body["items"]] == ["hu-uni", "rs-medika", "cn-meisheng"]
    assert client.get("/api/v1/organisations", {"country": "rs"}).json()["count"] == 1
    assert [i["id"] for i in client.get("/api/v1/organisations", {"kind": "university"}).json()["items"]] == ["hu-uni"]
    assert [i["id"] for i in client.get("/api/v1/organisations", {"q": "medicinske"}).json()["items"]] == ["rs-medika"]
    page = client.get("/api/v1/organisations", {"limit": 1, "offset": 1}).json()
    assert (page["count"], [i["id"] for i in page["items"]]) == (3, ["rs-medika"])


def test_limit_out_of_range_is_a_422(client, orgs):
    assert client.get("/api/v1/organisations", {"limit": 0}).status_code == 422


def test_one_organisation_carries_its_profiles(client, orgs):
    body = client.get("/api/v1/organisations/rs-medika").json()
    assert (body["name"], body["country"], body["sectors"]) == ("Медика Дистрибуција", "RS", ["46"])
    assert body["profiles"][0]["language"] == "sr-cyrl"
    assert client.get("/api/v1/organisations/nope").status_code == 404


def test_anonymous_and_non_staff_users_cannot_write(client, orgs):
    payload = {"name": "New d.o.o.", "country": "HR"}
    assert client.post("/api/v1/organisations", payload, content_type="application/json").status_code == 401
    user = get_user_model().objects.create_user("member", password="pw-123456")
    client.force_login(user)
    assert client.post("/api/v1/organisations", payload, content_type="application/json").status_code == 403


def test_staff_create_validates_like_the_import(staff_client, reference):
    bad = staff_client.post("/api/v1/organisations", {"name": "X", "country": "Atlantis", "contact_name": "A",
                                                      "contact_email": "not-mail"}, content_type="application/json")
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["country", "contact_email"]
    good = staff_client.post("/api/v1/organisations", {"id": "hr-new", "name": "Novi d.o.o.", "country": "HR",
                                                       "language": "hr", "description": "Brodogradnja"},
                             content_type="application/json")
    assert good.status_code == 201
    assert good.json()["profiles"][0]["description"] == "Brodogradnja"


def test_staff_update_changes_the_record(staff_client, orgs):
    response = staff_client.put("/api/v1/organisations/hu-uni", {"name": "Debreceni Egyetem", "kind": "university",
                                                                 "country": "HU", "website": "https://unideb.example.hu"},
                                content_type="application/json")
    assert (response.status_code, response.json()["website"]) == (200, "https://unideb.example.hu")
    assert staff_client.put("/api/v1/organisations/none", {"name": "x", "country": "HU"},
                            content_type="application/json").status_code == 404


def test_openapi_schema_and_docs_page_are_served(client, reference):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/organisations" in json.loads(schema.content)["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert b"cdn." not in docs.content.lower()
