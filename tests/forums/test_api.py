"""The forums JSON API at /api/v1/forums (router `silkbridge.forums.api.router`)."""
from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from ninja import NinjaAPI
from ninja.testing import TestClient

from silkbridge.forums import services
from silkbridge.forums.api import router
from silkbridge.forums.models import Delegate, MeetingRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def api_setup(make_forum, join):
    User = get_user_model()
    forum = make_forum("API Forum", slots=2, tables=1)
    a, b = join(forum, "rs-a", "Alpha"), join(forum, "cn-b", "Beta", country="CN")
    ua, ub = User.objects.create_user("alice"), User.objects.create_user("bob")
    Delegate.objects.create(participant=a, user=ua)
    Delegate.objects.create(participant=b, user=ub)
    return forum, a, b, ua, ub


@pytest.fixture
def api():
    from silkbridge.web.api import api as site_api

    mounted = any(prefix.strip("/") == "forums" for prefix, _ in site_api._routers)
    if mounted:
        return None  # use the site's URLs
    standalone = NinjaAPI(urls_namespace="forums-test")
    standalone.add_router("/forums", router)
    return TestClient(standalone)


def call(api, user, method, path, body=None):
    """Through the site's /api/v1/ when the router is mounted there, else through a standalone API."""
    if api is None:
        client = Client()
        if user:
            client.force_login(user)
        kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}
        r = getattr(client, method)(f"/api/v1{path}", **kwargs)
        return r.status_code, r.json()
    r = getattr(api, method)(path, json=body, user=user) if user else getattr(api, method)(path, json=body)
    return r.status_code, r.json()


def test_list_forums_slots_and_participants(api, api_setup):
    forum, *_ = api_setup
    status, forums = call(api, None, "get", "/forums")
    assert (status, [f["slug"] for f in forums]) == (200, ["api-forum"])
    status, slots = call(api, None, "get", "/forums/api-forum/slots")
    assert [(s["number"], s["session"]) for s in slots] == [(1, "morning"), (2, "morning")]
    status, people = call(api, None, "get", f"/forums/{forum.pk}/participants")
    assert people == [{"id": "rs-a", "name": "Alpha", "country": "RS", "status": "approved"},
                      {"id": "cn-b", "name": "Beta", "country": "CN", "status": "approved"}]


def test_request_accept_and_agenda(api, api_setup):
    forum, a, b, ua, ub = api_setup
    status, created = call(api, ua, "post", "/forums/api-forum/requests", {"to": "cn-b", "message": "hello"})
    assert status == 201
    assert {k: created[k] for k in ("requester", "recipient", "message", "status")} == {
        "requester": "rs-a", "recipient": "cn-b", "message": "hello", "status": "pending"}
    status, body = call(api, ua, "post", f"/forums/api-forum/requests/{created['id']}/accept")
    assert (status, body["detail"]) == (400, "only the invited side can answer a request")
    status, body = call(api, ub, "post", f"/forums/api-forum/requests/{created['id']}/accept")
    assert (status, body["status"]) == (200, "accepted")
    services.schedule_forum(forum, time_limit=5)
    services.publish_schedule(forum, by=None)
    status, items = call(api, ua, "get", "/forums/api-forum/participants/rs-a/agenda")
    assert status == 200
    assert [(i["other_id"], i["table"], i["other_people"][0]["email"]) for i in items] == [("cn-b", 1, "cn-b@example.com")]
    status, _ = call(api, ub, "get", "/forums/api-forum/participants/rs-a/agenda")
    assert status == 403


def test_decline_and_unauthenticated_requests(api, api_setup):
    forum, a, b, ua, ub = api_setup
    req = services.request_meeting(a, b)
    status, _ = call(api, None, "post", f"/forums/api-forum/requests/{req.pk}/decline")
    assert status == 401
    status, body = call(api, ub, "post", f"/forums/api-forum/requests/{req.pk}/decline")
    assert (status, body["status"]) == (200, "declined")
    assert MeetingRequest.objects.get(pk=req.pk).status == "declined"
    status, body = call(api, ua, "post", "/forums/nope/requests", {"to": "cn-b"})
    assert (status, body["detail"]) == (404, "no forum with slug or id 'nope'")
