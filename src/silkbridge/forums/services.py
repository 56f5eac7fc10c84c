"""The one write path of the forums app, and the only place that converts forums to scheduling-engine values.

Views, the JSON API, the CLI and background tasks all call these functions.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_noop

from silkbridge.engines import scheduling as engine
from silkbridge.forums import tasks
from silkbridge.forums.models import (
    Booking,
    Delegate,
    Forum,
    MeetingRequest,
    Participant,
    ScheduledMeeting,
    ScheduleVersion,
    Slot,
    Table,
)
from silkbridge.jobs.dispatch import dispatch, start_job
from silkbridge.jobs.text import JobText

Progress = Callable[[float, str], None]


class ForumError(Exception):
    """A request the forum's rules refuse; the message is shown to the person as it is."""


# ---------------------------------------------------------------- forums, slots, tables

def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def slot_times(starts_on: date, days: int, sessions: Sequence[dict], slot_minutes: int) -> list[tuple[int, str, datetime, datetime]]:
    """(day, session, start, end) of every slot: sessions repeat each day, pauses are skipped, times are local."""
    if slot_minutes <= 0:
        raise ForumError("a slot must last at least one minute")
    tz = timezone.get_current_timezone()
    length = timedelta(minutes=slot_minutes)
    out = []
    for day in range(1, days + 1):
        on = starts_on + timedelta(days=day - 1)
        for session in sessions:
            start = datetime.combine(on, _clock(session["start"]), tz)
            end = datetime.combine(on, _clock(session["end"]), tz)
            pauses = sorted((datetime.combine(on, _clock(a), tz), datetime.combine(on, _clock(b), tz))
                            for a, b in session.get("pauses", []))
            t = start
            while t + length <= end:
                overlapping = [p for p in pauses if p[0] < t + length and t < p[1]]
                if overlapping:
                    t = max(p[1] for p in overlapping)
                    continue
                out.append((day, session["name"], t, t + length))
                t += length
    return out


@transaction.atomic
def create_forum(*, name: str, starts_on: date, days: int = 1, slug: str = "", venue: str = "", city=None,
                 sessions: Sequence[dict] | None = None, slot_minutes: int = 20, tables: int | Sequence[str] = 10,
                 request_deadline: datetime | None = None, max_meetings: int | None = None,
                 status: str = Forum.Status.OPEN, organisers: Iterable = ()) -> Forum:
    """A forum with its slots (from the sessions) and tables (a count, or names numbered from 1)."""
    forum = Forum(name=name, slug=slug or slugify(name)[:100], starts_on=starts_on, days=days, venue=venue, city=city,
                  slot_minutes=slot_minutes, request_deadline=request_deadline, max_meetings=max_meetings,
                  status=status)
    if sessions is not None:
        forum.sessions = [dict(s) for s in sessions]
    forum.save()
    forum.organisers.set(list(organisers))
    times = slot_times(starts_on, days, forum.sessions, slot_minutes)
    if not times:
        raise ForumError("the sessions leave no room for a single slot")
    Slot.objects.bulk_create([Slot(forum=forum, number=i, day=d, session=s, start=a, end=b)
                              for i, (d, s, a, b) in enumerate(times, start=1)])
    names = [""] * tables if isinstance(tables, int) else list(tables)
    Table.objects.bulk_create([Table(forum=forum, number=i, name=n) for i, n in enumerate(names, start=1)])
    return forum


def find_forum(key: str | int) -> Forum:
    """A forum by slug or numeric id; ForumError names what was asked for."""
    key = str(key)
    forum = Forum.objects.filter(slug=key).first()
    if forum is None and key.isdigit():
        forum = Forum.objects.filter(pk=int(key)).first()
    if forum is None:
        raise ForumError(f"no forum with slug or id {key!r}")
    return forum


def find_participant(forum: Forum, external_id: str) -> Participant:
    participant = (Participant.objects.select_related("organisation", "forum")
                   .filter(forum=forum, organisation__external_id=external_id).first())
    if participant is None:
        raise ForumError(f"organisation {external_id!r} does not take part in {forum.slug}")
    return participant


