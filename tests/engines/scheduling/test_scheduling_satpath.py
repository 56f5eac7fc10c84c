"""The SAT path: exact break minimum on forums where every meeting is a must, checked against brute force."""
from __future__ import annotations

import itertools
import time
from pathlib import Path

import pytest
from conftest import make_problem
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_scheduling_solver import brute_force_min_breaks

from silkbridge.engines.scheduling import (
    FixedMeeting,
    Participant,
    Precedence,
    Problem,
    satpath,
    solve,
    validate,
)
from silkbridge.engines.scheduling.dzn import load_dzn
from silkbridge.engines.scheduling.rules import Index
from silkbridge.engines.scheduling.satpath import sat_applicable, solve_sat

INSTANCES = Path("/work/shared/bench/b2b-instances")


def test_a_gap_forced_across_the_lunch_boundary_is_one_proven_break():
    # 1 meets 2 (morning only, 2 cannot come to slot 2) and 3 (afternoon only, 3 cannot come to slot 3).
    problem = make_problem([(1, 2), (1, 3)], slots=4, morning=2, sessions={1: "morning", 2: "afternoon"},
                           forbidden={2: {2}, 3: {3}}, fairness=2)
    result = solve_sat(Index(problem), time.monotonic() + 10)
    assert (result.status, result.breaks, result.bound) == ("optimal", 1, 1)
    assert result.slot_of == {1: 0, 2: 3}
    schedule = solve(problem, time_limit=10)
    assert (schedule.status, schedule.breaks, schedule.bound) == ("optimal", 1, 1)
    assert validate(problem, schedule, complete=True) == []


def test_a_fairness_limit_that_cannot_hold_is_reported_as_infeasible_with_every_meeting_placed():
    # 1 must have a break (as above) while 4 and 5 meet once: with d = 0 no schedule is fair.
    problem = make_problem([(1, 2), (1, 3), (4, 5)], slots=4, morning=2,
                           sessions={1: "morning", 2: "afternoon"}, forbidden={2: {2}, 3: {3}}, fairness=0)
    result = solve_sat(Index(problem), time.monotonic() + 10)
    assert result.status == "unfair"
    assert sorted(result.slot_of) == [1, 2, 3]
    schedule = solve(problem, time_limit=10)
    assert schedule.status == "infeasible"
    assert schedule.reasons == ("the fairness limit cannot hold with every meeting placed",)


def test_the_sat_path_leaves_wanted_meetings_and_host_tables_to_cp_sat():
    base = make_problem([(1, 2), (2, 3)])
    assert sat_applicable(base)
    wanted = make_problem([(1, 2), (2, 3)], priorities={2: "wanted"})
    assert not sat_applicable(wanted)
    hosted = Problem(participants=(Participant(1, host_table=1), Participant(2), Participant(3)),
                     slots=base.slots, tables=base.tables, meetings=base.meetings)
    assert not sat_applicable(hosted)


def test_precedences_and_fixed_meetings_hold_in_the_sat_optimum():
    problem = make_problem([(1, 2), (1, 3), (2, 3)], slots=4, fairness=2,
                           fixed=(FixedMeeting(3, 2),), precedences=(Precedence(2, 1),))
    result = solve_sat(Index(problem), time.monotonic() + 10)
    slot_of = result.slot_of
    assert slot_of[3] == 1
    assert slot_of[2] < slot_of[1]
    assert (result.status, result.breaks) == ("optimal", brute_force_with_order(problem))


def brute_force_with_order(problem: Problem) -> int | None:
    """Brute force over placements that also keep the precedences."""
    ix = Index(problem)
    kept = Problem(participants=problem.participants, slots=problem.slots, tables=problem.tables,
                   meetings=problem.meetings, fixed=problem.fixed, fairness=problem.fairness)
    best = None

    domains = [ix.allowed_positions(m) for m in problem.meetings]
    for combo in itertools.product(*domains):
        pos = {m.id: t for m, t in zip(problem.meetings, combo)}
        if any(pos[p.before] >= pos[p.after] for p in problem.precedences):
            continue
        sub = Problem(participants=kept.participants, slots=kept.slots, tables=kept.tables,
                      meetings=kept.meetings, fixed=tuple(FixedMeeting(m, kept.slots[t].id) for m, t in pos.items()),
                      fairness=kept.fairness)
        value = brute_force_min_breaks(sub)
        if value is not None:
            best = value if best is None else min(best, value)
    return best


pairs_strategy = st.lists(
    st.tuples(st.integers(1, 5), st.integers(1, 5)).filter(lambda p: p[0] != p[1]), min_size=1, max_size=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pairs=pairs_strategy, slots=st.integers(2, 5), days=st.integers(1, 2), tables=st.integers(1, 3),
       fairness=st.one_of(st.none(), st.integers(0, 2)),
       sessions=st.dictionaries(st.integers(1, 6), st.sampled_from(["morning", "afternoon", "any"])),
       forbidden=st.dictionaries(st.integers(1, 5), st.sets(st.integers(1, 10), max_size=2)),
       windows=st.booleans(), right=st.booleans(), strategy=st.sampled_from(["core", "linear"]),
       parity=st.booleans(), bcap_enc=st.sampled_from(["seqcounter", "mtotalizer"]))
