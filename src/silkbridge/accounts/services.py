"""The accounts' write path: people, invitations, sign-up, memberships, API tokens and privacy.

Web views, the JSON API and the CLI (the forum's participant import) all call these.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from silkbridge.accounts import notices
from silkbridge.accounts.models import Account, ApiToken, Membership
from silkbridge.accounts.tokens import invitation_tokens, uidb64

User = get_user_model()


def site_languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def normalise_language(language: str | None) -> str:
    """One of the site's languages for a code such as `zh`, `zh_Hans`, `sr-Latn`; English otherwise."""
    code = (language or "").strip().lower().replace("_", "-")
    if code in site_languages():
        return code
    if code.startswith("zh"):
        return "zh-hans"
    if code in ("sr-cyrl", "sr-rs", "sr-cyrl-rs"):
        return "sr"
    if code.startswith("sr-latn") or code in ("sh", "hr", "bs", "me", "cnr"):
        return "sr-latn"
    return settings.LANGUAGE_CODE


def account_of(user) -> Account:
    """The user's `Account`, created with the defaults the first time it is asked for."""
    try:
        return user.account
    except Account.DoesNotExist:
        account, _ = Account.objects.get_or_create(user=user)
        user.account = account
        return account


def settings_of(user) -> Account:
    """The user's `Account` to read: the stored one, or an unsaved one with the defaults (pages write nothing)."""
    try:
        return user.account
    except Account.DoesNotExist:
        return Account(user=user)


def find_user(email: str):
    return User.objects.filter(email__iexact=email.strip()).order_by("pk").first()


@transaction.atomic
def delegate_user(email: str, name: str, language: str) -> tuple[User, bool]:
    """The user for an e-mail address (case-insensitive), created with no usable password until they set one.

    An existing user keeps their name and language; a new one gets the given ones.
    Raises `ValidationError` for an address that is not one.
    """
    email = (email or "").strip()
    validate_email(email)
    user = find_user(email)
    if user is not None:
        account_of(user)
        return user, False
    first, _, last = (name or "").strip().partition(" ")
    username = email.lower()
    try:
        with transaction.atomic():
            user = User(username=username, email=email, first_name=first[:150], last_name=last[:150])
            user.set_unusable_password()
            user.save()
    except IntegrityError:
        # Created meanwhile for this address; or the name is taken by an account with another address.
        user = find_user(email)
        if user is None:
            raise ValidationError(f"the user name {username!r} belongs to an account with another e-mail address") from None
        account_of(user)
        return user, False
    Account.objects.create(user=user, language=normalise_language(language))
    return user, True


def set_password_link(user) -> str:
    """The absolute one-time link to the page where this user sets a password."""
    return notices.absolute_reverse("accounts:welcome", language=notices.language_of(user),
                                    kwargs={"uidb64": uidb64(user), "token": invitation_tokens.make_token(user)})


def invite(user, *, forum=None) -> bool:
    """Send the user a one-time link to set a password, once; False when they were invited before."""
    if user.has_usable_password():
        return False
    return notices.notify(user, "invitation", key="invitation", essential=True,
                          context={"forum": forum, "link": set_password_link(user)})


@transaction.atomic
def accept_link(user, password: str) -> User:
    """Set the password a one-time link asked for: the address is thereby confirmed."""
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    account = account_of(user)
    if not account.email_confirmed:
        account.email_confirmed = True
        account.save(update_fields=["email_confirmed"])
    return user


# ---------------------------------------------------------------- self-registration

def sign_up(email: str, name: str, language: str) -> bool:
    """A visitor's sign-up: a new account and a confirmation link; True when a message was sent.

    An address that already has an account gets a reminder with a reset link instead, so the
    page never tells a visitor whether an address is known.
    """
    user, created = delegate_user(email, name, language)
    today = timezone.now().date().isoformat()
    if created or not user.has_usable_password():
        return notices.notify(user, "confirm_email", key=f"confirm_email:{today}", essential=True,
                              context={"link": set_password_link(user)})
    return notices.notify(user, "account_exists", key=f"account_exists:{today}", essential=True,
                          context={"link": notices.absolute_reverse("password_reset", language=notices.language_of(user))})


def update_preferences(user, *, language: str | None = None, optional_notices: bool | None = None,
                       name: str | None = None) -> Account:
    account = account_of(user)
    if language is not None:
        account.language = normalise_language(language)
    if optional_notices is not None:
        account.optional_notices = optional_notices
    account.save()
    if name is not None:
        first, _, last = name.strip().partition(" ")
        user.first_name, user.last_name = first[:150], last[:150]
        user.save(update_fields=["first_name", "last_name"])
    return account


# ---------------------------------------------------------------- organisations

def organisations_of(user):
    """Organisations the user speaks for (approved memberships)."""
    from silkbridge.directory.models import Organisation

    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(memberships__user=user, memberships__status=Membership.Status.APPROVED)


