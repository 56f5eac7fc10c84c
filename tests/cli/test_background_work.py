"""A command waits for the background work it started before it exits: nothing is cut off half-way."""
from __future__ import annotations

import csv
import os
import sqlite3
import subprocess
import sys

ROWS = [
    ("rs-nova", "Nova Software", "company", "RS", "Belgrade", "62", "en", "Accounting software for small firms",
     "ERP systems", "Distributors in China"),
    ("cn-pipe", "Cangzhou Pipe", "company", "CN", "Cangzhou", "24", "zh-hans", "沧州钢管制造企业", "无缝钢管", "中东欧分销合作伙伴"),
    ("hu-agro", "Szeged Agro", "company", "HU", "Szeged", "01", "en", "Paprika growers", "Dried paprika",
     "Buyers in Asia"),
]


def _silkbridge(data_dir, *args):
    env = {k: v for k, v in os.environ.items() if k != "SILKBRIDGE_DATABASE_URL"}
    env["SILKBRIDGE_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "silkbridge", *args], env=env, capture_output=True, text=True,
                          timeout=300)


def test_import_orgs_leaves_the_embeddings_stored_when_it_exits(tmp_path):
    data = tmp_path / "data"
    assert _silkbridge(data, "init").returncode == 0
    source = tmp_path / "orgs.csv"
    with source.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "name", "kind", "country", "city", "sectors", "language", "description", "offers",
                         "needs"])
        writer.writerows(ROWS)
    run = _silkbridge(data, "import", "orgs", str(source))
    assert run.returncode == 0, run.stderr
    assert "imported 3 rows" in run.stdout
    assert "cut off" not in run.stderr
    # The re-embedding the import queued ran to its end before the process exited.
    with sqlite3.connect(data / "silkbridge.sqlite3") as db:
        embedded = db.execute("SELECT count(*) FROM matching_embedding").fetchone()[0]
    assert embedded >= len(ROWS)  # vectors are kept per distinct text: at least one per organisation


def nap(seconds):
    import time

    time.sleep(seconds)


def test_work_past_the_bound_is_named_on_standard_error(settings, monkeypatch, capsys):
    import silkbridge.cli as cli
    from silkbridge.jobs import dispatch

    settings.TASKS_SKIP, settings.TASKS_EAGER, settings.BROKER_URL = False, False, ""
    monkeypatch.setattr(cli, "DRAIN_SECONDS", 0.1)
    dispatch._start(nap, (1.0,), {})
    cli._drain()
    assert f"is cut off: task:{__name__}:nap" in capsys.readouterr().err
    assert dispatch.drain(10) == []
