"""The extraction pipeline: article in, organisations, people, places, amounts, counts, dates and events out."""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from silkbridge.engines.language import UNSURE, detect_article

from . import entities as E
from . import local
from .amounts import find_amounts
from .dates import FoundDate, find_dates, speaks_of_future, tense_before
from .events import find_events
from .model import (
    Amount,
    Article,
    Count,
    DateMention,
    Extraction,
    Gazetteer,
    Organization,
    Person,
    Place,
    Span,
)
from .places import index, place_key
from .text import mask, prepare


@dataclass
class Doc:
    """What every later step reads: the text, its sentences and the mentions found so far."""

    text: str
    clean: str
    language: str
    published: dt.date | None
    sentences: list[tuple[int, int]]
    ents: list[tuple[str, int, int]]  # (label, start, end) from spaCy
    tokens: list[tuple[str, int, int, str, str, int]]  # (text, start, end, pos, dep, head index) flat over the text
    local_orgs: list = field(default_factory=list)  # rule mentions for languages without a model (local.Found)
    local_people: list = field(default_factory=list)


def extract(article: Article, *, gazetteer: Gazetteer | None = None) -> Extraction:
    prep = prepare(article.text, title=article.title, url=article.url, published=article.published)
    text = prep.text
    clean = mask(text, prep.boilerplate)
    # The rules below read English unless the article is clearly in another language.
    language = detect_article(clean)
    language = "en" if language == UNSURE else language
    doc = _analyse(text, clean, language, prep.published)

    amounts, warnings = find_amounts(clean)
    dates = find_dates(clean, published=prep.published, language=language, is_future=lambda a, b: _future_at(doc, a))

    people = _people(doc, gazetteer)
    orgs = _organizations(doc, gazetteer, people)
    extra_orgs, title_places = _titles(doc, people)
    orgs = _merge_orgs(orgs + extra_orgs)
    org_spans = [sp for c in orgs for sp in c.spans]
    adjectives: set[tuple[int, int]] = set()
    places = _places(doc, gazetteer, org_spans, title_places, orgs, [sp for p in people for sp in p.spans], adjectives)
    counts = _counts(doc, amounts, dates)
    events = find_events(doc.clean, doc.sentences, language=language, published=prep.published, dates=dates,
                         amounts=[(a.span.start, a.span.end) for a in amounts],
                         parties=[(c.name, s) for c in orgs for s in c.spans] + [(p.name, s) for p in people for s in p.spans],
                         places=[(p.name, s.start, s.end) for p in places for s in p.spans if (s.start, s.end) not in adjectives],
                         title=_title_span(doc, prep.title),
                         countries={p.name: p.country for p in places})

    return Extraction(
        title=prep.title, published=prep.published, language=language, text=text,
        organizations=tuple(Organization(c.name, tuple(a for a in c.aliases if place_key(a) != place_key(c.name)),
                                         tuple(Span(a, b) for a, b in sorted(c.spans)), c.id) for c in orgs),
        people=tuple(Person(p.name, p.title, p.affiliation, tuple(Span(a, b) for a, b in sorted(p.spans)), p.id)
                     for p in people),
        places=tuple(places),
        amounts=tuple(amounts),
        counts=tuple(counts),
        dates=tuple(DateMention(d.value, d.text, Span(d.start, d.end)) for d in dates),
        events=tuple(events),
        warnings=tuple(warnings),
    )


# ---------------------------------------------------------------- analysis

