"""Cooperation events (forums, visits, agreements, memoranda, investments, ...) read from sentences by trigger rules."""
from __future__ import annotations

import datetime as dt
import re

from .dates import FoundDate, speaks_of_future
from .model import Event, Span

# Triggers in English, Chinese, Serbian/Croatian/Bosnian (Latin and Cyrillic) and Polish.
TRIGGERS: dict[str, re.Pattern[str]] = {
    "trade_agreement": re.compile(
        r"\bfree[- ]trade (?:agreement|deal|pact)s?|\btrade (?:agreement|deal|pact)s?\b|\bFTA\b|sporazum\w* o slobodnoj trgovini|"
        r"споразум\w* о слободној трговини|自由贸易协定|自贸协定|umow\w* o wolnym handlu", re.I),
    "mou": re.compile(r"\bmemorand(?:um|a|ums)\b|\bMoUs?\b|\bletters? of intent\b|memorandum\w*|меморандум\w*|谅解备忘录|备忘录|"
                      r"list\w* intencyjn\w*", re.I),
    "sister_city": re.compile(r"\bsister[- ]cit(?:y|ies)\b|\btwin(?:ned)? (?:city|cities|towns?)\b|\btwinning\b|\bpartner cit(?:y|ies)\b|"
                              r"\bfriendship cit(?:y|ies)\b|\bfriendly cit(?:y|ies)\b|bratim\w*|побратим\w*|友好城市|姐妹城市|友城|"
                              r"miast\w* partnersk\w*|miast\w* bliźniacz\w*", re.I),
    "business_centre": re.compile(r"\bbusiness (?:centre|center|hub)s?\b|\btrade (?:centre|center)s?\b|poslovn\w* cent(?:ar|ra|ru)\b|"
                                  r"пословн\w* цент\w*|商务中心|商贸中心|centrum biznesow\w*", re.I),
    "exhibition": re.compile(r"\bexhibitions?\b|\bexpos?\b|\btrade fairs?\b|\bfairs?\b|\bshowrooms?\b|\bshowcase\b|sajam\w*|sajm\w*|"
                             r"izložb\w*|изложб\w*|сајам\w*|сајм\w*|展览|博览会|展会|交易会|targ(?:i|ach|ów)\b|wystaw\w*", re.I),
    "forum": re.compile(r"\bforums?\b|\bconferences?\b|\bsummits?\b|\bsymposi(?:um|a)\b|forum\w*|форум\w*|konferencij\w*|"
                        r"конференциј\w*|samit\w*|论坛|峰会|研讨会|konferencj\w*|szczyt\w*", re.I),
    "visit": re.compile(r"\bvisit(?:s|ed|ing)?\b|\bled (?:a|the) (?:\w+ )?delegation to\b|\btrip to\b|\btour(?:ed)? of\b|"
                        r"\btravel(?:s|led|ed)? to\b|\b(?:trade|business|economic|investment) missions?\b|"
                        r"pose(?:t|ti|tio|tila|tili)\w*|posjet\w*|посет\w*|访问|考察|来访|到访|wizyt\w*|odwiedzi\w*", re.I),
    "meeting": re.compile(r"\bmeetings?\b|\bmet\b|\bmeets?\b|\btalks\b|\bb2b\b|sastan\w*|састан\w*|会见|会谈|会晤|洽谈会|对接会|"
                          r"spotka\w*|rozmow\w*", re.I),
    "investment": re.compile(r"\binvest(?:ment|ments|ed|s|ing)?\b|\bFDI\b|ulaganj\w*|uložen\w*|investicij\w*|инвестициј\w*|"
                             r"улагањ\w*|投资|inwestycj\w*|zainwestow\w*", re.I),
    "agreement": re.compile(r"\bagreements?\b|\bcontracts?\b|\bdeal\b|\bloan\b|\bfinancing\b|ugovor\w*|sporazum\w*|уговор\w*|споразум\w*|"
                            r"协议|合同|umow\w*|porozumieni\w*", re.I),
}
# Order matters: a more specific type claims its words before a general one sees them.
_ORDER = ("trade_agreement", "mou", "sister_city", "business_centre", "exhibition", "forum", "visit", "meeting",
          "investment", "agreement")

# "investment promotion", "trade and investment partner": investment as a topic, not as a deal.
_INVESTMENT_AS_TOPIC = re.compile(
    r"^\s*(?:promotion|partner|partners|environment|climate|opportunit\w*|liberali[sz]ation|facilitation|cooperation|"
    r"policy|policies|attraction|potential|fund|funds|bank|agency|forum|conference|committee)\b", re.I)
