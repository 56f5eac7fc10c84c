"""The forum pages through Django's test client: who may see what, and that each page calls the write path."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from silkbridge.forums import services
from silkbridge.forums.models import Delegate, Forum, MeetingRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(make_forum, join):
    User = get_user_model()
    forum = make_forum("View Forum", slots=3, tables=2)
    a, b = join(forum, "rs-a", "Alpha"), join(forum, "cn-b", "Beta", country="CN")
    ua = User.objects.create_user("alice", password="pw-alice-123")
    ub = User.objects.create_user("bob", password="pw-bob-123")
    boss = User.objects.create_user("boss", password="pw-boss-123")
    forum.organisers.add(boss)
    Delegate.objects.create(participant=a, user=ua)
    Delegate.objects.create(participant=b, user=ub)
    return forum, a, b, ua, ub, boss


# Transactional, so the scheduler job starts on commit as it does in production.
@pytest.mark.django_db(transaction=True)
def test_request_accept_schedule_publish_agenda_through_the_pages(client, setup):
    forum, a, b, ua, ub, boss = setup
    client.force_login(ua)
    r = client.post(f"/forums/{forum.slug}/requests/", {"recipient": b.pk, "message": "Rail freight?"})
    assert r.status_code == 302
    req = MeetingRequest.objects.get()
    assert (req.requester, req.recipient, req.message, req.status) == (a, b, "Rail freight?", "pending")
    client.force_login(ub)
    page = client.get(f"/forums/{forum.slug}/requests/").content.decode()
    assert "Rail freight?" in page and "shown once a meeting is accepted" in page
    client.post(f"/forums/{forum.slug}/requests/{req.pk}/", {"action": "accept"})
    page = client.get(f"/forums/{forum.slug}/requests/").content.decode()
    assert "rs-a@example.com" in page
    # Participants cannot organise.
    assert client.post(f"/forums/{forum.slug}/manage/schedule/").status_code == 403
    client.force_login(boss)
    r = client.post(f"/forums/{forum.slug}/manage/schedule/", {"time_limit": "5"})
    assert r.status_code == 302
    job_page = client.get(r["Location"]).content.decode()
    assert 'data-status="done"' in job_page
    assert forum.meetings.count() == 1
    client.post(f"/forums/{forum.slug}/manage/publish/")
    assert Forum.objects.get(pk=forum.pk).status == "published"
    client.force_login(ua)
    page = client.get(f"/forums/{forum.slug}/agenda/rs-a/").content.decode()
    meeting = forum.meetings.get()
    assert f'<td class="table-number">{meeting.table.number}</td>' in page
    assert "Beta (CN)" in page
    ics = client.get(f"/forums/{forum.slug}/agenda/rs-a/ics/")
    assert ics["Content-Type"] == "text/calendar; charset=utf-8"
    assert ics.content.decode().count("BEGIN:VEVENT") == 1


def test_a_participant_cannot_read_another_agenda(client, setup):
    forum, a, b, ua, ub, boss = setup
    client.force_login(ua)
    assert client.get(f"/forums/{forum.slug}/agenda/cn-b/").status_code == 403
    assert client.get(f"/forums/{forum.slug}/agenda/cn-b/ics/").status_code == 403


def test_agenda_is_hidden_from_participants_until_published(client, setup):
    forum, a, b, ua, ub, boss = setup
    client.force_login(ua)
    assert client.get(f"/forums/{forum.slug}/agenda/rs-a/").status_code == 404
    client.force_login(boss)
    assert client.get(f"/forums/{forum.slug}/agenda/rs-a/").status_code == 200


def test_moving_into_a_busy_slot_shows_the_reason(client, setup, join):
    forum, a, b, ua, ub, boss = setup
    c = join(forum, "hu-c", "Gamma", country="HU")
    r1 = services.answer_request(services.request_meeting(a, b), accept=True, by=b)
    r2 = services.answer_request(services.request_meeting(a, c), accept=True, by=c)
    s1, s2 = forum.slots.get(number=1), forum.slots.get(number=2)
    t1, t2 = forum.tables.get(number=1), forum.tables.get(number=2)
    m1 = services.book_meeting(r1, slot=s1, table=t1)
    services.book_meeting(r2, slot=s2, table=t1)
    client.force_login(boss)
    r = client.post(f"/forums/{forum.slug}/manage/meetings/{m1.pk}/move/",
                    {"action": "move", "slot": 2, "table": 2}, follow=True)
    assert "Alpha already has a meeting in slot 2" in r.content.decode()
    m1.refresh_from_db()
    assert (m1.slot, m1.table) == (s1, t1)
    r = client.post(f"/forums/{forum.slug}/manage/meetings/{m1.pk}/move/",
                    {"action": "move", "slot": 3, "table": 2}, follow=True)
    m1.refresh_from_db()
    assert (m1.slot.number, m1.table) == (3, t2)
    r = client.post(f"/forums/{forum.slug}/manage/meetings/{m1.pk}/move/",
                    {"action": "move", "slot": 9, "table": 2}, follow=True)
    assert "There is no slot 9." in r.content.decode()


def test_self_registration_waits_for_approval(client, setup, make_org):
    forum, a, b, ua, ub, boss = setup
    org = make_org(id="pl-d", name="Delta", country="PL")
    carol = get_user_model().objects.create_user("carol", password="pw-carol-123")
    client.force_login(carol)
    client.post(f"/forums/{forum.slug}/register/", {"organisation": org.pk})
    p = forum.participants.get(organisation=org)
    assert (p.status, p.origin) == ("pending", "registered")
    assert client.get(f"/forums/{forum.slug}/requests/").status_code == 302
    client.force_login(boss)
    client.post(f"/forums/{forum.slug}/manage/participants/{p.pk}/", {"action": "approve"})
    p.refresh_from_db()
    assert p.status == "approved"


def test_pages_render_for_organisers(client, setup):
    forum, a, b, ua, ub, boss = setup
    services.book_meeting(services.answer_request(services.request_meeting(a, b), accept=True, by=b),
                          slot=forum.slots.get(number=1), table=forum.tables.get(number=2))
    client.force_login(boss)
    for url in ("", "manage/", "manage/tables/", "manage/check-in/", "agenda/rs-a/print/"):
        assert client.get(f"/forums/{forum.slug}/{url}").status_code == 200, url
    assert client.get("/forums/").status_code == 200
    csv = client.get(f"/forums/{forum.slug}/manage/export.csv").content.decode("utf-8-sig").splitlines()
    assert csv[1].startswith("1,2026-06-01 09:00,09:20,1,2,Alpha,RS")
    assert client.get(f"/forums/{forum.slug}/manage/export.xlsx")["Content-Type"].startswith(
        "application/vnd.openxmlformats")


def test_list_page_does_not_show_drafts_to_visitors(client, make_forum):
    make_forum("Hidden Draft", status=Forum.Status.DRAFT)
    make_forum("Open Forum")
    page = client.get("/forums/").content.decode()
    assert "Open Forum" in page and "Hidden Draft" not in page


def test_availability_page_saves_unavailable_slots(client, setup):
    forum, a, b, ua, ub, boss = setup
    client.force_login(ua)
    wanted = list(forum.slots.filter(number__in=[1, 3]).values_list("pk", flat=True))
    assert client.post(f"/forums/{forum.slug}/availability/", {"unavailable": wanted}).status_code == 302
    assert sorted(a.unavailable.values_list("number", flat=True)) == [1, 3]
    page = client.get(f"/forums/{forum.slug}/availability/").content.decode()
    assert page.count("checked") == 2


def test_organiser_pages_make_the_same_number_of_queries_for_more_meetings(client, setup, join):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    forum, a, b, ua, ub, boss = setup
    client.force_login(boss)
    others = [join(forum, f"hu-{i}", f"Org {i}", country="HU") for i in range(4)]
    slots = list(forum.slots.order_by("number"))
    tables = list(forum.tables.order_by("number"))

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    def book(x, y, slot, table):
        req = services.answer_request(services.request_meeting(x, y), accept=True, by=y)
        services.book_meeting(req, slot=slot, table=table)

    book(a, others[0], slots[0], tables[0])
    urls = [f"/forums/{forum.slug}/", f"/forums/{forum.slug}/manage/", f"/forums/{forum.slug}/manage/tables/",
            f"/forums/{forum.slug}/manage/check-in/"]
    before = [queries(u) for u in urls]
    book(b, others[1], slots[0], tables[1])
    book(others[2], others[3], slots[1], tables[0])
    book(a, others[1], slots[2], tables[1])
    assert [queries(u) for u in urls] == before


def test_organiser_invites_an_organisation_from_the_directory(client, setup, make_org):
    forum, a, b, ua, ub, boss = setup
    org = make_org(id="pl-d", name="Delta", country="PL", contact_name="Dorota", contact_email="d@example.com")
    client.force_login(boss)
    client.post(f"/forums/{forum.slug}/manage/invite/", {"organisation": org.pk})
    p = forum.participants.get(organisation=org)
    assert (p.status, p.origin, [d.name for d in p.delegates.all()]) == ("approved", "invited", ["Dorota"])


def test_forum_pages_write_nothing_and_show_late_requests_as_expired(client, make_forum, join, django_user_model):
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from silkbridge.forums import services

    forum = make_forum("Late Forum", status=Forum.Status.OPEN, deadline=timezone.now() + timedelta(hours=1))
    a, b = join(forum, "rs-late-a"), join(forum, "cn-late-b")
    pending = services.request_meeting(a, b, "hello")
    Forum.objects.filter(pk=forum.pk).update(request_deadline=timezone.now() - timedelta(minutes=1))
    staff = django_user_model.objects.create_user("organiser", password="pw", is_staff=True)
    client.force_login(staff)
    with CaptureQueriesContext(connection) as queries:
        for url in (f"/forums/{forum.slug}/", f"/forums/{forum.slug}/manage/"):
            assert client.get(url).status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == []
    pending.refresh_from_db()
    assert pending.status == "pending"
    forum.refresh_from_db()
    assert services.request_counts(forum) == {"expired": 1}
    assert [r.status for r in services.as_shown(forum, [pending])] == ["expired"]


def test_the_list_page_and_the_api_show_the_same_forums_in_one_query(client, make_forum, django_assert_max_num_queries):
    make_forum("Open One", status=Forum.Status.OPEN)
    make_forum("Open Two", status=Forum.Status.PUBLISHED)
    make_forum("Hidden Draft Two", status=Forum.Status.DRAFT)
    with django_assert_max_num_queries(1):
        slugs = [f["slug"] for f in client.get("/api/v1/forums").json()]
    assert sorted(slugs) == ["open-one", "open-two"]
    assert client.get("/forums/hidden-draft-two/").status_code == 404
