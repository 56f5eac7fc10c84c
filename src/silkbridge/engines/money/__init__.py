"""Money: amounts in ISO 4217 currencies, read from multilingual text and converted at historical rates."""
from .convert import convert, known_currencies
from .parse import parse_amount, parse_amounts
from .types import (
    Conversion,
    Money,
    MoneyError,
    MoneyParseError,
    ParsedAmount,
    RateUnavailable,
    UnknownCurrency,
)

__all__ = [
    "Conversion",
    "Money",
    "MoneyError",
    "MoneyParseError",
    "ParsedAmount",
    "RateUnavailable",
    "UnknownCurrency",
    "convert",
    "known_currencies",
    "parse_amount",
    "parse_amounts",
]
