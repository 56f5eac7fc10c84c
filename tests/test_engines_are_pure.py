"""Engines must import no Django (nor anything of the web side), so they run in any process."""
import ast
import pathlib
import subprocess
import sys

import silkbridge.engines

ENGINES = pathlib.Path(silkbridge.engines.__file__).parent
FORBIDDEN = ("django", "ninja", "celery", "silkbridge.web", "silkbridge.directory", "silkbridge.matching",
             "silkbridge.forums", "silkbridge.outcomes", "silkbridge.news", "silkbridge.cli")


def _imports(path: pathlib.Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module


def test_no_engine_module_imports_django_or_the_apps():
    offenders = sorted(
        f"{path.relative_to(ENGINES)} imports {name}"
        for path in ENGINES.rglob("*.py")
        for name in _imports(path)
        if name == FORBIDDEN[0] or name.startswith(tuple(f"{f}." for f in FORBIDDEN) + FORBIDDEN)
    )
    assert offenders == []


def test_importing_every_engine_loads_no_django():
    packages = sorted(p.name for p in ENGINES.iterdir() if (p / "__init__.py").exists())
    code = (
        "import importlib, sys\n"
        f"for name in {packages!r}: importlib.import_module('silkbridge.engines.' + name)\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
