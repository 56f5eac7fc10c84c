"""Setting a forum up and changing it: checked values, time zones, slot generation and the guard on slots in use.

The web page, the API and `silkbridge forum create` all go through `create` and `update`.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from silkbridge.forums import services
from silkbridge.forums.models import Forum, Slot, Table

_SESSION = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
# Addresses under /forums/ that a forum's short name would shadow.
RESERVED = {"new", "mine"}


class SetupError(services.ForumError):
    """A value the forum cannot take; ``field`` names it (the form field, API key or option)."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True)
class ForumSetup:
    """Everything an organiser decides about a forum; sessions are wall-clock times in ``time_zone``."""

    name: str
    slug: str
    starts_on: date
    time_zone: str
    sessions: tuple[dict, ...]
    slot_minutes: int
    tables: int | tuple[str, ...]
    days: int = 1
    venue: str = ""
    city: str = ""
    # Naive: a wall-clock time in the forum's zone; aware: as it is.
    request_deadline: datetime | None = None
    max_meetings: int | None = None
    public_participants: bool = True
    organisers: tuple = field(default=())


# ---------------------------------------------------------------- checking values

def check_time_zone(name: str) -> str:
    name = (name or "").strip()
    if not name or "/" not in name and name != "UTC":
        raise SetupError("time_zone", f"unknown time zone {name!r}: use an IANA name such as Asia/Shanghai")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise SetupError("time_zone", f"unknown time zone {name!r}: use an IANA name such as Asia/Shanghai") from None
    return name


def time_zone_choices() -> list[str]:
    return sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/", "posix/")))


def _minutes(hours: str, minutes: str, text: str) -> int:
    h, m = int(hours), int(minutes)
    if h > 24 or m > 59 or (h == 24 and m):
        raise SetupError("sessions", f"{text.strip()!r} is not a time of day")
    return h * 60 + m


def _part_of_day(start: int) -> str:
    return "morning" if start < 12 * 60 else "afternoon" if start < 18 * 60 else "evening"


def parse_sessions(text: str) -> list[dict]:
    """"09:00-12:30,14:00-17:00" as sessions; the gap between two sessions is a pause."""
    spans = []
    for part in filter(str.strip, (text or "").split(",")):
        found = _SESSION.match(part)
        if not found:
            raise SetupError("sessions", f"{part.strip()!r} is not a session: write HH:MM-HH:MM")
        a, b = _minutes(*found.groups()[:2], part), _minutes(*found.groups()[2:], part)
        spans.append((a, b, part))
    if not spans:
        raise SetupError("sessions", "give at least one session, e.g. 09:00-12:30")
    names: dict[str, int] = {}
    out = []
    for a, b, _ in spans:
        base = _part_of_day(a)
        names[base] = names.get(base, 0) + 1
        name = base if names[base] == 1 else f"{base} {names[base]}"
        out.append({"name": name, "start": f"{a // 60:02d}:{a % 60:02d}", "end": f"{b // 60:02d}:{b % 60:02d}",
                    "pauses": []})
    return out


def _clock_minutes(value: str, where: str) -> int:
    found = re.match(r"^(\d{1,2}):(\d{2})$", str(value).strip())
    if not found:
        raise SetupError("sessions", f"{where}: {value!r} is not a time HH:MM")
    return _minutes(*found.groups(), str(value))


