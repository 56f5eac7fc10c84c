"""Messages to people: one template pair per event, sent in the recipient's language, never twice.

`notify(user, "request_received", key=f"request:{r.pk}:received", context={...})` renders
`accounts/notices/request_received_subject.txt` and `…_body.txt` (any app may ship its own
event templates under its `templates/accounts/notices/`; a body of an optional notice ends with
`{% include "accounts/notices/_footer.txt" %}`, the way to turn them off), sends one message through Django's
mail backend (SMTP, or the outbox folder) and records a `Notice` row. The row's unique key is
what makes a retried job harmless: the second call finds the key taken and sends nothing.
"""
from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from silkbridge.accounts.models import Notice

log = logging.getLogger("silkbridge.notices")


def site_url(path: str = "") -> str:
    """An absolute link: the site's base URL (`SILKBRIDGE_SITE_URL`) joined with a path."""
    return settings.SITE_URL.rstrip("/") + path


def absolute_reverse(name: str, *, language: str, args=(), kwargs=None) -> str:
    """The absolute URL of a named page in a language (the i18n prefix follows it)."""
    with translation.override(language):
        return site_url(reverse(name, args=args, kwargs=kwargs))


def language_of(user) -> str:
    from silkbridge.accounts.services import settings_of

    return settings_of(user).language or settings.LANGUAGE_CODE


def render(user, event: str, context: dict) -> tuple[str, str]:
    """Subject and body of an event's message for one person, in their language."""
    language = language_of(user)
    with translation.override(language):
        full = {"user": user, "language": language, "site_url": settings.SITE_URL.rstrip("/"),
                "account_url": absolute_reverse("accounts:home", language=language)} | dict(context)
        subject = render_to_string(f"accounts/notices/{event}_subject.txt", full)
        body = render_to_string(f"accounts/notices/{event}_body.txt", full)
    return " ".join(subject.split()), body


def already_sent(user, key: str) -> bool:
    return Notice.objects.filter(user=user, key=key).exists()


def notify(user, event: str, *, key: str, context: dict, essential: bool = False,
           attachments: list[tuple[str, bytes | str, str]] = ()) -> bool:
    """Send the event's message to `user` once per `key`; False when sent before, opted out or no address.

    The `Notice` row is written in the same transaction as the sending, so a failed send leaves
    no row behind and the next try sends it.
    """
    if not user.email or not user.is_active:
        return False
    if not essential and not _wants_optional(user):
        return False
    subject, body = render(user, event, context)
    try:
        with transaction.atomic():
            Notice.objects.create(user=user, key=key[:200], event=event, subject=subject[:300])
            message = EmailMessage(subject, body, to=[user.email])
            for name, content, mimetype in attachments:
                message.attach(name, content, mimetype)
            message.send()
    except IntegrityError:
        return False
    log.info("sent %s to user %s (%s)", event, user.pk, key)
    return True


def _wants_optional(user) -> bool:
    from silkbridge.accounts.services import settings_of

    return settings_of(user).optional_notices