def can_edit_organisation(user, organisation) -> bool:
    """Staff, and people with an approved membership, may edit an organisation's profile."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return Membership.objects.filter(user=user, organisation=organisation, status=Membership.Status.APPROVED).exists()


def grant_membership(user, organisation, *, by=None) -> Membership:
    """Make `user` a representative of `organisation` at once (organisers' imports, creators of an organisation)."""
    membership, _ = Membership.objects.update_or_create(
        user=user, organisation=organisation,
        defaults={"status": Membership.Status.APPROVED, "decided_at": timezone.now(), "decided_by": by},
    )
    return membership


class MembershipError(ValueError):
    pass


def ask_to_represent(user, organisation, *, message: str = "") -> Membership:
    """A pending request to speak for an existing organisation, for staff (or its forums' organisers) to decide."""
    existing = Membership.objects.filter(user=user, organisation=organisation).first()
    if existing is not None:
        if existing.status == Membership.Status.DECLINED:
            existing.status, existing.message, existing.decided_at = Membership.Status.PENDING, message[:500], None
            existing.save(update_fields=["status", "message", "decided_at"])
        return existing
    return Membership.objects.create(user=user, organisation=organisation, message=message[:500])


def may_decide(user, membership: Membership) -> bool:
    """Who approves a request to represent an organisation: staff, or a receiver of `membership_deciders`."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    from silkbridge.accounts.signals import may_decide_membership

    return any(answer is True for _r, answer in may_decide_membership.send(sender=Membership, user=user,
                                                                             membership=membership))


@transaction.atomic
def decide_membership(membership: Membership, *, approve: bool, by) -> Membership:
    """Approve or decline a request; approval tells the person ("registration approved")."""
    if not may_decide(by, membership):
        raise MembershipError("only staff or an organiser of a forum the organisation takes part in may decide")
    membership.status = Membership.Status.APPROVED if approve else Membership.Status.DECLINED
    membership.decided_at, membership.decided_by = timezone.now(), by
    membership.save(update_fields=["status", "decided_at", "decided_by"])
    if approve:
        org = membership.organisation
        language = notices.language_of(membership.user)
        notices.notify(membership.user, "registration_approved", key=f"membership:{membership.pk}:approved",
                       essential=True, context={
                           "organisation": org,
                           "link": notices.absolute_reverse("accounts:profile", language=language,
                                                            args=[org.external_id]),
                       })
    return membership


# ---------------------------------------------------------------- API tokens

TOKEN_PREFIX = "sbt_"


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str
    """Shown to its owner once; only its digest is stored."""


def create_token(user, name: str) -> NewToken:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "a token needs a name"})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name[:100], digest=token_digest(secret), prefix=secret[:12])
    return NewToken(token, secret)


def revoke_token(user, token_id: int) -> bool:
    """Delete one of the user's own tokens; False when they have no such token."""
    deleted, _ = ApiToken.objects.filter(user=user, pk=token_id).delete()
    return bool(deleted)


def user_for_token(secret: str):
    """The active user a presented token belongs to, or None; records when it was last used."""
    if not secret or not secret.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=token_digest(secret)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def memberships_to_decide(user, *, limit: int = 200) -> list[Membership]:
    """Pending requests to represent an organisation that this user may approve."""
    if not user.is_authenticated:
        return []
    pending = (Membership.objects.filter(status=Membership.Status.PENDING).exclude(user=user)
               .select_related("user", "organisation").order_by("created_at", "id")[:limit])
    return [m for m in pending if may_decide(user, m)]


# ---------------------------------------------------------------- profiles, through the directory's write path

def create_organisation(user, data: dict):
    """A new directory organisation from a signed-up person, who becomes its representative.

    Returns (organisation, []) or (None, errors) with the directory's own row errors.
    """
    from silkbridge.directory import services as directory
    from silkbridge.directory.models import Organisation

    row = {k: str(data.get(k) or "") for k in ("name", "kind", "country", "city", "website")}
    record, errors = directory.validate_row(row, directory.Lookups())
    if errors:
        return None, errors
    if Organisation.objects.filter(external_id=record.external_id).exists():
        return None, [directory.RowError(0, record.external_id, "name",
                                         "an organisation of this name is already in the directory for this country; "
                                         "ask to represent it instead")]
    with transaction.atomic():
        directory.upsert([(0, record)])
        org = Organisation.objects.get(external_id=record.external_id)
        grant_membership(user, org, by=user)
    return org, []


def profile_initial(org, language: str = "") -> dict:
    """The form's starting values: the profile in the asked language, else the author's own."""
    profiles = list(org.profiles.all())
    profile = next((p for p in profiles if p.language == language), None) if language else None
    if profile is None and not language:
        profile = next((p for p in profiles if p.origin == "author"), profiles[0] if profiles else None)
    sectors = [s.code for s in org.sectors.all()]
    if org.sectors_other:
        sectors.append(org.sectors_other)
    return {
        "language": profile.language if profile else language,
        "description": profile.description if profile else "",
        "offers": profile.offers if profile else "",
        "needs": profile.needs if profile else "",
        "sectors": ", ".join(sectors),
        "website": org.website,
    }


def edit_profile(org, *, by, language: str = "", description: str = "", offers: str = "", needs: str = "",
                 sectors: str = "", website: str = "") -> list:
    """Store a profile edit through the directory's own validation and upsert; returns the row errors, if any.

    The directory then sends `organisations_changed`, so matching re-embeds the profile in the
    background and the recommendations follow.
    """
    from silkbridge.directory import exports
    from silkbridge.directory import services as directory

    if not can_edit_organisation(by, org):
        raise PermissionError("you may not edit this organisation")
    columns = directory.COLUMNS
    current = dict(zip(columns, next(exports.export_rows(type(org).objects.filter(pk=org.pk)))))
    row = current | {"language": language, "description": description, "offers": offers, "needs": needs,
                     "sectors": sectors, "website": website}
    record, errors = directory.validate_row(row, directory.Lookups())
    if errors:
        return errors
    directory.upsert([(0, record)])
    return []
