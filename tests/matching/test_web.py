"""The organisation page's recommended partners and the API endpoint."""
from __future__ import annotations

import html

import pytest

from silkbridge.matching import services

pytestmark = pytest.mark.django_db


def test_organisation_page_shows_recommended_partners_with_reasons(directory, client):
    services.compute_matches(top=3)
    response = client.get(directory["maker"].get_absolute_url())
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "Recommended partners" in page
    assert '<a href="/organisations/rs-distributor/">Дом Трејд д.о.о.</a>' in page
    reason = services.cached_matches(directory["maker"])[0].reasons[0]
    assert f"<li>{reason}</li>" in page


def test_organisation_page_says_when_nothing_is_computed_yet(directory, client):
    page = client.get(directory["maker"].get_absolute_url()).content.decode()
    assert "No recommendations yet" in page


def test_api_returns_an_organisations_matches(directory, client):
    response = client.get("/api/v1/organisations/cn-maker/matches?top=2")
    assert response.status_code == 200
    body = response.json()
    assert body["organisation"] == "cn-maker"
    assert [m["id"] for m in body["matches"]][0] == "rs-distributor"
    assert len(body["matches"]) == 2
    assert list(body["matches"][0]) == ["id", "name", "country", "score", "reasons"]


def test_api_answers_404_for_an_unknown_organisation(directory, client):
    assert client.get("/api/v1/organisations/nobody/matches").status_code == 404


def test_api_refuses_a_top_outside_1_to_100(directory, client):
    assert client.get("/api/v1/organisations/cn-maker/matches?top=0").status_code == 422
