"""`silkbridge forum create|edit|organisers|requests import`: exact outputs and exit statuses."""
from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from icalendar import Calendar

from silkbridge.cli import main
from silkbridge.forums import services
from silkbridge.forums.models import Forum, MeetingRequest

pytestmark = pytest.mark.django_db

CREATE = ["forum", "create", "cangzhou", "--name", "China–CEEC SME Cooperation Forum", "--starts", "2026-09-08",
          "--days", "2", "--timezone", "Asia/Shanghai", "--sessions", "09:00-10:00,14:00-15:00",
          "--slot-minutes", "20", "--tables", "12"]


def test_create_prints_the_forum_its_zone_and_counts(capsys):
    assert main([*CREATE, "--venue", "Cangzhou Convention Centre", "--deadline", "2026-09-06T18:00", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"forum": "cangzhou", "timezone": "Asia/Shanghai", "slots": 12,
                                                   "tables": 12}
    forum = Forum.objects.get(slug="cangzhou")
    assert forum.slots.first().start == datetime(2026, 9, 8, 1, 0, tzinfo=UTC)
    assert forum.request_deadline == datetime(2026, 9, 6, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(("change", "error"), [
    (("--timezone", "China/Cangzhou"),
     "--timezone: unknown time zone 'China/Cangzhou': use an IANA name such as Asia/Shanghai"),
    (("--sessions", "09:00-10:00,09:30-11:00"), "--sessions: sessions 09:00-10:00 and 09:30-11:00 overlap"),
    (("--sessions", "09:00-09:10"), "--sessions: session 1 (09:00-09:10) leaves no room for a 20-minute slot"),
    (("--sessions", "9 to 10"), "--sessions: '9 to 10' is not a session: write HH:MM-HH:MM"),
    (("--deadline", "6 Sept"), "--deadline: '6 Sept' is not a valid date/time"),
])
def test_bad_input_exits_2_naming_the_option(change, error, capsys):
    args = list(CREATE)
    if change[0] in args:
        args[args.index(change[0]) + 1] = change[1]
    else:
        args += list(change)
    assert main(args) == 2
    assert capsys.readouterr().err == f"silkbridge forum: error: {error}\n"
    assert Forum.objects.count() == 0


def test_a_taken_slug_exits_2(capsys):
    assert main(CREATE) == 0
    capsys.readouterr()
    assert main(CREATE) == 2
    assert capsys.readouterr().err == "silkbridge forum: error: SLUG: the short name 'cangzhou' is already taken\n"


def test_edit_regenerates_the_slots(capsys):
    assert main(CREATE) == 0
    assert main(["forum", "edit", "cangzhou", "--sessions", "09:00-11:00", "--tables", "A,B,C", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.splitlines()[-1]) == {"forum": "cangzhou", "timezone": "Asia/Shanghai",
                                                                    "slots": 12, "tables": 3}


def test_organisers_are_added_by_e_mail(django_user_model, capsys):
    django_user_model.objects.create_user("ana", "ana@example.org", "x")
    assert main(CREATE) == 0
    capsys.readouterr()
    assert main(["forum", "organisers", "cangzhou", "--add", "ANA@example.org", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"forum": "cangzhou", "organisers": ["ana@example.org"]}
    assert main(["forum", "organisers", "cangzhou", "--add", "nobody@example.org"]) == 2


@pytest.fixture
def forum_of_four(make_forum, join):
    """One slot, one table: only one of the requested meetings can take place."""
    forum = make_forum("Pairs", slots=1, tables=1)
    for key in ("rs-a", "cn-b", "hu-c", "cn-d", "pl-e"):
        join(forum, key)
    forum.participants.filter(organisation__external_id="pl-e").update(status="cancelled")
    return forum


def test_pairings_import_reports_like_import_orgs(forum_of_four, tmp_path, capsys):
    path = tmp_path / "pairings.csv"
    path.write_text("from,to,priority,message\n"
                    "rs-a,cn-b,,Steel\n"
                    "hu-c,cn-d,must,\n"
                    "rs-a,xx-none,normal,\n"
                    "rs-a,pl-e,normal,\n"
                    "cn-b,rs-a,must,\n"
                    "rs-a,hu-c,urgent,\n", encoding="utf-8")
    assert main(["forum", "requests", "import", "pairs", str(path), "--json"]) == 1
    assert json.loads(capsys.readouterr().out) == {
        "imported": 2, "created": 2, "updated": 0, "unchanged": 0, "rejected": [
            {"row": 4, "id": "rs-a", "field": "to", "error": "no organisation with id 'xx-none'"},
            {"row": 5, "id": "rs-a", "field": "to", "error": "'pl-e' does not take part in pairs"},
            {"row": 6, "id": "cn-b", "field": "to", "error": "this pair already appears in row 2"},
            {"row": 7, "id": "rs-a", "field": "priority", "error": "unknown priority 'urgent'; use must or normal"},
        ]}
    assert sorted(MeetingRequest.objects.values_list("requester__organisation__external_id",
                                                     "recipient__organisation__external_id", "status", "priority")) == [
        ("hu-c", "cn-d", "accepted", "must"), ("rs-a", "cn-b", "accepted", "normal")]
    # The same file again changes nothing.
    assert main(["forum", "requests", "import", "pairs", str(path), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["unchanged"] == 2
    assert MeetingRequest.objects.count() == 2


def test_a_pairing_answers_a_pending_request_and_sets_its_priority(forum_of_four, tmp_path, capsys):
    a, b = (services.find_participant(forum_of_four, k) for k in ("rs-a", "cn-b"))
    request = services.request_meeting(b, a, "hello")
    path = tmp_path / "pairings.csv"
    path.write_text("from,to,priority\nrs-a,cn-b,must\n", encoding="utf-8")
    assert main(["forum", "requests", "import", "pairs", str(path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["updated"] == 1
    request.refresh_from_db()
    assert (request.status, request.priority, request.message) == ("accepted", "must", "hello")


@pytest.mark.parametrize(("priority", "held"), [
    ("must", [("rs-a", "hu-c")]),
    # Without the must, two meetings beat one: the check that the priority is what decides.
    ("normal", [("rs-a", "cn-b"), ("hu-c", "cn-d")]),
])
def test_must_meetings_are_the_ones_the_schedule_holds(priority, held, make_forum, join, tmp_path, capsys):
    forum = make_forum("Pairs", slots=1, tables=2)
    for key in ("rs-a", "cn-b", "hu-c", "cn-d"):
        join(forum, key)
    path = tmp_path / "pairings.csv"
    path.write_text(f"from,to,priority\nrs-a,cn-b,normal\nhu-c,cn-d,normal\nrs-a,hu-c,{priority}\n", encoding="utf-8")
    assert main(["forum", "requests", "import", "pairs", str(path)]) == 0
    services.schedule_forum(forum, time_limit=5)
    assert sorted((m.participant_a.organisation.external_id, m.participant_b.organisation.external_id)
                  for m in forum.meetings.all()) == sorted(held)


def test_the_calendar_file_gives_shanghai_times_that_are_right_in_utc(capsys, tmp_path, join):
    assert main([*CREATE, "--tables", "1"]) == 0
    forum = Forum.objects.get(slug="cangzhou")
    a, b = join(forum, "rs-a"), join(forum, "cn-b", country="CN")
    services.answer_request(services.request_meeting(a, b), accept=True, by=b)
    services.schedule_forum(forum, time_limit=5)
    meeting = forum.meetings.get()
    services.move_meeting(meeting, slot=forum.slots.get(number=1), table=forum.tables.get())
    out = tmp_path / "a.ics"
    assert main(["forum", "agenda", "cangzhou", "rs-a", "--ics", "-o", str(out)]) == 0
    text = out.read_text()
    assert "DTSTART;TZID=Asia/Shanghai:20260908T090000" in text
    assert "BEGIN:VTIMEZONE" in text
    event = next(c for c in Calendar.from_ical(text).walk("VEVENT"))
    assert event.decoded("dtstart").astimezone(UTC) == datetime(2026, 9, 8, 1, 0, tzinfo=UTC)


def test_a_host_stand_keeps_every_meeting_of_its_host_at_that_table(make_forum, join, capsys):
    forum = make_forum("Stands", slots=3, tables=3)
    host = join(forum, "cn-host", country="CN")
    guests = [join(forum, k) for k in ("rs-a", "hu-b", "pl-c")]
    for guest in guests:
        services.answer_request(services.request_meeting(guest, host), accept=True, by=host)
    assert main(["forum", "hosts", "stands", "3=cn-host", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"forum": "stands", "hosts": {"3": "cn-host"}}
    services.schedule_forum(forum, time_limit=5)
    assert sorted(forum.meetings.values_list("table__number", flat=True)) == [3, 3, 3]
    assert main(["forum", "hosts", "stands", "9=cn-host"]) == 2
    assert capsys.readouterr().err == "silkbridge forum: error: 9=cn-host: there is no table 9\n"
    assert main(["forum", "hosts", "stands", "3=", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["hosts"] == {}
