"""Forum pages: participants request and answer meetings, set availability and read their agenda;
organisers run the scheduler, adjust, publish, print table plans, export and check people in.

Views stay thin: every change goes through `forums.services`.
"""
from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from silkbridge.forums import agendas, exports, forms, services
from silkbridge.forums.models import (
    Forum,
    MeetingRequest,
    Participant,
    ScheduledMeeting,
)


def _forum(slug: str) -> Forum:
    # Pages write nothing: requests past the deadline read as expired (`services.as_shown`) and
    # are stored as expired by the next write path that depends on it.
    return get_object_or_404(Forum.objects.select_related("city"), slug=slug)


def organiser_required(view):
    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, slug: str, *args, **kwargs):
        forum = _forum(slug)
        if not services.is_organiser(forum, request.user):
            raise PermissionDenied
        return view(request, forum, *args, **kwargs)

    return wrapped


def participant_required(view):
    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, slug: str, *args, **kwargs):
        forum = _forum(slug)
        me = services.participant_for_user(forum, request.user)
        if me is None:
            messages.warning(request, _("You are not registered for this forum."))
            return redirect(forum)
        if not me.is_active:
            messages.info(request, _("Your registration is waiting for the organisers' approval."))
            return redirect(forum)
        return view(request, forum, me, *args, **kwargs)

    return wrapped


def forum_list(request: HttpRequest) -> HttpResponse:
    forums = services.visible_forums(request.user).select_related("city")
    forums = forums.annotate(n_participants=Count("participants", filter=Q(participants__status="approved"),
                                                  distinct=True))
    return render(request, "forums/forum_list.html", {"forums": forums})


