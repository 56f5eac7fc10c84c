"""Small problem factories for the scheduling engine tests."""
from __future__ import annotations

from silkbridge.engines.scheduling import Meeting, Participant, Problem, Slot


def make_problem(pairs, *, n_participants=None, slots=4, tables=10, days=1, morning=None, fairness=None,
                 priorities=None, sessions=None, forbidden=None, **kwargs) -> Problem:
    """pairs: [(a, b), ...] of int participant ids; meeting ids are 1..len(pairs)."""
    n = n_participants or max(max(p) for p in pairs)
    forbidden = forbidden or {}
    participants = tuple(Participant(id=i, forbidden_slots=frozenset(forbidden.get(i, ()))) for i in range(1, n + 1))
    morning = slots // 2 if morning is None else morning
    slot_list = []
    for d in range(days):
        for t in range(slots):
            slot_list.append(Slot(id=d * slots + t + 1, day=str(d + 1), session="morning" if t < morning else "afternoon"))
    meetings = tuple(
        Meeting(id=i, participants=pair,
                priority=(priorities or {}).get(i, "must"),
                session=(sessions or {}).get(i, "any"))
        for i, pair in enumerate(pairs, start=1)
    )
    return Problem(participants=participants, slots=tuple(slot_list), tables=tables, meetings=meetings,
                   fairness=fairness, **kwargs)
