"""The forum write path: requests, answers, expiry, scheduling, publication, agendas and late changes."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from silkbridge.forums import agendas, exports, services
from silkbridge.forums.models import Booking, Forum, MeetingRequest

pytestmark = pytest.mark.django_db


def accepted(a, b, message=""):
    req = services.request_meeting(a, b, message)
    return services.answer_request(req, accept=True, by=b)


def test_slots_follow_the_sessions_and_skip_pauses(make_forum):
    forum = make_forum(sessions=[
        {"name": "morning", "start": "09:00", "end": "10:40", "pauses": [["09:40", "10:00"]]},
        {"name": "afternoon", "start": "14:00", "end": "14:45", "pauses": []},
    ], days=2)
    local = timezone.get_current_timezone()
    starts = [(s.day, s.session, s.start.astimezone(local).strftime("%H:%M")) for s in forum.slots.all()]
    day = [("morning", "09:00"), ("morning", "09:20"), ("morning", "10:00"), ("morning", "10:20"),
           ("afternoon", "14:00"), ("afternoon", "14:20")]
    assert starts == [(1, s, t) for s, t in day] + [(2, s, t) for s, t in day]
    assert list(forum.slots.values_list("number", flat=True)) == list(range(1, 13))


def test_request_accept_schedule_publish_agenda(make_forum, join):
    forum = make_forum(slots=3, tables=2)
    a, b, c = join(forum, "rs-a"), join(forum, "cn-b", country="CN"), join(forum, "hu-c", country="HU")
    accepted(a, b, "We ship by rail")
    accepted(c, a)
    result = services.schedule_forum(forum, time_limit=5)
    assert (result.status, result.placed, result.unplaced, result.warnings) == ("optimal", 2, 0, ())
    forum.refresh_from_db()
    assert forum.status == Forum.Status.SCHEDULED
    version = services.publish_schedule(forum, by=None)
    forum.refresh_from_db()
    assert (forum.status, version.number, version.notify) == (Forum.Status.PUBLISHED, 1, ["cn-b", "hu-c", "rs-a"])
    items = agendas.agenda(a)
    assert [i.other_id for i in items] in (["cn-b", "hu-c"], ["hu-c", "cn-b"])
    # Participant a meets twice with no gap: the solver avoids breaks.
    assert [i.slot for i in items] in ([1, 2], [2, 3])
    b_item = next(i for i in items if i.other_id == "cn-b")
    assert b_item.message == "We ship by rail"
    assert b_item.other_people == (services.Contact("Contact of cn-b", "Director", "cn-b@example.com", ""),)
    assert [i.other_id for i in agendas.agenda(b)] == ["rs-a"]


def test_publishing_without_a_schedule_is_refused(make_forum):
    forum = make_forum()
    with pytest.raises(services.ForumError, match="run the scheduler first"):
        services.publish_schedule(forum, by=None)


def test_unanswered_requests_expire_at_the_deadline(make_forum, join):
    deadline = datetime(2026, 5, 25, 12, 0, tzinfo=UTC)
    forum = make_forum(deadline=deadline)
    a, b, c = join(forum, "rs-a"), join(forum, "cn-b"), join(forum, "hu-c")
    early = deadline - timedelta(days=2)
    pending = services.request_meeting(a, b, now=early)
    answered = services.answer_request(services.request_meeting(c, b, now=early), accept=False, now=early)
    assert services.expire_requests(forum, deadline - timedelta(seconds=1)) == 0
    assert services.expire_requests(forum, deadline) == 1
    pending.refresh_from_db()
    answered.refresh_from_db()
    assert (pending.status, answered.status) == ("expired", "declined")
    with pytest.raises(services.ForumError, match="expired"):
        services.answer_request(pending, accept=True, now=deadline)
    with pytest.raises(services.ForumError, match="deadline"):
        services.request_meeting(a, c, now=deadline + timedelta(minutes=1))


def test_answering_after_the_deadline_expires_the_request_first(make_forum, join):
    deadline = datetime(2026, 5, 25, 12, 0, tzinfo=UTC)
    forum = make_forum(deadline=deadline)
    a, b = join(forum, "rs-a"), join(forum, "cn-b")
    req = services.request_meeting(a, b, now=deadline - timedelta(hours=1))
    with pytest.raises(services.ForumError, match="expired"):
        services.answer_request(req, accept=True, by=b, now=deadline + timedelta(hours=1))
    assert MeetingRequest.objects.get(pk=req.pk).status == "expired"


def test_only_the_recipient_answers_and_pairs_are_requested_once(make_forum, join):
    forum = make_forum()
    a, b = join(forum, "rs-a"), join(forum, "cn-b")
    req = services.request_meeting(a, b)
    with pytest.raises(services.ForumError, match="only the invited side"):
        services.answer_request(req, accept=True, by=a)
    with pytest.raises(services.ForumError, match="already a request"):
        services.request_meeting(b, a)
    with pytest.raises(services.ForumError, match="themself"):
        services.request_meeting(a, a)


def test_contact_details_become_visible_once_a_meeting_is_accepted(make_forum, join):
    forum = make_forum()
    a, b = join(forum, "rs-a"), join(forum, "cn-b")
    req = services.request_meeting(a, b)
    assert services.contacts(a, b) == (services.Contact("Contact of cn-b", "Director", "", ""),)
    services.answer_request(req, accept=True, by=b)
    assert services.contacts(a, b) == (services.Contact("Contact of cn-b", "Director", "cn-b@example.com", ""),)
    assert services.contacts(b, a) == (services.Contact("Contact of rs-a", "Director", "rs-a@example.com", ""),)


def test_declined_request_keeps_contacts_hidden(make_forum, join):
    forum = make_forum()
    a, b = join(forum, "rs-a"), join(forum, "cn-b")
    services.answer_request(services.request_meeting(a, b), accept=False, by=b)
    assert services.contacts_visible(a, b) is False


def test_unavailable_slots_are_respected(make_forum, join):
    forum = make_forum(slots=3, tables=1)
    a, b = join(forum, "rs-a"), join(forum, "cn-b")
    accepted(a, b)
    services.set_unavailable(a, forum.slots.filter(number__in=[1, 2]))
    services.schedule_forum(forum, time_limit=5)
    assert list(forum.meetings.values_list("slot__number", flat=True)) == [3]


def test_reschedule_after_a_cancellation_moves_few_meetings_and_lists_who_to_notify(scheduled_six):
    forum, p = scheduled_six
    services.publish_schedule(forum, by=None)
    before = dict(forum.meetings.values_list("request_id", "slot__number"))
    lost = services.cancel_participant(p["sk-f"])
    assert [x.organisation.external_id for x in lost] == ["cz-e", "pl-d"]
    result = services.schedule_forum(forum, time_limit=5)
    after = dict(forum.meetings.values_list("request_id", "slot__number"))
    assert len(after) == 5
    # The five remaining meetings keep their slots: removing meetings never forces a move.
    assert {k: before[k] for k in after} == after
    assert result.moved == 0
    assert result.notify == ("cz-e", "pl-d", "sk-f")
    assert len(result.changes) == 2 and all("removed" in c for c in result.changes)
    version = services.publish_schedule(forum, by=None)
    assert version.notify == ["cz-e", "pl-d", "sk-f"]


def test_an_added_meeting_is_placed_without_moving_the_others(make_forum, join):
    forum = make_forum(slots=4, tables=2)
    p = {k: join(forum, k) for k in ("rs-a", "cn-b", "hu-c", "pl-d")}
    accepted(p["rs-a"], p["cn-b"])
    accepted(p["hu-c"], p["pl-d"])
    services.schedule_forum(forum, time_limit=5)
    services.publish_schedule(forum, by=None)
    before = dict(forum.meetings.values_list("request_id", "slot__number"))
    late = accepted(p["cn-b"], p["hu-c"])
    result = services.schedule_forum(forum, time_limit=5)
    after = dict(forum.meetings.values_list("request_id", "slot__number"))
    assert {k: after[k] for k in before} == before
    assert (result.moved, result.placed, result.notify) == (0, 3, ("cn-b", "hu-c"))
    assert result.changes[0].startswith(f"meeting {late.pk} added in slot")


def test_moving_a_meeting_by_hand_into_a_busy_slot_is_refused(make_forum, join):
    forum = make_forum(slots=2, tables=2)
    a, b, c = join(forum, "rs-a"), join(forum, "cn-b"), join(forum, "hu-c")
    r1, r2 = accepted(a, b), accepted(a, c)
    slot1, slot2 = forum.slots.get(number=1), forum.slots.get(number=2)
    t1, t2 = forum.tables.get(number=1), forum.tables.get(number=2)
    m1 = services.book_meeting(r1, slot=slot1, table=t1)
    services.book_meeting(r2, slot=slot2, table=t1)
    with pytest.raises(services.ForumError, match="RS-A already has a meeting in slot 2"):
        services.move_meeting(m1, slot=slot2, table=t2)
    assert Booking.objects.get(meeting=m1, participant=a).slot == slot1


def test_moving_into_an_unavailable_slot_is_allowed_with_the_validator_warning(make_forum, join):
    forum = make_forum(slots=2, tables=1)
    a, b = join(forum, "rs-a"), join(forum, "cn-b")
    meeting = services.book_meeting(accepted(a, b), slot=forum.slots.get(number=1), table=forum.tables.get(number=1))
    services.set_unavailable(b, [forum.slots.get(number=2)])
    warnings = services.move_meeting(meeting, slot=forum.slots.get(number=2), table=forum.tables.get(number=1))
    assert warnings == [f"meeting {meeting.request_id} is in slot 2, which participant cn-b cannot attend"]


def test_check_in_and_no_show(make_forum, join):
    forum = make_forum()
    a, b = join(forum, "rs-a"), join(forum, "cn-b")
    meeting = services.book_meeting(accepted(a, b), slot=forum.slots.first(), table=forum.tables.first())
    at = datetime(2026, 6, 1, 8, 30, tzinfo=UTC)
    assert services.check_in(a, at=at).checked_in_at == at
    services.mark_attendance(meeting, "no_show", no_show_by=b)
    meeting.refresh_from_db()
    assert (meeting.attendance, meeting.no_show_by_id) == ("no_show", b.pk)


def test_export_csv_and_xlsx_hold_the_same_rows(make_forum, join):
    import io

    from openpyxl import load_workbook

    forum = make_forum()
    a, b = join(forum, "rs-a", "Alpha"), join(forum, "cn-b", "Beta", country="CN")
    services.book_meeting(accepted(a, b), slot=forum.slots.get(number=2), table=forum.tables.get(number=2))
    text = exports.export_schedule(forum, "csv").decode("utf-8-sig")
    assert text.splitlines() == [
        ",".join(exports.EXPORT_HEADER),
        "1,2026-06-01 09:20,09:40,2,2,Alpha,RS,Contact of rs-a,Beta,CN,Contact of cn-b,expected",
    ]
    sheet = load_workbook(io.BytesIO(exports.export_schedule(forum, "xlsx"))).active
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [line.split(",") for line in text.splitlines()]


def test_ics_has_one_event_per_meeting_with_times_and_table(make_forum, join):
    from icalendar import Calendar

    forum = make_forum(venue="Sava Centar")
    a, b = join(forum, "rs-a", "Alpha"), join(forum, "cn-b", "Beta", country="CN")
    services.book_meeting(accepted(a, b, "rail freight"), slot=forum.slots.get(number=2), table=forum.tables.get(number=1))
    cal = Calendar.from_ical(agendas.agenda_ics(a))
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["summary"]) == "Meeting: Beta (table 1)"
    assert str(event["location"]) == "Table 1, Sava Centar"
    assert event.decoded("dtstart") == forum.slots.get(number=2).start
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=20)
    assert str(event["description"]) == "Contact of cn-b, Director <cn-b@example.com>\nMessage: rail freight"


def test_a_host_meets_everyone_at_their_own_stand(make_forum, join):
    forum = make_forum(slots=3, tables=3)
    host, b, c, d = join(forum, "rs-city"), join(forum, "cn-b"), join(forum, "hu-c"), join(forum, "pl-d")
    forum.tables.filter(number=2).update(host=host)
    for other in (b, c, d):
        accepted(host, other)
    accepted(b, c)
    result = services.schedule_forum(forum, time_limit=5)
    assert (result.placed, result.warnings) == (4, ())
    tables = sorted(forum.meetings.filter(bookings__participant=host).values_list("table__number", flat=True))
    assert tables == [2, 2, 2]
    assert forum.meetings.exclude(bookings__participant=host).get().table.number != 2


def test_forum_and_participant_lookup_errors_name_what_was_asked(make_forum, join):
    forum = make_forum("Lookup Forum")
    assert services.find_forum("lookup-forum") == forum
    assert services.find_forum(str(forum.pk)) == forum
    with pytest.raises(services.ForumError, match="no forum with slug or id 'nope'"):
        services.find_forum("nope")
    with pytest.raises(services.ForumError, match="organisation 'xx' does not take part in lookup-forum"):
        services.find_participant(forum, "xx")
