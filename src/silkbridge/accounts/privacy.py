"""What silkbridge holds about a person, to hand over (JSON) or to delete.

Later apps add their part by answering `personal_data_requested` (a section name and a
JSON-ready value) and clean up through `account_deleting`.
"""
from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from silkbridge.accounts.services import settings_of

# Sent with user=; each receiver returns (section name, JSON-ready data) or None.
personal_data_requested = Signal()
# Sent with user= inside the deleting transaction, before the user row goes.
account_deleting = Signal()


def personal_data(user) -> dict:
    account = settings_of(user)
    data = {
        "exported_at": timezone.now().isoformat(),
        "user": {
            "username": user.get_username(), "email": user.email, "first_name": user.first_name,
            "last_name": user.last_name, "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "account": {"language": account.language, "optional_notices": account.optional_notices,
                    "email_confirmed": account.email_confirmed},
        "memberships": [
            {"organisation": m.organisation.external_id, "name": m.organisation.name, "status": m.status,
             "message": m.message, "asked_at": m.created_at.isoformat(),
             "decided_at": m.decided_at.isoformat() if m.decided_at else None}
            for m in user.memberships.select_related("organisation")
        ],
        "notices": [{"event": n.event, "key": n.key, "subject": n.subject, "sent_at": n.sent_at.isoformat()}
                    for n in user.notices.all()],
        "api_tokens": [{"name": t.name, "prefix": t.prefix, "created_at": t.created_at.isoformat(),
                        "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None}
                       for t in user.api_tokens.all()],
    }
    data["directory_contacts"] = [
        {"organisation": p.organisation.external_id, "name": p.name, "name_latin": p.name_latin, "title": p.title,
         "email": p.email, "phone": p.phone}
        for p in contact_entries(user).select_related("organisation")
    ]
    for _receiver, answer in personal_data_requested.send(sender=type(user), user=user):
        if answer:
            name, value = answer
            data[name] = value
    return data


def contact_entries(user):
    """The directory's contact entries with the person's e-mail address: data about them, too."""
    from silkbridge.directory.models import Person

    if not user.email:
        return Person.objects.none()
    return Person.objects.filter(email__iexact=user.email)


@transaction.atomic
def delete_account(user) -> None:
    """Delete the person, their directory contact entries and what hangs on them; organisations and forums stay."""
    account_deleting.send(sender=type(user), user=user)
    contact_entries(user).delete()
    user.delete()
