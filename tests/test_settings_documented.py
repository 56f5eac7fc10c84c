"""Every environment variable the settings read is documented in README.md's table."""
import pathlib
import re

from silkbridge.web import config

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_every_setting_read_from_the_environment_is_in_the_table():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "silkbridge").rglob("*.py"))
    read = set(re.findall(r"\b(SILKBRIDGE_[A-Z_]+)\b", source))
    declared = {s.name for s in config.SETTINGS}
    assert read - declared == set()


def test_every_declared_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\|\s*`(SILKBRIDGE_[A-Z_]+)`\s*\|", readme, re.M))
    assert {s.name for s in config.SETTINGS} - rows == set()
