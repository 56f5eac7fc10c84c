"""A delegate's own forum pages and API: their requests in and out, registering, and who approves representatives."""
import json

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from silkbridge.accounts import services as accounts
from silkbridge.accounts.models import Membership
from silkbridge.forums import selfservice, services
from silkbridge.forums.models import Delegate, Forum

pytestmark = pytest.mark.django_db


@pytest.fixture
def delegate_of(db):
    def make(participant, email):
        user, _ = accounts.delegate_user(email, email.split("@")[0], "en")
        Delegate.objects.create(participant=participant, user=user)
        return user
    return make


def test_a_delegate_with_an_account_represents_their_organisation(make_forum, join, delegate_of):
    forum = make_forum()
    a = join(forum, "rs-a")
    ana = delegate_of(a, "ana@example.rs")
    assert list(accounts.organisations_of(ana)) == [a.organisation]


def test_my_forums_lists_requests_in_and_out_with_their_states(client, make_forum, join, delegate_of):
    forum = make_forum()
    a, b, c = join(forum, "rs-a"), join(forum, "cn-b"), join(forum, "hu-c")
    ana = delegate_of(a, "ana@example.rs")
    services.request_meeting(b, a, "hello")
    accepted = services.request_meeting(a, c, "")
    services.answer_request(accepted, accept=True, by=c)
    client.force_login(ana)
    page = client.get(reverse("forums_self:mine"))
    (mine,) = page.context["participations"]
    assert [(r.requester.organisation.external_id, r.status) for r in mine.incoming] == [("cn-b", "pending")]
    assert [(r.recipient.organisation.external_id, r.status) for r in mine.outgoing] == [("hu-c", "accepted")]
    assert mine.waiting_for_me == 1
    assert reverse("forums:requests", args=[forum.slug]) in page.content.decode()


def test_my_requests_api_answers_to_a_personal_token(client, make_forum, join, delegate_of):
    forum = make_forum()
    a, b = join(forum, "rs-a"), join(forum, "cn-b")
    ana = delegate_of(a, "ana@example.rs")
    services.request_meeting(b, a, "hello")
    secret = accounts.create_token(ana, "script").secret
    response = client.get("/api/v1/me/requests", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert [(r["forum"], r["direction"], r["requester"], r["recipient"], r["status"]) for r in response.json()] == [
        (forum.slug, "in", "cn-b", "rs-a", "pending")]
    assert client.get("/api/v1/me/requests").status_code == 401
    assert client.get("/api/v1/me/requests?forum=nope", HTTP_AUTHORIZATION=f"Bearer {secret}").json() == []


def test_a_representative_registers_their_organisation_for_an_open_forum_and_waits(client, make_forum, make_org):
    forum = make_forum()
    Forum.objects.filter(pk=forum.pk).update(status=Forum.Status.OPEN)
    ana, _ = accounts.delegate_user("ana@example.rs", "Ana", "en")
    org = make_org(id="rs-nova", name="Nova")
    stranger = make_org(id="rs-other", name="Other")
    accounts.grant_membership(ana, org)
    client.force_login(ana)
    assert client.get(reverse("forums_self:mine")).context["open_forums"] == [(forum, [org])]
    client.post(reverse("forums_self:register", args=[forum.slug]), {"organisation": "rs-other"})
    client.post(reverse("forums_self:register", args=[forum.slug]), {"organisation": "rs-nova"})
    assert [(p.organisation.external_id, p.status, p.origin) for p in forum.participants.all()] == [
        ("rs-nova", "pending", "registered")]
    assert stranger.forum_participations.count() == 0


def test_an_organiser_approves_someone_asking_to_represent_a_participant_but_no_other(make_forum, join, make_org):
    forum = make_forum()
    org = join(forum, "rs-a").organisation
    outsider = make_org(id="rs-z", name="Z")
    organiser = get_user_model().objects.create_user("org", "org@example.org", "pw")
    forum.organisers.add(organiser)
    ana, _ = accounts.delegate_user("ana@example.rs", "Ana", "en")
    asked = accounts.ask_to_represent(ana, org)
    elsewhere = accounts.ask_to_represent(ana, outsider)
    assert accounts.memberships_to_decide(organiser) == [asked]
    with pytest.raises(accounts.MembershipError):
        accounts.decide_membership(elsewhere, approve=True, by=organiser)
    accounts.decide_membership(asked, approve=True, by=organiser)
    assert Membership.objects.get(pk=asked.pk).status == "approved"


def test_the_personal_data_download_includes_delegations_and_requests(client, make_forum, join, delegate_of):
    forum = make_forum()
    a, b = join(forum, "rs-a"), join(forum, "cn-b")
    ana = delegate_of(a, "ana@example.rs")
    services.request_meeting(a, b, "shall we meet?")
    client.force_login(ana)
    data = json.loads(client.get(reverse("accounts:export")).content)
    assert data["forums"]["delegations"] == [{"forum": forum.slug, "forum_name": forum.name, "organisation": "rs-a",
                                              "status": "approved", "origin": "invited"}]
    assert [(r["direction"], r["to"], r["message"]) for r in data["forums"]["meeting_requests"]] == [
        ("out", "cn-b", "shall we meet?")]


def test_my_requests_in_one_forum_leave_out_the_others(make_forum, join, delegate_of):
    one, two = make_forum("One"), make_forum("Two")
    a1, b1 = join(one, "rs-a"), join(one, "cn-b")
    a2 = services.invite(two, a1.organisation)
    b2 = services.invite(two, b1.organisation)
    ana = delegate_of(a1, "ana@example.rs")
    Delegate.objects.create(participant=a2, user=ana)
    services.request_meeting(a1, b1, "")
    services.request_meeting(b2, a2, "")
    assert [(d, r.forum.slug) for d, r in selfservice.my_requests(ana, forum=two)] == [("in", two.slug)]
    assert sorted(d for d, _ in selfservice.my_requests(ana)) == ["in", "out"]


def test_my_forums_page_costs_the_same_queries_for_one_request_or_many(client, make_forum, join, delegate_of,
                                                                       django_assert_max_num_queries):
    forum = make_forum()
    a = join(forum, "rs-a")
    others = [join(forum, f"cn-{i}") for i in range(6)]
    ana = delegate_of(a, "ana@example.rs")
    services.request_meeting(others[0], a, "")
    client.force_login(ana)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("forums_self:mine"))
    for other in others[1:]:
        services.request_meeting(other, a, "")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("forums_self:mine"))
