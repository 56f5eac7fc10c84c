"""`silkbridge schedule solve|validate` on benchmark instances: JSON shape and the independent checker."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from silkbridge.cli import main

INSTANCE = Path("/work/shared/bench/b2b-instances/tic-12crafc.original.dzn")
CHECKER = Path("/work/shared/tools/check_b2b_schedule.py")

needs_instance = pytest.mark.skipif(not INSTANCE.exists(), reason="benchmark instances not present")


@needs_instance
def test_solve_prints_the_documented_json_and_the_independent_checker_accepts_it(tmp_path, capsys):
    assert main(["schedule", "solve", str(INSTANCE), "--fairness", "2", "--time-limit", "30", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert sorted(out) == ["bound", "breaks", "meetings", "seconds", "status"]
    assert (out["status"], out["breaks"], out["bound"]) == ("optimal", 0, 0)
    assert sorted(m["id"] for m in out["meetings"]) == list(range(1, 126))
    assert all(sorted(m) == ["id", "slot", "table"] for m in out["meetings"])
    path = tmp_path / "schedule.json"
    path.write_text(json.dumps(out))
    assert main(["schedule", "validate", str(INSTANCE), str(path), "--fairness", "2"]) == 0
    assert capsys.readouterr().out == "valid breaks=0\n"
    if CHECKER.exists():
        done = subprocess.run([sys.executable, str(CHECKER), str(INSTANCE), str(path), "--fairness", "2"],
                              capture_output=True, text=True)
        assert (done.returncode, done.stdout) == (0, "valid breaks=0\n")


@needs_instance
def test_validate_names_each_broken_rule_and_fails(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"meetings": [{"id": 1, "slot": 1, "table": 1}, {"id": 2, "slot": 1, "table": 1}]}))
    assert main(["schedule", "validate", str(INSTANCE), str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "participant 1 has two meetings in slot 1 (1 and 2)"
    assert lines[1] == "table 1 holds two meetings in slot 1 (1 and 2)"
    assert lines[-1] == "INVALID (125 violations)"


def test_a_missing_instance_is_a_user_error(capsys):
    assert main(["schedule", "solve", "/nonexistent/x.dzn"]) == 2
    assert capsys.readouterr().err == "silkbridge schedule: error: no such instance file: /nonexistent/x.dzn\n"
