"""After a forum: anonymise its delegates and keep the statistics.

Participants, requests, meetings, attendance and check-ins stay, so every count and report
is unchanged. What goes: the link from the forum to the people who attended (user accounts
and directory contacts) and the free-text messages of the meeting requests. Each participant
keeps one delegate, pointed at a shared inactive placeholder account, so "participants with
a delegate" still counts right. The directory's own contacts and people's accounts are left
as they are: the directory and each person decide about those (accounts can be deleted by
their owners).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction

from silkbridge.forums.models import Delegate, Forum, MeetingRequest
from silkbridge.forums.services import ForumError

PLACEHOLDER_USERNAME = "anonymised-delegate"


@dataclass(frozen=True)
class AnonymiseReport:
    forum: str
    participants: int
    delegates_removed: int
    messages_cleared: int

    def as_dict(self) -> dict:
        return asdict(self)


def placeholder_user():
    user, created = get_user_model().objects.get_or_create(
        username=PLACEHOLDER_USERNAME, defaults={"is_active": False, "first_name": "Anonymised", "last_name": "delegate"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def last_day(forum: Forum) -> date:
    return forum.starts_on + timedelta(days=max(forum.days, 1) - 1)


@transaction.atomic
def anonymise_forum(forum: Forum, *, today: date | None = None) -> AnonymiseReport:
    """Detach the forum's delegates and clear request messages; refused before the forum's last day is over."""
    today = today or date.today()
    if last_day(forum) >= today:
        raise ForumError(f"forum {forum.slug!r} ends on {last_day(forum).isoformat()}; "
                         "its delegates can be anonymised from the day after")
    placeholder = placeholder_user()
    delegates = Delegate.objects.filter(participant__forum=forum)
    before = delegates.exclude(user=placeholder, person__isnull=True).count()
    participant_ids = sorted(set(delegates.values_list("participant_id", flat=True)))
    delegates.delete()
    Delegate.objects.bulk_create([Delegate(participant_id=pid, user=placeholder) for pid in participant_ids])
    cleared = MeetingRequest.objects.filter(forum=forum).exclude(message="").update(message="")
    return AnonymiseReport(forum.slug, len(participant_ids), before, cleared)
