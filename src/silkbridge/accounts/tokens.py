"""One-time links on Django's token machinery: set a password (invitation, sign-up, reset) and confirm an address.

The token hashes the user's password and last login, so it stops working once the password is set:
one link, one use. Invitations live longer than Django's reset links (`INVITATION_TIMEOUT`).
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

INVITATION_TIMEOUT = 30 * 24 * 3600


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "silkbridge.accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        # Django's own check, with the invitation's longer lifetime instead of PASSWORD_RESET_TIMEOUT.
        if not (user and token):
            return False
        try:
            ts_b36, _hash = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return False
        secrets = [self.secret, *self.secret_fallbacks]
        if not any(constant_time_compare(self._make_token_with_timestamp(user, ts, s), token) for s in secrets):
            return False
        timeout = getattr(settings, "INVITATION_TIMEOUT", INVITATION_TIMEOUT)
        return (self._num_seconds(self._now()) - ts) <= timeout


invitation_tokens = InvitationTokenGenerator()


def uidb64(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def user_from_link(uid: str, token: str):
    """The user a link names when its token is valid for them, else None."""
    try:
        pk = urlsafe_base64_decode(uid).decode()
        user = get_user_model()._default_manager.get(pk=pk)
    except (TypeError, ValueError, OverflowError, get_user_model().DoesNotExist):
        return None
    return user if invitation_tokens.check_token(user, token) else None
