"""Answered meeting requests become the re-ranker's decisions; unanswered ones do not."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from silkbridge.engines.matching import Decision
from silkbridge.forums import services
from silkbridge.forums.decisions import meeting_decisions

pytestmark = pytest.mark.django_db


def test_accepted_and_declined_requests_are_decisions_dated_when_answered(make_forum, join):
    forum = make_forum()
    a, b, c, d = (join(forum, k) for k in ("rs-a", "cn-b", "hu-c", "pl-d"))
    t = [datetime(2026, 5, day, 12, tzinfo=UTC) for day in (1, 2, 3, 4)]
    services.answer_request(services.request_meeting(a, b, "", now=t[0]), accept=True, by=b, now=t[1])
    services.answer_request(services.request_meeting(c, b, "", now=t[0]), accept=False, by=b, now=t[2])
    services.request_meeting(d, b, "", now=t[3])  # still pending: says nothing yet
    assert sorted(meeting_decisions(), key=lambda x: x.at) == [
        Decision(a.organisation_id, b.organisation_id, True, t[1].timestamp()),
        Decision(c.organisation_id, b.organisation_id, False, t[2].timestamp()),
    ]
