"""Setting a forum up: checked values, slots in the forum's own time zone, and the guard on slots holding meetings."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from silkbridge.forums import services, setup
from silkbridge.forums.models import Forum

pytestmark = pytest.mark.django_db


def make_setup(**changes) -> setup.ForumSetup:
    values = {"name": "Cangzhou Docking Meeting", "slug": "cangzhou", "starts_on": date(2026, 9, 8), "days": 1,
              "time_zone": "Asia/Shanghai", "sessions": tuple(setup.parse_sessions("09:00-10:00")), "slot_minutes": 20,
              "tables": 3}
    return setup.ForumSetup(**(values | changes))


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_slots_are_stored_in_utc_from_the_forums_local_hours():
    forum = setup.create(make_setup())
    assert [(s.number, s.start, s.end) for s in forum.slots.all()] == [
        (1, utc(2026, 9, 8, 1, 0), utc(2026, 9, 8, 1, 20)),
        (2, utc(2026, 9, 8, 1, 20), utc(2026, 9, 8, 1, 40)),
        (3, utc(2026, 9, 8, 1, 40), utc(2026, 9, 8, 2, 0)),
    ]
    assert (forum.time_zone, forum.tables.count(), forum.status) == ("Asia/Shanghai", 3, Forum.Status.OPEN)


def test_a_belgrade_forum_across_the_spring_clock_change_starts_at_nine_local_on_both_days():
    forum = setup.create(make_setup(slug="belgrade", time_zone="Europe/Belgrade", starts_on=date(2026, 3, 28),
                                    days=2, sessions=tuple(setup.parse_sessions("09:00-09:20"))))
    # Saturday is still winter time (UTC+1), Sunday summer time (UTC+2).
    assert [s.start for s in forum.slots.all()] == [utc(2026, 3, 28, 8, 0), utc(2026, 3, 29, 7, 0)]


def test_the_night_the_clocks_go_forward_holds_only_the_slots_that_really_fit():
    forum = setup.create(make_setup(slug="night", time_zone="Europe/Belgrade", starts_on=date(2026, 3, 29),
                                    sessions=tuple(setup.parse_sessions("01:00-04:00")), slot_minutes=30))
    # 01:00-04:00 local that night is two real hours (00:00Z-02:00Z): four slots, none overlapping.
    assert [(s.start, s.end) for s in forum.slots.all()] == [
        (utc(2026, 3, 29, 0, 0), utc(2026, 3, 29, 0, 30)), (utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 1, 0)),
        (utc(2026, 3, 29, 1, 0), utc(2026, 3, 29, 1, 30)), (utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 2, 0)),
    ]


def test_a_naive_deadline_is_the_forums_local_time():
    forum = setup.create(make_setup(request_deadline=datetime(2026, 9, 6, 18, 0)))
    assert forum.request_deadline == utc(2026, 9, 6, 10, 0)


def test_the_gap_between_two_sessions_is_a_pause():
    sessions = setup.parse_sessions("09:00-10:00,11:00-11:40")
    assert sessions == [{"name": "morning", "start": "09:00", "end": "10:00", "pauses": []},
                        {"name": "morning 2", "start": "11:00", "end": "11:40", "pauses": []}]
    forum = setup.create(make_setup(sessions=tuple(sessions)))
    assert forum.slots.count() == 5


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"time_zone": "Asia/Cangzhou"}, "time_zone", "unknown time zone 'Asia/Cangzhou': use an IANA name such as Asia/Shanghai"),
    ({"sessions": ({"start": "09:00", "end": "10:00"}, {"start": "09:40", "end": "11:00"})}, "sessions",
     "sessions 09:00-10:00 and 09:40-11:00 overlap"),
    ({"sessions": ({"start": "09:00", "end": "09:15"},)}, "sessions",
     "session 1 (09:00-09:15) leaves no room for a 20-minute slot"),
    ({"sessions": ({"start": "10:00", "end": "09:00"},)}, "sessions", "session 1 (10:00-09:00) ends before it starts"),
    ({"tables": 0}, "tables", "a forum has between 1 and 2000 tables"),
    ({"slug": "no spaces"}, "slug", "short name 'no spaces': use letters, digits, hyphens or underscores (up to 100)"),
])
def test_a_bad_value_is_refused_naming_the_field(changes, field, message):
    with pytest.raises(setup.SetupError) as caught:
        setup.create(make_setup(**changes))
    assert (caught.value.field, str(caught.value)) == (field, message)
    assert Forum.objects.count() == 0


def test_a_taken_short_name_is_refused():
    setup.create(make_setup())
    with pytest.raises(setup.SetupError) as caught:
        setup.create(make_setup(name="Another"))
    assert (caught.value.field, str(caught.value)) == ("slug", "the short name 'cangzhou' is already taken")


def test_tables_by_name():
    forum = setup.create(make_setup(tables="Hall A, Hall B"))
    assert list(forum.tables.values_list("number", "name")) == [(1, "Hall A"), (2, "Hall B")]


def test_an_unknown_city_is_added_in_the_time_zones_country(reference):
    forum = setup.create(make_setup(city="Cangzhou"))
    assert (forum.city.name_en, forum.city.country_id) == ("Cangzhou", "CN")


def test_editing_before_scheduling_regenerates_the_slots_and_keeps_availability(make_org):
    forum = setup.create(make_setup())
    participant = services.invite(forum, make_org(id="rs-a", name="A"))
    first = forum.slots.get(number=1)
    services.set_unavailable(participant, [first])
    forum = setup.update(forum, replace(setup.setup_of(forum),
                                        sessions=tuple(setup.parse_sessions("08:20-10:00")), tables=4))
    assert [(s.number, s.start) for s in forum.slots.all()] == [
        (1, utc(2026, 9, 8, 0, 20)), (2, utc(2026, 9, 8, 0, 40)), (3, utc(2026, 9, 8, 1, 0)),
        (4, utc(2026, 9, 8, 1, 20)), (5, utc(2026, 9, 8, 1, 40))]
    # The 09:00 slot is the same slot, renumbered: the participant's choice stays with it.
    assert list(participant.unavailable.values_list("pk", "number")) == [(first.pk, 3)]
    assert forum.tables.count() == 4


@pytest.fixture
def scheduled(make_org):
    forum = setup.create(make_setup(tables=2))
    a = services.invite(forum, make_org(id="rs-a", name="A"))
    b = services.invite(forum, make_org(id="cn-b", name="B", country="CN"))
    services.answer_request(services.request_meeting(a, b), accept=True, by=b)
    services.schedule_forum(forum, time_limit=5)
    return forum


def test_an_edit_that_would_remove_a_slot_holding_a_meeting_is_refused_with_the_reason(scheduled):
    meeting = scheduled.meetings.get()
    services.move_meeting(meeting, slot=scheduled.slots.get(number=3), table=scheduled.tables.get(number=1))
    with pytest.raises(setup.SetupError) as caught:
        setup.update(scheduled, replace(setup.setup_of(scheduled), sessions=tuple(setup.parse_sessions("09:00-09:40"))))
    assert str(caught.value) == ("this change would remove slot 3 (day 1, 2026-09-08 09:40–10:00), which holds "
                                 "1 meeting(s): move or unschedule those meetings first")
    assert scheduled.slots.count() == 3
    assert scheduled.meetings.get().slot.number == 3


def test_an_edit_that_keeps_the_slots_in_use_goes_through_once_scheduled(scheduled):
    meeting = scheduled.meetings.get()
    services.move_meeting(meeting, slot=scheduled.slots.get(number=1), table=scheduled.tables.get(number=1))
    forum = setup.update(scheduled, replace(setup.setup_of(scheduled),
                                            sessions=tuple(setup.parse_sessions("09:00-09:40")), name="Renamed"))
    assert (forum.name, forum.slots.count(), forum.meetings.get().slot.start) == ("Renamed", 2, utc(2026, 9, 8, 1, 0))


def test_removing_a_table_holding_a_meeting_is_refused_and_renaming_one_is_not(scheduled):
    meeting = scheduled.meetings.get()
    services.move_meeting(meeting, slot=scheduled.slots.get(number=1), table=scheduled.tables.get(number=2))
    with pytest.raises(setup.SetupError) as caught:
        setup.update(scheduled, replace(setup.setup_of(scheduled), tables=1))
    assert (caught.value.field, str(caught.value)) == ("tables", "this change would remove table(s) 2, which hold meetings")
    forum = setup.update(scheduled, replace(setup.setup_of(scheduled), tables=("Hall A", "Hall B")))
    assert list(forum.tables.values_list("number", "name")) == [(1, "Hall A"), (2, "Hall B")]
