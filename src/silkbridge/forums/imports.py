"""Bringing a forum's people in from spreadsheets: participants with their delegates, and the organisers' own pairings.

Both imports report like `silkbridge import orgs` (same counts, row numbers and exit status): a bad row
is rejected with its reason and never blocks the good ones, and importing a file again changes nothing.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from silkbridge.directory import services as directory
from silkbridge.directory import tabular
from silkbridge.directory.models import Organisation, Person
from silkbridge.directory.services import ImportReport, RowError
from silkbridge.forums import agendas, services
from silkbridge.forums.models import Delegate, Forum, MeetingRequest, Participant

Progress = Callable[[int, int], None]

DELEGATE_COLUMNS = ("delegate_name", "delegate_email", "delegate_title", "delegate_language")
PARTICIPANT_COLUMNS = (*directory.COLUMNS, *DELEGATE_COLUMNS)
PAIRING_COLUMNS = ("from", "to", "priority", "message")


def _cell(row: dict[str, str], key: str) -> str:
    return (row.get(key) or "").strip()


def _language(value: str, country: str) -> str | None:
    """A UI language code for the delegate ("zh-hans", "sr-latn"…); empty: the country's usual one."""
    known = {code.lower(): code for code, _ in settings.LANGUAGES}
    value = value.strip().lower().replace("_", "-")
    aliases = {"zh": "zh-hans", "zh-cn": "zh-hans", "cn": "zh-hans", "sr-cyrl": "sr", "sr-latin": "sr-latn"}
    value = aliases.get(value, value)
    if not value:
        return agendas.MAIL_LANGUAGE.get(country, settings.LANGUAGE_CODE)
    return known.get(value)


def _delegate(row: dict[str, str], number: int, external_id: str, country: str) -> tuple[dict | None, list[RowError]]:
    name, email, title = _cell(row, "delegate_name"), _cell(row, "delegate_email"), _cell(row, "delegate_title")
    if not (name or email or title or _cell(row, "delegate_language")):
        return None, []
    errors = []
    if not email:
        errors.append(RowError(number, external_id, "delegate_email", "a delegate needs an e-mail address"))
    else:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(RowError(number, external_id, "delegate_email", f"invalid e-mail address {email!r}"))
    if not name:
        errors.append(RowError(number, external_id, "delegate_name", "missing delegate name"))
    elif len(name) > 150:
        errors.append(RowError(number, external_id, "delegate_name", "the delegate's name is longer than 150 characters"))
    language = _language(_cell(row, "delegate_language"), country)
    if language is None:
        codes = ", ".join(code for code, _ in settings.LANGUAGES)
        errors.append(RowError(number, external_id, "delegate_language",
                               f"unknown language {_cell(row, 'delegate_language')!r}; use one of {codes}"))
    if errors:
        return None, errors
    return {"name": name, "email": email.lower(), "title": title[:200], "language": language}, []


def _merge(number: int, errors: list[RowError]) -> RowError:
    return errors[0] if len(errors) == 1 else RowError(
        number, errors[0].id, ",".join(e.field for e in errors), "; ".join(e.error for e in errors))


@transaction.atomic
def _add_delegate(forum: Forum, organisation: Organisation, delegate: dict | None):
    """Make the organisation a participant and give the delegate an account; returns the user (or None)."""
    from silkbridge.accounts.services import (
        delegate_user,
        grant_membership,
        organisations_of,
    )

    if delegate is None:
        services.invite(forum, organisation, people=[])
        return None
    person = (Person.objects.filter(organisation=organisation, email__iexact=delegate["email"]).order_by("pk").first()
              or Person.objects.create(organisation=organisation, name=delegate["name"][:200],
                                       title=delegate["title"], email=delegate["email"]))
    if delegate["title"] and person.title != delegate["title"]:
        Person.objects.filter(pk=person.pk).update(title=delegate["title"])
    user, _ = delegate_user(delegate["email"], delegate["name"], delegate["language"])
    if not organisations_of(user).filter(pk=organisation.pk).exists():
        # The organisers vouch for their delegates: they may edit their organisation's profile at once.
        grant_membership(user, organisation)
    participant = services.invite(forum, organisation, people=[])
    # One delegate row: the account and the directory contact together (title, phone).
    row, _ = Delegate.objects.get_or_create(participant=participant, user=user)
    if row.person_id is None and not Delegate.objects.filter(participant=participant, person=person).exists():
        row.person = person
        row.save(update_fields=["person"])
    return user


