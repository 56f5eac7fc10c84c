"""The demo forum loads on top of the demo directory: requests, answers, a valid published schedule."""
from __future__ import annotations

import pytest
from django.db.models import Count

pytestmark = pytest.mark.django_db


def test_demo_forum_is_published_with_every_accepted_request_placed(reference, monkeypatch, settings):
    from silkbridge.demo import load_directory, organisations
    from silkbridge.engines import scheduling as engine
    from silkbridge.forums import demo, services
    from silkbridge.forums.models import Forum

    # The demo forum is in Belgrade whatever the site's default zone.
    settings.TIME_ZONE = "Asia/Shanghai"
    load_directory(lambda message: None)
    # Pair by sectors so the test does not wait for the text encoder; a short limit still gives a valid schedule.
    monkeypatch.setattr(demo, "_recommended_partners", lambda orgs, say: None)
    monkeypatch.setattr(demo, "TIME_LIMIT", 10.0)
    placed = demo.load_demo_forum(lambda message: None)

    forum = Forum.objects.get(slug=demo.DEMO_SLUG)
    assert (forum.name, forum.status, forum.days) == ("China–CEEC SME Cooperation Forum 2026", "published", 2)
    assert (forum.slots.count(), forum.tables.count()) == (36, 30)
    assert (forum.time_zone, forum.public_participants) == ("Europe/Belgrade", True)
    first = forum.slots.order_by("start").first()
    assert first.start.astimezone(forum.tzinfo).strftime("%H:%M") == demo.SESSIONS[0]["start"]
    assert forum.participants.count() == len(organisations())
    counts = dict(forum.requests.values_list("status").annotate(n=Count("pk")))
    assert set(counts) == {"accepted", "declined", "expired"}
    assert counts["declined"] > 0 and counts["expired"] > 0
    assert placed == counts["accepted"] == forum.meetings.count()
    fp = services.build_problem(forum)
    assert engine.validate(fp.problem, services.current_schedule(forum), complete=True) == []
    # Loading again changes nothing.
    assert demo.load_demo_forum(lambda message: None) == placed
    assert Forum.objects.filter(slug=demo.DEMO_SLUG).count() == 1
