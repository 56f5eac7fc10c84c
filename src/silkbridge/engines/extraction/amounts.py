"""Money mentions, read through the money engine's parser so amounts are understood the same way everywhere."""
from __future__ import annotations

from decimal import Decimal

from .model import Amount, Span


def find_amounts(text: str) -> tuple[list[Amount], list[str]]:
    """Distinct amounts in ``text`` and warnings; without the money engine there are no amounts, and a warning says so."""
    try:
        from silkbridge.engines.money import parse_amounts
    except ImportError:
        return [], ["money engine unavailable: amounts not extracted"]
    out = []
    seen = set()
    for found in parse_amounts(text):
        key = (found.money.amount, found.money.currency)
        if key in seen:
            continue  # a headline and its body repeat the figure: one fact, first mention kept
        seen.add(key)
        out.append(Amount(value=Decimal(found.money.amount), currency=found.money.currency,
                          text=found.text, span=Span(found.start, found.end)))
    return out, []