def _blocks(clean: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in clean.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        if body.strip():
            lead = len(body) - len(body.lstrip())
            out.append((pos + lead, pos + len(body.rstrip())))
        pos += len(line)
    return out


def _analyse(text: str, clean: str, language: str, published: dt.date | None) -> Doc:
    blocks = _blocks(clean)
    sentences: list[tuple[int, int]] = []
    ents: list[tuple[str, int, int]] = []
    tokens: list[tuple[str, int, int, str, str, int]] = []
    if language == "en":
        from .nlp import english

        nlp = english()
        for (a, _b), sdoc in zip(blocks, nlp.pipe(clean[a:b] for a, b in blocks)):
            base = len(tokens)
            for t in sdoc:
                tokens.append((t.text, a + t.idx, a + t.idx + len(t.text), t.pos_, t.dep_, base + t.head.i))
            sentences.extend((a + s.start_char, a + s.end_char) for s in sdoc.sents)
            ents.extend((e.label_, a + e.start_char, a + e.end_char) for e in sdoc.ents)
    else:
        for a, b in blocks:
            sentences.extend((a + x, a + y) for x, y in _split_sentences(clean[a:b]))
    doc = Doc(text, clean, language, published, sentences, ents, tokens)
    if language == "zh":
        doc.local_orgs, doc.local_people = local.chinese(clean)
    elif language in ("sr", "hr", "bs", "sh", "sl", "mk"):
        doc.local_orgs, doc.local_people = local.serbo_croatian(clean)
    return doc


def _title_span(doc: Doc, title: str | None) -> tuple[int, int] | None:
    if not title:
        return None
    at = doc.clean.find(title)
    return (at, at + len(title)) if at >= 0 else None


# A full stop ends a sentence unless it closes a number ("5. marta 2024.") or lower case follows.
_SENTENCE_END = re.compile(r"[。！？]|(?<!\d)[.!?](?=\s+[^\W\d_]*[A-ZА-ЯЂЈЉЊЋЏČĆŠŽĐ]|\s*$)")


def _split_sentences(block: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(block):
        if block[start:m.end()].strip():
            out.append((start, m.end()))
        start = m.end()
    if block[start:].strip():
        out.append((start, len(block)))
    return out


def _future_at(doc: Doc, pos: int) -> bool:
    s_a, s_b = _sentence_span(doc, pos)
    sentence = doc.clean[s_a:s_b]
    local = tense_before(sentence, pos - s_a)
    return speaks_of_future(sentence) if local is None else local


def _sentence_span(doc: Doc, pos: int) -> tuple[int, int]:
    for a, b in doc.sentences:
        if a <= pos < b:
            return a, b
    return pos, pos


# ---------------------------------------------------------------- organisations

_CONNECT = {"of", "and", "for", "the", "&", "on", "de", "du", "des", "der", "für", "und"}
_LEGAL_ENDINGS = {"ltd", "limited", "inc", "llc", "gmbh", "plc", "co", "corp"}
_LIST_STARTERS = {"ministry", "minister", "department", "chamber", "committee", "commission", "council", "bureau", "office",
                  "agency", "institute", "association", "federation", "faculty", "school"}


def _is_cap(tok: str) -> bool:
    return bool(tok) and (tok[0].isupper() or (tok[0].isdigit() and len(tok) > 1 and tok[-2:] in ("st", "nd", "rd", "th")))


def _chunks(doc: Doc, person_starts: set[int], stop: set[int]) -> list[E.Mention]:
    """Capitalised phrases that hold an organisation head noun ("Danube Science Park Novi Sad")."""
    toks = doc.tokens
    out: list[E.Mention] = []
    i = 0
    n = len(toks)
    while i < n:
        t = toks[i]
        if not _is_cap(t[0]) or t[1] in stop or t[0] in ("The", "A", "An"):
            i += 1
            continue
        j = i
        end = i
        listy = t[0].lower() in _LIST_STARTERS
        while j + 1 < n:
            nxt = toks[j + 1]
            if nxt[1] in person_starts or nxt[1] in stop or nxt[1] - toks[j][2] > 1 or "\n" in doc.clean[toks[j][2]:nxt[1]]:
                break
            if toks[j][0].lower().rstrip(".") in _LEGAL_ENDINGS:
                break  # "Ltd", "Inc" close a name
            if nxt[0] in ("-", "–") and j + 2 < n and nxt[1] == toks[j][2] and toks[j + 2][1] == nxt[2] and _is_cap(toks[j + 2][0]):
                j += 2  # "Export-Import Bank", "Ningbo-Zhoushan Port"
                end = j
                continue
            if _is_cap(nxt[0]) or nxt[0] in ("'s", "’s") and j + 2 < n and _is_cap(toks[j + 2][0]):
                j += 1
                end = j
                continue
            # "of the", "and", ", Tourism, and" inside a name
            k = j + 1
            while k < n and (toks[k][0] in _CONNECT or (listy and toks[k][0] == ",")) and k - j <= 3:
                k += 1
            if k < n and k > j + 1 and _is_cap(toks[k][0]) and toks[k][1] not in person_starts and toks[k][1] not in stop \
                    and "\n" not in doc.clean[toks[j][2]:toks[k][1]]:
                j = k
                end = k
                continue
            break
        span_text = doc.clean[toks[i][1]:toks[end][2]]
        if end > i:
            out.extend(_split_chunk(span_text, toks[i][1]))
        i = end + 1
    return out


def _split_chunk(s: str, start: int) -> list[E.Mention]:
    """Drops a leading job title ("Deputy Mayor of ...") and splits "Department X of the Committee Y" in two."""
    parts = []
    # A title before "of" names the post, not the body.
    m = re.match(rf"^(?:[A-Z][\w’'-]+\s+)?({E.TITLE})\s+(?:of|in|at|for)\s+(?:the\s+)?", s, re.I)
    if m and not E.has_org_head(s[:m.end()]):
        rest, rest_start = s[m.end():], start + m.end()
        if m.group(1).lower().endswith("minister") and not E.has_org_head(rest) and rest[:1].isupper() and not E.resolve_place(rest):
            # "Minister of Finance" speaks for the Ministry of Finance (same length, so offsets still hold)
            title_start = start + m.end(1) - len("minister")
            body = rest.rstrip(", ")
            name = "Ministry" + s[m.end(1):m.end()] + body
            return [E.Mention(name, title_start, title_start + len(name), "rule")]
        s, start = rest, rest_start
    for am in re.finditer(r"\s+and\s+(?:the\s+)?", s):
        left, right = s[:am.start()], s[am.end():]
        first = re.split(r"\s+(?:of|and|for)\s+", right)[0]
        if E.has_org_head(left) and right[:1].isupper() and (am.group(0).strip().endswith("the") or E.has_org_head(first)):
            return _split_chunk(left, start) + _split_chunk(right, start + am.end())
    pieces = re.split(r"\s+of\s+(?:the\s+)?", s)
    if len(pieces) > 1:
        acc_start = 0
        segs = []
        for m2 in re.finditer(r"\s+of\s+(?:the\s+)?", s):
            segs.append((acc_start, m2.start(), m2.end()))
            acc_start = m2.end()
        segs.append((acc_start, len(s), len(s)))
        heads = [E.has_org_head(s[a:b]) for a, b, _ in segs]
        # split only where what follows "of" is itself an organisation with its own head noun
        cut = None
        for k in range(1, len(segs)):
            if heads[k] and any(heads[:k]) and re.match(r"[A-Z]", s[segs[k][0]:]):
                cut = k
                break
        if cut is not None:
            left_end = segs[cut - 1][1]
            parts.append(E.Mention(s[:left_end], start, start + left_end, "rule"))
            parts.append(E.Mention(s[segs[cut][0]:], start + segs[cut][0], start + len(s), "rule"))
            return [p for p in parts if E.has_org_head(p.text)]
    return [E.Mention(s, start, start + len(s), "rule")] if E.has_org_head(s) else []


def _organizations(doc: Doc, gazetteer: Gazetteer | None, people: list[_P]) -> list[E.Cluster]:
    text = doc.clean
    person_names = {place_key(p.name) for p in people}
    person_tokens = {t for n in person_names for t in n.split()}
    person_starts = {t[1] for t in doc.tokens for p in people for a, b in p.spans if a <= t[1] < b}
    person_starts |= {a for label, a, _b in doc.ents if label == "PERSON"}
    stop = {a for label, a, _b in doc.ents if label in ("DATE", "CARDINAL", "MONEY", "PERCENT", "ORDINAL", "TIME")} | person_starts
    cands: list[E.Mention] = []
    for label, a, b in doc.ents:
        if label == "ORG" or (label in ("FAC", "GPE", "LOC") and E.has_org_head(text[a:b])):
            cands.append(E.Mention(text[a:b], a, b, "spacy"))
    cands += _chunks(doc, person_starts, stop)
    for m in re.finditer(r"\b(?:the\s+)?(City|Municipality|Town) of ([A-ZČĆŠŽĐ][\w’'-]+(?:\s[A-Z][\w’'-]+)?)", text):
        cands.append(E.Mention(m.group(0), m.start(), m.end(), "rule"))
    # Wire services sign datelines as "/Name/ --".
    for m in re.finditer(r"/\s?([A-Z][A-Za-z]+(?:wire|Wire|News|Press))\s?/", text):
        cands.append(E.Mention(m.group(1), m.start(1), m.end(1), "wire"))
    # ... and agencies as "(Name) --" right after the dateline date
    for m in re.finditer(r"(?:19|20)\d\d\s*\(([A-Z][\w.]+(?:\s[A-Z][\w.]+)?)\)\s*[-–—]", text):
        cands.append(E.Mention(m.group(1), m.start(1), m.end(1), "wire"))
    cands += [E.Mention(t, a, b, "gazetteer") for t, a, b, _e in _gazetteer_hits(text, gazetteer, "organization")]
    cands += [E.Mention(f.name, f.start, f.end, "local") for f in doc.local_orgs]
    cleaned_cands = []
    for m in cands:
        c = E.clean_name(m.text, m.start)
        if c is not None:
            cleaned_cands.append(E.Mention(c[0], c[1], c[2], m.source))
    cands = cleaned_cands
    # A name right after a bracket ("... (Ningbo) Trade Zone") began before it: only its tail was caught.
    person_spans = [sp for p in people for sp in p.spans]
    cands = [m for m in cands if m.source == "gazetteer" or not any(a < m.end and m.start < b for a, b in person_spans)]
    cands = [m for m in cands if m.source == "gazetteer" or not re.search(r"\)\s*$", text[max(0, m.start - 3):m.start])]
    cands = [m for m in cands if not any(o is not m and o.start <= m.start and m.end <= o.end and (o.end - o.start) > (m.end - m.start)
                                         and o.source != "spacy" for o in cands)]

    clusters: list[E.Cluster] = []
    for m in cands:
        cleaned = E.clean_name(m.text, m.start)
        if cleaned is None:
            continue
        name, a, b = cleaned
        owner = re.match(r"([A-Z][\w -]+?)[’']s\s+(?=[A-Z])", name)
        if owner and E.resolve_place(owner.group(1)):
            name, a = name[owner.end():], a + owner.end()  # "Bulgaria's Ministry of Energy" is the Ministry of Energy
        if m.source == "spacy" and not E.has_org_head(name):
            before = text[max(0, a - 40):a]
            if re.search(r"\bMinister\s+(?:of|for)\s+(?:the\s+)?$", before):
                name = "Ministry of " + name  # "Minister of Finance" speaks for the Ministry of Finance
            elif E.TITLE_RE.search(before[-25:]) and re.search(r"\b(?:of|for)\s+(?:the\s+)?$", before):
                continue
        alias, continues = E.bracket_after(text, b)
        if m.source == "spacy" and continues:
            continue  # the name goes on past the bracket: spaCy cut it short
        if m.source == "local" and (E.resolve_place(name) or place_key(name) in person_names):
            continue
        if m.source not in ("gazetteer", "wire", "local") and not _acceptable_org(name, doc):
            continue
        if place_key(name) in person_names or (len(E.words(name)) == 1 and place_key(name) in person_tokens):
            continue
        entry = _gaz_entry(gazetteer, name, "organization")
        c = E.Cluster(entry.canonical or entry.name if entry else name, [name], [(a, b)],
                      id=entry.id if entry else None, single_only=len(E.words(name)) == 1 and not E.is_acronym(name),
                      trusted=m.source in ("gazetteer", "wire", "local") or entry is not None)
        if alias:
            c.aliases.append(alias)
        clusters.append(c)
    clusters = _merge_orgs(clusters)
    # Standalone acronym mentions that were defined in brackets join their organisation.
    for c in clusters:
        for alias in list(c.aliases):
            if E.is_acronym(alias):
                for m in re.finditer(rf"(?<![\w-]){re.escape(alias)}(?![\w-])", text):
                    if not any(a <= m.start() < b for a, b in c.spans):
                        c.spans.append(m.span())
    return clusters


def _acceptable_org(name: str, doc: Doc) -> bool:
    if E.words(name) and E.words(name)[-1].lower() in E.title_words() and E.words(name)[-1].lower() not in E.ORG_HEADS:
        return False  # "Federation Prime Minister" is a post
    if place_key(name) in index().by_name:
        return False
    if re.match(r"(?:City|Municipality|Town) of [A-ZČĆŠŽĐ]", name):
        return True
    if E.is_junk(name) or E.looks_like_event(name):
        return False
    if re.search(r"\d", name) and not E.has_org_head(name):
        return False
    if re.search(r"\s[-–]\s", name) and not E.has_org_head(name):
        return False  # "A - B" is a route or a pairing, not a name
    if E.resolve_place(name) is not None and not E.has_org_head(name):
        return False
    if E.is_acronym(name):
        return name.lower().rstrip("s") not in E.NON_ORG_ACRONYMS and name.lower() not in E.NON_ORG_ACRONYMS
    if E.resolve_place(name) is not None and not E.has_org_head(name):
        return False
    if E.demonym_place(name) is not None:
        return False
    if all(w.lower() in E.title_words() for w in E.words(name)):
        return False
    return True


def _merge_orgs(clusters: list[E.Cluster]) -> list[E.Cluster]:
    out: list[E.Cluster] = []
    for c in clusters:
        target = None
        for o in out:
            if _same_org(o, c):
                target = o
                break
        if target is None:
            out.append(E.Cluster(c.name, list(c.aliases), list(c.spans), c.id, c.single_only, c.trusted))
            continue
        # The longer multi-word form names the cluster unless it only adds a place ("... of the Republic of Poland").
        if (target.single_only and not c.single_only) or (not target.trusted and c.trusted):
            target.name = c.name
        target.id = target.id or c.id
        target.trusted = target.trusted or c.trusted
        target.single_only = target.single_only and c.single_only
        for a in c.aliases:
            if place_key(a) not in {place_key(x) for x in target.aliases}:
                target.aliases.append(a)
        for sp in c.spans:
            if sp not in target.spans:
                target.spans.append(sp)
    return [c for c in out if not c.single_only or c.trusted]


def _same_org(a: E.Cluster, b: E.Cluster) -> bool:
    if a.id and b.id:
        return a.id == b.id
    na, nb = a.names(), b.names()
    if na & nb:
        return True
    for x in na:
        for y in nb:
            short, long_ = (x, y) if len(x) <= len(y) else (y, x)
            if not long_.startswith(short + " "):
                continue
            rest = long_[len(short) + 1:].split()
            if rest and ((rest[0] == "of" and len(short.split()) >= 2) or all(w in E.CORPORATE_SUFFIXES for w in rest)):
                return True
    return False


# ---------------------------------------------------------------- gazetteer (caller's)

def _gazetteer_hits(text: str, gazetteer: Gazetteer | None, kind: str) -> list[tuple[str, int, int, object]]:
    if gazetteer is None:
        return []
    pattern, by_name = _gazetteer_matcher(gazetteer, kind)
    if pattern is None:
        return []
    return [(m.group(0), m.start(), m.end(), by_name[m.group(0)]) for m in pattern.finditer(text)]


@functools.lru_cache(maxsize=8)
def _gazetteer_matcher(gazetteer: Gazetteer, kind: str):
    """A directory can hold thousands of names: one compiled alternation per gazetteer and kind."""
    by_name = {}
    alternatives = []
    for entry in sorted(gazetteer.entries, key=lambda e: len(e.name), reverse=True):
        if entry.kind != kind or len(entry.name) < 2 or entry.name in by_name:
            continue
        by_name[entry.name] = entry
        cjk = re.search(r"[\u4e00-\u9fff]", entry.name)
        alternatives.append(re.escape(entry.name) if cjk else rf"(?<![\w-]){re.escape(entry.name)}(?![\w-])")
    return (re.compile("|".join(alternatives)) if alternatives else None), by_name


def _gaz_entry(gazetteer: Gazetteer | None, name: str, kind: str):
    if gazetteer is None:
        return None
    key = place_key(name)
    for e in gazetteer.entries:
        if e.kind == kind and place_key(e.name) == key:
            return e
    return None


# ---------------------------------------------------------------- people

@dataclass
class _P:
    name: str
    spans: list[tuple[int, int]]
    title: str | None = None
    affiliation: str | None = None
    id: str | None = None
    trusted: bool = False


_AFF_END = re.compile(r"\s*(?:[,.;:()\n“”\"]|\s(?:during|who|which|said|says|stated|when|where|while|has|had|have|was|were|is|are|will|and\s+[a-z])\b)")


def _people(doc: Doc, gazetteer: Gazetteer | None) -> list[_P]:
    text = doc.clean
    cands: list[E.Mention] = []
    org_ents = [(a, b) for label, a, b in doc.ents if label == "ORG"]
    person_ents = [(a, b) for label, a, b in doc.ents if label == "PERSON"]
    for a, b in person_ents:
        cands.append(E.Mention(text[a:b], a, b, "spacy"))
    for m in re.finditer(r"(?m)^\s*By\s+([A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){1,2})", text):
        cands.append(E.Mention(m.group(1), m.start(1), m.end(1), "rule"))
    # "X and Y" where spaCy saw one person and filed the other under organisations.
    for a, b in org_ents:
        name = text[a:b]
        ws = name.split()
        if not (2 <= len(ws) <= 3 and all(w[:1].isupper() and not w.isupper() for w in ws)) or E.has_org_head(name):
            continue
        after, before = text[b:b + 6], text[max(0, a - 5):a]
        if (re.match(r"\s+and\s", after) and any(pa == b + len(re.match(r"\s+and\s+", text[b:]).group(0)) for pa, _ in person_ents)) \
                or (re.search(r"\sand\s+$", before) and any(pb == a - len(re.search(r"\s+and\s+$", text[:a]).group(0)) for _, pb in person_ents)):
            cands.append(E.Mention(name, a, b, "rule"))
    cands += _people_after_titles(doc, person_ents)
    for m in re.finditer(rf"(?<![\w,] )(?<![\w])([A-Z][\w’'-]+(?: [A-Z][\w’'-]+){{1,2}}), (?:the |a |an )?{E.TITLE}\s+(?:of|at|in|for)\b", text):
        if not any(a < m.end(1) and m.start(1) < b for a, b in person_ents):
            cands.append(E.Mention(m.group(1), m.start(1), m.end(1), "rule"))
    cands += [E.Mention(t, a, b, "gazetteer") for t, a, b, _e in _gazetteer_hits(text, gazetteer, "person")]
    cands += [E.Mention(f.name, f.start, f.end, "local") for f in doc.local_people]

    people: list[_P] = []
    for m in E.dedupe_spans(cands):
        cleaned = E.clean_name(m.text, m.start)
        if cleaned is None:
            continue
        name, a, b = cleaned
        h = E.HONORIFICS.match(name)
        if h:
            name, a = name[h.end():], a + h.end()
        # spaCy glues what precedes a name onto it: "Serbia Li Ming", "CCPIT Zhang Shaogang"
        while m.source != "gazetteer" and len(name.split()) > 2:
            first = name.split()[0]
            if E.resolve_place(first) or E.demonym_place(first) or E.is_acronym(first) or first.lower() in E.title_words():
                cut = len(first) + (len(name) - len(name[len(first):].lstrip()) - len(first))
                name, a = name[cut:], a + cut
            else:
                break
        if m.source not in ("gazetteer", "local"):
            if E.is_junk(name) or E.resolve_place(name) or E.has_org_head(name) or E.is_acronym(name):
                continue
            if any(w.lower() in E.title_words() for w in E.words(name)):
                continue
            if not all(w[:1].isupper() for w in name.split()):
                continue
        entry = _gaz_entry(gazetteer, name, "person")
        people.append(_P(entry.canonical or entry.name if entry else name, [(a, b)], id=entry.id if entry else None,
                         trusted=m.source in ("gazetteer", "local") or entry is not None))
    return _cluster_people(people)


def _titles(doc: Doc, people: list[_P]) -> tuple[list[E.Cluster], list[tuple[str, int, int]]]:
    """Fills in titles and affiliations from appositions; returns organisations and places those name."""
    extra_orgs: list[E.Cluster] = []
    title_places: list[tuple[str, int, int]] = []
    local_titles = {(f.start, f.end): f for f in doc.local_people}
    for p in people:
        for sp in p.spans:
            if sp in local_titles and p.title is None:
                p.title, p.affiliation = local_titles[sp].title, local_titles[sp].affiliation
        if doc.language != "en":
            continue
        for a, b in sorted(p.spans):
            found = _apposition(doc, a, b)
            if found is None:
                continue
            title, aff, aff_span, place_hint = found
            if place_hint:
                title_places.append(place_hint)
            if p.title is None:
                p.title, p.affiliation = title, aff
                if aff and aff_span and re.search(r"[a-z]", aff.split()[-1][:1]) and aff.split()[-1].lower() in E.ORG_HEADS:
                    # an organisation written in lower case, known only from the apposition
                    extra_orgs.append(E.Cluster(aff, [aff], [aff_span], single_only=False))
    return extra_orgs, title_places


def _people_after_titles(doc: Doc, person_ents: list[tuple[int, int]]) -> list[E.Mention]:
    """Names that follow a capitalised job title and that spaCy missed ("Ambassador of X to Y Firstname Lastname attended")."""
    text = doc.clean
    out = []
    for m in E.TITLE_RE.finditer(text):
        if not m.group(0)[0].isupper():
            continue
        tail = text[m.end():m.end() + 120]
        stop = re.search(r"[,.;:()\n]|\s[a-z]{3,}\b(?<!\bof)(?<!\band)(?<!\bthe)(?<!\bfor)", tail)
        # the capitalised run right before the first ordinary word
        seg_end = stop.start() if stop else len(tail)
        seg = tail[:seg_end]
        run = re.search(r"((?:[A-Z][\w’'-]+\s+){1,5}[A-Z][\w’'-]+)\s*$", seg)
        if not run:
            continue
        toks = run.group(1).split()
        # peel leading place names ("China Firstname Lastname")
        while len(toks) > 2 and E.resolve_place(toks[0]):
            toks = toks[1:]
        # "... of Foreign Affairs and Trade Firstname Lastname": the run's head belongs to the affiliation
        if len(toks) > 2 and re.search(r"\b(?:of|and|for|to)\s+$", seg[:run.start()]):
            toks = toks[-2:]
        if len(toks) != 2 or any(E.resolve_place(t) or t.lower() in E.ORG_HEADS or t.lower() in E.title_words() for t in toks):
            continue
        name = " ".join(toks)
        a = m.end() + seg.rfind(name)
        b = a + len(name)
        if any(x < b and a < y for x, y in person_ents):
            continue
        out.append(E.Mention(name, a, b, "rule"))
    return out


def _cluster_people(people: list[_P]) -> list[_P]:
    full = [p for p in people if len(p.name.split()) >= 2]
    out: list[_P] = []
    for p in full:
        same = next((o for o in out if place_key(o.name) == place_key(p.name) or (o.id and o.id == p.id)), None)
        if same:
            same.spans += p.spans
        else:
            out.append(_P(p.name, list(p.spans), id=p.id, trusted=p.trusted))
    for p in people:
        if len(p.name.split()) >= 2:
            continue
        key = place_key(p.name)
        owner = [o for o in out if key in place_key(o.name).split()]
        if len(owner) == 1:
            owner[0].spans += p.spans
        elif p.trusted:
            out.append(p)
    return out


def _apposition(doc: Doc, a: int, b: int):
    """(title, affiliation, affiliation span, place named by a nationality) from the words around a name, or None."""
    text = doc.clean
    s_start, s_end = _sentence_span(doc, a)
    after = text[b:s_end if s_end > b else b + 200]
    m = re.match(rf",\s+(?:the\s+|a\s+|an\s+)?({E.TITLE})\b", after, re.I)
    if m:
        title = m.group(1)
        rest = after[m.end():]
        aff, aff_span = None, None
        pm = re.match(r"\s+(?:of|at|in|for|with)\s+(?:the\s+)?", rest)
        if pm:
            tail = rest[pm.end():]
            stop = _AFF_END.search(tail)
            aff = tail[:stop.start() if stop else len(tail)].strip()
            a0 = b + m.end() + pm.end()
            aff_span = (a0, a0 + len(aff)) if aff else None
        return title, aff or None, aff_span, None
    window_start = max(s_start, a - 200)
    before = text[window_start:a]
    for tm in reversed(list(E.TITLE_RE.finditer(before))):
        rest = before[tm.end():]
        pm = re.fullmatch(r"(?:\s+(?:of|in|at|for)\s+(?:the\s+)?(?P<aff>[^;:\n]+?))?\s*,?\s*", rest)
        if not pm:
            pm = re.fullmatch(r"\s+to\s+(?:the\s+)?(?P<host>[A-Z][^;:\n,]{0,60}?)\s*,?\s*", rest)
            if not pm:
                continue
        aff = pm.groupdict().get("aff")
        if aff and (re.search(r"\b(?:said|says|is|was|were|has|have|had|that|who|which|will|attended|delivered|met|visited|participated)\b", aff) or len(aff) > 150):
            continue
        aff_span = None
        if aff:
            aff = re.sub(r"\s+to\s+.*$", "", aff).strip().rstrip(",")
            aff = re.sub(r"\s*\([^)]*\)", "", aff)
            aff_start = window_start + tm.end() + pm.start("aff")
            aff_span = (aff_start, aff_start + len(aff))
            if tm.group(0).lower().endswith("minister") and not E.has_org_head(aff) and not E.resolve_place(aff):
                aff = "Ministry of " + aff
        prev = re.search(r"([A-Z][\w-]*(?:[’']s)?)\s+$", before[:tm.start()])
        place_hint = None
        if prev:
            word = prev.group(1)
            dem = E.demonym_place(word)
            if dem is not None:
                place_hint = (dem.name, window_start + prev.start(1), window_start + prev.end(1))
                aff = aff or dem.name
            elif re.search(r"[’']s$", word):
                aff = aff or word[:-2]
            elif E.resolve_place(word):
                aff = aff or E.resolve_place(word).name  # "Zagreb Mayor Firstname Lastname"
        return tm.group(0), aff or None, aff_span, place_hint
    return None


# ---------------------------------------------------------------- places

def _places(doc: Doc, gazetteer: Gazetteer | None, org_spans: list[tuple[int, int]],
            title_places: list[tuple[str, int, int]], orgs: list[E.Cluster], person_spans: list[tuple[int, int]],
            adjectives: set[tuple[int, int]]) -> list[Place]:
    """Places with countries; ``adjectives`` receives the spans that were only a nationality adjective."""
    text = doc.clean
    hits: list[E.PlaceHit] = E.gazetteer_place_hits(text, doc.language)
    for _t, a, b, entry in _gazetteer_hits(text, gazetteer, "place"):
        hits.append(E.PlaceHit(entry.canonical or entry.name, entry.country, entry.id, a, b, True))
    for label, a, b in doc.ents:
        if label not in ("GPE", "LOC"):
            continue
        cleaned = E.clean_name(text[a:b], a)
        if cleaned is None:
            continue
        name, a2, b2 = cleaned
        if E.is_junk(name) or E.has_org_head(name) and not E.resolve_place(name):
            continue
        known = E.resolve_place(name)
        if known:
            hits.append(E.PlaceHit(known.name, known.country, known.id, a2, b2, True))
        elif all(w[:1].isupper() for w in name.split()):
            bare = re.sub(r"^(?:City|Province|Municipality) of\s+|\s+(?:City|Province|province|city|Voivodship|voivodship|County|District)$", "", name)
            hits.append(E.PlaceHit(bare, None, None, a2, b2, False))
    for m in re.finditer(r"(?m)^\s*([A-Z][A-Z.' -]{2,}[A-Z]),\s", text):
        known = E.resolve_place(m.group(1).title())
        if known:  # news datelines write the city in capitals
            hits.append(E.PlaceHit(known.name, known.country, known.id, m.start(1), m.end(1), True))
    if doc.language == "en":
        # "Chinese investors", "Croatian exporters": the country is spoken of
        for m in re.finditer(r"\b[A-Z][a-z]+(?:ian|ese|ish|ch|an|ic|i)\b", text):
            dem = E.demonym_place(m.group(0))
            if dem is not None:
                hits.append(E.PlaceHit(dem.name, dem.country, dem.id, m.start(), m.end(), True, demonym=True))
    for name, a, b in title_places:
        known = E.resolve_place(name)
        if known:
            hits.append(E.PlaceHit(known.name, known.country, known.id, a, b, True))
    # "City of X" organisations also name the place X.
    for c in orgs:
        m = re.match(r"(?:City|Municipality|Town) of (.+)$", c.name)
        if m:
            known = E.resolve_place(m.group(1))
            for _a, b in c.spans:
                hits.append(E.PlaceHit(known.name if known else m.group(1), known.country if known else None,
                                       known.id if known else None, b - len(m.group(1)), b, bool(known)))
    # Longest wins among overlaps; mentions inside an organisation's name are not places of the article.
    chosen: list[E.PlaceHit] = []
    for h in sorted(hits, key=lambda h: (-(h.end - h.start), not h.known, h.start)):
        if any(h.start < c.end and c.start < h.end for c in chosen):
            continue
        chosen.append(h)
    city_of = {(b) for c in orgs if c.name.startswith(("City of", "Municipality of", "Town of")) for _a, b in c.spans}
    chosen = [h for h in chosen if h.end in city_of or not any(a <= h.start and h.end <= b and (a, b) != (h.start, h.end) for a, b in org_spans)]
    chosen = [h for h in chosen if not any(a <= h.start and h.end <= b for a, b in person_spans)]
    chosen.sort(key=lambda h: h.start)
    # Unknown places take the country of the nearest known place in their sentence.
    for h in chosen:
        if h.known:
            continue
        s_a, s_b = _sentence_span(doc, h.start)
        near = [k for k in chosen if k.known and k.country and s_a <= k.start < s_b and k is not h]
        if near:
            h.country = min(near, key=lambda k: abs(k.start - h.start)).country
    merged: dict[str, tuple[str, str | None, str | None, list[tuple[int, int]]]] = {}
    for h in chosen:
        key = h.id or place_key(h.name)
        if key in merged:
            merged[key][3].append((h.start, h.end))
        else:
            merged[key] = (h.name, h.country, h.id, [(h.start, h.end)])
        if h.demonym:
            adjectives.add((h.start, h.end))
    return [Place(n, c, tuple(Span(a, b) for a, b in spans), i) for n, c, i, spans in merged.values()]


# ---------------------------------------------------------------- counts

_WORD_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
                 "eleven": 11, "twelve": 12, "twenty": 20, "thirty": 30, "fifty": 50, "hundred": 100, "dozen": 12}
_SCALE = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NOT_COUNTED = re.compile(r"^(?:times?|percent|per|%|years?|months?|weeks?|days?|hours?|minutes?|km|kilometres?|kilometers?|"
                          r"metres?|meters?|tons?|tonnes?|square|hectares?|yuan|dollars?|euros?|dinars?|rmb|usd|eur)$", re.I)


def _number(s: str) -> int | None:
    s = s.lower().replace(",", "").strip()
    parts = s.split()
    try:
        value = float(parts[0])
    except ValueError:
        value = _WORD_NUMBERS.get(parts[0])
        if value is None:
            return None
    for p in parts[1:]:
        if p in _SCALE:
            value *= _SCALE[p]
        else:
            return None
    return int(value) if value == int(value) else None


def _counts(doc: Doc, amounts: list[Amount], dates: list[FoundDate]) -> list[Count]:
    """"35 joint research projects": a number modifying a noun that is not a unit, amount or date."""
    toks = doc.tokens
    taken = [(a.span.start, a.span.end) for a in amounts] + [(d.start, d.end) for d in dates]
    out: list[Count] = []
    i = 0
    while i < len(toks):
        t = toks[i]
        if t[3] != "NUM" or t[4] != "nummod":
            i += 1
            continue
        j = i
        while j + 1 < len(toks) and toks[j + 1][3] == "NUM" and toks[j + 1][5] == t[5]:
            j += 1
        head = t[5]
        if head <= j or any(a < toks[head][2] and toks[i][1] < b for a, b in taken):
            i = j + 1
            continue
        if toks[head][3] not in ("NOUN", "PROPN") or _NOT_COUNTED.match(toks[head][0]) or _NOT_COUNTED.match(toks[j + 1][0]):
            i = j + 1
            continue
        value = _number(doc.clean[toks[i][1]:toks[j][2]])
        if value is None or head - j > 6:
            i = j + 1
            continue
        what = doc.clean[toks[j + 1][1]:toks[head][2]]
        if "\n" not in what:
            out.append(Count(value, what, doc.clean[toks[i][1]:toks[head][2]], Span(toks[i][1], toks[head][2])))
        i = head + 1
    return out
