"""The delegate's own page across forums ("My forums") and registering an organisation one represents."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silkbridge.forums import selfservice, services
from silkbridge.forums.models import Forum


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    return render(request, "forums/selfservice/mine.html", {
        "participations": selfservice.participations(request.user),
        "open_forums": selfservice.forums_open_for(request.user),
    })


@login_required
@require_POST
def register(request: HttpRequest, slug: str) -> HttpResponse:
    from silkbridge.directory.models import Organisation

    forum = get_object_or_404(Forum, slug=slug)
    organisation = Organisation.objects.filter(external_id=request.POST.get("organisation", "")).first()
    if organisation is None:
        messages.error(request, _("Choose your organisation."))
        return redirect(forum)
    try:
        selfservice.register(request.user, forum, organisation)
        messages.success(request, _("Thank you: the organisers will confirm your registration."))
    except services.ForumError as exc:
        messages.error(request, str(exc))
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return redirect(target)
    return redirect("forums_self:mine")
