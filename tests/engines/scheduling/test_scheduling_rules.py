"""The validator's sentences and the break rule."""
from __future__ import annotations

from conftest import make_problem

from silkbridge.engines.scheduling import (
    Assignment,
    FixedMeeting,
    Participant,
    Precedence,
    Problem,
    Schedule,
    affected_participants,
    diff,
    participant_breaks,
    validate,
)


def test_validator_reports_a_double_booked_participant_in_words():
    problem = make_problem([(1, 2), (1, 3)])
    violations = validate(problem, (Assignment(1, 3, 1), Assignment(2, 3, 2)))
    assert [str(v) for v in violations] == ["participant 1 has two meetings in slot 3 (1 and 2)"]


def test_validator_reports_table_session_forbidden_fixed_and_precedence_breaches():
    problem = make_problem(
        [(1, 2), (3, 4), (5, 6)], slots=4, morning=2, sessions={1: "morning"}, forbidden={3: {1}},
        fixed=(FixedMeeting(3, 4),), precedences=(Precedence(before=2, after=1),))
    violations = validate(problem, (Assignment(1, 3, 1), Assignment(2, 1, 1), Assignment(3, 1, 1)))
    assert [str(v) for v in violations] == [
        "meeting 1 must be in the morning session but is in slot 3 (afternoon)",
        "meeting 2 is in slot 1, which participant 3 cannot attend",
        "table 1 holds two meetings in slot 1 (2 and 3)",
        "meeting 3 is fixed to slot 4 but is in slot 1",
    ]
    ordered = validate(problem, (Assignment(1, 1, 1), Assignment(2, 2, 1), Assignment(3, 4, 1)))
    assert [str(v) for v in ordered] == ["meeting 2 must come before meeting 1"]


def test_validator_counts_meetings_per_slot_against_tables_and_flags_missing_must_meetings():
    problem = make_problem([(1, 2), (3, 4)], tables=1)
    violations = validate(problem, (Assignment(1, 1, 1),), complete=True)
    assert [str(v) for v in violations] == ["must-meeting 2 is not scheduled"]
    problem = Problem(participants=problem.participants, slots=problem.slots, tables=(1,),
                      meetings=problem.meetings)
    violations = validate(problem, (Assignment(1, 1, 1), Assignment(2, 1, 1)))
    assert [v.rule for v in violations] == ["table-shared", "capacity"]


def test_a_gap_of_several_idle_slots_is_one_break_and_days_do_not_join():
    problem = make_problem([(1, 2), (1, 3), (1, 4), (1, 5)], slots=5, days=2)
    # day 1: slots 1..5, day 2: slots 6..10; participant 1 meets in 1, 4, 5 and 7.
    placed = (Assignment(1, 1, 1), Assignment(2, 4, 1), Assignment(3, 5, 1), Assignment(4, 7, 1))
    assert participant_breaks(problem, placed)[1] == 1


def test_the_fairness_rule_names_the_two_extreme_participants():
    problem = make_problem([(1, 2), (1, 3), (1, 4), (5, 6)], slots=6, fairness=0)
    placed = (Assignment(1, 1, 1), Assignment(2, 3, 1), Assignment(3, 5, 1), Assignment(4, 1, 2))
    assert [str(v) for v in validate(problem, placed)] == [
        "participant 1 has 2 breaks and participant 2 has 0: a spread of 2, more than the fairness limit 0"]


def test_host_tables_are_reserved_for_their_host():
    problem = make_problem([(1, 2), (3, 4)], tables=2)
    problem = Problem(participants=(Participant(1, host_table=1),) + problem.participants[1:], slots=problem.slots,
                      tables=problem.tables, meetings=problem.meetings)
    violations = validate(problem, (Assignment(1, 1, 2), Assignment(2, 1, 1)))
    assert [str(v) for v in violations] == [
        "meeting 1 must be at the stand of its host (table 1) but is at table 2",
        "table 1 is the stand of participant 1 but holds meeting 2 without them",
    ]


def test_diff_and_affected_participants_list_exactly_what_changed():
    problem = make_problem([(1, 2), (3, 4), (5, 6)])
    old = Schedule("optimal", (Assignment(1, 1, 1), Assignment(2, 2, 1), Assignment(3, 3, 1)))
    new = Schedule("optimal", (Assignment(1, 1, 1), Assignment(2, 4, 1), Assignment(3, 3, 2)))
    d = diff(old, new)
    assert [str(c) for c in d.changes] == [
        "meeting 2 moved from slot 2 table 1 to slot 4 table 1",
        "meeting 3 moved from slot 3 table 1 to slot 3 table 2",
    ]
    assert ([c.meeting_id for c in d.moved], [c.meeting_id for c in d.retabled]) == ([2], [3])
    assert affected_participants(problem, old, new) == (3, 4, 5, 6)