def _back(request: HttpRequest, forum: Forum, name: str) -> HttpResponse:
    """Back to the page the form came from when it is on this site, else to `name`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(name, slug=forum.slug)


def forum_detail(request: HttpRequest, slug: str) -> HttpResponse:
    forum = _forum(slug)
    if not services.can_see_forum(forum, request.user):
        raise Http404
    me = services.participant_for_user(forum, request.user)
    participants = (forum.participants.filter(status=Participant.Status.APPROVED)
                    .select_related("organisation__country", "organisation__city").order_by("organisation__name"))
    context = {
        "forum": forum,
        "me": me,
        "is_organiser": services.is_organiser(forum, request.user),
        "participants": participants,
        "slots": forum.slots.all(),
        "register_form": forms.RegisterForm(forum=forum) if request.user.is_authenticated and me is None else None,
    }
    return render(request, "forums/forum_detail.html", context)


@login_required
@require_POST
def register(request: HttpRequest, slug: str) -> HttpResponse:
    forum = _forum(slug)
    form = forms.RegisterForm(request.POST, forum=forum)
    if form.is_valid():
        try:
            services.register(forum, form.cleaned_data["organisation"], user=request.user)
            messages.success(request, _("Thank you: the organisers will confirm your registration."))
        except services.ForumError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Choose your organisation."))
    return redirect(forum)


@participant_required
def requests_page(request: HttpRequest, forum: Forum, me: Participant) -> HttpResponse:
    form = forms.MeetingRequestForm(request.POST or None, requester=me,
                                    initial={"recipient": request.GET.get("to")} if request.GET.get("to") else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_meeting(me, form.cleaned_data["recipient"], form.cleaned_data["message"])
        except services.ForumError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Your request was sent."))
            return redirect("forums:requests", slug=forum.slug)
    related = "requester__organisation", "recipient__organisation"
    incoming = services.as_shown(forum, me.received_requests.select_related(*related).order_by("-created_at"))
    outgoing = services.as_shown(forum, me.sent_requests.select_related(*related).order_by("-created_at"))
    accepted_with = {r.recipient_id if r.requester_id == me.pk else r.requester_id
                     for r in incoming + outgoing if r.status == MeetingRequest.Status.ACCEPTED}
    partners = Participant.objects.filter(pk__in=accepted_with).prefetch_related("delegates__person", "delegates__user")
    contacts = {other.pk: services.contacts(me, other) for other in partners}
    return render(request, "forums/requests.html", {
        "forum": forum, "me": me, "form": form, "incoming": incoming, "outgoing": outgoing,
        "contacts": contacts, "recommended": services.recommended(me),
    })


@participant_required
@require_POST
def answer(request: HttpRequest, forum: Forum, me: Participant, pk: int) -> HttpResponse:
    req = get_object_or_404(MeetingRequest, pk=pk, forum=forum)
    action = request.POST.get("action")
    try:
        if action in ("accept", "decline"):
            services.answer_request(req, accept=action == "accept", by=me)
            messages.success(request, _("Request accepted.") if action == "accept" else _("Request declined."))
        elif action == "withdraw":
            services.withdraw_request(req, by=me)
            messages.success(request, _("Request withdrawn."))
        else:
            messages.error(request, _("Unknown action."))
    except services.ForumError as exc:
        messages.error(request, str(exc))
    return redirect("forums:requests", slug=forum.slug)


@participant_required
def availability(request: HttpRequest, forum: Forum, me: Participant) -> HttpResponse:
    form = forms.AvailabilityForm(request.POST or None, participant=me)
    if request.method == "POST" and form.is_valid():
        services.set_unavailable(me, form.cleaned_data["unavailable"])
        messages.success(request, _("Your availability was saved."))
        return redirect("forums:availability", slug=forum.slug)
    return render(request, "forums/availability.html", {"forum": forum, "me": me, "form": form})


def _agenda_owner(request: HttpRequest, forum: Forum, org_id: str | None) -> Participant:
    """The participant whose agenda is asked for: one's own, or anyone's for organisers."""
    if org_id is None:
        me = services.participant_for_user(forum, request.user)
        if me is None:
            raise Http404(_("You are not registered for this forum."))
        return me
    try:
        who = services.find_participant(forum, org_id)
    except services.ForumError as exc:
        raise Http404(str(exc)) from exc
    try:
        services.check_agenda_access(forum, request.user, who)
    except services.NotAllowed:
        raise PermissionDenied from None
    except services.NotPublished:
        raise Http404(_("The schedule is not published yet.")) from None
    return who


@login_required
def agenda(request: HttpRequest, slug: str, org_id: str | None = None) -> HttpResponse:
    forum = _forum(slug)
    who = _agenda_owner(request, forum, org_id)
    visible = services.schedule_visible(forum, request.user)
    return render(request, "forums/agenda.html", {
        "forum": forum, "participant": who, "items": agendas.agenda(who) if visible else [],
        "published": forum.status == Forum.Status.PUBLISHED,
    })


@login_required
def agenda_ics(request: HttpRequest, slug: str, org_id: str) -> HttpResponse:
    forum = _forum(slug)
    who = _agenda_owner(request, forum, org_id)
    response = HttpResponse(agendas.agenda_ics(who), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{forum.slug}-{who.organisation.external_id}.ics"'
    return response


@login_required
def agenda_print(request: HttpRequest, slug: str, org_id: str) -> HttpResponse:
    forum = _forum(slug)
    who = _agenda_owner(request, forum, org_id)
    return HttpResponse(agendas.agenda_print_html(who))


# ---------------------------------------------------------------- organisers

@organiser_required
def manage(request: HttpRequest, forum: Forum) -> HttpResponse:
    from silkbridge.jobs.models import Job

    meetings = list(forum.meetings.select_related("slot", "table", "participant_a__organisation",
                                                  "participant_b__organisation").order_by("slot__number", "table__number"))
    counts = services.request_counts(forum)
    changes, notify = services.pending_changes(forum)
    return render(request, "forums/manage.html", {
        "forum": forum,
        "meetings": meetings,
        "counts": counts,
        "warnings": services.validation_warnings(forum) if meetings else [],
        "changes": changes,
        "notify": notify,
        "schedule_form": forms.ScheduleForm(),
        "invite_form": forms.RegisterForm(forum=forum),
        "slot_count": forum.slots.count(),
        "table_count": forum.tables.count(),
        "participants": forum.participants.select_related("organisation").order_by("status", "organisation__name"),
        "jobs": Job.objects.about(forum)[:3],
        "last_version": forum.versions.order_by("-number").first(),
        "unscheduled": forum.requests.filter(status=MeetingRequest.Status.ACCEPTED, meeting__isnull=True,
                                             requester__status="approved", recipient__status="approved")
        .select_related("requester__organisation", "recipient__organisation"),
    })


@organiser_required
@require_POST
def run_scheduler(request: HttpRequest, forum: Forum) -> HttpResponse:
    form = forms.ScheduleForm(request.POST)
    limit = form.cleaned_data["time_limit"] if form.is_valid() else 10.0
    job = services.start_scheduling(forum, time_limit=limit)
    return redirect("forums:job", slug=forum.slug, job_id=job.pk)


@organiser_required
def job(request: HttpRequest, forum: Forum, job_id: int) -> HttpResponse:
    from silkbridge.jobs.models import Job

    job = get_object_or_404(Job.objects.about(forum), pk=job_id)
    return render(request, "forums/job.html", {"forum": forum, "job": job,
                                               "running": job.status in ("queued", "running")})


@organiser_required
@require_POST
def publish(request: HttpRequest, forum: Forum) -> HttpResponse:
    try:
        version = services.publish_schedule(forum, by=request.user)
    except services.ForumError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Schedule published (version %(n)s). Agendas changed for: %(who)s.") % {
            "n": version.number, "who": ", ".join(version.notify) or "—"})
        if version.notify:
            messages.info(request, _("Their delegates are being e-mailed their new agenda."))
    return redirect("forums:manage", slug=forum.slug)


@organiser_required
@require_POST
def move(request: HttpRequest, forum: Forum, pk: int) -> HttpResponse:
    meeting = get_object_or_404(ScheduledMeeting, pk=pk, forum=forum)
    form = forms.MoveMeetingForm(request.POST, forum=forum)
    if request.POST.get("action") == "remove":
        services.unschedule_meeting(meeting)
        messages.success(request, _("Meeting taken off the schedule."))
    elif form.is_valid():
        try:
            warnings = services.move_meeting(meeting, slot=form.cleaned_data["slot"], table=form.cleaned_data["table"])
        except services.ForumError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Meeting moved."))
            for w in warnings:
                messages.warning(request, w)
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("forums:manage", slug=forum.slug)


@organiser_required
@require_POST
def place(request: HttpRequest, forum: Forum, pk: int) -> HttpResponse:
    req = get_object_or_404(MeetingRequest, pk=pk, forum=forum)
    form = forms.MoveMeetingForm(request.POST, forum=forum)
    if form.is_valid():
        try:
            services.book_meeting(req, slot=form.cleaned_data["slot"], table=form.cleaned_data["table"])
        except services.ForumError as exc:
            messages.error(request, str(exc))
        else:
            for w in services.validation_warnings(forum):
                messages.warning(request, w)
    return redirect("forums:manage", slug=forum.slug)


@organiser_required
@require_POST
def invite(request: HttpRequest, forum: Forum) -> HttpResponse:
    form = forms.RegisterForm(request.POST, forum=forum)
    if form.is_valid():
        who = services.invite(forum, form.cleaned_data["organisation"])
        messages.success(request, _("%(org)s is now a participant.") % {"org": who})
    else:
        messages.error(request, _("Choose an organisation that does not take part yet."))
    return redirect("forums:manage", slug=forum.slug)


@organiser_required
@require_POST
def participant_action(request: HttpRequest, forum: Forum, pk: int) -> HttpResponse:
    who = get_object_or_404(Participant, pk=pk, forum=forum)
    action = request.POST.get("action")
    if action == "approve":
        services.approve(who)
    elif action == "cancel":
        lost = services.cancel_participant(who)
        messages.warning(request, _("%(org)s cancelled; %(n)s partners lost a meeting. Run the scheduler again "
                                    "and publish to tell them.") % {"org": who, "n": len(lost)})
    elif action == "check_in":
        services.check_in(who)
    return _back(request, forum, "forums:manage")


@organiser_required
@require_POST
def attendance(request: HttpRequest, forum: Forum, pk: int) -> HttpResponse:
    meeting = get_object_or_404(ScheduledMeeting, pk=pk, forum=forum)
    no_show_by = None
    if request.POST.get("no_show_by"):
        no_show_by = get_object_or_404(Participant, pk=request.POST["no_show_by"], forum=forum)
    try:
        services.mark_attendance(meeting, request.POST.get("attendance", ""), no_show_by=no_show_by)
    except services.ForumError as exc:
        messages.error(request, str(exc))
    return _back(request, forum, "forums:tables")


@organiser_required
def tables(request: HttpRequest, forum: Forum) -> HttpResponse:
    return render(request, "forums/tables.html", {"forum": forum, "plan": agendas.table_plan(forum)})


@organiser_required
def checkin(request: HttpRequest, forum: Forum) -> HttpResponse:
    people = forum.participants.filter(status=Participant.Status.APPROVED).select_related("organisation") \
        .prefetch_related("delegates__person", "delegates__user").order_by("organisation__name")
    return render(request, "forums/checkin.html", {"forum": forum, "participants": people})


@organiser_required
def export(request: HttpRequest, forum: Forum, fmt: str) -> HttpResponse:
    types = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    if fmt not in types:
        raise Http404
    response = HttpResponse(exports.export_schedule(forum, fmt), content_type=types[fmt])
    response["Content-Disposition"] = f'attachment; filename="{forum.slug}-schedule.{fmt}"'
    return response
