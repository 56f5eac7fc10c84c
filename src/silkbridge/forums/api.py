"""JSON API of the forums (mounted at /api/v1/forums): forums, slots, participants, agendas, meeting requests."""
from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from silkbridge.forums import agendas, services
from silkbridge.forums.models import Forum, MeetingRequest, Participant

router = Router(tags=["forums"])


class ForumOut(Schema):
    id: int
    slug: str
    name: str
    starts_on: date
    days: int
    venue: str
    status: str
    slot_minutes: int
    request_deadline: datetime | None


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


class Error(Schema):
    detail: str


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


@router.get("/{forum}/slots", response=list[SlotOut])
def forum_slots(request: HttpRequest, forum: str):
    return list(_visible(request, _forum(forum)).slots.order_by("number"))


@router.get("/{forum}/participants", response=list[ParticipantOut])
def forum_participants(request: HttpRequest, forum: str):
    f = _visible(request, _forum(forum))
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
def accept_request(request: HttpRequest, forum: str, request_id: int):
    return _answer(request, forum, request_id, True)


@router.post("/{forum}/requests/{request_id}/decline", response={200: RequestOut, 400: Error, 403: Error, 404: Error},
             auth=django_auth)
def decline_request(request: HttpRequest, forum: str, request_id: int):
    return _answer(request, forum, request_id, False)
