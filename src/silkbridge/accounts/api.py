"""JSON API of accounts: who am I, and one's own tokens."""
from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status

from silkbridge.accounts import services
from silkbridge.accounts.auth import api_auth
from silkbridge.apischema import Error

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


@router.get("/tokens", response=list[TokenOut], auth=api_auth, summary="My API tokens (never their secrets)")
def my_tokens(request: HttpRequest):
    return list(request.user.api_tokens.all())


@router.delete("/tokens/{token_id}", response={204: None, 404: Error}, auth=api_auth, summary="Revoke one of my tokens")
def revoke_token(request: HttpRequest, token_id: int):
    if not services.revoke_token(request.user, token_id):
        return Status(404, {"detail": f"you have no token with id {token_id}"})
    return Status(204, None)


class PreferencesIn(Schema):
    name: str | None = None
    language: str | None = None
    optional_notices: bool | None = None


@router.patch("", response=MeOut, auth=api_auth, summary="Change my name, language or whether I get optional notices")
def update_me(request: HttpRequest, payload: PreferencesIn):
    services.update_preferences(request.user, **payload.dict(exclude_none=True))
    return me(request)


class MembershipOut(Schema):
    id: int
    organisation: str
    name: str
    status: str
    message: str
    created_at: datetime


class MembershipIn(Schema):
    organisation: str
    message: str = ""


def _membership_out(m) -> dict:
    return {"id": m.pk, "organisation": m.organisation.external_id, "name": m.organisation.name, "status": m.status,
            "message": m.message, "created_at": m.created_at}


@router.get("/memberships", response=list[MembershipOut], auth=api_auth,
            summary="The organisations I represent or asked to represent")
def my_memberships(request: HttpRequest):
    return [_membership_out(m) for m in request.user.memberships.select_related("organisation")]


@router.post("/memberships", response={201: MembershipOut, 404: Error}, auth=api_auth,
             summary="Ask to represent an organisation (staff or its forums' organisers approve)")
def ask_membership(request: HttpRequest, payload: MembershipIn):
    from silkbridge.directory.models import Organisation

    org = Organisation.objects.filter(external_id=payload.organisation.strip()).first()
    if org is None:
        return Status(404, {"detail": f"no organisation has the id {payload.organisation!r}"})
    return Status(201, _membership_out(services.ask_to_represent(request.user, org, message=payload.message)))


class ProfileIn(Schema):
    language: str = ""
    description: str = ""
    offers: str = ""
    needs: str = ""
    sectors: str = ""
    website: str = ""


@router.put("/organisations/{org_id}/profile", response={200: dict, 403: Error, 404: Error, 422: Error},
            auth=api_auth, summary="Write my organisation's profile in one language (any script), sectors and website")
def put_profile(request: HttpRequest, org_id: str, payload: ProfileIn):
    from silkbridge.directory.models import Organisation

    org = Organisation.objects.filter(external_id=org_id).first()
    if org is None:
        return Status(404, {"detail": f"no organisation has the id {org_id!r}"})
    if not services.can_edit_organisation(request.user, org):
        return Status(403, {"detail": "you do not represent this organisation"})
    errors = services.edit_profile(org, by=request.user, **payload.dict())
    if errors:
        return Status(422, {"detail": "invalid profile", "errors": [{"field": e.field, "error": e.error} for e in errors]})
    return Status(200, services.profile_initial(org, payload.language or _language_written(org)))


def _language_written(org) -> str:
    latest = org.profiles.order_by("-updated_at", "-id").first()
    return latest.language if latest else ""
