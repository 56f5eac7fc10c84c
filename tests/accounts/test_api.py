"""Personal API tokens: made and revoked by their owner, stored hashed, accepted beside the session."""
import hashlib

import pytest
from django.urls import reverse

from silkbridge.accounts import services
from silkbridge.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana():
    user, _ = services.delegate_user("ana@example.rs", "Ana Petrović", "sr-latn")
    services.accept_link(user, "silk road 2026!")
    return user


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_token_is_stored_only_as_the_sha256_of_its_secret(ana):
    new = services.create_token(ana, "CRM export")
    stored = ApiToken.objects.get()
    assert stored.digest == hashlib.sha256(new.secret.encode()).hexdigest()
    assert new.secret not in {stored.digest, stored.prefix, stored.name}
    assert new.secret.startswith(stored.prefix)


def test_me_answers_to_a_token_and_to_the_session_and_not_to_strangers(client, ana, make_org):
    org = make_org(id="rs-nova", name="Nova")
    services.grant_membership(ana, org)
    secret = services.create_token(ana, "script").secret
    expected = {"username": "ana@example.rs", "email": "ana@example.rs", "name": "Ana Petrović", "language": "sr-latn",
                "optional_notices": True, "email_confirmed": True, "is_staff": False,
                "organisations": [{"id": "rs-nova", "name": "Nova"}]}
    assert client.get("/api/v1/me", **bearer(secret)).json() == expected
    assert client.get("/api/v1/me", **bearer("sbt_wrong")).status_code == 401
    assert client.get("/api/v1/me").status_code == 401
    client.force_login(ana)
    assert client.get("/api/v1/me").json() == expected


def test_a_token_works_on_endpoints_that_ask_for_a_session_even_for_posts(client, reference):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.create_user("staff", "staff@example.org", "pw", is_staff=True)
    secret = services.create_token(staff, "import").secret
    response = client.post("/api/v1/organisations", {"name": "Nova", "country": "RS"},
                           content_type="application/json", **bearer(secret))
    assert response.status_code == 201


def test_a_revoked_token_stops_working_and_only_its_owner_can_revoke_it(client, ana):
    from django.contrib.auth import get_user_model

    other = get_user_model().objects.create_user("other", "o@example.org", "pw")
    new = services.create_token(ana, "script")
    assert services.revoke_token(other, new.token.pk) is False
    assert client.get("/api/v1/me", **bearer(new.secret)).status_code == 200
    client.force_login(ana)
    client.post(reverse("accounts:revoke_token", args=[new.token.pk]))
    client.logout()
    assert client.get("/api/v1/me", **bearer(new.secret)).status_code == 401


def test_the_account_page_shows_a_new_secret_once(client, ana):
    client.force_login(ana)
    client.post(reverse("accounts:create_token"), {"name": "CRM"})
    first = client.get(reverse("accounts:home")).content.decode()
    second = client.get(reverse("accounts:home")).content.decode()
    token = ApiToken.objects.get()
    assert 'id="new-token"' in first and 'id="new-token"' not in second
    assert token.prefix in second


def test_tokens_are_listed_without_secrets_and_revoked_through_the_api(client, ana):
    keep = services.create_token(ana, "keep")
    drop = services.create_token(ana, "drop")
    listed = client.get("/api/v1/me/tokens", **bearer(keep.secret)).json()
    assert sorted(t["name"] for t in listed) == ["drop", "keep"]
    assert keep.secret not in str(listed)
    assert client.delete(f"/api/v1/me/tokens/{drop.token.pk}", **bearer(keep.secret)).status_code == 204
    assert client.delete(f"/api/v1/me/tokens/{drop.token.pk}", **bearer(keep.secret)).status_code == 404
    assert client.get("/api/v1/me", **bearer(drop.secret)).status_code == 401


def test_a_representative_writes_the_profile_through_the_api_and_bad_input_names_the_field(client, ana, make_org):
    org = make_org(id="rs-nova", name="Nova")
    secret = services.create_token(ana, "script").secret
    body = {"description": "Proizvodimo alatne mašine.", "offers": "Strugovi", "sectors": "C28"}
    refused = client.put("/api/v1/me/organisations/rs-nova/profile", body, content_type="application/json",
                         **bearer(secret))
    assert refused.status_code == 403
    services.grant_membership(ana, org)
    saved = client.put("/api/v1/me/organisations/rs-nova/profile", body | {"language": "sr-latn"},
                       content_type="application/json", **bearer(secret))
    assert saved.status_code == 200
    assert (saved.json()["language"], saved.json()["description"], saved.json()["sectors"]) == (
        "sr-latn", "Proizvodimo alatne mašine.", "28")
    bad = client.put("/api/v1/me/organisations/rs-nova/profile", {"website": "nope", "description": "x"},
                     content_type="application/json", **bearer(secret))
    assert (bad.status_code, bad.json()["errors"]) == (422, [{"field": "website",
                                                              "error": "website 'nope' is not an http(s) address"}])
    assert client.put("/api/v1/me/organisations/xx/profile", body, content_type="application/json",
                      **bearer(secret)).status_code == 404


def test_asking_to_represent_and_changing_preferences_through_the_api(client, ana, make_org):
    make_org(id="rs-nova", name="Nova")
    secret = services.create_token(ana, "script").secret
    asked = client.post("/api/v1/me/memberships", {"organisation": "rs-nova", "message": "director"},
                        content_type="application/json", **bearer(secret))
    assert (asked.status_code, asked.json()["status"]) == (201, "pending")
    assert [m["organisation"] for m in client.get("/api/v1/me/memberships", **bearer(secret)).json()] == ["rs-nova"]
    assert client.post("/api/v1/me/memberships", {"organisation": "xx"}, content_type="application/json",
                       **bearer(secret)).status_code == 404
    changed = client.patch("/api/v1/me", {"language": "zh_Hans", "optional_notices": False},
                           content_type="application/json", **bearer(secret)).json()
    assert (changed["language"], changed["optional_notices"], changed["name"]) == ("zh-hans", False, "Ana Petrović")


def test_the_openapi_schema_lists_the_personal_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/me", "/api/v1/me/tokens", "/api/v1/me/tokens/{token_id}", "/api/v1/me/memberships",
            "/api/v1/me/organisations/{org_id}/profile", "/api/v1/me/requests"} <= set(paths)
