"""Records audited writes from model signals, naming the person the write path says is acting.

The web's write path (every unsafe request of a logged-in person: pages and API alike) runs inside
`acting(request.user)`; a write with nobody acting (the command line, the demo loader, background
imports) is not recorded. Which models are audited, and under which record each is shown, is the
AUDITED setting: {"app.Model": None (itself) or the name of the foreign key to its record}.
"""
from __future__ import annotations

import contextvars
import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save, pre_save

_actor: contextvars.ContextVar = contextvars.ContextVar("silkbridge_audit_actor", default=None)
SKIPPED_FIELDS = {"created_at", "updated_at", "search_text", "folded_name"}


@contextmanager
def acting(user):
    token = _actor.set(user if getattr(user, "is_authenticated", False) else None)
    try:
        yield
    finally:
        _actor.reset(token)


def _plain(value):
    if isinstance(value, (dt.date, dt.datetime, dt.time, Decimal)):
        return str(value)
    if isinstance(value, (str, int, float, bool, type(None), list, dict)):
        return value
    return str(value)


def _values(instance) -> dict:
    return {f.attname: _plain(f.value_from_object(instance)) for f in instance._meta.concrete_fields
            if f.name not in SKIPPED_FIELDS and not f.primary_key}


def _audited(sender) -> tuple[bool, str | None]:
    label = f"{sender._meta.app_label}.{sender._meta.object_name}"
    audited = settings.AUDITED
    return (label in audited, audited.get(label))


def _before(sender, instance, raw=False, **kwargs):
    if raw or _actor.get() is None or not _audited(sender)[0] or instance.pk is None:
        return
    old = sender._default_manager.filter(pk=instance.pk).first()
    instance._audit_before = _values(old) if old is not None else None


def _record(sender, instance, action: str, changes: dict) -> None:
    from silkbridge.audit.models import Entry

    actor = _actor.get()
    via = _audited(sender)[1]
    subject = getattr(instance, via, None) if via else instance
    if subject is None:
        return
    Entry.objects.create(
        actor=actor, actor_name=actor.get_username(), action=action, model=sender._meta.label_lower,
        object_id=str(instance.pk), object_repr=str(instance)[:200],
        subject_type=ContentType.objects.get_for_model(type(subject)), subject_id=str(subject.pk), changes=changes)


def _after(sender, instance, created=False, raw=False, **kwargs):
    if raw or _actor.get() is None or not _audited(sender)[0]:
        return
    now = _values(instance)
    before = None if created else getattr(instance, "_audit_before", None)
    if before is None:
        changes = {k: [None, v] for k, v in now.items() if v not in (None, "", [], {})}
        action = "created" if created else "changed"
    else:
        changes = {k: [before.get(k), v] for k, v in now.items() if before.get(k) != v}
        action = "changed"
        if not changes:
            return
    instance.__dict__.pop("_audit_before", None)
    _record(sender, instance, action, changes)


def _deleted(sender, instance, **kwargs):
    if _actor.get() is None or not _audited(sender)[0]:
        return
    _record(sender, instance, "deleted", {k: [v, None] for k, v in _values(instance).items() if v not in (None, "")})


def connect() -> None:
    for label in settings.AUDITED:
        model = apps.get_model(label)
        pre_save.connect(_before, sender=model, dispatch_uid=f"audit-before-{label}")
        post_save.connect(_after, sender=model, dispatch_uid=f"audit-after-{label}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"audit-deleted-{label}")


class ActingMiddleware:
    """Every unsafe request of a logged-in person writes as that person."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD", "OPTIONS") or not request.user.is_authenticated:
            return self.get_response(request)
        with acting(request.user):
            return self.get_response(request)


def trail(record, limit: int = 50):
    """The newest entries shown on a record's page."""
    from silkbridge.audit.models import Entry

    return list(Entry.objects.filter(subject_type=ContentType.objects.get_for_model(type(record)),
                                     subject_id=str(record.pk)).select_related("actor")[:limit])


def record_change(subject, *, by, before: dict | None, after: dict) -> None:
    """For write paths that store in bulk (no model signals): the record's fields before and after, as the caller
    shows them (the organisation API's own shape), compared here."""
    if not getattr(by, "is_authenticated", False):
        return
    changes = ({k: [None, v] for k, v in after.items() if v not in (None, "", [], {})} if before is None
               else {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v})
    if not changes:
        return
    with acting(by):
        _record(type(subject), subject, "created" if before is None else "changed", changes)
