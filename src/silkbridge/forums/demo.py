"""The demo forum: every demo organisation takes part, complementary pairs ask to meet, the schedule is published.

Deterministic: the same database content gives the same requests, answers and schedule.
"""
from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

DEMO_SLUG = "china-ceec-sme-forum-2026"
DEMO_NAME = "China–CEEC SME Cooperation Forum 2026"
SEED = 2026
REQUESTS_PER_ORGANISATION = 3
MAX_MEETINGS = 12
# CP-SAT proves the demo optimal (no breaks) in about 30 s on two cores; it stops as soon as it has.
TIME_LIMIT = 60.0
BELGRADE = ZoneInfo("Europe/Belgrade")
STARTS_ON = date(2026, 12, 8)
# Requests closed before the forum, so the demo shows the state organisers publish from.
DEADLINE = datetime(2026, 11, 20, 18, 0, tzinfo=BELGRADE)
SESSIONS = [
    {"name": "morning", "start": "09:00", "end": "12:40", "pauses": [["10:40", "11:00"]]},
    {"name": "afternoon", "start": "14:00", "end": "17:00", "pauses": [["15:20", "15:40"]]},
]
MESSAGES = [
    "We would like to discuss supply and distribution in your market.",
    "Your profile matches what we are looking for; can we meet at the forum?",
    "We are interested in a joint project and would welcome a first talk.",
    "Could we present our offer and hear about your needs?",
]

log = logging.getLogger("silkbridge.forums")
Say = Callable[[str], None]


def _sectors(org) -> set[str]:
    """Divisions and their sections, so an organisation in 10 overlaps one filed under section C."""
    out: set[str] = set()
    for s in org.sectors.all():
        out.add(s.code)
        if s.parent_id:
            out.add(s.parent_id)
    return out


def _fallback_partners(orgs: list, rng: random.Random) -> dict[int, list]:
    """Partners from other countries ranked by shared sectors, then by offers meeting needs."""
    sectors = {o.pk: _sectors(o) for o in orgs}
    out: dict[int, list] = {}
    for o in orgs:
        scored = []
        for other in orgs:
            if other.country_id == o.country_id:
                continue
            shared = len(sectors[o.pk] & sectors[other.pk])
            complement = len(set(o.need_types) & set(other.offer_types)) + len(set(o.offer_types) & set(other.need_types))
            if shared or complement:
                scored.append((-(2 * shared + complement), rng.random(), other))
        out[o.pk] = [other for *_, other in sorted(scored, key=lambda t: t[:2])]
    return out


def _recommended_partners(orgs: list, say: Say) -> dict[int, list] | None:
    try:
        from silkbridge.matching import services as matching
    except ImportError:
        return None
    finder = getattr(matching, "recommendations_for", None)
    cached = getattr(matching, "cached_matches", None)
    compute_all = getattr(matching, "compute_matches", None)
    if finder is None:
        return None
    by_id = {o.external_id: o for o in orgs}
    out: dict[int, list] = {}
    top = REQUESTS_PER_ORGANISATION * 3
    try:
        if cached is not None:
            # The demo's matching step stores everyone's partners; computing them one by one here would
            # take minutes, so compute all in one pass only when nothing is stored yet.
            if compute_all is not None and not any(cached(o, 1) for o in orgs):
                say("computing partner recommendations…")
                compute_all(top=top)
            finder = cached
        for o in orgs:
            found = [getattr(r, "organisation", r) for r in finder(o, top=top)]
            out[o.pk] = [by_id[f.external_id] for f in found if getattr(f, "external_id", None) in by_id]
    except Exception as exc:  # the matching engine may lack its model; the forum must still load
        log.warning("demo forum: recommendations unavailable (%s); pairing by sectors", exc)
        say(f"recommendations unavailable ({exc}); pairing by sectors")
        return None
    return out


def load_demo_forum(say: Say) -> int:
    """Create, fill, schedule and publish the demo forum; returns the number of scheduled meetings."""
    from django.contrib.auth import get_user_model

    from silkbridge.directory.demo import organisations
    from silkbridge.directory.models import City, Organisation
    from silkbridge.forums import services
    from silkbridge.forums.models import Forum

    existing = Forum.objects.filter(slug=DEMO_SLUG).first()
    if existing is not None:
        return existing.meetings.count()
    say("creating the demo forum…")
    ids = [item["id"] for item in organisations()]
    orgs = list(Organisation.objects.filter(external_id__in=ids).prefetch_related("sectors", "people")
                .order_by("external_id"))
    if not orgs:
        raise RuntimeError("load the demo organisations before the demo forum")
    rng = random.Random(SEED)
    hosts = [o for o in orgs if o.kind in ("city", "agency", "chamber")][:2]
    tables = [f"Stand: {o.name}"[:100] for o in hosts] + [""] * (30 - len(hosts))
    organisers = list(get_user_model().objects.filter(is_staff=True).order_by("pk")[:1])
    forum = services.create_forum(
        name=DEMO_NAME, slug=DEMO_SLUG, starts_on=STARTS_ON, days=2, venue="Sava Centar",
        city=City.objects.filter(country_id="RS", name_en="Belgrade").first(), sessions=SESSIONS, slot_minutes=20,
        tables=tables, request_deadline=DEADLINE, max_meetings=MAX_MEETINGS, organisers=organisers)
    participants = {o.pk: services.invite(forum, o) for o in orgs}
    for number, o in enumerate(hosts, start=1):
        forum.tables.filter(number=number).update(host=participants[o.pk])

    partners = _recommended_partners(orgs, say)
    source = "recommendations"
    if partners is None:
        partners, source = _fallback_partners(orgs, rng), "shared sectors"
    say(f"sending meeting requests (partners from {source})…")
    # Requests were made in the weeks before the deadline; answers come a day later.
    sent_at = DEADLINE - timedelta(days=21)
    requests = []
    for o in orgs:
        made = 0
        for other in partners.get(o.pk, []):
            if made == REQUESTS_PER_ORGANISATION:
                break
            try:
                requests.append(services.request_meeting(participants[o.pk], participants[other.pk],
                                                         rng.choice(MESSAGES), now=sent_at))
            except services.ForumError:
                continue  # the pair already asked the other way round
            made += 1
    answered_at = sent_at + timedelta(days=1)
    accepted: dict[int, int] = {}
    for req in requests:
        roll = rng.random()
        # Sought-after participants decline once their agenda is full, as they would at a real forum.
        full = max(accepted.get(req.requester_id, 0), accepted.get(req.recipient_id, 0)) >= MAX_MEETINGS
        if roll < 0.06 or full:
            services.answer_request(req, accept=False, now=answered_at)
        elif roll < 0.10:
            continue  # left unanswered: it expires at the deadline
        else:
            services.answer_request(req, accept=True, now=answered_at)
            for side in (req.requester_id, req.recipient_id):
                accepted[side] = accepted.get(side, 0) + 1
    expired = services.expire_requests(forum, DEADLINE)
    say(f"{len(requests)} requests, {expired} expired unanswered; scheduling…")
    result = services.schedule_forum(forum, time_limit=TIME_LIMIT, now=DEADLINE)
    services.publish_schedule(forum, by=organisers[0] if organisers else None, mail=False)
    say(f"demo forum: {result.placed} meetings scheduled ({result.status}, {result.breaks} breaks), published")
    return result.placed
