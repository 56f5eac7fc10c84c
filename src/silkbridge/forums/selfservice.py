"""A delegate's own view across forums: their participations, requests in and out, recommended partners.

Also the forums' answers to the accounts app: organisers may approve someone asking to represent
an organisation that takes part in their forum; a delegate with an account represents their
organisation; the personal-data download includes one's delegations and requests.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from silkbridge.accounts import services as accounts
from silkbridge.forums import services
from silkbridge.forums.models import Delegate, Forum, MeetingRequest, Participant


@dataclass
class Participation:
    participant: Participant
    incoming: list[MeetingRequest] = field(default_factory=list)
    outgoing: list[MeetingRequest] = field(default_factory=list)
    recommended: list[Participant] = field(default_factory=list)

    @property
    def forum(self) -> Forum:
        return self.participant.forum

    @property
    def waiting_for_me(self) -> int:
        return sum(1 for r in self.incoming if r.status == MeetingRequest.Status.PENDING)


def participations(user, *, recommendations: bool = True) -> list[Participation]:
    """The forums the user is a delegate in (not cancelled), newest first, each with its requests."""
    if not user.is_authenticated:
        return []
    mine = (Participant.objects.filter(delegates__user=user).exclude(status=Participant.Status.CANCELLED)
            .select_related("forum", "organisation").distinct().order_by("-forum__starts_on", "forum__name"))
    related = "requester__organisation", "recipient__organisation"
    out = []
    for p in mine:
        out.append(Participation(
            p,
            incoming=list(p.received_requests.select_related(*related).order_by("-created_at")),
            outgoing=list(p.sent_requests.select_related(*related).order_by("-created_at")),
            recommended=services.recommended(p) if recommendations and p.is_active else [],
        ))
    return out


def my_requests(user, *, forum: Forum | None = None) -> list[tuple[str, MeetingRequest]]:
    """("in" | "out", request) for every request to or from the user's participations, newest first."""
    mine = Participant.objects.filter(delegates__user=user)
    if forum is not None:
        mine = mine.filter(forum=forum)
    ids = set(mine.values_list("pk", flat=True))
    rows = (MeetingRequest.objects.filter(Q(requester_id__in=ids) | Q(recipient_id__in=ids))
            .select_related("forum", "requester__organisation", "recipient__organisation")
            .order_by("-created_at", "-id"))
    return [("in" if r.recipient_id in ids else "out", r) for r in rows]


def forums_open_for(user) -> list[tuple[Forum, list]]:
    """Forums taking registrations, each with the user's organisations not yet in it."""
    orgs = list(accounts.organisations_of(user).order_by("name"))
    if not orgs:
        return []
    out = []
    for forum in Forum.objects.filter(status=Forum.Status.OPEN).order_by("starts_on"):
        taken = set(forum.participants.values_list("organisation_id", flat=True))
        free = [o for o in orgs if o.pk not in taken]
        if free:
            out.append((forum, free))
    return out


def may_register(user, forum: Forum, organisation) -> bool:
    """Those who represent the organisation, staff and the forum's organisers may register it."""
    return accounts.can_edit_organisation(user, organisation) or services.is_organiser(forum, user)


def registrable(user, forum: Forum):
    """The organisations `user` may register for `forum` and that are not in it yet."""
    from silkbridge.directory.models import Organisation

    orgs = (Organisation.objects.all() if user.is_authenticated and (user.is_staff or services.is_organiser(forum, user))
            else accounts.organisations_of(user))
    return orgs.exclude(forum_participations__forum=forum).distinct()


def register(user, forum: Forum, organisation) -> Participant:
    """A representative registers their organisation for a forum; an organiser approves it.

    The only way anyone registers: the forum's page and "My forums" both post here.
    """
    if not may_register(user, forum, organisation):
        raise services.ForumError(_("You may register only an organisation you represent."))
    return services.register(forum, organisation, user=user)


# ---------------------------------------------------------------- answers to the accounts app

def organiser_may_decide(sender, *, user, membership, **kwargs) -> bool:
    """Organisers of a forum the organisation takes part in may approve who represents it."""
    return Forum.objects.filter(organisers=user, participants__organisation_id=membership.organisation_id).exists()


def delegate_saved(sender, instance: Delegate, created: bool, **kwargs) -> None:
    """A delegate with an account represents their organisation (an organiser put them there)."""
    if instance.user_id and instance.participant.status == Participant.Status.APPROVED:
        _grant(instance.user_id, instance.participant.organisation_id)


def _grant(user_id: int, organisation_id: int) -> None:
    from django.contrib.auth import get_user_model

    from silkbridge.accounts.models import Membership
    from silkbridge.directory.models import Organisation

    if not Membership.objects.filter(user_id=user_id, organisation_id=organisation_id,
                                     status=Membership.Status.APPROVED).exists():
        accounts.grant_membership(get_user_model().objects.get(pk=user_id), Organisation.objects.get(pk=organisation_id))


def personal_data(sender, *, user, **kwargs):
    delegations = []
    for d in Delegate.objects.filter(user=user).select_related("participant__forum", "participant__organisation"):
        p = d.participant
        delegations.append({"forum": p.forum.slug, "forum_name": p.forum.name, "organisation": p.organisation.external_id,
                            "status": p.status, "origin": p.origin})
    requests = [{"direction": direction, "forum": r.forum.slug, "from": r.requester.organisation.external_id,
                 "to": r.recipient.organisation.external_id, "message": r.message, "status": r.status,
                 "created_at": r.created_at.isoformat()} for direction, r in my_requests(user)]
    organised = list(user.organised_forums.values_list("slug", flat=True))
    return "forums", {"delegations": delegations, "meeting_requests": requests, "organised_forums": organised}


def connect() -> None:
    from django.db.models.signals import post_save

    from silkbridge.accounts.privacy import personal_data_requested
    from silkbridge.accounts.signals import may_decide_membership

    may_decide_membership.connect(organiser_may_decide, dispatch_uid="forums.organiser_may_decide")
    personal_data_requested.connect(personal_data, dispatch_uid="forums.personal_data")
    post_save.connect(delegate_saved, sender=Delegate, dispatch_uid="forums.delegate_membership")