def test_sat_optimum_equals_brute_force_on_random_tiny_forums(pairs, slots, days, tables, fairness, sessions,
                                                              forbidden, windows, right, strategy, parity, bcap_enc):
    problem = make_problem(pairs, n_participants=5, slots=slots, days=days, tables=tables, fairness=fairness,
                           sessions=sessions, forbidden=forbidden)
    optimum = brute_force_min_breaks(problem)
    # Both search strategies, and every optional redundant encoding, must leave the optimum unchanged.
    names = ("WINDOWS", "RIGHT_BREAKS", "STRATEGY", "BUSY_PARITY", "BCAP_ENC")
    saved = [getattr(satpath, n) for n in names]
    for n, v in zip(names, (windows, right, strategy, parity, bcap_enc)):
        setattr(satpath, n, v)
    try:
        result = solve_sat(Index(problem), time.monotonic() + 10)
    finally:
        for n, v in zip(names, saved):
            setattr(satpath, n, v)
    if optimum is None:
        assert result.status in ("unfair", "unplaceable")
    else:
        assert (result.status, result.breaks, result.bound) == ("optimal", optimum, optimum)
        schedule = solve(problem, time_limit=10)
        assert (schedule.status, schedule.breaks) == ("optimal", optimum)
        assert validate(problem, schedule, complete=True) == []


@pytest.mark.skipif(not (INSTANCES / "forum-13crafc.original.dzn").exists(), reason="benchmark instances not present")
def test_a_published_instance_is_solved_to_its_published_optimum():
    problem = load_dzn(INSTANCES / "forum-13crafc.original.dzn", fairness=2)
    schedule = solve(problem, time_limit=60)
    assert (schedule.status, schedule.breaks, schedule.bound) == ("optimal", 1, 1)
    assert validate(problem, schedule, complete=True) == []


def _crowded_forum(seed: int, fairness: int | None = 2):
    """Twelve people, 24 meetings, 6 slots and 3 tables: breaks are forced, the optimum takes a few cores."""
    import random
    rng = random.Random(seed)
    pairs: list[tuple[int, int]] = []
    while len(pairs) < 16:
        a, b = rng.sample(range(1, 13), 2)
        if (a, b) not in pairs and (b, a) not in pairs:
            pairs.append((a, b))
    return make_problem(pairs, n_participants=12, slots=6, tables=3, fairness=fairness,
                        forbidden={i: {rng.randrange(1, 7)} for i in range(1, 13, 3)})


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_helper_process_and_the_core_guided_search_agree_with_the_linear_search(monkeypatch, seed):
    problem = _crowded_forum(seed)
    monkeypatch.setattr(satpath, "STRATEGY", "linear")
    linear = solve_sat(Index(problem), time.monotonic() + 30)
    monkeypatch.setattr(satpath, "STRATEGY", "core")
    monkeypatch.setattr(satpath, "PARALLEL", False)
    alone = solve_sat(Index(problem), time.monotonic() + 30)
    # The helper starts with the search, even on this small model, and races it.
    monkeypatch.setattr(satpath, "PARALLEL", True)
    monkeypatch.setattr(satpath, "RACE_MIN_SIZE", 0)
    raced = solve_sat(Index(problem), time.monotonic() + 30)
    assert linear.status == alone.status == raced.status
    if linear.status == "optimal":
        assert linear.breaks == alone.breaks == raced.breaks == raced.bound
        ix = Index(problem)
        for result in (alone, raced):
            per: dict = {}
            for mid, t in result.slot_of.items():
                for p in ix.meeting[mid].participants:
                    per.setdefault(p, []).append(t)
            counts = [ix.breaks_of(ts) for ts in per.values()]
            assert len(result.slot_of) == len(problem.meetings)
            assert sum(counts) == result.breaks
            assert max(counts) - min(counts) <= 2


def test_the_helper_alone_finds_the_optimum_from_a_lower_bound():
    # The helper process's search, run in this process over a pipe: told the optimum as a bound, it answers
    # with a schedule of exactly that many breaks.
    import multiprocessing
    problem = _crowded_forum(2)
    linear = solve_sat(Index(problem), time.monotonic() + 30)
    if linear.status != "optimal":
        pytest.skip("no fair schedule in this draw")
    mine, theirs = multiprocessing.Pipe()
    mine.send(("lb", linear.breaks))
    satpath._helper_main(theirs, Index(problem), 2, time.monotonic() + 30, 0)
    msgs = []
    while mine.poll():
        msgs.append(mine.recv())
    assert msgs[-1][0] == "sol" and msgs[-1][2] == linear.breaks


def test_a_core_guided_search_out_of_time_reports_a_proven_bound_and_a_fair_schedule(monkeypatch):
    problem = load_dzn(INSTANCES / "forum-14.original.dzn", fairness=2) if (INSTANCES / "forum-14.original.dzn").exists() \
        else _crowded_forum(3)
    monkeypatch.setattr(satpath, "PARALLEL", False)
    result = solve_sat(Index(problem), time.monotonic() + 1.5)
    assert result.status in ("feasible", "optimal", "unknown")
    assert result.bound <= (2 if (INSTANCES / "forum-14.original.dzn").exists() else result.breaks)
    if result.status == "feasible":
        assert result.bound <= result.breaks


