"""The API keeps its published contract: no input makes it fail, and every answer matches the OpenAPI schema."""
from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

ERROR_KEYS = {"detail", "errors"}


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("staff", password="pw-staff-1234", is_staff=True)


@pytest.fixture
def forum(make_org):
    from datetime import date

    from silkbridge.forums import services

    forum = services.create_forum(name="Contract Forum", starts_on=date(2026, 6, 1), tables=2,
                                  sessions=[{"name": "morning", "start": "09:00", "end": "10:00", "pauses": []}])
    for key in ("rs-a", "cn-b"):
        services.invite(forum, make_org(id=key, name=key.upper(), country="RS" if key == "rs-a" else "CN"))
    return forum


def _error(response, status):
    body = response.json()
    assert (response.status_code, set(body) | ERROR_KEYS) == (status, ERROR_KEYS)
    return body


@pytest.mark.parametrize("query", [{"to_year": 11004}, {"from_year": 0}, {"from_year": -5}, {"to_year": "x"}])
def test_programme_report_refuses_years_outside_the_calendar_with_a_422(client, db, query):
    body = _error(client.get("/api/v1/outcomes/reports/programme", query), 422)
    assert [e["field"] for e in body["errors"]] == [f"query.{next(iter(query))}"]


@pytest.mark.parametrize("url", ["/api/v1/organisations", "/api/v1/outcomes/agreements", "/api/v1/outcomes/investments",
                                 "/api/v1/outcomes/cities", "/api/v1/outcomes/visits"])
def test_every_list_refuses_an_offset_past_64_bits_with_a_422(client, db, url):
    body = _error(client.get(url, {"offset": 2**63}), 422)
    assert [e["field"] for e in body["errors"]] == ["query.offset"]
    assert client.get(url, {"offset": 10**9}).json()["items"] == []


def test_news_list_refuses_an_offset_past_64_bits_even_for_staff(client, staff):
    client.force_login(staff)
    assert _error(client.get("/api/v1/news/articles", {"offset": 2**63}), 422)["errors"][0]["field"] == "query.offset"


@pytest.mark.parametrize("key", ["³", "١٢", "99999999999999999999999", "0"])
def test_a_forum_key_of_odd_digits_is_not_found(client, forum, key):
    assert _error(client.get(f"/api/v1/forums/{key}/slots"), 404)["detail"] == f"no forum with slug or id {key!r}"


def test_a_forum_is_still_found_by_its_id_and_its_slug(client, forum):
    assert client.get(f"/api/v1/forums/{forum.pk}/slots").status_code == 200
    assert client.get(f"/api/v1/forums/{forum.slug}/participants").json()[0]["id"] == "cn-b"


@pytest.mark.parametrize("url", ["/api/v1/organisations/a%00b", "/api/v1/forums/a%00b/slots",
                                 "/api/v1/outcomes/reports/forum/a%00b", "/api/v1/organisations?q=a%00b"])
def test_a_nul_character_anywhere_in_the_request_is_a_400(client, db, url):
    assert _error(client.get(url), 400)["errors"][0]["error"] == "NUL character"


def test_a_nul_character_in_a_json_body_is_a_400(client, staff):
    client.force_login(staff)
    response = client.post("/api/v1/organisations", json.dumps({"name": "a\x00b", "country": "RS"}),
                           content_type="application/json")
    assert _error(response, 400)["errors"] == [{"field": "body", "error": "NUL character"}]


def test_a_nul_character_in_a_page_address_is_a_plain_400(client, db):
    assert client.get("/organisations/a%00b/").status_code == 400


def test_a_record_id_past_64_bits_is_a_422_not_a_crash(client, db):
    assert _error(client.get(f"/api/v1/outcomes/agreements/{2**63}"), 422)["errors"][0]["field"] == "path.record_id"


def test_ninja_validation_errors_have_the_one_error_body(client, staff):
    client.force_login(staff)
    response = client.post("/api/v1/organisations", json.dumps({"country": "RS"}), content_type="application/json")
    assert _error(response, 422) == {"detail": "invalid request",
                                     "errors": [{"field": "body.payload.name", "error": "Field required"}]}


def test_the_schema_has_one_error_body_and_every_error_answer_refers_to_it(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    names = set(schema["components"]["schemas"])
    assert {n for n in names if "error" in n.lower()} == {"Error", "FieldError"}
    wrong = [f"{method.upper()} {url} {code}"
             for url, methods in schema["paths"].items() for method, operation in methods.items()
             for code, response in operation["responses"].items() if int(code) >= 400
             and response["content"]["application/json"]["schema"] != {"$ref": "#/components/schemas/Error"}]
    assert wrong == []
    limit = next(p for p in schema["paths"]["/api/v1/organisations"]["get"]["parameters"] if p["name"] == "limit")
    assert (limit["schema"]["minimum"], limit["schema"]["maximum"]) == (1, 200)


def _fuzz(schema, *, examples: int, headers: dict[str, str]) -> tuple[int, list[str]]:
    """Run `examples` generated cases per operation; return the count and each failed check, named."""
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    checks = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
    failures: list[str] = []
    count = 0

    def run(operation) -> None:
        @given(case=operation.as_strategy())
        @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def one(case):
            nonlocal count
            count += 1
            response = case.call(headers=headers)
            try:
                case.validate_response(response, checks=checks, headers=headers)
            except (Exception, BaseExceptionGroup) as exc:  # each failed check is a finding to report, not a reason to stop
                failures.append(f"{operation.label}: {str(exc).splitlines()[0:3]}")

        try:
            one()
        except (Exception, BaseExceptionGroup) as exc:  # hypothesis re-raises, as a group, what the checks found
            failures.append(f"{operation.label}: {str(exc).splitlines()[0:3]}")

    for result in schema.get_all_operations():
        run(result.ok())
    return count, failures


@pytest.mark.fuzz
@pytest.mark.parametrize("who", ["anonymous", "staff"])
def test_generated_requests_get_no_server_error_and_match_the_schema(forum, staff, who):
    import schemathesis
    from django.core import signals
    from django.db import close_old_connections

    from silkbridge.web.wsgi import application

    headers = {}
    if who == "staff":
        client = Client()
        client.force_login(staff)
        client.get("/api/v1/organisations")  # sets nothing; the CSRF cookie comes from get_token below
        from django.middleware.csrf import _get_new_csrf_string

        token = _get_new_csrf_string()
        headers = {"Cookie": f"sessionid={client.cookies['sessionid'].value}; csrftoken={token}", "X-CSRFToken": token}
    # Called straight through WSGI, each request's end would close the test's connection (its transaction is
    # open, so the connection looks obsolete) — Django's own test client unhooks this the same way.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
        count, failures = _fuzz(schema, examples=12, headers=headers)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    assert (count > 150, failures) == (True, [])