def check_sessions(sessions: Sequence[dict], slot_minutes: int) -> tuple[dict, ...]:
    """Sessions that end after they start, do not overlap, and each hold at least one slot."""
    if not isinstance(slot_minutes, int) or slot_minutes < 5 or slot_minutes > 240:
        raise SetupError("slot_minutes", "a slot lasts between 5 and 240 minutes")
    if not sessions:
        raise SetupError("sessions", "give at least one session, e.g. 09:00-12:30")
    spans = []
    for i, s in enumerate(sessions, start=1):
        where = f"session {i}"
        a, b = _clock_minutes(s.get("start", ""), where), _clock_minutes(s.get("end", ""), where)
        if b <= a:
            raise SetupError("sessions", f"{where} ({s['start']}-{s['end']}) ends before it starts")
        pauses = []
        for p in s.get("pauses") or []:
            if len(p) != 2:
                raise SetupError("sessions", f"{where}: a pause is [start, end]")
            pa, pb = _clock_minutes(p[0], where), _clock_minutes(p[1], where)
            if not a <= pa < pb <= b:
                raise SetupError("sessions", f"{where}: the pause {p[0]}-{p[1]} is not inside the session")
            pauses.append((pa, pb))
        # Longest stretch between pauses must hold a slot.
        edges = [a] + [x for pa, pb in sorted(pauses) for x in (pa, pb)] + [b]
        if max(edges[k + 1] - edges[k] for k in range(0, len(edges), 2)) < slot_minutes:
            raise SetupError("sessions", f"{where} ({s['start']}-{s['end']}) leaves no room for a "
                                         f"{slot_minutes}-minute slot")
        spans.append((a, b, i, s))
    spans.sort()
    for (_a1, b1, _i1, s1), (a2, _b2, _i2, s2) in pairwise(spans):
        if a2 < b1:
            raise SetupError("sessions", f"sessions {s1['start']}-{s1['end']} and {s2['start']}-{s2['end']} overlap")
    names = [str(s.get("name") or "").strip() for _, _, _, s in spans]
    out = []
    for n, (_, _, _, s) in enumerate(spans, start=1):
        name = names[n - 1] if names[n - 1] and names.count(names[n - 1]) == 1 else f"session {n}"
        out.append({"name": name[:20], "start": s["start"], "end": s["end"],
                    "pauses": [list(p) for p in s.get("pauses") or []]})
    return tuple(out)


def parse_tables(value) -> int | tuple[str, ...]:
    """A count ("12"), or names, comma-separated ("A1, A2, Hall B") or as a list."""
    if isinstance(value, int) and not isinstance(value, bool):
        count: int | tuple[str, ...] = value
    elif isinstance(value, str) and value.strip().isdigit():
        count = int(value.strip())
    else:
        items = value.split(",") if isinstance(value, str) else list(value or ())
        names = tuple(str(n).strip()[:100] for n in items if str(n).strip())
        if len(set(names)) != len(names):
            raise SetupError("tables", "two tables have the same name")
        count = names
    n = count if isinstance(count, int) else len(count)
    if not 1 <= n <= 2000:
        raise SetupError("tables", "a forum has between 1 and 2000 tables")
    return count


def _zone_countries() -> dict[str, str]:
    """IANA zone -> ISO country code, from the zone table shipped with the time zone data."""
    text = ""
    try:
        from importlib.resources import files

        text = files("tzdata").joinpath("zoneinfo", "zone.tab").read_text(encoding="utf-8")
    except (ImportError, FileNotFoundError, ModuleNotFoundError):
        try:
            with open("/usr/share/zoneinfo/zone.tab", encoding="utf-8") as handle:
                text = handle.read()
        except OSError:
            return {}
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            cells = line.split("\t")
            if len(cells) >= 3:
                out[cells[2]] = cells[0]
    return out


def find_city(text: str, time_zone: str):
    """The city by any of its names; an unknown one is added in "Name, CC"'s country, or the zone's country."""
    from silkbridge.directory.models import City, Country
    from silkbridge.engines.script import fold

    text = (text or "").strip()
    if not text:
        return None
    name, _, code = (p.strip() for p in text.rpartition(",")) if "," in text else (text, "", "")
    code = code.upper()
    key = fold(name)
    candidates = [c for c in City.objects.all()
                  if key in {fold(n) for n in (c.name_en, c.name_zh, c.name_local, c.name_local_latn,
                                               *(c.aliases or ())) if n}
                  and (not code or c.country_id == code)]
    if candidates:
        return candidates[0]
    code = code or _zone_countries().get(time_zone, "")
    if not code or not Country.objects.filter(code=code).exists():
        raise SetupError("city", f"unknown city {text!r}: write it as 'Name, CC' with the country's ISO code")
    city, _ = City.objects.get_or_create(country_id=code, key=fold(name)[:120], defaults={"name_en": name[:120]})
    return city