_DEAL = re.compile(r"\bsign\w*|\bagreed\b|\bagreement|\bcontract|\bbuild|\bconstruct|\bopen(?:ed|s)? (?:a|its) (?:plant|factory)|"
                   r"\bplant\b|\bfactory\b|\bproject|potpis|potpisa|签署|签约|签订|podpis", re.I)
_ESTABLISH = re.compile(r"\bestablish\w*|\bsign\w*|\bbec(?:a|o)me\b|\bselected\b|\bnamed\b|\brelationships?\b|\btwinn\w*|\bagreement|"
                        r"\bties\b|uspostav\w*|potpis\w*|建立|缔结|结为|签署|nawiąza\w*|podpis\w*", re.I)
_ANAPHOR = re.compile(r"(?:\b(?:the|this|that|these|its|their)\s+)$", re.I)
_COUNTRY_NAMES: dict[str, tuple[str, ...]] = {}


def _country_names() -> dict[str, tuple[str, ...]]:
    from .places import index

    out: dict[str, list[str]] = {}
    for place in set(index().by_name.values()):
        if place.kind == "country" and place.country:
            out.setdefault(place.country, []).append(place.name)
    return {k: tuple(v) for k, v in out.items()}


# Deals are dated by their announcement even when the text speaks of what they will bring.
_SPECIFIC = frozenset({"sister_city", "mou", "trade_agreement", "business_centre"})
_ANNOUNCED = frozenset({"investment", "agreement", "mou", "business_centre", "trade_agreement", "sister_city"})
_FINANCING = re.compile(r"\bloan\b|\bfinancing\b|\bcredit (?:line|facility)\b|kredit\w*|zajam\w*|贷款|kredyt\w*", re.I)


def find_events(text: str, sentences: list[tuple[int, int]], *, language: str, published: dt.date | None,
                dates: list[FoundDate], amounts: list[tuple[int, int]],
                parties: list[tuple[str, object]], places: list[tuple[str, int, int]],
                countries: dict[str, str | None] | None = None, title: tuple[int, int] | None = None) -> list[Event]:
    countries = countries or {}
    if not _COUNTRY_NAMES:
        _COUNTRY_NAMES.update(_country_names())
    events: list[Event] = []
    from_headline: set[int] = set()
    seen_types: set[str] = set()
    for s_a, s_b in sentences:
        sentence = text[s_a:s_b]
        claimed: list[tuple[str, int, int]] = []
        future = speaks_of_future(sentence)
        for kind in _ORDER:
            match = _trigger(kind, sentence, claimed, amounts, s_a, seen_types)
            if match is None:
                continue
            claimed.append((kind, *match.span()))
            pos = s_a + match.start()
            date = _event_date(text, dates, s_a, s_b, match.start() + s_a, match.end() + s_a, published,
                               future and kind not in _ANNOUNCED)
            place = _event_place(text, places, s_a, s_b, pos)
            who = _parties(parties, s_a, s_b)
            event = Event(kind, date, place, who, sentence.strip(), Span(s_a, s_b))
            seen_types.add(kind)
            # a headline summarises the body: its event is the body's event of that type, wherever placed
            headline = title is not None and title[0] <= s_a < title[1]
            if not _merge_into(events, event, countries, headline, from_headline):
                if headline:
                    from_headline.add(len(events))
                events.append(event)
    return events


