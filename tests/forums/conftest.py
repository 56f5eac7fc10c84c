"""Small factories for forum tests: a one-day forum with few slots and tables, and approved participants."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest


@pytest.fixture(autouse=True)
def eager_tasks(settings):
    settings.TASKS_EAGER = True


@pytest.fixture
def make_forum(db):
    from silkbridge.forums import services

    def make(name="Test Forum", *, slots=4, tables=2, deadline=None, **kwargs):
        # One morning session of `slots` 20-minute slots from 09:00.
        end = (datetime(2026, 6, 1, 9, 0) + timedelta(minutes=20 * slots)).strftime("%H:%M")
        kwargs.setdefault("sessions", [{"name": "morning", "start": "09:00", "end": end, "pauses": []}])
        return services.create_forum(name=name, starts_on=date(2026, 6, 1), tables=tables,
                                     request_deadline=deadline, **kwargs)

    return make


@pytest.fixture
def join(make_org):
    """An organisation with one contact person, invited to a forum."""
    from silkbridge.forums import services

    def make(forum, external_id, name=None, country="RS"):
        org = make_org(id=external_id, name=name or external_id.upper(), country=country,
                       contact_name=f"Contact of {external_id}", contact_title="Director",
                       contact_email=f"{external_id}@example.com")
        return services.invite(forum, org)

    return make


@pytest.fixture
def scheduled_six(make_forum, join):
    """A forum of 4 slots and 3 tables whose six participants have seven accepted meetings, scheduled
    (not yet published); returns the forum and its participants by external id."""
    from silkbridge.forums import services

    forum = make_forum(slots=4, tables=3)
    p = {k: join(forum, k) for k in ("rs-a", "cn-b", "hu-c", "pl-d", "cz-e", "sk-f")}
    for x, y in [("rs-a", "cn-b"), ("rs-a", "hu-c"), ("cn-b", "pl-d"), ("hu-c", "cz-e"), ("pl-d", "sk-f"),
                 ("cz-e", "sk-f"), ("rs-a", "pl-d")]:
        services.answer_request(services.request_meeting(p[x], p[y], ""), accept=True, by=p[y])
    services.schedule_forum(forum, time_limit=5)
    return forum, p
