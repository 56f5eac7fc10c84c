"""The house's app order: each package imports only the packages below it, so the import graph has no arrow
up into an app, the demo, the CLI or the web shell (beside `test_engines_are_pure.py`)."""
import ast
import pathlib

from django.conf import settings

import silkbridge

SRC = pathlib.Path(silkbridge.__file__).parent
# Lowest first. An app may import the ones before it; it speaks to later ones only through signals.
ORDER = ("engines", "jobs", "directory", "matching", "forums", "outcomes", "news", "demo", "cli", "web")
APPS = ORDER[1:7]
# The command line starts the site (`silkbridge serve` imports the WSGI application); nothing else is above the apps.
ALSO_ALLOWED = {"cli": {"web"}}
ENTRY_POINTS = {"__main__.py": {"cli"}, "testing.py": set(), "__init__.py": set()}
# Translation tooling (latinise.py) sits beside the packages and uses the text kernel alone.
TOOLS = {"locale": {"engines", "locale"}}


def _silkbridge_imports(path: pathlib.Path):
    """(line, package) of each `silkbridge.<package>` imported anywhere in the file, functions included."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] if node.module != "silkbridge" else [f"silkbridge.{a.name}" for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "silkbridge" and len(parts) > 1:
                yield node.lineno, parts[1]


def _allowed(package: str) -> set[str]:
    return set(ORDER[: ORDER.index(package) + 1]) | ALSO_ALLOWED.get(package, set())


def test_every_package_imports_only_the_packages_below_it():
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC)
        if len(relative.parts) == 1:
            allowed = ENTRY_POINTS[relative.name]
        else:
            package = relative.parts[0]
            if package in TOOLS:
                allowed = TOOLS[package]
                offenders += [f"{relative}:{line} imports silkbridge.{target}"
                              for line, target in _silkbridge_imports(path) if target not in allowed]
                continue
            assert package in ORDER, f"{package}/ is not in the declared app order: add it to ORDER"
            allowed = _allowed(package)
        offenders += [f"{relative}:{line} imports silkbridge.{target}"
                      for line, target in _silkbridge_imports(path) if target not in allowed]
    assert offenders == []


def test_nothing_below_imports_the_web_shell_or_the_cli():
    importers = {str(path.relative_to(SRC)) for path in SRC.rglob("*.py")
                 for _, target in _silkbridge_imports(path)
                 if target in ("web", "cli") and path.relative_to(SRC).parts[0] not in ("web", "cli", "__main__.py")}
    assert importers == set()


def test_installed_apps_follow_the_declared_order():
    installed = [app.split(".")[1] for app in settings.INSTALLED_APPS if app.startswith("silkbridge.")]
    assert [app for app in installed if app in APPS] == list(APPS)
