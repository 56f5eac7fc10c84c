"""`silkbridge money`: convert amounts at historical rates and find amounts in text (engine only, no database)."""
from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from silkbridge.cli import CommandError

CENT = Decimal("0.01")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("money", help="convert currencies, find amounts of money in text")
    verbs = parser.add_subparsers(dest="money_command", metavar="VERB", required=True)

    conv = verbs.add_parser("convert", help="convert an amount at the rate published on a date")
    conv.add_argument("amount", metavar="AMOUNT", help="a decimal number, e.g. 1250.50")
    conv.add_argument("source", metavar="FROM", help="ISO 4217 code, e.g. EUR")
    conv.add_argument("target", metavar="TO", help="ISO 4217 code, e.g. RSD")
    conv.add_argument("--on", metavar="YYYY-MM-DD", help="rate date (default: latest published)")
    conv.add_argument("--json", action="store_true", help="print one JSON object")
    conv.set_defaults(func=convert_command)

    find = verbs.add_parser("parse", help="list the amounts of money in a text ('-' reads stdin)")
    find.add_argument("text", metavar="TEXT")
    find.add_argument("--json", action="store_true", help="print a JSON list")
    find.set_defaults(func=parse_command)


def convert_command(args: argparse.Namespace) -> int:
    # Imported here, not at the top: every command parses its arguments with this module loaded.
    from silkbridge.engines.money import Money, MoneyError, convert
    from silkbridge.engines.money.types import plain

    raw = args.amount.strip()
    # Thousands commas are accepted only in their unambiguous English form ("1,290.50");
    # "1,5" could be one and a half or fifteen, so it is refused.
    if re.fullmatch(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
        raw = raw.replace(",", "")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise CommandError(f"not a number: {args.amount!r}") from None
    if not amount.is_finite():
        raise CommandError(f"not a finite number: {args.amount!r}")
    on = None
    if args.on:
        try:
            on = date.fromisoformat(args.on)
        except ValueError:
            raise CommandError(f"not a date (YYYY-MM-DD): {args.on!r}") from None
    source = args.source.strip().upper()
    try:
        money = Money(amount, source)
        conversion = convert(money, args.target, on)
    except (MoneyError, ValueError) as exc:
        raise CommandError(str(exc)) from None
    rounded = conversion.result.amount.quantize(CENT, rounding=ROUND_HALF_UP)
    rate = format(conversion.rate, "f")
    if args.json:
        print(json.dumps({
            "amount": str(rounded),
            "currency": conversion.result.currency,
            "rate": rate,
            "rate_date": conversion.rate_date.isoformat(),
            "source": conversion.source_name,
        }, ensure_ascii=False))
    else:
        print(f"{plain(amount)} {source} = {rounded} {conversion.result.currency}")
        print(f"rate {rate} on {conversion.rate_date.isoformat()} ({conversion.source_name})")
    return 0


def parse_command(args: argparse.Namespace) -> int:
    from silkbridge.engines.money import parse_amounts
    from silkbridge.engines.money.types import plain

    text = sys.stdin.read() if args.text == "-" else args.text
    found = parse_amounts(text)
    if args.json:
        print(json.dumps([
            {"amount": plain(p.money.amount), "currency": p.money.currency,
             "start": p.start, "end": p.end, "text": p.text}
            for p in found
        ], ensure_ascii=False))
    else:
        for p in found:
            print(f"{p.start}-{p.end}\t{plain(p.money.amount)} {p.money.currency}\t{p.text}")
    return 0