def _trigger(kind: str, sentence: str, claimed: list[tuple[str, int, int]], amounts: list[tuple[int, int]],
             s_a: int, seen_types: set[str]) -> re.Match[str] | None:
    for m in TRIGGERS[kind].finditer(sentence):
        if any(m.start() < b and a < m.end() for _k, a, b in claimed):
            continue
        # "the meeting", "this visit" refer back to an event already read
        if kind in seen_types and _ANAPHOR.search(sentence[:m.start()]):
            continue
        if kind == "investment":
            if _INVESTMENT_AS_TOPIC.match(sentence[m.end():]):
                continue
            has_amount = any(s_a <= a < s_a + len(sentence) for a, _b in amounts)
            if not has_amount and not _DEAL.search(sentence):
                continue
            # a loan or credit is financing, not an investment, unless the text also says investment
            if _FINANCING.search(sentence) and not re.search(r"invest|ulag|инвест|投资|inwest", m.group(0), re.I):
                continue
        if kind == "agreement" and m.group(0).lower() in ("loan", "financing") and not re.search(r"\bsign\w*|\bagreed\b|\bgrant\w*|potpis|签", sentence, re.I):
            continue
        if kind == "sister_city" and not _ESTABLISH.search(sentence) and not re.search(r"partner cit", m.group(0), re.I):
            continue
        if kind == "exhibition" and m.group(0).lower() in ("fair", "fairs") and re.search(r"\bfair (?:and|competition|trade\b)", sentence[m.start():], re.I):
            continue
        if kind == "visit" and re.search(r"\bvisitors?\b", m.group(0), re.I):
            continue
        if kind == "forum" and re.search(r"\b(?:press|news|video|phone|media)\s+$", sentence[:m.start()], re.I):
            continue  # a press conference announces, it is not a forum
        if kind == "agreement" and any(k in _SPECIFIC and ((0 <= a - m.end() <= 50 and re.match(r"\s+(?:on|for|to|about|of|o)\b", sentence[m.end():]))
                                                           or 0 <= m.start() - b <= 3) for k, a, b in claimed):
            seen_types.add("agreement")
            continue  # "an agreement on establishing sister city relations" is the sister-city event itself
        return m
    return None


def _event_date(text: str, dates: list[FoundDate], s_a: int, s_b: int, t_a: int, t_b: int, published: dt.date | None,
                future: bool) -> str | None:
    # "since 2014" opens a period; it does not date the event in the sentence
    inside = [d for d in dates if s_a <= d.start < s_b and not re.match(r"since\b", d.text, re.I)]
    # the dateline's date says when the report was filed; another date in the sentence says when things happened
    own = [d for d in inside if not d.dateline]
    inside = own or inside
    if inside:
        def gap(d: FoundDate) -> float:
            # dates after the trigger usually belong to it ("visit Chengdu in late May")
            g = (d.start - t_b) if d.start >= t_b else (t_a - d.end) * 1.5 if d.end <= t_a else 0
            between = text[min(d.end, t_b):max(d.start, t_a)]
            return g + (40 if "," in between else 0)  # another clause is likely another event
        return min(inside, key=gap).value
    if published is not None and not future:
        # reported without a date: news reports recent events, so the publication month is the best estimate
        return f"{published.year:04d}-{published.month:02d}"
    return None


def _event_place(text: str, places: list[tuple[str, int, int]], s_a: int, s_b: int, pos: int) -> str | None:
    inside = [p for p in places if s_a <= p[1] < s_b]
    if not inside:
        return None
    # "in Chengdu" says where; "the governor of Sichuan" only says who
    located = [p for p in inside if re.search(r"(?:\b(?:in|at|near|u|w|we)\s+(?:the\s+)?|在)$", text[max(s_a, p[1] - 12):p[1]])]
    after = [p for p in inside if p[1] >= pos]
    located_after = [p for p in located if p[1] >= pos]
    return (located_after or after or located or inside)[0][0]


def _parties(parties: list[tuple[str, object]], s_a: int, s_b: int) -> tuple[str, ...]:
    found = sorted(((span.start if hasattr(span, "start") else span[0]), name) for name, span in parties
                   if s_a <= (span.start if hasattr(span, "start") else span[0]) < s_b)
    return tuple(dict.fromkeys(name for _pos, name in found))


def _compatible(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a.startswith(b) or b.startswith(a)


def _same_place(a: str | None, b: str | None, countries: dict[str, str | None]) -> bool:
    """Unknown, equal, or in the same country (or one is a region spanning countries)."""
    if a is None or b is None or a == b:
        return True
    ca, cb = countries.get(a), countries.get(b)
    return ca is None or cb is None or ca == cb


def _merge_into(events: list[Event], new: Event, countries: dict[str, str | None], headline: bool,
                from_headline: set[int]) -> bool:
    """Another sentence about an event already read: same type, same or unknown place, compatible dates."""
    for i, old in enumerate(events):
        if old.type != new.type or not _compatible(old.date, new.date):
            continue
        if not _same_place(old.place, new.place, countries) and new.type != "sister_city" and not headline \
                and i not in from_headline:
            continue
        date = old.date if len(old.date or "") >= len(new.date or "") else new.date
        events[i] = Event(old.type, date, old.place or new.place, tuple(dict.fromkeys(old.parties + new.parties)),
                          old.text, old.span)
        return True
    return False