def is_organiser(forum: Forum, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return user.is_staff or forum.organisers.filter(pk=user.pk).exists()


def participant_for_user(forum: Forum, user) -> Participant | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return (Participant.objects.select_related("organisation")
            .filter(forum=forum, delegates__user=user).exclude(status=Participant.Status.CANCELLED).first())


# ---------------------------------------------------------------- who may see what (pages and the API alike)

class NotAllowed(ForumError):
    """The person may not see this at all (a page answers 403)."""


class NotPublished(ForumError):
    """Nobody but the organisers sees this before the schedule is published (a page answers 404)."""


def visible_forums(user) -> QuerySet[Forum]:
    """The forums ``user`` may see, as one query: every forum for staff, else all but drafts plus the drafts they organise."""
    forums = Forum.objects.all()
    if getattr(user, "is_authenticated", False) and user.is_staff:
        return forums
    visible = ~Q(status=Forum.Status.DRAFT)
    if getattr(user, "is_authenticated", False):
        visible |= Q(organisers=user)
    return forums.filter(visible).distinct()


def can_see_forum(forum: Forum, user) -> bool:
    """A draft is for its organisers; any other forum is public (`visible_forums` as a test of one forum)."""
    return forum.status != Forum.Status.DRAFT or is_organiser(forum, user)


def schedule_visible(forum: Forum, user) -> bool:
    """Meetings show once the schedule is published; organisers see them from the first run."""
    return forum.status == Forum.Status.PUBLISHED or is_organiser(forum, user)


def check_agenda_access(forum: Forum, user, who: Participant) -> None:
    """An agenda is for its own participant once the schedule is published, and for the organisers always.

    Raises `NotAllowed` for anyone else and `NotPublished` for the participant before publication.
    """
    if is_organiser(forum, user):
        return
    me = participant_for_user(forum, user)
    if me is None or me.pk != who.pk:
        raise NotAllowed("an agenda is visible to its participant and the organisers only")
    if forum.status != Forum.Status.PUBLISHED:
        raise NotPublished("the schedule is not published yet")


# ---------------------------------------------------------------- participants

@transaction.atomic
def invite(forum: Forum, organisation, *, people: Iterable | None = None, users: Iterable = (),
           max_meetings: int | None = None) -> Participant:
    """Add an organisation as an approved participant; its first contact attends unless `people` says who."""
    participant, _ = Participant.objects.get_or_create(
        forum=forum, organisation=organisation,
        defaults={"status": Participant.Status.APPROVED, "origin": Participant.Origin.INVITED,
                  "max_meetings": max_meetings})
    if participant.status != Participant.Status.APPROVED:
        participant.status = Participant.Status.APPROVED
        participant.save(update_fields=["status"])
    if people is None:
        people = list(organisation.people.all()[:1])
    for person in people:
        Delegate.objects.get_or_create(participant=participant, person=person)
    for user in users:
        Delegate.objects.get_or_create(participant=participant, user=user)
    return participant


@transaction.atomic
def register(forum: Forum, organisation, *, user, person=None) -> Participant:
    """Self-registration: the participant waits for an organiser's approval."""
    if forum.status == Forum.Status.DRAFT:
        raise ForumError("this forum does not accept registrations yet")
    participant, created = Participant.objects.get_or_create(
        forum=forum, organisation=organisation,
        defaults={"status": Participant.Status.PENDING, "origin": Participant.Origin.REGISTERED})
    if not created and participant.status == Participant.Status.CANCELLED:
        participant.status = Participant.Status.PENDING
        participant.save(update_fields=["status"])
    Delegate.objects.get_or_create(participant=participant, user=user, defaults={"person": person})
    return participant


def approve(participant: Participant) -> Participant:
    participant.status = Participant.Status.APPROVED
    participant.save(update_fields=["status"])
    return participant


@transaction.atomic
def cancel_participant(participant: Participant) -> list[Participant]:
    """A late cancellation: their requests are withdrawn and meetings removed; returns the partners who lost a meeting."""
    partners = []
    for meeting in ScheduledMeeting.objects.filter(Q(participant_a=participant) | Q(participant_b=participant)):
        partners.append(meeting.other(participant))
    ScheduledMeeting.objects.filter(Q(participant_a=participant) | Q(participant_b=participant)).delete()
    MeetingRequest.objects.filter(Q(requester=participant) | Q(recipient=participant),
                                  status__in=MeetingRequest.OPEN).update(status=MeetingRequest.Status.WITHDRAWN,
                                                                         answered_at=timezone.now())
    participant.status = Participant.Status.CANCELLED
    participant.save(update_fields=["status"])
    Table.objects.filter(host=participant).update(host=None)
    return sorted(set(partners), key=lambda p: p.organisation.name)


def set_unavailable(participant: Participant, slots: Iterable[Slot | int]) -> None:
    """The slots a participant cannot attend (replaces the previous choice)."""
    ids = [s.pk if isinstance(s, Slot) else int(s) for s in slots]
    valid = list(Slot.objects.filter(forum_id=participant.forum_id, pk__in=ids))
    if len(valid) != len(set(ids)):
        raise ForumError("some of those slots do not belong to this forum")
    participant.unavailable.set(valid)


def check_in(participant: Participant, *, at: datetime | None = None) -> Participant:
    participant.checked_in_at = at or timezone.now()
    participant.save(update_fields=["checked_in_at"])
    return participant


def mark_attendance(meeting: ScheduledMeeting, attendance: str, *, no_show_by: Participant | None = None) -> ScheduledMeeting:
    if attendance not in ScheduledMeeting.Attendance.values:
        raise ForumError(f"unknown attendance {attendance!r}")
    if no_show_by is not None and no_show_by.pk not in (meeting.participant_a_id, meeting.participant_b_id):
        raise ForumError(f"{no_show_by} is not in this meeting")
    meeting.attendance = attendance
    meeting.no_show_by = no_show_by if attendance == ScheduledMeeting.Attendance.NO_SHOW else None
    meeting.save(update_fields=["attendance", "no_show_by"])
    return meeting


# ---------------------------------------------------------------- meeting requests

def deadline_passed(forum: Forum, now: datetime | None = None) -> bool:
    return forum.request_deadline is not None and (now or timezone.now()) >= forum.request_deadline


def expire_requests(forum: Forum, now: datetime | None = None) -> int:
    """Requests still unanswered at the request deadline expire; returns how many did now.

    The write paths that depend on it (answering, scheduling) call it first; pages only read,
    through `as_shown`.
    """
    now = now or timezone.now()
    if not deadline_passed(forum, now):
        return 0
    return MeetingRequest.objects.filter(forum=forum, status=MeetingRequest.Status.PENDING).update(
        status=MeetingRequest.Status.EXPIRED, answered_at=now)


def as_shown(forum: Forum, requests: Iterable[MeetingRequest], now: datetime | None = None) -> list[MeetingRequest]:
    """Requests as a page shows them: past the deadline a pending one reads as expired, without writing."""
    requests = list(requests)
    if deadline_passed(forum, now):
        for r in requests:
            if r.status == MeetingRequest.Status.PENDING:
                r.status = MeetingRequest.Status.EXPIRED
    return requests


def request_counts(forum: Forum, now: datetime | None = None) -> dict[str, int]:
    """Number of the forum's requests by status as pages show them (see `as_shown`)."""
    counts = dict(forum.requests.values_list("status").annotate(n=Count("pk")))
    if deadline_passed(forum, now) and MeetingRequest.Status.PENDING in counts:
        counts[MeetingRequest.Status.EXPIRED] = counts.get(MeetingRequest.Status.EXPIRED, 0) + counts.pop(
            MeetingRequest.Status.PENDING)
    return counts


def request_meeting(requester: Participant, recipient: Participant, message: str = "", *,
                    now: datetime | None = None) -> MeetingRequest:
    forum = requester.forum
    now = now or timezone.now()
    if recipient.forum_id != forum.pk:
        raise ForumError(f"{recipient} does not take part in {forum}")
    if requester.pk == recipient.pk:
        raise ForumError("a participant cannot ask to meet themself")
    if not (requester.is_active and recipient.is_active):
        raise ForumError("both sides must be approved participants")
    if forum.status == Forum.Status.DRAFT:
        raise ForumError("this forum does not accept meeting requests yet")
    if forum.request_deadline is not None and now >= forum.request_deadline:
        raise ForumError("the deadline for meeting requests has passed")
    pair = (Q(requester=requester, recipient=recipient) | Q(requester=recipient, recipient=requester))
    if MeetingRequest.objects.filter(pair, status__in=MeetingRequest.OPEN).exists():
        raise ForumError(f"there is already a request between {requester} and {recipient}")
    try:
        with transaction.atomic():
            return MeetingRequest.objects.create(forum=forum, requester=requester, recipient=recipient,
                                                 message=message.strip()[:500])
    except IntegrityError:
        raise ForumError(f"there is already a request between {requester} and {recipient}") from None


def answer_request(request: MeetingRequest, *, accept: bool, by: Participant | None = None,
                   now: datetime | None = None) -> MeetingRequest:
    """The recipient accepts or declines; `by` (when given) must be the recipient."""
    now = now or timezone.now()
    expire_requests(request.forum, now)
    request.refresh_from_db()
    if by is not None and by.pk != request.recipient_id:
        raise ForumError("only the invited side can answer a request")
    if request.status != MeetingRequest.Status.PENDING:
        raise ForumError(f"this request is {request.get_status_display().lower()} and can no longer be answered")
    request.status = MeetingRequest.Status.ACCEPTED if accept else MeetingRequest.Status.DECLINED
    request.answered_at = now
    request.save(update_fields=["status", "answered_at"])
    return request


@transaction.atomic
def withdraw_request(request: MeetingRequest, *, by: Participant | None = None) -> MeetingRequest:
    """Either side withdraws a pending or accepted request; a scheduled meeting for it goes too."""
    if by is not None and by.pk not in (request.requester_id, request.recipient_id):
        raise ForumError("only the two sides can withdraw a request")
    if request.status not in MeetingRequest.OPEN:
        raise ForumError("this request is no longer open")
    ScheduledMeeting.objects.filter(request=request).delete()
    request.status = MeetingRequest.Status.WITHDRAWN
    request.answered_at = timezone.now()
    request.save(update_fields=["status", "answered_at"])
    return request


@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    email: str
    phone: str


def contacts_visible(viewer: Participant, other: Participant) -> bool:
    """Contact details show once the two sides agreed to meet."""
    return MeetingRequest.objects.filter(
        Q(requester=viewer, recipient=other) | Q(requester=other, recipient=viewer),
        status=MeetingRequest.Status.ACCEPTED).exists()


def delegate_contacts(participant: Participant, *, with_details: bool) -> tuple[Contact, ...]:
    """The participant's delegates, with e-mail and phone only ``with_details``."""
    out = []
    for d in participant.delegates.all():
        person = d.person
        email = (person.email if person else "") or (d.user.email if d.user_id else "")
        out.append(Contact(name=d.name, role=d.role, email=email if with_details else "",
                           phone=(person.phone if person else "") if with_details else ""))
    return tuple(out)


def contacts(viewer: Participant, other: Participant) -> tuple[Contact, ...]:
    """The other side's delegates; e-mail and phone only when contacts are visible to the viewer."""
    return delegate_contacts(other, with_details=contacts_visible(viewer, other))


# ---------------------------------------------------------------- scheduling

@dataclass(frozen=True)
class ForumProblem:
    problem: engine.Problem
    slots: dict[int, Slot]          # by number
    tables: dict[int, Table]        # by number
    requests: dict[int, MeetingRequest]
    participants: dict[str, Participant]  # by organisation external id


def build_problem(forum: Forum) -> ForumProblem:
    """The forum as an engine Problem: participant ids are organisation ids, slots and tables their numbers."""
    slots = {s.number: s for s in forum.slots.order_by("number")}
    tables = {t.number: t for t in forum.tables.select_related("host__organisation").order_by("number")}
    people = {p.pk: p for p in forum.participants.filter(status=Participant.Status.APPROVED)
              .select_related("organisation").prefetch_related("unavailable")}
    host_of = {t.host_id: t.number for t in tables.values() if t.host_id in people}
    participants = tuple(
        engine.Participant(id=p.organisation.external_id, name=p.organisation.name, host_table=host_of.get(p.pk),
                           forbidden_slots=frozenset(s.number for s in p.unavailable.all()),
                           max_meetings=p.max_meetings)
        for p in people.values())
    requests = {r.pk: r for r in forum.requests.filter(status=MeetingRequest.Status.ACCEPTED,
                                                       requester__in=people.keys(), recipient__in=people.keys())
                .select_related("requester__organisation", "recipient__organisation").order_by("pk")}
    meetings = tuple(engine.Meeting(id=r.pk, participants=(r.requester.organisation.external_id,
                                                           r.recipient.organisation.external_id))
                     for r in requests.values())
    problem = engine.Problem(
        participants=participants,
        slots=tuple(engine.Slot(id=s.number, day=str(s.day), session=s.session) for s in slots.values()),
        tables=tuple(tables), meetings=meetings, max_meetings=forum.max_meetings)
    return ForumProblem(problem, slots, tables, requests,
                        {p.organisation.external_id: p for p in people.values()})


def current_schedule(forum: Forum) -> engine.Schedule:
    rows = forum.meetings.values_list("request_id", "slot__number", "table__number").order_by("slot__number", "table__number")
    return engine.Schedule(status="feasible", assignments=tuple(engine.Assignment(r, s, t) for r, s, t in rows))


def _published_schedule(forum: Forum) -> tuple[ScheduleVersion | None, engine.Schedule]:
    version = forum.versions.order_by("-number").first()
    if version is None:
        return None, engine.Schedule(status="feasible")
    return version, engine.Schedule(status="feasible",
                                    assignments=tuple(engine.Assignment(r, s, t) for r, s, t in version.assignments))


def validation_warnings(forum: Forum) -> list[str]:
    """The engine's validator sentences for the schedule as it stands in the database."""
    fp = build_problem(forum)
    return [str(v) for v in engine.validate(fp.problem, current_schedule(forum))]


def _book(forum: Forum, request: MeetingRequest, slot: Slot, table: Table, attendance: str = "expected") -> ScheduledMeeting:
    meeting = ScheduledMeeting.objects.create(forum=forum, request=request, slot=slot, table=table,
                                              participant_a=request.requester, participant_b=request.recipient,
                                              attendance=attendance)
    Booking.objects.bulk_create([Booking(forum=forum, slot=slot, participant_id=p, meeting=meeting)
                                 for p in (request.requester_id, request.recipient_id)])
    return meeting


def _clash(forum: Forum, request: MeetingRequest, slot: Slot, table: Table, exclude: int | None = None) -> str:
    taken = ScheduledMeeting.objects.filter(slot=slot, table=table).exclude(pk=exclude).first()
    if taken is not None:
        return f"table {table.number} already holds a meeting in slot {slot.number}"
    busy = Booking.objects.filter(slot=slot, participant__in=[request.requester_id, request.recipient_id]) \
        .exclude(meeting_id=exclude).select_related("participant__organisation").first()
    if busy is not None:
        return f"{busy.participant} already has a meeting in slot {slot.number}"
    return f"the meeting cannot go to slot {slot.number} at table {table.number}"


def book_meeting(request: MeetingRequest, *, slot: Slot, table: Table) -> ScheduledMeeting:
    """Place an accepted request by hand. The database refuses a double booking; that becomes a ForumError."""
    if request.status != MeetingRequest.Status.ACCEPTED:
        raise ForumError("only accepted requests can be scheduled")
    if slot.forum_id != request.forum_id or table.forum_id != request.forum_id:
        raise ForumError("slot and table must belong to the request's forum")
    try:
        with transaction.atomic():
            meeting = _book(request.forum, request, slot, table)
    except IntegrityError:
        raise ForumError(_clash(request.forum, request, slot, table)) from None
    _mark_changed(request.forum)
    return meeting


def move_meeting(meeting: ScheduledMeeting, *, slot: Slot, table: Table) -> list[str]:
    """Move a meeting by hand; returns the validator's warnings for the whole schedule afterwards."""
    if slot.forum_id != meeting.forum_id or table.forum_id != meeting.forum_id:
        raise ForumError("slot and table must belong to the meeting's forum")
    try:
        with transaction.atomic():
            ScheduledMeeting.objects.filter(pk=meeting.pk).update(slot=slot, table=table)
            Booking.objects.filter(meeting=meeting).update(slot=slot)
    except IntegrityError:
        raise ForumError(_clash(meeting.forum, meeting.request, slot, table, exclude=meeting.pk)) from None
    meeting.slot, meeting.table = slot, table
    _mark_changed(meeting.forum)
    return validation_warnings(meeting.forum)


def unschedule_meeting(meeting: ScheduledMeeting) -> None:
    forum = meeting.forum
    meeting.delete()
    _mark_changed(forum)


def _mark_changed(forum: Forum) -> None:
    if forum.status == Forum.Status.PUBLISHED:
        Forum.objects.filter(pk=forum.pk).update(status=Forum.Status.SCHEDULED)
        forum.status = Forum.Status.SCHEDULED


@transaction.atomic
def save_schedule(forum: Forum, fp: ForumProblem, assignments: Sequence[engine.Assignment]) -> int:
    """Replace the forum's meetings with these assignments, keeping attendance already recorded."""
    attendance = dict(forum.meetings.values_list("request_id", "attendance"))
    forum.meetings.all().delete()
    meetings = ScheduledMeeting.objects.bulk_create([
        ScheduledMeeting(forum=forum, request=fp.requests[a.meeting_id], slot=fp.slots[a.slot], table=fp.tables[a.table],
                         participant_a=fp.requests[a.meeting_id].requester,
                         participant_b=fp.requests[a.meeting_id].recipient,
                         attendance=attendance.get(a.meeting_id, ScheduledMeeting.Attendance.EXPECTED))
        for a in assignments])
    Booking.objects.bulk_create([
        Booking(forum=forum, slot_id=m.slot_id, participant_id=p, meeting=m)
        for m in meetings for p in (m.participant_a_id, m.participant_b_id)])
    return len(meetings)


@dataclass(frozen=True)
class ScheduleResult:
    status: str
    placed: int
    unplaced: int
    breaks: int
    seconds: float
    reasons: tuple[str, ...]
    warnings: tuple[str, ...]
    moved: int
    # Changes against the last published version, and the organisations whose agenda they touch.
    changes: tuple[str, ...]
    notify: tuple[str, ...]

    def as_dict(self) -> dict:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in self.__dict__.items()}


