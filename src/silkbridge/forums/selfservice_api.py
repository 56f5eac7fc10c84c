"""JSON API of a delegate's own forum data: "my requests", by session or personal token."""
from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from silkbridge.accounts.auth import api_auth
from silkbridge.forums import selfservice

router = Router(tags=["me"])


class MyRequestOut(Schema):
    id: int
    forum: str
    direction: str
    requester: str
    recipient: str
    message: str
    status: str
    created_at: datetime


@router.get("/requests", response=list[MyRequestOut], auth=api_auth,
            summary="My meeting requests, in and out, in every forum (or one: ?forum=SLUG)")
def my_requests(request: HttpRequest, forum: str | None = None):
    from silkbridge.forums.models import Forum

    chosen = Forum.objects.filter(slug=forum).first() if forum else None
    if forum and chosen is None:
        return []
    return [{"id": r.pk, "forum": r.forum.slug, "direction": direction,
             "requester": r.requester.organisation.external_id, "recipient": r.recipient.organisation.external_id,
             "message": r.message, "status": r.status, "created_at": r.created_at}
            for direction, r in selfservice.my_requests(request.user, forum=chosen)]
