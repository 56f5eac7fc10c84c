"""JSON API of the forums (mounted at /api/v1/forums): forums, slots, participants, agendas, meeting requests."""
from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, File, Path, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.security import django_auth

from silkbridge.accounts.auth import api_auth
from silkbridge.apischema import MAX_ID, Error
from silkbridge.forums import agendas, imports, services, setup
from silkbridge.forums.models import Forum, MeetingRequest, Participant

router = Router(tags=["forums"])


class ForumOut(Schema):
    id: int
    slug: str
    name: str
    starts_on: date
    days: int
    venue: str
    time_zone: str
    status: str
    slot_minutes: int
    request_deadline: datetime | None
    max_meetings: int | None
    public_participants: bool


class SessionIn(Schema):
    name: str = ""
    start: str
    end: str
    pauses: list[list[str]] = Field(default_factory=list)


class ForumIn(Schema):
    """A new forum. Sessions are wall-clock times in ``time_zone``, as a list or as "09:00-12:30,14:00-17:00";
    a ``request_deadline`` without an offset is the forum's local time."""

    slug: str
    name: str
    starts_on: date
    days: int = 1
    time_zone: str
    sessions: list[SessionIn] | str
    slot_minutes: int
    tables: int | list[str]
    venue: str = ""
    city: str = ""
    request_deadline: datetime | None = None
    max_meetings: int | None = None
    public_participants: bool = True


class ForumPatch(Schema):
    slug: str | None = None
    name: str | None = None
    starts_on: date | None = None
    days: int | None = None
    time_zone: str | None = None
    sessions: list[SessionIn] | str | None = None
    slot_minutes: int | None = None
    tables: int | list[str] | None = None
    venue: str | None = None
    city: str | None = None
    request_deadline: datetime | None = None
    max_meetings: int | None = None
    public_participants: bool | None = None


class SetupOut(Schema):
    forum: str
    timezone: str
    slots: int
    tables: int


class RejectedRowOut(Schema):
    row: int
    id: str
    field: str
    error: str


class ImportOut(Schema):
    imported: int
    created: int
    updated: int
    unchanged: int
    rejected: list[RejectedRowOut]
    invited: int = 0


class OrganiserIn(Schema):
    email: str


class HostIn(Schema):
    organisation: str | None = None


class SlotOut(Schema):
    number: int
    day: int
    session: str
    start: datetime
    end: datetime


class ParticipantOut(Schema):
    id: str
    name: str
    country: str
    status: str


class ContactOut(Schema):
    name: str
    role: str
    email: str
    phone: str


class AgendaItemOut(Schema):
    slot: int
    day: int
    start: datetime
    end: datetime
    table: int
    table_name: str
    other_id: str
    other_name: str
    other_country: str
    other_people: list[ContactOut]
    message: str


class RequestIn(Schema):
    to: str
    message: str = ""


class RequestOut(Schema):
    id: int
    requester: str
    recipient: str
    message: str
    status: str


def _forum(key: str) -> Forum:
    try:
        return services.find_forum(key)
    except services.ForumError as exc:
        raise HttpError(404, str(exc)) from exc


def _visible(request: HttpRequest, forum: Forum) -> Forum:
    if not services.can_see_forum(forum, request.user):
        raise HttpError(404, f"no forum with slug or id {forum.slug!r}")
    return forum


def _me(request: HttpRequest, forum: Forum) -> Participant:
    me = services.participant_for_user(forum, request.user)
    if me is None or not me.is_active:
        raise HttpError(403, "you are not an approved participant of this forum")
    return me


def _request_out(r: MeetingRequest) -> dict:
    return {"id": r.pk, "requester": r.requester.organisation.external_id,
            "recipient": r.recipient.organisation.external_id, "message": r.message, "status": r.status}


@router.get("", response=list[ForumOut])
def list_forums(request: HttpRequest):
    return services.visible_forums(request.user).order_by("starts_on", "pk")


def _organiser(request: HttpRequest, key: str) -> Forum:
    forum = _forum(key)
    if not services.is_organiser(forum, request.user):
        raise HttpError(403, "only the forum's organisers may do this")
    return forum


