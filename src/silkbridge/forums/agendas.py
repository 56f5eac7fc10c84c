"""What a forum's schedule looks like to its readers: each participant's agenda, its calendar (ICS)
file, printable page and e-mail, and the organisers' table plan. The spreadsheet is in `exports`.

Reads only; the writes (scheduling, publishing) are in `services`, which sends agendas through here.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from silkbridge.forums.models import Forum, Participant, ScheduledMeeting, ScheduleVersion, Slot, Table
from silkbridge.forums.services import Contact, delegate_contacts

MAIL_LANGUAGE = {"CN": "zh-hans", "HK": "zh-hans", "MO": "zh-hans", "RS": "sr", "ME": "sr-latn", "BA": "sr-latn"}


@dataclass(frozen=True)
class MailReport:
    sent: tuple[str, ...]
    """Organisation ids whose delegates got their agenda."""
    without_address: tuple[str, ...]
    """Organisation ids to tell some other way: no delegate has an e-mail address."""


def delegate_addresses(participant: Participant) -> list[str]:
    """Distinct e-mail addresses of the participant's delegates (user accounts and directory contacts)."""
    emails: dict[str, str] = {}
    for d in participant.delegates.all():
        for email in (d.user.email if d.user else "", d.person.email if d.person else ""):
            if email:
                emails.setdefault(email.lower(), email)
    return list(emails.values())


def send_agendas(version: ScheduleVersion) -> MailReport:
    """E-mail each participant named in the version's ``notify`` their new agenda, with the ICS file attached."""
    from django.conf import settings
    from django.core.mail import EmailMessage, get_connection
    from django.template.loader import render_to_string
    from django.utils import translation

    forum = version.forum
    participants = (Participant.objects.filter(forum=forum, organisation__external_id__in=version.notify)
                    .select_related("organisation").prefetch_related("delegates__person", "delegates__user"))
    sent, missing, messages = [], [], []
    for p in participants.order_by("organisation__external_id"):
        to = delegate_addresses(p)
        if not to:
            missing.append(p.organisation.external_id)
            continue
        with translation.override(MAIL_LANGUAGE.get(p.organisation.country_id, settings.LANGUAGE_CODE)):
            items = agenda(p)
            context = {"forum": forum, "participant": p, "items": items, "version": version}
            subject = render_to_string("forums/email/agenda_subject.txt", context).strip()
            body = render_to_string("forums/email/agenda.txt", context)
        message = EmailMessage(subject, body, to=to)
        message.attach(f"agenda-{forum.slug}.ics", agenda_ics(p, items), "text/calendar")
        messages.append(message)
        sent.append(p.organisation.external_id)
    with get_connection() as connection:
        connection.send_messages(messages)
    return MailReport(tuple(sent), tuple(missing))


@dataclass(frozen=True)
class AgendaItem:
    meeting_id: int
    slot: int
    day: int
    start: datetime
    end: datetime
    table: int
    table_name: str
    other_id: str
    other_name: str
    other_country: str
    other_people: tuple[Contact, ...]
    message: str
    attendance: str


def agenda(participant: Participant) -> list[AgendaItem]:
    """A participant's meetings in time order, with the other side's delegates and contact details."""
    meetings = (ScheduledMeeting.objects.filter(bookings__participant=participant)
                .select_related("slot", "table", "request", "participant_a__organisation",
                                "participant_b__organisation")
                .prefetch_related("participant_a__delegates__person", "participant_a__delegates__user",
                                  "participant_b__delegates__person", "participant_b__delegates__user")
                .order_by("slot__number"))
    out = []
    for m in meetings:
        other = m.other(participant)
        out.append(AgendaItem(
            meeting_id=m.pk, slot=m.slot.number, day=m.slot.day, start=m.slot.start, end=m.slot.end,
            table=m.table.number, table_name=m.table.name, other_id=other.organisation.external_id,
            other_name=other.organisation.name, other_country=other.organisation.country_id,
            # Every scheduled meeting comes from an accepted request, so its contacts are visible.
            other_people=delegate_contacts(other, with_details=True), message=m.request.message, attendance=m.attendance))
    return out


def agenda_ics(participant: Participant, items: Sequence[AgendaItem] | None = None) -> bytes:
    """The participant's agenda (``items`` when already read) as an iCalendar file, one event per meeting."""
    from icalendar import Calendar, Event

    forum = participant.forum
    cal = Calendar()
    cal.add("prodid", "-//silkbridge//forum agenda//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{forum.name}: {participant.organisation.name}")
    stamp = forum.published_at or timezone.now()
    for item in agenda(participant) if items is None else items:
        event = Event()
        event.add("uid", f"forum-{forum.pk}-meeting-{item.meeting_id}-{participant.organisation.external_id}@silkbridge")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("summary", f"Meeting: {item.other_name} (table {item.table})")
        location = f"Table {item.table}" + (f" ({item.table_name})" if item.table_name else "")
        if forum.venue:
            location += f", {forum.venue}"
        event.add("location", location)
        lines = [f"{c.name}" + (f", {c.role}" if c.role else "") + (f" <{c.email}>" if c.email else "")
                 for c in item.other_people]
        if item.message:
            lines.append(f"Message: {item.message}")
        event.add("description", "\n".join(lines))
        cal.add_component(event)
    return cal.to_ical()


def table_plan(forum: Forum) -> list[tuple[Slot, list[tuple[Table, ScheduledMeeting | None]]]]:
    """For each slot, every table with the meeting it holds (or None)."""
    tables = list(forum.tables.order_by("number"))
    by_slot: dict[int, dict[int, ScheduledMeeting]] = defaultdict(dict)
    for m in forum.meetings.select_related("participant_a__organisation", "participant_b__organisation"):
        by_slot[m.slot_id][m.table_id] = m
    return [(slot, [(t, by_slot[slot.pk].get(t.pk)) for t in tables]) for slot in forum.slots.order_by("number")]


def agenda_print_html(participant: Participant) -> str:
    """The printable agenda: a standalone page styled for A4 paper."""
    from django.template.loader import render_to_string

    forum = participant.forum
    items = agenda(participant)
    days: dict[int, list[AgendaItem]] = defaultdict(list)
    for item in items:
        days[item.day].append(item)
    return render_to_string("forums/agenda_print.html", {
        "forum": forum, "participant": participant, "days": sorted(days.items()),
        "delegates": list(participant.delegates.select_related("person", "user")), "count": len(items),
    })