def schedule_forum(forum: Forum, *, time_limit: float = 10.0, progress: Progress | None = None,
                   now: datetime | None = None) -> ScheduleResult:
    """Run the solver over the accepted requests and store the result (not yet published).

    When the forum already has meetings, the engine keeps as many of them in place as it can,
    so a late change moves few meetings.
    """
    say = progress or (lambda fraction, message: None)
    expire_requests(forum, now)
    say(0.05, JobText(gettext_noop("building the problem")))
    fp = build_problem(forum)
    previous = current_schedule(forum)
    kept = tuple(a for a in previous.assignments if a.meeting_id in fp.requests)
    say(0.1, JobText(gettext_noop("solving %(meetings)s meetings (up to %(seconds)s s)"),
                     meetings=len(fp.problem.meetings), seconds=f"{time_limit:g}"))
    if kept:
        schedule = engine.reschedule(fp.problem, engine.Schedule(status="feasible", assignments=kept),
                                     time_limit=time_limit)
    else:
        schedule = engine.solve(fp.problem, time_limit=time_limit)
    if not schedule.assignments and fp.problem.meetings:
        raise ForumError("no schedule found: " + ("; ".join(schedule.reasons) or f"solver status {schedule.status}"))
    say(0.9, JobText(gettext_noop("saving the schedule")))
    placed = save_schedule(forum, fp, schedule.assignments)
    if forum.status in (Forum.Status.DRAFT, Forum.Status.OPEN, Forum.Status.PUBLISHED):
        forum.status = Forum.Status.SCHEDULED
        forum.save(update_fields=["status"])
    changes, notify = pending_changes(forum)
    warnings = tuple(str(v) for v in engine.validate(fp.problem, schedule))
    return ScheduleResult(status=schedule.status, placed=placed, unplaced=len(schedule.unplaced),
                          breaks=schedule.breaks, seconds=round(schedule.seconds, 3), reasons=schedule.reasons,
                          warnings=warnings, moved=len(schedule.moved), changes=changes, notify=notify)