def _sessions(value) -> tuple[dict, ...]:
    if isinstance(value, str):
        return tuple(setup.parse_sessions(value))
    return tuple(s.dict() for s in value)


def _field_error(exc: Exception, field: str) -> dict:
    """A set-up refusal as the API's one error body, naming the field (the option) at fault."""
    return {"detail": str(exc), "errors": [{"field": field, "error": str(exc)}]}


def _setup_out(forum: Forum) -> dict:
    return {"forum": forum.slug, "timezone": forum.time_zone, "slots": forum.slots.count(),
            "tables": forum.tables.count()}


@router.post("", response={201: SetupOut, 400: Error, 403: Error}, auth=api_auth)
def create_forum(request: HttpRequest, payload: ForumIn):
    """Set a forum up: its slots are generated in its time zone; the caller becomes an organiser."""
    if not services.can_create_forum(request.user):
        raise HttpError(403, "only staff may set up forums")
    data = payload.dict()
    try:
        data["sessions"] = _sessions(payload.sessions)
        forum = setup.create(setup.ForumSetup(**data), by=request.user)
    except setup.SetupError as exc:
        return Status(400, _field_error(exc, exc.field))
    return Status(201, _setup_out(forum))


@router.patch("/{forum}", response={200: SetupOut, 400: Error, 403: Error, 404: Error}, auth=api_auth)
def edit_forum(request: HttpRequest, forum: str, payload: ForumPatch):
    """Change a forum's set-up; a change that would remove a slot or table holding meetings is refused."""
    from dataclasses import replace

    f = _organiser(request, forum)
    changes = payload.dict(exclude_unset=True)
    try:
        if "sessions" in changes:
            changes["sessions"] = _sessions(payload.sessions)
        f = setup.update(f, replace(setup.setup_of(f), **changes))
    except setup.SetupError as exc:
        return Status(400, _field_error(exc, exc.field))
    return _setup_out(f)


@router.get("/{forum}", response={200: ForumOut, 404: Error})
def forum_detail(request: HttpRequest, forum: str):
    return _visible(request, _forum(forum))


def _upload(file: UploadedFile, work):
    import tempfile
    from pathlib import Path

    from silkbridge.directory.tabular import TableError

    suffix = Path(file.name or "").suffix.lower()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as handle:
            for chunk in file.chunks():
                handle.write(chunk)
        try:
            return work(path)
        except TableError as exc:
            raise HttpError(400, str(exc).replace(str(path), file.name or "the file")) from exc


@router.post("/{forum}/participants/import", response={200: ImportOut, 400: Error, 403: Error, 404: Error},
             auth=api_auth)
def import_participants(request: HttpRequest, forum: str, file: UploadedFile = File(...), dry_run: bool = False):  # noqa: B008
    """Participants and their delegates from a .csv or .xlsx (the columns of `silkbridge forum participants
    import`); new delegates are invited before the answer comes."""
    f = _organiser(request, forum)
    report, invited = _upload(file, lambda path: imports.import_participants(f, path, dry_run=dry_run))
    return report.as_dict() | {"invited": invited}


@router.post("/{forum}/requests/import", response={200: ImportOut, 400: Error, 403: Error, 404: Error},
             auth=api_auth)
def import_pairings(request: HttpRequest, forum: str, file: UploadedFile = File(...), dry_run: bool = False):  # noqa: B008
    """The organisers' pairings (columns from, to, priority, message), accepted on import."""
    f = _organiser(request, forum)
    return _upload(file, lambda path: imports.import_pairings(f, path, dry_run=dry_run)).as_dict()


@router.put("/{forum}/tables/{number}/host", response={200: dict[str, str], 400: Error, 403: Error, 404: Error},
            auth=api_auth)
def set_host(request: HttpRequest, forum: str, number: int, payload: HostIn):
    """A host stand: every meeting of that participant takes place at this table (``null`` frees it)."""
    f = _organiser(request, forum)
    try:
        setup.set_host(f, number, payload.organisation)
    except setup.SetupError as exc:
        return Status(400, _field_error(exc, exc.field))
    except services.ForumError as exc:
        return Status(400, _field_error(exc, "organisation"))
    return {str(k): v for k, v in setup.hosts(f).items()}


