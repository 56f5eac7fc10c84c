"""Forum events reach the delegates with accounts: in their language, in the forum's zone, once per event."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail

from silkbridge.accounts.services import delegate_user, update_preferences
from silkbridge.cli import main
from silkbridge.forums import agendas, notifications, services

pytestmark = pytest.mark.django_db

DEADLINE = datetime(2026, 9, 6, 10, 0, tzinfo=UTC)  # 18:00 in Shanghai


@pytest.fixture
def forum(make_forum):
    forum = make_forum("Cangzhou", slots=3, tables=2, deadline=DEADLINE, time_zone="Asia/Shanghai")
    return forum


@pytest.fixture
def delegate(make_org):
    def make(forum, external_id, email, language, country="RS"):
        user, _ = delegate_user(email, f"Delegate {external_id}", language)
        org = make_org(id=external_id, name=external_id.upper(), country=country)
        return services.invite(forum, org, people=[], users=[user]), user

    return make


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a write and the background work it queues when its transaction commits."""
    def run(func, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return func(*args, **kwargs)

    return run


def messages_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def test_a_request_is_announced_to_the_invited_side_in_their_language_once(forum, delegate, committed):
    a, _ = delegate(forum, "rs-a", "ana@example.rs", "sr-latn")
    b, _ = delegate(forum, "cn-b", "bo@example.cn", "zh-hans", country="CN")
    request = committed(services.request_meeting, a, b, "Čelik", now=DEADLINE - timedelta(days=5))
    [message] = messages_to("bo@example.cn")
    assert message.subject == "RS-A 希望在 Cangzhou 与您会谈"
    assert "Čelik" in message.body and "/zh-hans/forums/cangzhou/requests/" in message.body
    # The deadline is written in Shanghai time.
    assert "2026 18:00（Asia/Shanghai）" in message.body
    # Optional: it ends with the way to turn such notices off.
    assert message.body.rstrip().endswith("/zh-hans/accounts/me/")
    assert notifications.request_received(request.pk) == 0
    assert len(messages_to("bo@example.cn")) == 1


def test_the_asking_side_learns_the_answer(forum, delegate, committed):
    a, _ = delegate(forum, "rs-a", "ana@example.rs", "sr-latn")
    b, _ = delegate(forum, "cn-b", "bo@example.cn", "zh-hans", country="CN")
    request = committed(services.request_meeting, a, b, now=DEADLINE - timedelta(days=5))
    committed(services.answer_request, request, accept=True, by=b, now=DEADLINE - timedelta(days=4))
    [message] = messages_to("ana@example.rs")
    assert message.subject == "CN-B je prihvatio vaš zahtev za sastanak"
    assert notifications.request_answered(request.pk) == 0


def test_a_person_who_turned_notices_off_gets_no_request_notice_but_still_their_agenda(forum, delegate, committed):
    a, _ = delegate(forum, "rs-a", "ana@example.rs", "en")
    b, bo = delegate(forum, "cn-b", "bo@example.cn", "en", country="CN")
    update_preferences(bo, optional_notices=False)
    request = committed(services.request_meeting, a, b, now=DEADLINE - timedelta(days=5))
    assert messages_to("bo@example.cn") == []
    committed(services.answer_request, request, accept=True, by=b, now=DEADLINE - timedelta(days=4))
    services.schedule_forum(forum, time_limit=5, now=DEADLINE - timedelta(days=3))
    committed(services.publish_schedule, forum)
    [agenda] = messages_to("bo@example.cn")
    assert agenda.subject == "Your meetings at Cangzhou"
    assert "Times are local to the forum (Asia/Shanghai)." in agenda.body
    assert [name for name, _, _ in agenda.attachments] == ["agenda-cangzhou.ics"]


def test_a_changed_schedule_is_announced_as_a_change_once_per_version(forum, delegate, committed):
    a, _ = delegate(forum, "rs-a", "ana@example.rs", "en")
    b, _ = delegate(forum, "cn-b", "bo@example.cn", "en", country="CN")
    committed(services.answer_request, committed(services.request_meeting, a, b, now=DEADLINE - timedelta(days=5)), accept=True, by=b,
                            now=DEADLINE - timedelta(days=4))
    services.schedule_forum(forum, time_limit=5, now=DEADLINE - timedelta(days=3))
    version = committed(services.publish_schedule, forum)
    meeting = forum.meetings.get()
    other = forum.slots.exclude(pk=meeting.slot_id).first()
    services.move_meeting(meeting, slot=other, table=meeting.table)
    committed(services.publish_schedule, forum)
    subjects = [m.subject for m in messages_to("bo@example.cn")]
    assert subjects == ["RS-A asks to meet you at Cangzhou", "Your meetings at Cangzhou",
                        "Your meetings at Cangzhou have changed"]
    # A retried mail job sends nothing again.
    agendas.send_agendas(version)
    assert len(messages_to("bo@example.cn")) == 3


def test_the_deadline_reminder_goes_once_to_those_with_unanswered_requests(forum, delegate, capsys, committed):
    a, _ = delegate(forum, "rs-a", "ana@example.rs", "en")
    b, _ = delegate(forum, "cn-b", "bo@example.cn", "en", country="CN")
    committed(services.request_meeting, a, b, now=DEADLINE - timedelta(days=5))
    mail.outbox.clear()
    assert notifications.remind_deadline(forum, now=DEADLINE - timedelta(hours=49)) == 0
    assert notifications.remind_deadline(forum, now=DEADLINE - timedelta(hours=47)) == 1
    assert notifications.remind_deadline(forum, now=DEADLINE - timedelta(hours=2)) == 0
    [message] = mail.outbox
    assert message.to == ["bo@example.cn"]
    assert "1 meeting request at Cangzhou is waiting for your answer." in message.body
    assert "6 September 2026 18:00 (Asia/Shanghai)" in message.body


def test_the_remind_command_covers_every_forum_near_its_deadline(make_forum, delegate, capsys, committed):
    soon = datetime.now(UTC) + timedelta(hours=30)
    forum = make_forum("Soon", deadline=soon)
    make_forum("Later", deadline=soon + timedelta(days=10))
    a, _ = delegate(forum, "rs-a", "ana@example.rs", "en")
    b, _ = delegate(forum, "cn-b", "bo@example.cn", "en", country="CN")
    committed(services.request_meeting, a, b)
    assert main(["forum", "remind", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"reminded": {"soon": 1}}
    assert main(["forum", "remind", "soon", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"reminded": {"soon": 0}}