def import_participant_rows(forum: Forum, rows: Iterable[tuple[int, dict[str, str]]], *, total: int = 0,
                            dry_run: bool = False, progress: Progress | None = None,
                            report: ImportReport | None = None) -> tuple[ImportReport, int]:
    """Rows of organisations with one delegate each; returns the report and how many delegates were invited now."""
    from silkbridge.accounts.services import invite

    report = report or ImportReport(dry_run=dry_run)
    lookups = directory.Lookups()
    valid: list[tuple[int, directory.OrgRecord, dict | None]] = []
    first_row: dict[str, int] = {}
    emails: dict[tuple[str, str], int] = {}
    done = 0
    for number, row in rows:
        done += 1
        record, errors = directory.validate_row(row, lookups, number=number)
        country = record.country if record else (lookups.country(row.get("country") or "") or "")
        delegate, more = _delegate(row, number, record.external_id if record else (row.get("id") or "").strip(),
                                   country)
        errors += more
        if record is not None and delegate is not None and (record.external_id, delegate["email"]) in emails:
            errors.append(RowError(number, record.external_id, "delegate_email",
                                   f"{delegate['email']} already appears for this organisation in row "
                                   f"{emails[(record.external_id, delegate['email'])]}"))
        if errors:
            report.rejected.append(_merge(number, errors))
            continue
        first_row.setdefault(record.external_id, number)
        if delegate is not None:
            emails[(record.external_id, delegate["email"])] = number
        valid.append((number, record, delegate))
        if progress and done % 50 == 0:
            progress(done, total)
    # An organisation with several delegates comes in once, from its first row.
    records = [(n, r) for n, r, _ in valid if first_row[r.external_id] == n]
    before = len(report.rejected)
    for start in range(0, len(records), 500):
        directory.upsert(records[start:start + 500], lookups=lookups, dry_run=dry_run, report=report)
    failed = {e.id for e in report.rejected[before:]}
    invited = 0
    if not dry_run:
        orgs = Organisation.objects.in_bulk([r.external_id for _, r in records], field_name="external_id")
        users = []
        for number, record, delegate in valid:
            if record.external_id in failed:
                continue
            try:
                user = _add_delegate(forum, orgs[record.external_id], delegate)
            except (IntegrityError, ValidationError, services.ForumError, ValueError) as exc:
                reason = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                report.rejected.append(RowError(number, record.external_id, "delegate_email", f"could not be stored: {reason}"))
                continue
            if user is not None:
                users.append(user)
        # After the rows are stored: an invitation names an account that exists. `invite` sends once per person.
        for user in dict.fromkeys(users):
            invited += bool(invite(user, forum=forum))
    # Rows of an organisation's further delegates count as imported, like its first row.
    report.imported += sum(1 for n, r, _ in valid if first_row[r.external_id] != n and r.external_id not in failed)
    if progress:
        progress(done, total)
    report.rejected.sort(key=lambda e: e.row)
    return report, invited


def import_participants(forum: Forum, path: str | Path, *, dry_run: bool = False, progress: Progress | None = None,
                        rejects: str | Path | None = None) -> tuple[ImportReport, int]:
    """Import a .csv or .xlsx of participants and delegates; raises `tabular.TableError` when unreadable."""
    table = tabular.read_table(path, required=("name",))
    report = ImportReport(dry_run=dry_run,
                          unknown_columns=[c for c in table.header if c and c not in PARTICIPANT_COLUMNS])
    report, invited = import_participant_rows(forum, table.rows, total=len(table.rows), dry_run=dry_run,
                                              progress=progress, report=report)
    if rejects is not None:
        directory.write_rejects(rejects, table, report)
    return report, invited


# ---------------------------------------------------------------- organisers' pairings

