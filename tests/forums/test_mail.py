"""Publishing a schedule e-mails the participants whose agenda changed, each their own agenda and ICS file."""
from __future__ import annotations

import pytest
from django.core import mail

from silkbridge.forums import agendas, services
from silkbridge.forums.models import ScheduleVersion

pytestmark = pytest.mark.django_db


def accepted(a, b, message=""):
    return services.answer_request(services.request_meeting(a, b, message), accept=True, by=b)


def publish(forum, capture):
    with capture(execute=True):
        return services.publish_schedule(forum, by=None)


def test_first_publication_mails_every_participant_their_agenda_in_their_language(
        make_forum, join, django_capture_on_commit_callbacks):
    forum = make_forum(slots=3, tables=2, venue="Sava Centar")
    a, b, c = join(forum, "rs-a"), join(forum, "cn-b", country="CN"), join(forum, "hu-c", country="HU")
    accepted(a, b, "We ship by rail")
    accepted(c, a)
    services.schedule_forum(forum, time_limit=5)
    publish(forum, django_capture_on_commit_callbacks)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == ["cn-b@example.com", "hu-c@example.com", "rs-a@example.com"]
    english = by_address["hu-c@example.com"]
    assert english.subject == "Your meetings at Test Forum"
    assert "Contact of rs-a, Director <rs-a@example.com>" in english.body and "Sava Centar" in english.body
    name, ics, mimetype = english.attachments[0]
    assert (name, mimetype) == (f"agenda-{forum.slug}.ics", "text/calendar")
    assert ics.count("BEGIN:VEVENT") == 1 and "Contact of rs-a" in ics
    assert by_address["cn-b@example.com"].subject.startswith("您在")  # Chinese for a Chinese participant
    assert "Test Forum" in by_address["rs-a@example.com"].subject and "састанци" in by_address["rs-a@example.com"].subject


def test_republication_mails_only_the_participants_whose_meetings_moved(scheduled_six,
                                                                          django_capture_on_commit_callbacks):
    forum, p = scheduled_six
    publish(forum, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    services.cancel_participant(p["sk-f"])
    services.schedule_forum(forum, time_limit=5)
    version = publish(forum, django_capture_on_commit_callbacks)
    told = sorted(m.to[0].split("@")[0] for m in mail.outbox)
    assert told == sorted(version.notify) and "cz-e" in told and "pl-d" in told
    assert len(told) < 6


def test_participants_without_an_address_are_reported_not_skipped_silently(make_forum, join, make_org):
    forum = make_forum(slots=2, tables=1)
    a, b = join(forum, "rs-a"), join(forum, "cn-b", country="CN")
    for d in b.delegates.select_related("person"):
        d.person.email = ""
        d.person.save()
    accepted(a, b)
    services.schedule_forum(forum, time_limit=5)
    version = services.publish_schedule(forum, by=None)  # no commit here: nothing is dispatched yet
    assert mail.outbox == []
    report = agendas.send_agendas(ScheduleVersion.objects.get(pk=version.pk))
    assert (report.sent, report.without_address) == (("rs-a",), ("cn-b",))
    assert [m.to for m in mail.outbox] == [["rs-a@example.com"]]


def test_cli_publish_mails_in_its_own_process_unless_told_not_to(make_forum, join, capsys):
    import json

    from silkbridge.cli import main

    forum = make_forum(slots=2, tables=1)
    a, b = join(forum, "rs-a"), join(forum, "cn-b", country="CN")
    accepted(a, b)
    services.schedule_forum(forum, time_limit=5)
    assert main(["forum", "publish", forum.slug, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["mailed"], out["without_address"]) == (["cn-b", "rs-a"], [])
    assert sorted(m.to[0] for m in mail.outbox) == ["cn-b@example.com", "rs-a@example.com"]
