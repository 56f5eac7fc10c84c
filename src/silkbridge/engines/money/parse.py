"""Find amounts of money in running text written in English, Chinese and the languages of Central & Eastern Europe.

An amount needs a currency (symbol, code or word) next to a number; bare numbers and
years are not amounts. Decimal commas and thousands separators follow the convention
of the language the currency or scale word comes from ("3,2 mld zł" is 3.2 billion,
"$1,290" is 1290, "1.234.567 dinara" is 1234567).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal

from .types import Money, MoneyParseError, ParsedAmount

# Languages whose decimal separator is a comma and whose thousands separator is a dot or space.
COMMA = "comma"
POINT = "point"


@dataclass(frozen=True, slots=True)
class _Alias:
    text: str
    value: str            # ISO code for a currency, a multiplier for a scale word
    convention: str | None
    case_sensitive: bool = False
    abbreviation: bool = False   # may be followed by a full stop ("mld.", "tys.")


def _currencies() -> list[_Alias]:
    out: list[_Alias] = []

    def add(code: str, convention: str | None, *words: str, cs: bool = False) -> None:
        # Short names double as given names and surnames ("Lei Jun", "Yuan Ming"),
        # so they only count as written in lower case.
        out.extend(_Alias(w, code, convention, cs or (w.isalpha() and len(w) <= 5)) for w in words)

    # ISO codes and symbols say nothing about the writer's decimal separator.
    codes = ("USD EUR GBP JPY CNY CHF PLN CZK HUF RON BGN RSD BAM MKD ALL HRK UAH MDL GEL RUB "
             "TRY HKD SEK NOK DKK AUD CAD KZT BYN AMD AZN").split()
    for code in codes:
        add(code, None, code, cs=True)
    add("CNY", None, "RMB", cs=True)
    add("USD", POINT, "US$", "U.S.$", "US $", "$")
    add("HKD", POINT, "HK$")
    add("EUR", None, "€")
    add("GBP", POINT, "£")
    # In this platform's texts a bare yen/yuan sign is far more often the renminbi.
    add("CNY", POINT, "¥", "￥", "CN¥")
    add("JPY", POINT, "JP¥", "円")
    add("PLN", COMMA, "zł", "zl", "złotych", "złote", "złoty", "złotego")
    add("PLN", POINT, "zloty", "zlotys", "zlotych")
    add("CZK", COMMA, "Kč", "korun", "koruna", "koruny", "korun českých")
    add("CZK", POINT, "Czech koruna", "Czech korunas", "Czech crowns")
    add("HUF", COMMA, "forint", "forintot", "forintos", "форинти")
    add("HUF", COMMA, "Ft", cs=True)
    add("HUF", POINT, "forints")
    add("RON", COMMA, "lei", "leu", "лей")
    add("BGN", COMMA, "leva", "лева", "лв", "лв.", "лев")
    add("BGN", POINT, "levs")
    add("RSD", COMMA, "dinara", "dinar", "dinari", "динара", "динар", "динари", "дин.", "din.")
    add("RSD", POINT, "dinars", "Serbian dinars")
    add("BAM", COMMA, "KM", "КМ", "konvertibilnih maraka", "konvertibilnih marka", cs=True)
    add("BAM", POINT, "convertible marks")
    add("MKD", COMMA, "denari", "денари", "денара", "ден.", "denara")
    add("MKD", POINT, "denars")
    add("ALL", COMMA, "lekë", "leke", "lek")
    add("UAH", COMMA, "гривень", "гривні", "гривня", "грн", "грн.", "hrywien")
    add("UAH", POINT, "hryvnia", "hryvnias")
    add("GEL", POINT, "lari")
    add("RUB", COMMA, "рублей", "рубля", "руб.", "рублів", "rubli")
    add("RUB", POINT, "rubles", "roubles")
    add("HRK", COMMA, "kuna", "kune")
    add("EUR", COMMA, "evra", "eura", "euro", "евра", "евро", "eur", "eurów", "eurot", "ευρώ")
    add("EUR", POINT, "euros")
    add("USD", COMMA, "dolara", "dolari", "dolarów", "dolarů", "dollár", "долара", "долари",
        "долларов", "dolarjev", "američkih dolara", "америчких долара", "dolarów amerykańskich")
    add("USD", POINT, "US dollars", "U.S. dollars", "US dollar", "dollars", "dollar")
    add("GBP", POINT, "pounds sterling", "pound sterling", "pounds", "sterling")
    add("GBP", COMMA, "funtów", "funtów szterlingów", "funti")
    add("JPY", POINT, "yen")
    add("JPY", COMMA, "jenów", "jena", "jen")
    add("CNY", POINT, "yuan", "renminbi")
    add("CNY", COMMA, "juanów", "juana", "jüan", "юана", "юаней")
    add("CHF", POINT, "Swiss francs")
    # Chinese: every multi-character name must be tried before the bare 元.
    add("CNY", POINT, "元人民币", "人民币元", "人民币", "元", "块")
    add("USD", POINT, "美元", "美金")
    add("EUR", POINT, "欧元")
    add("GBP", POINT, "英镑")
    add("JPY", POINT, "日元")
    add("HKD", POINT, "港元", "港币")
    add("RUB", POINT, "卢布")
    add("PLN", POINT, "兹罗提")
    add("HUF", POINT, "福林")
    add("CZK", POINT, "捷克克朗")
    add("RSD", POINT, "塞尔维亚第纳尔")
    add("RON", POINT, "列伊")
    add("BGN", POINT, "列弗")
    return out


def _scales() -> list[_Alias]:
    out: list[_Alias] = []

    def add(mult: int, convention: str | None, *words: str, abbr: bool = False, cs: bool = False) -> None:
        out.extend(_Alias(w, str(mult), convention, cs, abbr) for w in words)

    k, m, b, t = 10**3, 10**6, 10**9, 10**12
    add(k, POINT, "thousand")
    add(m, POINT, "million", "millions", "mn")
    add(b, POINT, "billion", "billions", "bn")
    add(t, POINT, "trillion", "tn")
    add(k, COMMA, "tys", "tis", "хил", "тис", "тыс", abbr=True)
    add(k, COMMA, "tysięcy", "tysiące", "tisíc", "tisuća", "tisuće", "hiljada", "hiljade", "хиљада",
        "хиљаде", "хиляди", "хиляда", "ezer", "mii", "iljada", "илјади", "тисяч", "тысяч")
    add(m, COMMA, "mln", "mil", "млн", "mil.", abbr=True)
    add(m, COMMA, "milion", "miliona", "miliony", "milionów", "milionů", "milióna", "miliónov", "millió",
        "milioane", "milijun", "milijuna", "milijon", "milijona", "milijonov", "милион", "милиона",
        "милиони", "милијун", "милијуна", "мільйонів", "мільйона", "миллионов", "миллиона", "Mio")
    add(b, COMMA, "mld", "mlrd", "mrd", "млрд", "мрд", "Mrd", abbr=True)
    add(b, COMMA, "miliard", "miliardy", "miliardów", "miliarda", "miliardu", "miliarde", "milijarda",
        "milijarde", "milijardi", "milijard", "milliárd", "milijardo", "милијарда", "милијарде",
        "милијарди", "милиарда", "милиарди", "мільярдів", "мільярда", "миллиардов", "миллиарда")
    add(t, COMMA, "bln", "bilion", "bilionów", "billió", "bilijun", abbr=False)
    add(10**4, POINT, "万")
    add(10**8, POINT, "亿")
    add(10**3, POINT, "千")
    add(10**6, POINT, "百万")
    add(10**7, POINT, "千万")
    add(10**12, POINT, "万亿")
    return out


# Attached only ("$5m", "€30bn"): as separate words these letters mean metres and the like.
_SHORT_SCALES = {"k": 10**3, "m": 10**6, "b": 10**9, "bn": 10**9, "mn": 10**6, "tn": 10**12}


class _Names:
    """Aliases compiled into one trie-shaped pattern, so a position is rejected after a
    character or two instead of after trying every alias in turn."""

    def __init__(self, aliases: list[_Alias]):
        self.exact: dict[str, _Alias] = {}
        self.folded: dict[str, _Alias] = {}
        groups: dict[tuple[bool, bool, bool, bool], list[str]] = {}
        for alias in aliases:
            text = alias.text
            if alias.case_sensitive:
                self.exact.setdefault(text, alias)
            else:
                self.folded.setdefault(text.lower(), alias)
                text = text.lower()
            key = (alias.case_sensitive, _wordlike(alias.text[0]), _wordlike(alias.text[-1]),
                   alias.abbreviation)
            groups.setdefault(key, []).append(text)
        parts = []
        for (cs, start, end, abbr), words in groups.items():
            body = _trie(words)
            body = body if cs else f"(?i:{body})"
            parts.append((r"(?<!\w)" if start else "") + body + (r"(?!\w)" if end else "")
                         + (r"\.?" if abbr else ""))
        self.pattern = "(?:" + "|".join(parts) + ")"
        self._parts = [re.compile(part) for part in parts]

    def longest_at(self, text: str, pos: int) -> int:
        """End of the longest name starting at ``pos``: the combined pattern stops at the
        first group that matches, which may hold "korun" where "korun českých" follows."""
        ends = [m.end() for m in (part.match(text, pos) for part in self._parts) if m]
        return max(ends, default=pos)

    def __getitem__(self, text: str) -> _Alias:
        for candidate in (text, text.rstrip(".")):
            if candidate in self.exact:
                return self.exact[candidate]
            if candidate.lower() in self.folded:
                return self.folded[candidate.lower()]
        raise KeyError(text)


def _trie(words: list[str]) -> str:
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Greedy and optional: the longer name is tried first, the shorter kept as fallback.
        return f"(?:{body})?" if "" in node else body

    return build(root)


def _wordlike(ch: str) -> bool:
    return ch.isalnum() and not ("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")


_CUR = _Names(_currencies())
_SCALE = _Names(_scales())
_SP = r"[ \u00a0\u202f]?"
_SHORT = "|".join(sorted(_SHORT_SCALES, key=len, reverse=True))
# Groups of three after a separator are thousands; a lone separator is settled per convention.
_NUM = (r"(?<![\d.,A-Za-z\u00c0-\u024f\u0370-\u04ff])"
        r"(?:\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?)(?![\d]|[.,]\d)")
_AMOUNT = re.compile(
    rf"(?P<pre>{_CUR.pattern}){_SP}(?P<num>{_NUM})"
    rf"(?:{_SP}(?P<scale>{_SCALE.pattern})|(?P<short>{_SHORT})(?![^\W\d_]))?(?:{_SP}(?P<tail>元))?"
    rf"|(?P<num2>{_NUM})(?:{_SP}(?P<scale2>{_SCALE.pattern})|(?P<short2>{_SHORT})(?![^\W\d_]))?"
    rf"{_SP}(?P<cur>{_CUR.pattern})"
)
_CJK_CUR = _Names([a for a in _currencies() if not _wordlike(a.text[0]) and "\u3000" <= a.text[0]])
_ZH_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}
_ZH_NUM = "[零〇一二两三四五六七八九十百千万亿]+"
_ZH_AMOUNT = re.compile(rf"(?P<zhpre>人民币)?(?<![\d.,])(?P<zh>{_ZH_NUM})(?P<zhcur>{_CJK_CUR.pattern})?")
_DIGIT_AHEAD = re.compile(rf"{_SP}\d")
# Codes that are also English words count only after a number: "ALL 25 MEMBERS" is a headline.
_WORD_CODES = frozenset({"ALL", "TRY"})


def parse_amounts(text: str) -> list[ParsedAmount]:
    """Every amount of money in ``text``, in order, with character offsets into it."""
    found: list[ParsedAmount] = []
    pos = 0
    while (match := _AMOUNT.search(text, pos)) is not None:
        if match.group("pre") is not None:
            if match.group("pre") in _WORD_CODES:
                pos = match.start() + 1
                continue
            currency = _CUR[match.group("pre")]
            number, scale_text, short = match.group("num", "scale", "short")
        else:
            currency = _CUR[match.group("cur")]
            number, scale_text, short = match.group("num2", "scale2", "short2")
            if scale_text is None and short is None and _DIGIT_AHEAD.match(text, match.end()):
                # "in 2024 EUR 5 million": the code introduces the next number.
                pos = match.start("cur")
                continue
        end = match.end()
        if match.group("cur") is not None:
            end = _CUR.longest_at(text, match.start("cur"))
            currency = _CUR[text[match.start("cur"):end]]
        scale = _SCALE[scale_text] if scale_text is not None else None
        convention = currency.convention or (scale.convention if scale else None)
        amount = _number(number, convention)
        if scale is not None:
            amount *= Decimal(scale.value)
        elif short is not None:
            amount *= Decimal(_SHORT_SCALES[short.lower()])
        found.append(ParsedAmount(Money(amount, currency.value), match.start(), end, text[match.start():end]))
        pos = end
    starts = [p.start for p in found]
    for extra in _chinese_numeral_amounts(text):
        # Arabic-digit amounts are disjoint and sorted; only neighbours can overlap.
        i = bisect.bisect_left(starts, extra.end)
        if i == 0 or found[i - 1].end <= extra.start:
            found.insert(i, extra)
            starts.insert(i, extra.start)
    return found


def _chinese_numeral_amounts(text: str) -> list[ParsedAmount]:
    """Amounts written in Chinese numerals ("两亿美元", "人民币三千万元")."""
    found = []
    for match in _ZH_AMOUNT.finditer(text):
        numeral, prefix, suffix = match.group("zh", "zhpre", "zhcur")
        if suffix is None and prefix is None:
            continue
        # 千万 alone is an adverb ("by all means"); a count needs a digit or a leading 十.
        if not (numeral[0] == "十" or any(ch in _ZH_DIGITS for ch in numeral)):
            continue
        # A bare 元 after a small numeral is mostly not money: 一元二次方程, 二元论.
        if prefix is None and suffix in ("元", "块") and not ({"万", "亿"} & set(numeral)):
            continue
        currency = _CJK_CUR[suffix] if suffix is not None else _CJK_CUR[prefix]
        if prefix is not None and suffix is not None and _CJK_CUR[suffix].value != currency.value:
            continue
        end = match.end()
        found.append(ParsedAmount(Money(Decimal(_zh_number(numeral)), currency.value),
                                  match.start(), end, text[match.start():end]))
    return found


def _zh_number(numeral: str) -> int:
    total = section = digit = 0
    for ch in numeral:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        elif ch in _ZH_UNITS:
            section += (digit or 1) * _ZH_UNITS[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10**4
            section = digit = 0
        elif ch == "亿":
            total = (total + section + digit) * 10**8
            section = digit = 0
    return total + section + digit


def parse_amount(s: str) -> Money:
    """The single amount that makes up ``s``; raises MoneyParseError otherwise."""
    stripped = s.strip()
    found = parse_amounts(stripped)
    if len(found) != 1 or found[0].start != 0 or found[0].end != len(stripped):
        raise MoneyParseError(f"not a single amount of money: {s!r}")
    return found[0].money


def _number(raw: str, convention: str | None) -> Decimal:
    digits = re.sub(r"[ \u00a0\u202f]", "", raw)
    commas, points = digits.count(","), digits.count(".")
    if commas and points:
        decimal_mark = "," if digits.rfind(",") > digits.rfind(".") else "."
    elif commas + points == 0:
        decimal_mark = None
    elif commas > 1 or points > 1:
        decimal_mark = None
    else:
        mark = "," if commas else "."
        after = len(digits) - digits.rfind(mark) - 1
        if after != 3:
            decimal_mark = mark
        elif convention == COMMA:
            decimal_mark = "," if mark == "," else None
        else:
            decimal_mark = "." if mark == "." else None
    if decimal_mark is None:
        return Decimal(digits.replace(",", "").replace(".", ""))
    thousands = "." if decimal_mark == "," else ","
    return Decimal(digits.replace(thousands, "").replace(decimal_mark, "."))
