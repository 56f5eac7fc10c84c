"""A person's settings beside Django's user, the notices sent to them, their API tokens and memberships."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def language_choices() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


class Account(models.Model):
    """What silkbridge keeps about a user beyond Django's `User`; created on demand (`services.account_of`)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account",
                                verbose_name=_("user"))
    language = models.CharField(_("language"), max_length=10, choices=language_choices, default="en")
    optional_notices = models.BooleanField(_("send me optional notices"), default=True)
    email_confirmed = models.BooleanField(_("e-mail address confirmed"), default=False)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.user.get_username()


class Notice(models.Model):
    """One message sent to one person; the unique key is what keeps a retried job from sending it twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices",
                             verbose_name=_("user"))
    key = models.CharField(_("key"), max_length=200)
    event = models.CharField(_("event"), max_length=100)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notice_once_per_user_and_key")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.key}"


class ApiToken(models.Model):
    """A personal API token; only the SHA-256 of its secret is stored, the secret is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters of the secret, so its owner can tell tokens apart.
    prefix = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Membership(models.Model):
    """A person who speaks for an organisation: may edit its profile once approved."""

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("membership status", "Awaiting approval")
        APPROVED = "approved", pgettext_lazy("membership status", "Approved")
        DECLINED = "declined", pgettext_lazy("membership status", "Declined")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("user"))
    organisation = models.ForeignKey("directory.Organisation", on_delete=models.CASCADE, related_name="memberships",
                                     verbose_name=_("organisation"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_once_per_organisation")]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation} ({self.status})"
