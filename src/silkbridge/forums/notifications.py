"""Telling people what happens in their forum: a request received or answered, the agenda published or
changed, the request deadline near.

Each message goes through `accounts.notices.notify` to the participant's delegates who have an account:
in their language, once per person and key (so a retried job sends nothing twice), times in the forum's
zone. The keys name the forum event, not the moment, which is what makes them idempotent.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from silkbridge.forums.models import Forum, MeetingRequest, Participant

REMIND_BEFORE = timedelta(hours=48)


def recipients(participant: Participant) -> list:
    """The participant's delegates who have an active account with an address, each once."""
    users = {}
    for d in participant.delegates.select_related("user"):
        if d.user_id and d.user.is_active and d.user.email:
            users.setdefault(d.user_id, d.user)
    return list(users.values())


def _link(name: str, forum: Forum, user, *args) -> str:
    from silkbridge.accounts.notices import absolute_reverse, language_of

    return absolute_reverse(name, language=language_of(user), args=(forum.slug, *args))


def _send(users, event: str, key: str, forum: Forum, context: dict, *, essential: bool = False,
          attachments=(), link: str = "forums:requests") -> int:
    from silkbridge.accounts.notices import notify

    sent = 0
    with timezone.override(forum.tzinfo):
        for user in users:
            sent += notify(user, event, key=key, essential=essential, attachments=list(attachments),
                           context={"forum": forum, "link": _link(link, forum, user)} | context)
    return sent


def request_received(request_id: int) -> int:
    """The invited side's delegates learn of a new meeting request."""
    r = MeetingRequest.objects.select_related("forum", "requester__organisation", "recipient").get(pk=request_id)
    if r.status != MeetingRequest.Status.PENDING:
        return 0
    return _send(recipients(r.recipient), "forum_request_received", f"forum-request-{r.pk}-received", r.forum,
                 {"request": r, "other": r.requester.organisation})


def request_answered(request_id: int) -> int:
    """The asking side's delegates learn that their request was accepted or declined."""
    r = MeetingRequest.objects.select_related("forum", "recipient__organisation", "requester").get(pk=request_id)
    if r.status not in (MeetingRequest.Status.ACCEPTED, MeetingRequest.Status.DECLINED):
        return 0
    return _send(recipients(r.requester), f"forum_request_{r.status}", f"forum-request-{r.pk}-{r.status}", r.forum,
                 {"request": r, "other": r.recipient.organisation})


def agenda(user, participant: Participant, version, items, ics: bytes) -> bool:
    """One delegate's new agenda, the calendar file attached; essential, as the meetings are theirs."""
    forum = participant.forum
    event = "forum_schedule_published" if version.number == 1 else "forum_schedule_changed"
    return bool(_send([user], event, f"forum-{forum.pk}-agenda-{version.number}", forum,
                      {"participant": participant, "items": items, "version": version}, essential=True,
                      attachments=[(f"agenda-{forum.slug}.ics", ics, "text/calendar")], link="forums:my_agenda"))


def remind_deadline(forum: Forum, *, now: datetime | None = None) -> int:
    """Within 48 hours of the request deadline, remind those with requests still unanswered; returns messages sent.

    Run it as often as you like (`silkbridge forum remind`): each person is reminded once per deadline.
    """
    now = now or timezone.now()
    deadline = forum.request_deadline
    if deadline is None or not deadline - REMIND_BEFORE <= now < deadline:
        return 0
    waiting: dict[int, int] = {}
    for recipient_id in MeetingRequest.objects.filter(forum=forum, status=MeetingRequest.Status.PENDING,
                                                      recipient__status=Participant.Status.APPROVED) \
            .values_list("recipient_id", flat=True):
        waiting[recipient_id] = waiting.get(recipient_id, 0) + 1
    sent = 0
    key = f"forum-{forum.pk}-deadline-{deadline:%Y%m%dT%H%MZ}"
    for participant in Participant.objects.filter(pk__in=waiting).select_related("organisation"):
        sent += _send(recipients(participant), "forum_deadline_reminder", key, forum,
                      {"participant": participant, "count": waiting[participant.pk], "deadline": deadline})
    return sent


def remind_all(*, now: datetime | None = None) -> dict[str, int]:
    """`remind_deadline` for every forum whose deadline is within the next 48 hours."""
    now = now or timezone.now()
    forums = Forum.objects.filter(request_deadline__gt=now, request_deadline__lte=now + REMIND_BEFORE)
    return {f.slug: remind_deadline(f, now=now) for f in forums.order_by("request_deadline", "pk")}
