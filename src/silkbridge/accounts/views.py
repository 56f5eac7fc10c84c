"""Account pages: set a password from a link, sign up, preferences, organisations, profile, tokens, privacy.

Views stay thin: every change goes through `accounts.services` (and the directory's write path).
"""
from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silkbridge.accounts import forms, privacy, services
from silkbridge.accounts.models import Membership
from silkbridge.accounts.tokens import user_from_link

LINK_SESSION_KEY = "_silkbridge_link_user"


def welcome(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The page a one-time link opens: choose a password, then you are logged in."""
    user = user_from_link(uidb64, token)
    if user is None:
        return render(request, "accounts/link_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.accept_link(user, form.cleaned_data["new_password1"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        language = services.account_of(user).language
        messages.success(request, _("Your password is set and you are logged in."))
        with translation.override(language):
            response = redirect("accounts:home")
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language)
        return response
    return render(request, "accounts/welcome.html", {"form": form, "person": user})


def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = forms.SignUpForm(request.POST or None, initial={"language": translation.get_language()})
    if request.method == "POST" and form.is_valid():
        services.sign_up(form.cleaned_data["email"], form.cleaned_data["name"], form.cleaned_data["language"])
        return render(request, "accounts/sign_up_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "accounts/sign_up.html", {"form": form})


@login_required
def home(request: HttpRequest) -> HttpResponse:
    account = services.settings_of(request.user)
    form = forms.PreferencesForm(request.POST or None, initial={
        "name": request.user.get_full_name(), "language": account.language,
        "optional_notices": account.optional_notices})
    if request.method == "POST" and form.is_valid():
        services.update_preferences(request.user, **form.cleaned_data)
        messages.success(request, _("Your settings were saved."))
        return redirect("accounts:home")
    memberships = Membership.objects.filter(user=request.user).select_related("organisation")
    pending = services.memberships_to_decide(request.user)
    return render(request, "accounts/home.html", {
        "account": account, "form": form, "memberships": memberships, "pending": pending,
        "tokens": request.user.api_tokens.all(), "token_form": forms.TokenForm(),
        "new_secret": request.session.pop("new_token_secret", None),
    })


@login_required
@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    form = forms.TokenForm(request.POST)
    if form.is_valid():
        new = services.create_token(request.user, form.cleaned_data["name"])
        # Shown once on the next page, then gone: only the digest is stored.
        request.session["new_token_secret"] = new.secret
        messages.success(request, _("Your new token is shown below, once. Copy it now."))
    else:
        messages.error(request, _("A token needs a name."))
    return redirect("accounts:home")


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    if services.revoke_token(request.user, pk):
        messages.success(request, _("The token was revoked."))
    return redirect("accounts:home")


@login_required
def new_organisation(request: HttpRequest) -> HttpResponse:
    form = forms.OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        org, errors = services.create_organisation(request.user, form.cleaned_data)
        if org is not None:
            messages.success(request, _("Your organisation is in the directory. Describe it now."))
            return redirect("accounts:profile", org_id=org.external_id)
        for error in errors:
            form.add_error(error.field if error.field in form.fields else None, error.error)
    return render(request, "accounts/organisation_new.html", {"form": form})


@login_required
def represent(request: HttpRequest) -> HttpResponse:
    from silkbridge.directory.models import Organisation

    form = forms.RepresentForm(request.POST or None, initial={"organisation": request.GET.get("org", "")})
    if request.method == "POST" and form.is_valid():
        org = Organisation.objects.filter(external_id=form.cleaned_data["organisation"].strip()).first()
        if org is None:
            form.add_error("organisation", _("No organisation has this ID."))
        else:
            services.ask_to_represent(request.user, org, message=form.cleaned_data["message"])
            messages.success(request, _("Your request was sent; you will get a message once it is approved."))
            return redirect("accounts:home")
    return render(request, "accounts/represent.html", {"form": form})


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(Membership.objects.select_related("organisation", "user"), pk=pk)
    try:
        services.decide_membership(membership, approve=request.POST.get("decision") == "approve", by=request.user)
    except services.MembershipError as exc:
        raise PermissionDenied(str(exc)) from exc
    messages.success(request, _("The request was answered."))
    return redirect("accounts:home")


@login_required
def profile(request: HttpRequest, org_id: str) -> HttpResponse:
    """Edit an organisation's profile in one language (any script), its sectors and website."""
    from silkbridge.directory.models import Organisation

    org = get_object_or_404(Organisation, external_id=org_id)
    if not services.can_edit_organisation(request.user, org):
        raise PermissionDenied
    language = request.GET.get("language") or request.POST.get("language") or ""
    form = forms.ProfileForm(request.POST or None, initial=services.profile_initial(org, language))
    if request.method == "POST" and form.is_valid():
        errors = services.edit_profile(org, by=request.user, **form.cleaned_data)
        if not errors:
            messages.success(request, _("The profile was saved; recommendations are brought up to date in the background."))
            return redirect("accounts:profile", org_id=org.external_id)
        for error in errors:
            form.add_error(error.field if error.field in form.fields else None, error.error)
    return render(request, "accounts/profile.html", {
        "organisation": org, "form": form, "profiles": org.profiles.all()})


@login_required
def export(request: HttpRequest) -> HttpResponse:
    data = privacy.personal_data(request.user)
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2, default=str),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="silkbridge-my-data.json"'
    return response


@login_required
def delete(request: HttpRequest) -> HttpResponse:
    form = forms.DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        privacy.delete_account(user)
        messages.success(request, _("Your account and everything held about you were deleted."))
        return redirect("directory:list")
    return render(request, "accounts/delete.html", {"form": form})