def _organisers(f: Forum) -> list[str]:
    return sorted(f.organisers.values_list("email", flat=True))


@router.get("/{forum}/organisers", response={200: list[str], 403: Error, 404: Error}, auth=api_auth)
def list_organisers(request: HttpRequest, forum: str):
    return _organisers(_organiser(request, forum))


def _user(email: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(email__iexact=email.strip()).order_by("pk").first()
    if user is None:
        raise HttpError(400, f"no user with the e-mail address {email!r}")
    return user


@router.post("/{forum}/organisers", response={200: list[str], 400: Error, 403: Error, 404: Error}, auth=api_auth)
def add_organiser(request: HttpRequest, forum: str, payload: OrganiserIn):
    f = _organiser(request, forum)
    setup.add_organisers(f, [_user(payload.email)])
    return _organisers(f)


@router.delete("/{forum}/organisers", response={200: list[str], 400: Error, 403: Error, 404: Error}, auth=api_auth)
def remove_organiser(request: HttpRequest, forum: str, email: str):
    f = _organiser(request, forum)
    setup.remove_organiser(f, _user(email))
    return _organisers(f)


@router.get("/{forum}/slots", response=list[SlotOut])
def forum_slots(request: HttpRequest, forum: str):
    return list(_visible(request, _forum(forum)).slots.order_by("number"))


@router.get("/{forum}/participants", response={200: list[ParticipantOut], 403: Error, 404: Error})
def forum_participants(request: HttpRequest, forum: str):
    f = _visible(request, _forum(forum))
    if not services.can_see_participants(f, request.user):
        raise HttpError(403, "the organisers show the participant list to those taking part only")
    return [{"id": p.organisation.external_id, "name": p.organisation.name, "country": p.organisation.country_id,
             "status": p.status}
            for p in f.participants.filter(status=Participant.Status.APPROVED).select_related("organisation")
            .order_by("organisation__name")]


@router.get("/{forum}/participants/{org_id}/agenda", response={200: list[AgendaItemOut], 403: Error, 404: Error},
            auth=django_auth)
def participant_agenda(request: HttpRequest, forum: str, org_id: str):
    f = _forum(forum)
    try:
        who = services.find_participant(f, org_id)
    except services.ForumError as exc:
        raise HttpError(404, str(exc)) from exc
    try:
        services.check_agenda_access(f, request.user, who)
    except services.NotAllowed as exc:
        raise HttpError(403, str(exc)) from exc
    except services.NotPublished as exc:
        raise HttpError(404, str(exc)) from exc
    return agendas.agenda(who)


@router.post("/{forum}/requests", response={201: RequestOut, 400: Error, 403: Error, 404: Error}, auth=django_auth)
def create_request(request: HttpRequest, forum: str, payload: RequestIn):
    f = _forum(forum)
    me = _me(request, f)
    try:
        other = services.find_participant(f, payload.to)
        r = services.request_meeting(me, other, payload.message)
    except services.ForumError as exc:
        raise HttpError(400, str(exc)) from exc
    return Status(201, _request_out(r))


def _answer(request: HttpRequest, forum: str, request_id: int, accept: bool):
    f = _forum(forum)
    me = _me(request, f)
    r = get_object_or_404(MeetingRequest.objects.select_related("requester__organisation", "recipient__organisation"),
                          pk=request_id, forum=f)
    try:
        services.answer_request(r, accept=accept, by=me)
    except services.ForumError as exc:
        raise HttpError(400, str(exc)) from exc
    return _request_out(r)


@router.post("/{forum}/requests/{request_id}/accept", response={200: RequestOut, 400: Error, 403: Error, 404: Error},
             auth=django_auth)
def accept_request(request: HttpRequest, forum: str, request_id: int = Path(..., ge=1, le=MAX_ID)):
    return _answer(request, forum, request_id, True)


@router.post("/{forum}/requests/{request_id}/decline", response={200: RequestOut, 400: Error, 403: Error, 404: Error},
             auth=django_auth)
def decline_request(request: HttpRequest, forum: str, request_id: int = Path(..., ge=1, le=MAX_ID)):
    return _answer(request, forum, request_id, False)
