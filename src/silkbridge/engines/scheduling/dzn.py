"""Reader for the MiniZinc .dzn instances of the B2B scheduling benchmark (Bofill et al., JAIR 2022).

Ids keep the file's 1-based numbering: participant p, meeting m (index in
``requested``), slot t (1..nTotalSlots) and table l (1..nTables) are the ints of the file.
"""
from __future__ import annotations

import re
from pathlib import Path

from .model import FixedMeeting, Meeting, Participant, Precedence, Problem, Slot

_SESSIONS = {1: "morning", 2: "afternoon", 3: "any"}


def _ints(text: str) -> list[int]:
    return [int(x) for x in re.findall(r"-?\d+", text)]


def _sets(text: str) -> list[list[int]]:
    return [_ints(x) for x in re.findall(r"\{([^}]*)\}", text)]


def parse_dzn(text: str, *, fairness: int | None = None) -> Problem:
    text = re.sub(r"%.*", "", text)
    fields: dict[str, str] = {}
    for name, value in re.findall(r"(\w+)\s*=\s*(.*?);", text, flags=re.S):
        fields[name] = value.strip()
    try:
        n_business = int(fields["nBusiness"])
        n_meetings = int(fields["nMeetings"])
        n_tables = int(fields["nTables"])
        n_slots = int(fields["nTotalSlots"])
        n_morning = int(fields["nMorningSlots"])
        rows = [r for r in fields["requested"].split("|") if re.search(r"\d", r)]
    except KeyError as exc:
        raise ValueError(f"the instance has no field {exc.args[0]}") from None
    requested = [tuple(_ints(r)[:3]) for r in rows]
    if len(requested) != n_meetings:
        raise ValueError(f"the instance lists {len(requested)} requested meetings but nMeetings = {n_meetings}")
    # The first entry of each forbidden set is a dummy 0 in most files.
    forbidden = [frozenset(x for x in s if x != 0) for s in _sets(fields.get("forbidden", ""))]
    participants = tuple(
        Participant(id=p, forbidden_slots=forbidden[p - 1] if p - 1 < len(forbidden) else frozenset())
        for p in range(1, n_business + 1)
    )
    slots = tuple(
        Slot(id=t, day="1", session="morning" if t <= n_morning else "afternoon")
        for t in range(1, n_slots + 1)
    )
    meetings = tuple(
        Meeting(id=i, participants=(p1, p2), priority="must", session=_SESSIONS[s])  # type: ignore[arg-type]
        for i, (p1, p2, s) in enumerate(requested, start=1)
    )
    fixed_slots = _ints(fields.get("fixed", "[]"))
    fixed = tuple(FixedMeeting(meeting_id=i, slot=t) for i, t in enumerate(fixed_slots, start=1) if t)
    precedences = tuple(
        Precedence(before=q, after=m)
        for m, before in enumerate(_sets(fields["precedences"]) if "precedences" in fields else [], start=1)
        for q in before
    )
    return Problem(
        participants=participants, slots=slots, tables=n_tables, meetings=meetings,
        fixed=fixed, precedences=precedences, fairness=fairness,
    )


def load_dzn(path: str | Path, *, fairness: int | None = None) -> Problem:
    return parse_dzn(Path(path).read_text(encoding="utf-8"), fairness=fairness)