def local_deadline(value: datetime | None, time_zone: str) -> datetime | None:
    """A naive deadline is a wall-clock time in the forum's zone."""
    if value is None or timezone.is_aware(value):
        return value
    return value.replace(tzinfo=ZoneInfo(time_zone))


def check(setup: ForumSetup, *, forum: Forum | None = None) -> ForumSetup:
    """The setup with its values checked and normalised; SetupError names the first wrong one."""
    name = (setup.name or "").strip()
    if not name:
        raise SetupError("name", "the forum needs a name")
    slug = (setup.slug or "").strip()
    if not slug or not SLUG.match(slug) or len(slug) > 100 or slug in RESERVED:
        raise SetupError("slug", f"short name {slug!r}: use letters, digits, hyphens or underscores (up to 100)")
    if Forum.objects.filter(slug=slug).exclude(pk=forum.pk if forum else None).exists():
        raise SetupError("slug", f"the short name {slug!r} is already taken")
    zone = check_time_zone(setup.time_zone)
    if not 1 <= setup.days <= 31:
        raise SetupError("days", "a forum lasts between 1 and 31 days")
    sessions = check_sessions(setup.sessions, setup.slot_minutes)
    tables = parse_tables(setup.tables)
    if setup.max_meetings is not None and setup.max_meetings < 1:
        raise SetupError("max_meetings", "the maximum number of meetings is at least 1")
    return replace(setup, name=name[:300], slug=slug, time_zone=zone, sessions=sessions, tables=tables,
                   venue=(setup.venue or "").strip()[:300], city=(setup.city or "").strip(),
                   request_deadline=local_deadline(setup.request_deadline, zone))


# ---------------------------------------------------------------- writes

@transaction.atomic
def create(setup: ForumSetup, *, by=None) -> Forum:
    """A new forum, open for requests, its slots generated in its zone; ``by`` becomes an organiser."""
    setup = check(setup)
    organisers = list(setup.organisers)
    if getattr(by, "is_authenticated", False) and by not in organisers:
        organisers.append(by)
    return services.create_forum(
        name=setup.name, slug=setup.slug, starts_on=setup.starts_on, days=setup.days, venue=setup.venue,
        city=find_city(setup.city, setup.time_zone), sessions=setup.sessions, slot_minutes=setup.slot_minutes,
        tables=setup.tables, request_deadline=setup.request_deadline, max_meetings=setup.max_meetings,
        time_zone=setup.time_zone, public_participants=setup.public_participants, organisers=organisers)


def setup_of(forum: Forum) -> ForumSetup:
    """The forum's current setup, the starting point of an edit."""
    names = tuple(forum.tables.order_by("number").values_list("name", flat=True))
    return ForumSetup(
        name=forum.name, slug=forum.slug, starts_on=forum.starts_on, days=forum.days, time_zone=forum.time_zone,
        sessions=tuple(forum.sessions), slot_minutes=forum.slot_minutes,
        tables=names if any(names) else len(names), venue=forum.venue,
        city=forum.city.name_en + f", {forum.city.country_id}" if forum.city_id else "",
        request_deadline=forum.request_deadline, max_meetings=forum.max_meetings,
        public_participants=forum.public_participants)


def _span(slot: Slot) -> str:
    start, end = timezone.localtime(slot.start), timezone.localtime(slot.end)
    return f"slot {slot.number} (day {slot.day}, {start:%Y-%m-%d %H:%M}–{end:%H:%M})"


