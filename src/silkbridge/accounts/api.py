"""JSON API of accounts: who am I, and one's own tokens."""
from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from silkbridge.accounts import services
from silkbridge.accounts.auth import api_auth

router = Router(tags=["me"])


class OrganisationRef(Schema):
    id: str
    name: str


class MeOut(Schema):
    username: str
    email: str
    name: str
    language: str
    optional_notices: bool
    email_confirmed: bool
    is_staff: bool
    organisations: list[OrganisationRef]


@router.get("", response=MeOut, auth=api_auth, summary="The person the session or token belongs to")
def me(request: HttpRequest):
    user = request.user
    account = services.settings_of(user)
    return {
        "username": user.get_username(), "email": user.email, "name": user.get_full_name(),
        "language": account.language, "optional_notices": account.optional_notices,
        "email_confirmed": account.email_confirmed, "is_staff": user.is_staff,
        "organisations": [{"id": o.external_id, "name": o.name} for o in services.organisations_of(user).order_by("name")],
    }


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


class Error(Schema):
    detail: str


@router.get("/tokens", response=list[TokenOut], auth=api_auth, summary="My API tokens (never their secrets)")
def my_tokens(request: HttpRequest):
    return list(request.user.api_tokens.all())


@router.delete("/tokens/{token_id}", response={204: None, 404: Error}, auth=api_auth, summary="Revoke one of my tokens")
def revoke_token(request: HttpRequest, token_id: int):
    if not services.revoke_token(request.user, token_id):
        return Status(404, {"detail": f"you have no token with id {token_id}"})
    return Status(204, None)
