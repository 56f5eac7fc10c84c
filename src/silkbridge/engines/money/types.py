"""Value types of the money engine: an amount in a currency, a parsed span, a conversion."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

_CODE = re.compile(r"[A-Z]{3}")


class MoneyError(Exception):
    """Base class of the money engine's errors."""


class MoneyParseError(MoneyError, ValueError):
    """A phrase could not be read as exactly one amount of money."""


class UnknownCurrency(MoneyError, LookupError):
    """No bundled rate source knows this currency."""

    def __init__(self, currency: str):
        super().__init__(f"unknown currency {currency!r}: no bundled rate source publishes it")
        self.currency = currency


class RateUnavailable(MoneyError, LookupError):
    """The currency is known, but no rate was published for the requested date."""


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        # Floats would silently carry binary rounding errors into money.
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"Money.amount must be a Decimal, not {type(self.amount).__name__}")
        if not self.amount.is_finite():
            raise ValueError(f"Money.amount must be finite, not {self.amount}")
        if not isinstance(self.currency, str) or not _CODE.fullmatch(self.currency):
            raise ValueError(f"Money.currency must be an ISO 4217 code, not {self.currency!r}")

    def __str__(self) -> str:
        return f"{plain(self.amount)} {self.currency}"


@dataclass(frozen=True, slots=True)
class ParsedAmount:
    """An amount found in text; ``text[start:end]`` of the input is ``text``."""

    money: Money
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Conversion:
    """``result = source * rate``, with the rate's publication date and its source."""

    source: Money
    result: Money
    rate: Decimal
    rate_date: date
    source_name: str


def plain(value: Decimal) -> str:
    """A decimal without exponent notation or trailing zeros ("1684580000000", "1.5")."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")