@transaction.atomic
def update(forum: Forum, setup: ForumSetup) -> Forum:
    """Change a forum. Slots and tables follow the new setup: those that stay keep their meetings and
    availability; removing a slot or table that holds meetings is refused with the reason."""
    forum = Forum.objects.select_for_update().get(pk=forum.pk)
    setup = check(setup, forum=forum)
    tz = ZoneInfo(setup.time_zone)
    times = services.slot_times(setup.starts_on, setup.days, setup.sessions, setup.slot_minutes, tz=tz)
    if not times:
        raise SetupError("sessions", "the sessions leave no room for a single slot")
    old = {(s.start, s.end): s for s in forum.slots.all()}
    keep = {(a, b) for _, _, a, b in times}
    gone = [s for key, s in old.items() if key not in keep]
    with timezone.override(forum.tzinfo):
        busy = [s for s in gone if s.meetings.exists()]
        if busy:
            raise SetupError("sessions", "this change would remove " + "; ".join(
                f"{_span(s)}, which holds {s.meetings.count()} meeting(s)" for s in sorted(busy, key=lambda s: s.number))
                + ": move or unschedule those meetings first")
    names = [""] * setup.tables if isinstance(setup.tables, int) else list(setup.tables)
    held = forum.tables.filter(number__gt=len(names), meetings__isnull=False).distinct()
    if held.exists():
        raise SetupError("tables", "this change would remove table(s) " + ", ".join(
            str(t.number) for t in held.order_by("number")) + ", which hold meetings")
    Slot.objects.filter(pk__in=[s.pk for s in gone]).delete()
    # Renumber in two steps so the unique (forum, number) constraint never sees a clash midway.
    Slot.objects.filter(forum=forum).update(number=F("number") + 1_000_000)
    for number, (day, session, a, b) in enumerate(times, start=1):
        slot = old.get((a, b))
        if slot is not None:
            Slot.objects.filter(pk=slot.pk).update(number=number, day=day, session=session)
        else:
            Slot.objects.create(forum=forum, number=number, day=day, session=session, start=a, end=b)
    forum.tables.filter(number__gt=len(names)).delete()
    existing = {t.number: t for t in forum.tables.all()}
    for number, name in enumerate(names, start=1):
        if number in existing:
            if existing[number].name != name:
                Table.objects.filter(pk=existing[number].pk).update(name=name)
        else:
            Table.objects.create(forum=forum, number=number, name=name)
    forum.name, forum.slug, forum.starts_on, forum.days = setup.name, setup.slug, setup.starts_on, setup.days
    forum.time_zone, forum.sessions, forum.slot_minutes = setup.time_zone, list(setup.sessions), setup.slot_minutes
    forum.venue, forum.city = setup.venue, find_city(setup.city, setup.time_zone)
    forum.request_deadline, forum.max_meetings = setup.request_deadline, setup.max_meetings
    forum.public_participants = setup.public_participants
    forum.save()
    return forum


# ---------------------------------------------------------------- host stands

@transaction.atomic
def set_host(forum: Forum, table_number: int, external_id: str | None) -> Table:
    """Make a participant host at a table (their stand: all their meetings take place there), or none."""
    table = forum.tables.select_for_update().filter(number=table_number).first()
    if table is None:
        raise SetupError("tables", f"there is no table {table_number}")
    host = None
    if external_id:
        host = services.find_participant(forum, external_id)
        if not host.is_active:
            raise SetupError("host", f"{external_id!r} is not an approved participant")
        # A participant has one stand: moving it frees the old table.
        Table.objects.filter(host=host).exclude(pk=table.pk).update(host=None)
    table.host = host
    table.save(update_fields=["host"])
    return table


def hosts(forum: Forum) -> dict[int, str]:
    return {t.number: t.host.organisation.external_id
            for t in forum.tables.filter(host__isnull=False).select_related("host__organisation")}


# ---------------------------------------------------------------- organisers


def add_organisers(forum: Forum, users: Iterable) -> None:
    forum.organisers.add(*users)


def remove_organiser(forum: Forum, user) -> None:
    forum.organisers.remove(user)
