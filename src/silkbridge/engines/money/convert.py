"""Convert money between currencies at the rate published for a given date.

ECB reference rates come first (cross rates through EUR); currencies the ECB does not
publish go through the NBP tables (cross rates through PLN); pegged currencies are
first restated in their anchor at the legal fixed rate.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Context, Decimal
from functools import cache

from . import rates
from .types import Conversion, Money, RateUnavailable, UnknownCurrency

# Enough digits that a cross rate loses nothing the published rates carry.
_CONTEXT = Context(prec=28)


@cache
def known_currencies() -> frozenset[str]:
    """Every currency some bundled source can convert."""
    return rates.ecb_table().currencies | rates.nbp_currencies() | frozenset(rates.PEGS)


def convert(money: Money, to_currency: str, on: date | None = None) -> Conversion:
    """``money`` in ``to_currency`` at the rate of ``on`` (default: the latest published).

    Raises UnknownCurrency for a currency no source knows and RateUnavailable when
    the sources hold no rate for that date; never falls back to a rate of 1.
    """
    to_currency = to_currency.strip().upper()
    for code in (money.currency, to_currency):
        if not re.fullmatch(r"[A-Z]{3}", code) or code not in known_currencies():
            raise UnknownCurrency(code)
    if money.currency == to_currency:
        return Conversion(money, money, Decimal(1), on or date.today(), "identity")

    base_from, factor_from, peg_from = _unpeg(money.currency, on)
    base_to, factor_to, peg_to = _unpeg(to_currency, on)
    if base_from == base_to:
        rate, rate_date, source = Decimal(1), on or date.today(), ""
    else:
        rate, rate_date, source = _market_rate(base_from, base_to, on)
    # units of to per 1 from = (base_from per from) * (base_to per base_from) * (to per base_to)
    rate = _CONTEXT.multiply(_CONTEXT.divide(rate, factor_from), factor_to)
    names = [p for p in (peg_from, source, peg_to) if p]
    result = Money(_CONTEXT.multiply(money.amount, rate), to_currency)
    return Conversion(money, result, rate, rate_date, "; ".join(names))


def _unpeg(currency: str, on: date | None) -> tuple[str, Decimal, str]:
    peg = rates.PEGS.get(currency)
    if peg is None:
        return currency, Decimal(1), ""
    if on is not None and on < peg.since:
        raise RateUnavailable(f"{currency} was not pegged to {peg.base} before {peg.since}")
    return peg.base, peg.per_base, f"fixed rate {peg.per_base} {currency}/{peg.base} ({peg.authority})"


def _market_rate(source: str, target: str, on: date | None) -> tuple[Decimal, date, str]:
    """Units of ``target`` per 1 ``source`` from the first source that has both."""
    failures: list[str] = []
    ecb = rates.ecb_table().currencies
    if source in ecb and target in ecb:
        try:
            # Both rates come from the same daily publication, hence one date.
            per_eur_source, day = rates.ecb_quote(source, on)
            per_eur_target, _ = rates.ecb_quote(target, on)
            return _CONTEXT.divide(per_eur_target, per_eur_source), day, f"ECB {day.isoformat()}"
        except RateUnavailable as exc:
            failures.append(str(exc))
    nbp = rates.nbp_currencies()
    if source in nbp and target in nbp:
        try:
            return _nbp_rate(source, target, on)
        except RateUnavailable as exc:
            failures.append(str(exc))
    when = on.isoformat() if on else "the latest date"
    if not failures:
        raise RateUnavailable(f"no {source}/{target} rate: no bundled source publishes both")
    raise RateUnavailable(f"no {source}/{target} rate for {when}: " + "; ".join(dict.fromkeys(failures)))


def _nbp_rate(source: str, target: str, on: date | None) -> tuple[Decimal, date, str]:
    pln_source, day_s = rates.nbp_quote(source, on)
    pln_target, day_t = rates.nbp_quote(target, on)
    if day_s != day_t and "PLN" not in (source, target):
        # A weekly table-B rate meets a daily table-A rate: take both from the
        # day of the older table so the two legs describe the same moment.
        day = min(day_s, day_t)
        pln_source, day_s = rates.nbp_quote(source, day)
        pln_target, day_t = rates.nbp_quote(target, day)
    day = day_s if target == "PLN" else (day_t if source == "PLN" else min(day_s, day_t))
    letters = sorted({rates.nbp_table_letter(c) for c in (source, target) if c != "PLN"})
    label = "table " + letters[0] if len(letters) == 1 else "tables " + ", ".join(letters)
    return _CONTEXT.divide(pln_source, pln_target), day, f"NBP {label} {day.isoformat()}"
