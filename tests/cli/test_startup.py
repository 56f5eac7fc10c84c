"""Engine-only verbs start without Django and without the engines they do not use."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

INSTANCE = Path("/work/shared/bench/b2b-instances/tic-12crafc.original.dzn")
PROBE = (
    "import json, sys\n"
    "from silkbridge.cli import main\n"
    "status = main(sys.argv[1:])\n"
    "names = [m for m in sys.modules if m == 'django' or m.startswith(('django.', 'silkbridge.'))]\n"
    "print(json.dumps({'status': status, 'modules': names}))\n"
)


def _loaded(*argv: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=True).stdout
    report = json.loads(out.strip().splitlines()[-1])
    assert report["status"] == 0
    return {".".join(m.split(".")[:3]) if m.startswith("silkbridge.engines.") else ".".join(m.split(".")[:2])
            for m in report["modules"]}


def _unexpected(loaded: set[str], engine: str) -> set[str]:
    allowed = {"silkbridge.cli", f"silkbridge.engines.{engine}", "silkbridge.engines.script", "silkbridge.engines"}
    return {m for m in loaded if m not in allowed and m != "silkbridge.__main__"}


def test_money_convert_loads_only_the_money_engine():
    assert _unexpected(_loaded("money", "convert", "100", "EUR", "PLN", "--on", "2024-01-02"), "money") == set()


@pytest.mark.skipif(not INSTANCE.exists(), reason="benchmark instances not present")
def test_schedule_solve_loads_only_the_scheduling_engine():
    assert _unexpected(_loaded("schedule", "solve", str(INSTANCE), "--time-limit", "2"), "scheduling") == set()
