"""The solver: valid schedules, known optima, placement priorities, reasons for infeasibility, rescheduling."""
from __future__ import annotations

import itertools

from conftest import make_problem
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from silkbridge.engines.scheduling import (
    Assignment,
    FixedMeeting,
    Participant,
    Precedence,
    Problem,
    affected_participants,
    participant_breaks,
    reschedule,
    solve,
    validate,
)
from silkbridge.engines.scheduling.rules import Index


def brute_force_min_breaks(problem: Problem) -> int | None:
    """Fewest breaks over every placement of all meetings (tiny problems only)."""
    ix = Index(problem)
    domains = [ix.allowed_positions(m) for m in problem.meetings]
    best = None
    for combo in itertools.product(*domains):
        placed = tuple(Assignment(m.id, problem.slots[t].id, 0) for m, t in zip(problem.meetings, combo))
        busy = set()
        per_slot: dict[int, int] = {}
        ok = True
        for m, t in zip(problem.meetings, combo):
            per_slot[t] = per_slot.get(t, 0) + 1
            for p in m.participants:
                if (p, t) in busy:
                    ok = False
                busy.add((p, t))
        if not ok or max(per_slot.values()) > len(problem.tables):
            continue
        per = participant_breaks(problem, placed)
        if problem.fairness is not None and max(per.values()) - min(per.values()) > problem.fairness:
            continue
        total = sum(per.values())
        best = total if best is None else min(best, total)
    return best


def test_schedule_never_double_books_a_participant_and_reaches_zero_breaks():
    problem = make_problem([(1, 2), (1, 3), (1, 4), (2, 3)], slots=4, tables=2)
    schedule = solve(problem, time_limit=5)
    assert validate(problem, schedule, complete=True) == []
    assert (schedule.status, schedule.breaks, schedule.bound) == ("optimal", 0, 0)


def test_a_forced_gap_is_counted_as_one_break_and_proven_optimal():
    # Participant 1 meets 2 and 3; both are only free in slots 1 and 4 besides their meeting.
    problem = make_problem([(1, 2), (1, 3)], slots=4, morning=4,
                           forbidden={1: {2, 3}})
    schedule = solve(problem, time_limit=5)
    assert (schedule.status, schedule.breaks, schedule.bound) == ("optimal", 1, 1)
    assert sorted(a.slot for a in schedule.assignments) == [1, 4]


def test_must_meetings_win_over_wanted_ones_when_not_all_fit():
    # One table, two slots, three meetings: one wanted meeting must give way.
    problem = make_problem([(1, 2), (3, 4), (5, 6)], slots=2, tables=1, priorities={1: "wanted"})
    schedule = solve(problem, time_limit=5)
    assert schedule.unplaced == (1,)
    assert schedule.status == "optimal"
    assert validate(problem, schedule) == []


def test_an_overloaded_participant_gets_a_reason_a_person_can_act_on():
    pairs = [(12, p) for p in range(1, 12)]
    problem = make_problem(pairs, n_participants=12, slots=10, forbidden={12: {10}})
    schedule = solve(problem, time_limit=5)
    assert schedule.status == "infeasible"
    assert schedule.reasons == ("participant 12 has 11 must-meetings but 9 free slots",)
    assert len(schedule.assignments) == 9
    assert validate(problem, schedule) == []


def test_conflicting_fixed_meetings_are_reported_without_solving():
    problem = make_problem([(1, 2), (1, 3)], fixed=(FixedMeeting(1, 2), FixedMeeting(2, 2)))
    schedule = solve(problem, time_limit=5)
    assert schedule.status == "infeasible"
    assert schedule.reasons == ("participant 1 has 2 meetings fixed to slot 2 (1, 2)",)


def test_fixed_meetings_precedences_and_host_tables_are_respected():
    base = make_problem([(1, 2), (1, 3), (2, 3), (3, 4)], slots=5, tables=3)
    participants = (Participant(1, host_table=3),) + base.participants[1:]
    problem = Problem(participants=participants, slots=base.slots, tables=base.tables, meetings=base.meetings,
                      fixed=(FixedMeeting(4, 5),), precedences=(Precedence(before=2, after=1),))
    schedule = solve(problem, time_limit=5)
    assert validate(problem, schedule, complete=True) == []
    where = {a.meeting_id: a for a in schedule.assignments}
    assert where[4].slot == 5
    assert where[2].slot < where[1].slot
    assert (where[1].table, where[2].table) == (3, 3)


def test_breaks_are_not_counted_across_days():
    # Participant 1 meets in the last slot of day 1 and the first slot of day 2 at best, or anywhere.
    problem = make_problem([(1, 2), (1, 3)], slots=2, days=2, morning=2, forbidden={1: {2, 3}})
    schedule = solve(problem, time_limit=5)
    assert sorted(a.slot for a in schedule.assignments) == [1, 4]
    assert schedule.breaks == 0


def test_rescheduling_after_a_cancellation_moves_no_meeting():
    problem = make_problem([(1, 2), (1, 3), (2, 3), (3, 4), (4, 5), (2, 5)], slots=4, tables=2)
    first = solve(problem, time_limit=5)
    remaining = tuple(m for m in problem.meetings if 5 not in m.participants)
    changed = Problem(participants=problem.participants, slots=problem.slots, tables=problem.tables,
                      meetings=remaining)
    second = reschedule(changed, first, time_limit=5)
    assert second.moved == ()
    assert validate(changed, second, complete=True) == []
    assert affected_participants(changed, first, second, old_problem=problem) == (4, 5, 2)


def test_rescheduling_after_a_slot_is_removed_moves_only_the_meetings_in_it():
    problem = make_problem([(1, 2), (3, 4), (5, 6), (1, 3)], slots=4, tables=4)
    first = solve(problem, time_limit=5)
    lost = first.assignments[0].slot
    in_lost = sorted(a.meeting_id for a in first.assignments if a.slot == lost)
    changed = Problem(participants=problem.participants, slots=tuple(s for s in problem.slots if s.id != lost),
                      tables=problem.tables, meetings=problem.meetings)
    second = reschedule(changed, first, time_limit=5)
    assert sorted(second.moved) == in_lost
    assert validate(changed, second, complete=True) == []


pairs_strategy = st.lists(
    st.tuples(st.integers(1, 5), st.integers(1, 5)).filter(lambda p: p[0] != p[1]), min_size=1, max_size=5)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs=pairs_strategy, slots=st.integers(2, 4), tables=st.integers(1, 3),
       fairness=st.one_of(st.none(), st.integers(0, 1)))
def test_every_schedule_validates_and_tiny_problems_reach_the_brute_force_optimum(pairs, slots, tables, fairness):
    problem = make_problem(pairs, n_participants=5, slots=slots, tables=tables, fairness=fairness)
    schedule = solve(problem, time_limit=5)
    assert validate(problem, schedule) == []
    optimum = brute_force_min_breaks(problem)
    if optimum is None:
        assert schedule.status == "infeasible"
    else:
        assert (schedule.status, schedule.breaks) == ("optimal", optimum)
        assert schedule.unplaced == ()