def _pair(forum: Forum, a: Participant, b: Participant, priority: str, message: str) -> str:
    """Store one pairing as an accepted request; returns "created", "updated" or "unchanged"."""
    existing = (MeetingRequest.objects.select_for_update()
                .filter(Q(requester=a, recipient=b) | Q(requester=b, recipient=a), status__in=MeetingRequest.OPEN)
                .first())
    now = timezone.now()
    if existing is None:
        MeetingRequest.objects.create(forum=forum, requester=a, recipient=b, message=message[:500],
                                      status=MeetingRequest.Status.ACCEPTED, priority=priority, answered_at=now)
        return "created"
    changes = {}
    if existing.status != MeetingRequest.Status.ACCEPTED:
        changes |= {"status": MeetingRequest.Status.ACCEPTED, "answered_at": now}
    if existing.priority != priority:
        changes["priority"] = priority
    if message and existing.message != message[:500]:
        changes["message"] = message[:500]
    if not changes:
        return "unchanged"
    MeetingRequest.objects.filter(pk=existing.pk).update(**changes)
    return "updated"


def import_pairing_rows(forum: Forum, rows: Iterable[tuple[int, dict[str, str]]], *, dry_run: bool = False,
                        report: ImportReport | None = None) -> ImportReport:
    report = report or ImportReport(dry_run=dry_run)
    rows = list(rows)
    participants = {p.organisation.external_id: p for p in
                    forum.participants.select_related("organisation").exclude(status=Participant.Status.CANCELLED)}
    known = set(Organisation.objects.filter(
        external_id__in={(r.get(k) or "").strip() for _, r in rows for k in ("from", "to")})
        .values_list("external_id", flat=True))
    seen: dict[frozenset, int] = {}
    for number, row in rows:
        a_id, b_id, priority = _cell(row, "from"), _cell(row, "to"), _cell(row, "priority").lower() or "normal"
        errors = []
        for column, key in (("from", a_id), ("to", b_id)):
            if not key:
                errors.append(RowError(number, a_id, column, f"missing organisation id in {column!r}"))
            elif key not in known:
                errors.append(RowError(number, a_id, column, f"no organisation with id {key!r}"))
            elif key not in participants:
                errors.append(RowError(number, a_id, column, f"{key!r} does not take part in {forum.slug}"))
            elif participants[key].status != Participant.Status.APPROVED:
                errors.append(RowError(number, a_id, column, f"{key!r} is not approved for {forum.slug} yet"))
        if a_id and a_id == b_id:
            errors.append(RowError(number, a_id, "to", "an organisation cannot meet itself"))
        if priority not in MeetingRequest.Priority.values:
            errors.append(RowError(number, a_id, "priority",
                                   f"unknown priority {_cell(row, 'priority')!r}; use must or normal"))
        pair = frozenset((a_id, b_id))
        if not errors and pair in seen:
            errors.append(RowError(number, a_id, "to", f"this pair already appears in row {seen[pair]}"))
        if errors:
            report.rejected.append(_merge(number, errors))
            continue
        seen[pair] = number
        if dry_run:
            report.imported += 1
            continue
        with transaction.atomic():
            outcome = _pair(forum, participants[a_id], participants[b_id], priority, _cell(row, "message"))
        report.imported += 1
        setattr(report, outcome, getattr(report, outcome) + 1)
    if seen and not dry_run and forum.status == Forum.Status.DRAFT:
        Forum.objects.filter(pk=forum.pk).update(status=Forum.Status.OPEN)
    report.rejected.sort(key=lambda e: e.row)
    return report


def import_pairings(forum: Forum, path: str | Path, *, dry_run: bool = False,
                    rejects: str | Path | None = None) -> ImportReport:
    """Import a .csv or .xlsx of pairings (from, to, priority, message); raises `tabular.TableError` when unreadable."""
    table = tabular.read_table(path, required=("from", "to"))
    report = ImportReport(dry_run=dry_run, unknown_columns=[c for c in table.header if c and c not in PAIRING_COLUMNS])
    import_pairing_rows(forum, table.rows, dry_run=dry_run, report=report)
    if rejects is not None:
        directory.write_rejects(rejects, table, report)
    return report
