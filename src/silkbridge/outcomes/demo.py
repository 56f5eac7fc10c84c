"""Demo outcomes: the real sister-city and investment files, plus a few fictional results of the demo forum.

Safe to run again: the imports are idempotent and the fictional records carry fixed keys.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q

from silkbridge.outcomes import services

Say = Callable[[str], None]
FALLBACK_DAY = date(2026, 12, 8)

# (key, kind, title, day of the forum (0 = first), parties: directory ids or "city:NAME,CC")
_AGREEMENTS = [
    ("demo:mou-medical", "mou", "Memorandum of understanding on distributing hearing-aid devices in the Western Balkans",
     0, ["cn-zj-meisheng", "rs-bg-medivera"]),
    ("demo:mou-raspberry", "mou", "Memorandum of understanding on frozen raspberry supply to Zhejiang retailers",
     0, ["cn-zj-yiwu-silkroute", "rs-ca-zlatna-malina"]),
    ("demo:auto-parts", "cooperation", "Cooperation agreement on an auto-parts supplier park in Kragujevac",
     1, ["cn-zj-yongchi-auto", "rs-kg-city"]),
    ("demo:ningbo-kragujevac", "strategic", "Strategic cooperation agreement between Ningbo and Kragujevac",
     1, ["city:Ningbo,CN", "city:Kragujevac,RS"]),
]
# (key, title, investor id, city, country, amount, currency, sector, signed: days after the forum's first day)
# The warehouse was signed at a preparatory day eight weeks before the forum, so it converts at published
# rates; the plant is signed at the forum itself, after the last bundled rate, and shows how a report
# treats an amount that cannot be converted yet.
_INVESTMENTS = [
    ("demo:auto-plant", "Yongchi brake-component plant, Kragujevac", "cn-zj-yongchi-auto", "Kragujevac", "RS",
     Decimal("12500000"), "EUR", "29", 1),
    ("demo:warehouse", "Silk Road bonded warehouse, Belgrade", "cn-zj-yiwu-silkroute", "Belgrade", "RS",
     Decimal("48000000"), "CNY", "52", -56),
]


def _forum():
    from silkbridge.forums.demo import DEMO_SLUG
    from silkbridge.forums.models import Forum

    return Forum.objects.filter(slug=DEMO_SLUG).first()


def _party(ref: str, role: str):
    from silkbridge.directory.models import City, Organisation
    from silkbridge.outcomes.models import Party

    if ref.startswith("city:"):
        name, country = ref[5:].rsplit(",", 1)
        city = City.objects.filter(country_id=country, name_en=name).first()
        return services.PartyRef(role=role, city_id=city.pk) if city else None
    org = Organisation.objects.filter(external_id=ref).first()
    return services.PartyRef(role=role or Party.Role.SIGNATORY, organisation_id=org.pk) if org else None


def _meeting(forum, parties):
    """The accepted meeting request between the two organisations of an agreement, if they had one."""
    from silkbridge.forums.models import MeetingRequest

    orgs = [p.organisation_id for p in parties if p.organisation_id]
    if forum is None or len(orgs) != 2:
        return None
    a, b = orgs
    pair = (Q(requester__organisation_id=a, recipient__organisation_id=b)
            | Q(requester__organisation_id=b, recipient__organisation_id=a))
    return MeetingRequest.objects.filter(pair, forum=forum, status=MeetingRequest.Status.ACCEPTED).first()


def _record(model, key: str, **values):
    record = model.objects.filter(import_key=key).first() or model(import_key=key)
    for name, value in values.items():
        setattr(record, name, value)
    return record


def load_demo_outcomes(say: Say) -> int:
    """Import both reference files and add the demo forum's outcomes; returns the records added or updated."""
    from silkbridge.directory.models import City, Organisation
    from silkbridge.outcomes.models import Agreement, EntryMethod, Investment, Party, Visit

    changed = 0
    for label, func, name in (("sister cities", services.import_sister_cities, services.SISTER_CITIES_FILE),
                              ("investments", services.import_investments, services.INVESTMENTS_FILE)):
        say(f"importing {label}…")
        report = func(services.packaged_file(name))
        changed += report.created + report.updated
        say(f"  {report.created} new, {report.updated} updated, {report.unchanged} unchanged, "
            f"{len(report.rejected)} rejected")
    forum = _forum()
    say("adding demo forum outcomes" + (f" for {forum.name}…" if forum else " (no demo forum: unlinked)…"))
    first_day = forum.starts_on if forum else FALLBACK_DAY
    source = {"forum": forum, "source_title": "Demo data (fictional)", "entry_method": EntryMethod.MANUAL}
    for key, kind, title, day, refs in _AGREEMENTS:
        parties = [p for p in (_party(r, Party.Role.SIGNATORY) for r in refs) if p]
        record = _record(Agreement, key, kind=kind, title=title, signed_on=first_day + timedelta(days=day),
                         place="Belgrade", meeting=_meeting(forum, parties),
                         status=Agreement.Status.SIGNED, **source)
        services.save_record(record, parties=parties)
        changed += 1
    for key, title, investor, city, country, amount, currency, sector, day in _INVESTMENTS:
        parties = [p for p in (_party(investor, Party.Role.INVESTOR),) if p]
        record = _record(Investment, key, title=title, signed_on=first_day + timedelta(days=day),
                         status=Investment.Status.SIGNED,
                         country_id=country, city=City.objects.filter(country_id=country, name_en=city).first(),
                         amount=amount, currency=currency, sector_id=sector, **source)
        services.save_record(record, parties=parties)
        changed += 1
    met = list(Organisation.objects.filter(external_id__in=["rs-kg-city", "rs-bg-srpsko-kinesko-udruzenje"])
               .values_list("pk", flat=True))
    visit = _record(Visit, "demo:ningbo-visit", delegation="Ningbo municipal business delegation",
                    head="Deputy mayor of Ningbo",
                    organisation=Organisation.objects.filter(external_id="cn-zj-ningbo-city").first(),
                    from_country_id="CN", from_city=City.objects.filter(country_id="CN", name_en="Ningbo").first(),
                    to_country_id="RS", to_city=City.objects.filter(country_id="RS", name_en="Kragujevac").first(),
                    starts_on=first_day - timedelta(days=2), ends_on=first_day + timedelta(days=3),
                    purpose="Attend the forum and visit the planned supplier park.", **source)
    services.save_record(visit, met=met)
    return changed + 1
