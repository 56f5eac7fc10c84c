"""After a forum its delegates are anonymised and every statistic stays."""
import json
from datetime import date

import pytest
from django.contrib.auth import get_user_model

from silkbridge.accounts import services as accounts
from silkbridge.cli import main
from silkbridge.forums import privacy, services
from silkbridge.forums.models import Delegate, MeetingRequest, ScheduledMeeting

pytestmark = pytest.mark.django_db


def counts(forum):
    return (forum.participants.count(), MeetingRequest.objects.filter(forum=forum).count(),
            ScheduledMeeting.objects.filter(forum=forum).count(),
            forum.participants.filter(delegates__isnull=False).distinct().count())


def test_anonymising_removes_who_attended_and_the_messages_but_keeps_every_count(scheduled_six):
    forum, p = scheduled_six
    ana, _ = accounts.delegate_user("ana@example.rs", "Ana", "en")
    Delegate.objects.create(participant=p["rs-a"], user=ana)
    MeetingRequest.objects.filter(forum=forum).update(message="call me on +381 60 123")
    before = counts(forum)
    report = privacy.anonymise_forum(forum, today=date(2026, 6, 2))
    assert counts(forum) == before
    assert report.as_dict() == {"forum": forum.slug, "participants": 6, "delegates_removed": 7, "messages_cleared": 7}
    assert set(Delegate.objects.filter(participant__forum=forum).values_list("user__username", "person")) == {
        (privacy.PLACEHOLDER_USERNAME, None)}
    assert set(MeetingRequest.objects.filter(forum=forum).values_list("message", flat=True)) == {""}
    assert get_user_model().objects.get(username=privacy.PLACEHOLDER_USERNAME).is_active is False
    # Run again: nothing more to do, nothing lost.
    again = privacy.anonymise_forum(forum, today=date(2026, 6, 2))
    assert (again.delegates_removed, again.messages_cleared, counts(forum)) == (0, 0, before)


def test_a_forum_cannot_be_anonymised_before_it_is_over(make_forum):
    forum = make_forum()
    with pytest.raises(services.ForumError, match="ends on 2026-06-01"):
        privacy.anonymise_forum(forum, today=date(2026, 6, 1))


def test_the_cli_verb_prints_the_report_and_refuses_an_unknown_forum(scheduled_six, capsys):
    forum, _ = scheduled_six
    assert main(["forum", "anonymise", forum.slug, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["participants"] == 6
    assert main(["forum", "anonymise", "nope"]) == 2
    assert "no forum with slug or id 'nope'" in capsys.readouterr().err
