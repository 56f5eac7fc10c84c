"""Every command explains itself, and `init` can run any number of times."""
from __future__ import annotations

import subprocess
import sys

import pytest

from silkbridge.cli import build_parser, main


def _commands(parser, prefix=()):
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield prefix + (name,)
                yield from _commands(sub, prefix + (name,))


@pytest.mark.parametrize("command", sorted(set(_commands(build_parser()))), ids=" ".join)
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: silkbridge" in capsys.readouterr().out


def test_the_console_script_runs_as_a_module():
    out = subprocess.run([sys.executable, "-m", "silkbridge", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    assert "import" in out.stdout and "demo" in out.stdout


@pytest.mark.django_db(transaction=True)
def test_init_is_idempotent(capsys):
    from silkbridge.cli.setup import init
    from silkbridge.directory.models import City, Country, Sector

    init(verbose=False)
    counts = (Country.objects.count(), City.objects.count(), Sector.objects.count())
    init(verbose=False)
    assert (Country.objects.count(), City.objects.count(), Sector.objects.count()) == counts
    assert counts[0] == 249
    assert Sector.objects.get(code="26").parent_id == "C"


@pytest.mark.django_db
def test_export_to_an_unsupported_file_type_is_a_clear_error(reference, tmp_path, capsys):
    assert main(["export", "orgs", str(tmp_path / "out.pdf")]) == 2
    assert "unsupported file type .pdf" in capsys.readouterr().err