def start_scheduling(forum: Forum, *, time_limit: float = 10.0):
    """Run the scheduler as a background job; returns the `Job` whose row shows progress."""
    return start_job(f"schedule {forum.slug}", tasks.schedule_forum, forum.pk, time_limit, subject=forum)


def pending_changes(forum: Forum) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What changed since the last publication (sentences) and which organisations must be told."""
    version, old = _published_schedule(forum)
    new = current_schedule(forum)
    if version is None:
        notify = sorted(set(forum.bookings.values_list("participant__organisation__external_id", flat=True)))
        return (), tuple(notify)
    delta = engine.diff(old, new)
    ids = {c.meeting_id for c in delta.changes}
    sides = {r.pk: (r.requester.organisation.external_id, r.recipient.organisation.external_id)
             for r in MeetingRequest.objects.filter(pk__in=ids).select_related("requester__organisation",
                                                                                 "recipient__organisation")}
    notify = sorted({p for mid in ids for p in sides.get(mid, ())})
    return tuple(str(c) for c in delta.changes), tuple(notify)


@transaction.atomic
def publish_schedule(forum: Forum, *, by=None, mail: bool = True) -> ScheduleVersion:
    """Freeze the current schedule as the next published version; its `notify` lists who must get a new agenda.

    With ``mail``, those participants' delegates are e-mailed their agenda in the background once this commits.
    """
    forum = Forum.objects.select_for_update().get(pk=forum.pk)
    if forum.status not in (Forum.Status.SCHEDULED, Forum.Status.PUBLISHED):
        raise ForumError("there is no schedule to publish: run the scheduler first")
    _, notify = pending_changes(forum)
    last = forum.versions.order_by("-number").first()
    version = ScheduleVersion.objects.create(
        forum=forum, number=(last.number + 1) if last else 1,
        assignments=[list(a) for a in forum.meetings.order_by("slot__number", "table__number")
                     .values_list("request_id", "slot__number", "table__number")],
        notify=list(notify), published_by=by if getattr(by, "is_authenticated", False) else None)
    forum.status = Forum.Status.PUBLISHED
    forum.published_at = timezone.now()
    forum.save(update_fields=["status", "published_at"])
    if notify and mail:
        dispatch(tasks.send_agendas, version.pk)
    return version


def recommended(participant: Participant, *, top: int = 5, compute: bool = False) -> list[Participant]:
    """Fellow participants the matching engine recommends, best first; [] when it offers nothing.

    Pages pass ``compute=False`` so that rendering never waits for the encoder.
    """
    from silkbridge.matching import services as matching

    finder = matching.recommendations_for if compute else matching.cached_matches
    try:
        items = finder(participant.organisation, top=top * 4)
    except Exception:  # recommendations are a convenience: a matching failure must not break the forum pages
        import logging

        logging.getLogger("silkbridge.forums").exception("recommendations failed")
        return []
    keys = [r.organisation.external_id for r in items]
    others = {p.organisation.external_id: p for p in Participant.objects.filter(
        forum_id=participant.forum_id, status=Participant.Status.APPROVED, organisation__external_id__in=keys)
        .exclude(pk=participant.pk).select_related("organisation")}
    return [others[k] for k in dict.fromkeys(keys) if k in others][:top]