def _compact_forum(seed: int):
    """A round of meetings that fits without breaks: participant i meets i + 1 .. i + 3 (mod 10)."""
    pairs = sorted({tuple(sorted((i, (i + j) % 10 + 1))) for i in range(1, 11) for j in range(1, 4)})
    import random
    random.Random(seed).shuffle(pairs)
    return make_problem(pairs, n_participants=10, slots=8, tables=5, fairness=2)


@pytest.mark.parametrize("parallel", [False, True])
@pytest.mark.parametrize("forum", ["compact", "crowded"])
def test_the_zero_break_probe_agrees_with_the_core_guided_search(monkeypatch, parallel, forum):
    # The probe answers "no breaks at all" before the core-guided search starts; where breaks are forced
    # it gives way, and the optimum is the same either way.
    problem = _compact_forum(1) if forum == "compact" else _crowded_forum(1)
    monkeypatch.setattr(satpath, "PARALLEL", parallel)
    monkeypatch.setattr(satpath, "RACE_MIN_SIZE", 0)
    monkeypatch.setattr(satpath, "ZERO_PROBE", False)
    without = solve_sat(Index(problem), time.monotonic() + 30)
    monkeypatch.setattr(satpath, "ZERO_PROBE", True)
    probed = solve_sat(Index(problem), time.monotonic() + 30)
    assert without.status == probed.status == "optimal"
    assert without.breaks == probed.breaks == probed.bound
    assert (probed.breaks == 0) == (forum == "compact")
    schedule = solve(problem, time_limit=30)
    assert (schedule.status, schedule.breaks) == ("optimal", probed.breaks)
    assert validate(problem, schedule, complete=True) == []


def test_the_zero_break_probe_alone_finds_a_compact_schedule_or_gives_way(monkeypatch):
    monkeypatch.setattr(satpath, "PARALLEL", False)
    for forum, problem in (("compact", _compact_forum(2)), ("crowded", _crowded_forum(2))):
        sched = satpath.SatScheduler(Index(problem))
        try:
            assert sched._ask([], time.monotonic() + 10)
            out = sched._zero_probe(2, time.monotonic() + 10, None)
        finally:
            sched.close()
        if forum == "crowded":
            assert out is None
            continue
        status, slot_of, breaks = out
        assert (status, breaks, len(slot_of)) == ("optimal", 0, len(problem.meetings))
        ix = Index(problem)
        for p in ix.meetings_of:
            assert ix.breaks_of([slot_of[mid] for mid in ix.meetings_of[p]]) == 0


def test_an_unplaceable_forum_names_the_fixed_meetings_and_precedences_that_clash():
    # Two slots. Meeting 1 is fixed to the last slot and must come before meeting 2: no room for 2.
    # Meeting 3's fixed slot is harmless and must not be blamed.
    problem = make_problem([(1, 2), (3, 4), (5, 6)], slots=2, fairness=2,
                           fixed=(FixedMeeting(1, 2), FixedMeeting(3, 1)), precedences=(Precedence(1, 2),))
    ix = Index(problem)
    assert solve_sat(ix, time.monotonic() + 10).status == "unplaceable"
    reason = satpath.unplaceable_reason(ix, time.monotonic() + 10)
    assert reason == ("not every meeting can be placed: these cannot all hold together:"
                      " meeting 1 fixed to slot 2; meeting 1 before meeting 2")
    schedule = solve(problem, time_limit=10)
    assert schedule.status == "infeasible"
    assert schedule.reasons == (reason,)
    # Every meeting but one is still placed, and the schedule keeps the rules it can keep.
    assert len(schedule.assignments) == 2
    assert validate(problem, schedule) == []


def test_a_precedence_against_the_sessions_is_explained_with_the_slots_each_meeting_may_take():
    problem = make_problem([(1, 2), (3, 4)], slots=4, morning=2, sessions={1: "afternoon", 2: "morning"},
                           fairness=2, precedences=(Precedence(1, 2),))
    schedule = solve(problem, time_limit=10)
    assert schedule.status == "infeasible"
    assert schedule.reasons == ("not every meeting can be placed: these cannot all hold together: meeting 1 before"
                                " meeting 2 (meeting 1 can only be in slots 3 to 4, meeting 2 only in slots 1 to 2)",)


def test_an_unplaceable_forum_without_fixed_meetings_or_precedences_gets_the_general_reason():
    # Three people who all meet each other need three slots; there are two.
    problem = make_problem([(1, 2), (1, 3), (2, 3)], slots=2, fairness=2)
    assert satpath.unplaceable_reason(Index(problem), time.monotonic() + 10) is None
    schedule = solve(problem, time_limit=10)
    assert schedule.status == "infeasible"
    assert schedule.reasons == ("not every meeting can be placed: the sessions, forbidden slots and tables leave"
                                " no room for all of them (checked exhaustively)",)
    assert len(schedule.assignments) == 2
