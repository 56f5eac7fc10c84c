"""The audit trail: staff writes through pages and the API are recorded with who, when and what, and shown to staff."""
from __future__ import annotations

import json
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from silkbridge.audit.models import Entry
from silkbridge.audit.recording import acting
from silkbridge.outcomes import services as outcomes
from silkbridge.outcomes.models import Agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("editor", password="pw-for-tests", is_staff=True)


@pytest.fixture
def staff_client(staff):
    client = Client()
    client.force_login(staff)
    return client


def _put(client, url, payload):
    return client.put(url, json.dumps(payload), content_type="application/json")


def test_a_staff_change_through_the_api_records_who_and_what_changed(staff_client, reference):
    record = outcomes.save_record(Agreement(title="MoU on ports", kind="mou", signed_on=date(2024, 5, 8)))
    answer = _put(staff_client, f"/api/v1/outcomes/agreements/{record.pk}",
                  {"title": "MoU on ports and rail", "kind": "mou", "signed_on": "2024-05-09"})
    assert answer.status_code == 200
    entry = Entry.objects.get()
    assert (entry.actor_name, entry.action, entry.model, entry.object_id) == (
        "editor", "changed", "outcomes.agreement", str(record.pk))
    assert entry.changes == {"title": ["MoU on ports", "MoU on ports and rail"], "signed_on": ["2024-05-08", "2024-05-09"]}


def test_the_record_page_shows_the_history_to_staff_only(staff_client, reference):
    record = outcomes.save_record(Agreement(title="MoU", kind="mou"))
    _put(staff_client, f"/api/v1/outcomes/agreements/{record.pk}", {"title": "MoU renamed", "kind": "mou"})
    url = record.get_absolute_url()
    staff_page = staff_client.get(url).content.decode()
    assert 'id="audit-trail"' in staff_page and "MoU renamed" in staff_page and "editor" in staff_page
    assert 'id="audit-trail"' not in Client().get(url).content.decode()
    member = get_user_model().objects.create_user("member", password="pw-for-tests")
    as_member = Client()
    as_member.force_login(member)
    assert 'id="audit-trail"' not in as_member.get(url).content.decode()


def test_an_organisation_created_and_changed_through_the_api_is_on_its_page(staff_client, reference):
    created = staff_client.post("/api/v1/organisations", json.dumps({"id": "rs-zora", "name": "Zora", "country": "RS"}),
                                content_type="application/json")
    assert created.status_code == 201
    _put(staff_client, "/api/v1/organisations/rs-zora", {"name": "Zora d.o.o.", "country": "RS"})
    entries = [(e.action, e.model, e.changes.get("name")) for e in Entry.objects.order_by("id") if e.model.endswith("organisation")]
    assert entries == [("created", "directory.organisation", [None, "Zora"]),
                       ("changed", "directory.organisation", ["Zora", "Zora d.o.o."])]
    page = staff_client.get("/organisations/rs-zora/").content.decode()
    assert "Zora d.o.o." in page.split('id="audit-trail"')[1]


def test_a_deleted_record_leaves_its_entry(staff_client, reference):
    record = outcomes.save_record(Agreement(title="Short-lived", kind="mou"))
    assert staff_client.delete(f"/api/v1/outcomes/agreements/{record.pk}").status_code == 204
    entry = Entry.objects.get()
    assert (entry.action, entry.object_repr, entry.changes["title"]) == ("deleted", "Short-lived", ["Short-lived", None])


def test_a_forum_change_made_as_an_organiser_is_shown_on_the_forum_page(staff, staff_client):
    from silkbridge.forums import services as forums

    forum = forums.create_forum(name="Audit Forum", starts_on=date(2026, 6, 1), tables=2)
    with acting(staff):
        forum.venue = "Sava Centar"
        forum.save()
    assert Entry.objects.get().changes == {"venue": ["", "Sava Centar"]}
    assert "Sava Centar" in staff_client.get(f"/forums/{forum.slug}/").content.decode().split('id="audit-trail"')[1]


def test_writes_with_nobody_acting_are_not_recorded(reference):
    outcomes.save_record(Agreement(title="From the command line", kind="mou"))
    assert Entry.objects.count() == 0


def test_reading_pages_records_nothing(staff_client, reference):
    record = outcomes.save_record(Agreement(title="MoU", kind="mou"))
    staff_client.get(record.get_absolute_url())
    assert Entry.objects.count() == 0
