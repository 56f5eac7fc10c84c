"""Reading the benchmark's .dzn instances."""
from __future__ import annotations

from pathlib import Path

import pytest

from silkbridge.engines.scheduling import FixedMeeting, Precedence, solve, validate
from silkbridge.engines.scheduling.dzn import load_dzn, parse_dzn

TEXT = """
nBusiness = 4;
nMeetings = 3;
nTables = 2;
nTotalSlots = 4;
nMorningSlots = 2;
requested = [|1, 2,1,
|1, 3,2,
|4, 3,3, |];
meetingsxBusiness = [{1,2,3},{1,2},{1,3,4},{1,4}];
nMeetingsBusiness = [2,1,2,1];
forbidden = [{0},{0,4},{},{0}];
fixed = [0,3,0];
precedences = [{},{},{1}];
"""

INSTANCES = Path("/work/shared/bench/b2b-instances")


def test_dzn_fields_become_a_problem_with_the_files_one_based_ids():
    problem = parse_dzn(TEXT, fairness=2)
    assert [p.id for p in problem.participants] == [1, 2, 3, 4]
    assert [(s.id, s.session) for s in problem.slots] == [
        (1, "morning"), (2, "morning"), (3, "afternoon"), (4, "afternoon")]
    assert problem.tables == (1, 2)
    assert [(m.id, m.participants, m.session) for m in problem.meetings] == [
        (1, (1, 2), "morning"), (2, (1, 3), "afternoon"), (3, (4, 3), "any")]
    assert [sorted(p.forbidden_slots) for p in problem.participants] == [[], [4], [], []]
    assert problem.fixed == (FixedMeeting(2, 3),)
    assert problem.precedences == (Precedence(before=1, after=3),)
    assert problem.fairness == 2


def test_a_dzn_instance_with_too_few_requested_rows_is_rejected():
    with pytest.raises(ValueError, match="lists 3 requested meetings but nMeetings = 4"):
        parse_dzn(TEXT.replace("nMeetings = 3", "nMeetings = 4"))


def test_the_parsed_instance_is_solved_within_its_rules():
    problem = parse_dzn(TEXT, fairness=2)
    schedule = solve(problem, time_limit=5)
    assert validate(problem, schedule, complete=True) == []
    assert (schedule.status, schedule.breaks) == ("optimal", 0)


@pytest.mark.skipif(not (INSTANCES / "tic-12.original.dzn").exists(), reason="benchmark instances not present")
def test_a_published_instance_is_solved_to_its_published_optimum():
    problem = load_dzn(INSTANCES / "tic-12.original.dzn", fairness=2)
    assert (len(problem.participants), len(problem.meetings), len(problem.tables)) == (42, 125, 21)
    schedule = solve(problem, time_limit=30)
    assert validate(problem, schedule, complete=True) == []
    assert (schedule.status, schedule.breaks) == ("optimal", 0)
