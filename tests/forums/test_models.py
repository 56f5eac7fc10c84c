"""The database itself refuses double bookings: unique constraints, not application checks."""
from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from silkbridge.forums import services
from silkbridge.forums.models import Booking, ScheduledMeeting


def accepted(a, b):
    return services.answer_request(services.request_meeting(a, b), accept=True, by=b)


@pytest.mark.django_db
def test_a_participant_cannot_be_booked_twice_in_one_slot(make_forum, join):
    forum = make_forum(tables=2)
    a, b, c = join(forum, "rs-a"), join(forum, "cn-b"), join(forum, "hu-c")
    slot, t1, t2 = forum.slots.get(number=1), forum.tables.get(number=1), forum.tables.get(number=2)
    first = ScheduledMeeting.objects.create(forum=forum, request=accepted(a, b), slot=slot, table=t1,
                                            participant_a=a, participant_b=b)
    Booking.objects.create(forum=forum, slot=slot, participant=a, meeting=first)
    second = ScheduledMeeting.objects.create(forum=forum, request=accepted(a, c), slot=slot, table=t2,
                                             participant_a=a, participant_b=c)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(forum=forum, slot=slot, participant=a, meeting=second)
    assert Booking.objects.filter(slot=slot, participant=a).count() == 1


@pytest.mark.django_db
def test_a_table_cannot_hold_two_meetings_in_one_slot(make_forum, join):
    forum = make_forum(tables=1)
    a, b, c, d = (join(forum, k) for k in ("rs-a", "cn-b", "hu-c", "pl-d"))
    slot, table = forum.slots.get(number=1), forum.tables.get(number=1)
    ScheduledMeeting.objects.create(forum=forum, request=accepted(a, b), slot=slot, table=table,
                                    participant_a=a, participant_b=b)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScheduledMeeting.objects.create(forum=forum, request=accepted(c, d), slot=slot, table=table,
                                        participant_a=c, participant_b=d)


@pytest.mark.django_db
def test_a_participant_cannot_meet_themself(make_forum, join):
    forum = make_forum()
    a, b = join(forum, "rs-a"), join(forum, "cn-b")
    with pytest.raises(IntegrityError), transaction.atomic():
        ScheduledMeeting.objects.create(forum=forum, request=accepted(a, b), slot=forum.slots.first(),
                                        table=forum.tables.first(), participant_a=a, participant_b=a)


def _race(book_one, book_two) -> list[str]:
    """Run two bookings at the same moment on two connections; return each one's outcome."""
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(book):
        from django.db import connections

        try:
            barrier.wait()
            book()
            result = "booked"
        except services.ForumError as exc:
            result = f"refused: {exc}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(b,)) for b in (book_one, book_two)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return sorted(outcomes)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_participant_in_one_slot_let_exactly_one_through(make_forum, join):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (SILKBRIDGE_DATABASE_URL=postgres://…)")
    forum = make_forum(tables=2)
    a, b, c = join(forum, "rs-a"), join(forum, "cn-b"), join(forum, "hu-c")
    r1, r2 = accepted(a, b), accepted(a, c)
    slot, t1, t2 = forum.slots.get(number=1), forum.tables.get(number=1), forum.tables.get(number=2)
    outcomes = _race(lambda: services.book_meeting(r1, slot=slot, table=t1),
                     lambda: services.book_meeting(r2, slot=slot, table=t2))
    assert outcomes == ["booked", "refused: RS-A already has a meeting in slot 1"]
    assert Booking.objects.filter(slot=slot, participant=a).count() == 1
    assert ScheduledMeeting.objects.filter(slot=slot).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_of_one_table_in_one_slot_let_exactly_one_through(make_forum, join):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (SILKBRIDGE_DATABASE_URL=postgres://…)")
    forum = make_forum(tables=1)
    a, b, c, d = (join(forum, k) for k in ("rs-a", "cn-b", "hu-c", "pl-d"))
    r1, r2 = accepted(a, b), accepted(c, d)
    slot, table = forum.slots.get(number=1), forum.tables.get(number=1)
    outcomes = _race(lambda: services.book_meeting(r1, slot=slot, table=table),
                     lambda: services.book_meeting(r2, slot=slot, table=table))
    assert outcomes == ["booked", "refused: table 1 already holds a meeting in slot 1"]
    assert ScheduledMeeting.objects.filter(slot=slot).count() == 1
    assert Booking.objects.filter(slot=slot).count() == 2
