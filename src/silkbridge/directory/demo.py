"""The demo forum's organisations: fictional members in their own languages (files in demo_organisations/)."""
from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources

Say = Callable[[str], None]
DEMO_USER = "demo"
DEMO_PASSWORD = "silkbridge-demo"


def organisations() -> list[dict]:
    folder = resources.files("silkbridge.directory") / "demo_organisations"
    records: list[dict] = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.startswith("organisations_") and entry.name.endswith(".json"):
            records.extend(json.loads(entry.read_text(encoding="utf-8")))
    return records


def load_directory(say: Say) -> int:
    from django.contrib.auth import get_user_model

    from silkbridge.directory import services
    from silkbridge.directory.models import Organisation

    say("loading demo organisations…")
    lookups = services.Lookups()
    records, details = [], []
    for number, item in enumerate(organisations(), start=1):
        author = next((p for p in item.get("profiles", []) if p.get("origin") == "author"), (item.get("profiles") or [{}])[0])
        contact = (item.get("people") or [{}])[0]
        row = {
            "id": item["id"], "name": item["name"], "kind": item.get("kind", ""), "country": item["country"],
            "city": item.get("city", ""), "sectors": ";".join(item.get("sectors", [])), "website": item.get("website", ""),
            "language": author.get("language", ""), "description": author.get("description", ""),
            "offers": author.get("offers", ""), "needs": author.get("needs", ""),
            "contact_name": contact.get("name", ""), "contact_title": contact.get("title", ""),
            "contact_email": contact.get("email", ""),
        }
        record, errors = services.validate_row(row, lookups, number=number)
        if errors:
            raise ValueError(f"demo organisation {item['id']}: {errors}")
        records.append((number, record))
        details.append(item)
    services.upsert(records, lookups=lookups)
    by_id = {o.external_id: o for o in Organisation.objects.filter(external_id__in=[d["id"] for d in details])}
    for item in details:
        services.save_organisation_details(
            by_id[item["id"]],
            names=item.get("names") or {},
            profiles=item.get("profiles", []),
            people=item.get("people", []),
            size=item.get("size") or "",
            founded=item.get("founded"),
            languages_spoken=item.get("languages", []),
            offer_types=item.get("offer_types", []),
            need_types=item.get("need_types", []),
            notify=False,  # the demo's matching step embeds everything in one batch
        )
    User = get_user_model()
    user, created = User.objects.get_or_create(username=DEMO_USER, defaults={"is_staff": True, "is_superuser": True,
                                                                           "email": "demo@silkbridge.example"})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return len(details)
