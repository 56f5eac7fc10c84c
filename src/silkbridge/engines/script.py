"""The text kernel's folding and transliteration, the only one: directory search, matching and the
extraction engine's name keys all call `fold`.

`fold("Ђорђевић")`, `fold("Đorđević")` and `fold("djordjevic")` are all "djordjevic", so Serbian
written in either script (or typed without diacritics) finds the same text; "Łódź" folds to "lodz".
Other scripts (Greek, CJK) keep their letters, lower-cased and without accents.
"""
from __future__ import annotations

import re
import unicodedata

# Serbian/Macedonian/Bulgarian/Russian/Ukrainian Cyrillic to ASCII via Serbian Latin.
# Serbian's own letters come first so that Latin and Cyrillic Serbian fold identically.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "dj", "е": "e", "ж": "z", "з": "z",
    "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "c", "у": "u", "ф": "f", "х": "h", "ц": "c",
    "ч": "c", "џ": "dz", "ш": "s",
    # Macedonian (ѐ and ѝ are е and и with a stress mark)
    "ѓ": "g", "ќ": "k", "ѕ": "dz", "ѐ": "e", "ѝ": "i",
    # Bulgarian, Russian, Ukrainian, Belarusian
    "й": "j", "щ": "st", "ъ": "a", "ь": "", "ю": "ju", "я": "ja", "ы": "y", "э": "e", "ё": "e",
    "є": "je", "і": "i", "ї": "ji", "ґ": "g", "ў": "u",
}
# Latin letters that Unicode does not decompose into base letter + mark.
_LATIN_SPECIAL = {"đ": "dj", "ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i", "þ": "th", "ð": "d",
                  "ħ": "h"}
_TRANSLATE = str.maketrans({**_CYRILLIC, **_LATIN_SPECIAL})

_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]+")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_SPACE = re.compile(r"\s+")

# Serbian Latin -> Cyrillic, for display of a name in the other script.
_LATIN_TO_SR_CYRL = [
    ("dž", "џ"), ("lj", "љ"), ("nj", "њ"), ("Dž", "Џ"), ("DŽ", "Џ"), ("Lj", "Љ"), ("LJ", "Љ"), ("Nj", "Њ"), ("NJ", "Њ"),
]
_LATIN_TO_SR_CYRL_SINGLE = dict(zip(
    "abvgdđežzijklmnoprstćufhcčšABVGDĐEŽZIJKLMNOPRSTĆUFHCČŠ",
    "абвгдђежзијклмнопрстћуфхцчшАБВГДЂЕЖЗИЈКЛМНОПРСТЋУФХЦЧШ",
))
_SR_CYRL_TO_LATIN = {
    **{cyr: latin for latin, cyr in _LATIN_TO_SR_CYRL_SINGLE.items()},
    "џ": "dž", "љ": "lj", "њ": "nj", "Џ": "Dž", "Љ": "Lj", "Њ": "Nj",
}


def fold(text: str) -> str:
    """Lower-case, strip accents, transliterate Cyrillic and squeeze spaces, keeping other scripts (CJK, Greek)."""
    if text.isascii():
        return _SPACE.sub(" ", text.lower()).strip()
    text = unicodedata.normalize("NFKC", text).casefold().translate(_TRANSLATE)
    text = unicodedata.normalize("NFC", _COMBINING.sub("", unicodedata.normalize("NFKD", text)))
    return _SPACE.sub(" ", text).strip()


def name_key(text: str) -> str:
    """Comparison key for names: `fold` with punctuation read as single spaces ("Łódź-Region" -> "lodz region")."""
    return " ".join(_NON_WORD.sub(" ", fold(text)).split())


def _cjk_bigrams(run: str) -> list[str]:
    if len(run) == 1:
        return [run]
    # The trailing unigram lets a one-character prefix query reach the run's last character.
    return [run[i:i + 2] for i in range(len(run) - 1)] + [run[-1]]


def search_tokens(text: str) -> list[str]:
    """Tokens for full-text search: folded words, and CJK runs as overlapping bigrams."""
    tokens: list[str] = []
    folded = fold(text)
    pos = 0
    for m in _CJK.finditer(folded):
        tokens.extend(t for t in _NON_WORD.split(folded[pos:m.start()]) if t)
        tokens.extend(_cjk_bigrams(m.group()))
        pos = m.end()
    tokens.extend(t for t in _NON_WORD.split(folded[pos:]) if t)
    return tokens


def search_document(*texts: str) -> str:
    """A space-separated token string, indexed by SQLite FTS5 or PostgreSQL `to_tsvector('simple', …)`."""
    return " ".join(search_tokens("\n".join(t for t in texts if t)))


def query_terms(query: str) -> list[str]:
    """Terms of a user's search: every term must match as a word prefix."""
    seen: dict[str, None] = {}
    for token in search_tokens(query):
        seen.setdefault(token, None)
    return list(seen)


def serbian_to_latin(text: str) -> str:
    return "".join(_SR_CYRL_TO_LATIN.get(ch, ch) for ch in text)


def serbian_to_cyrillic(text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i:i + 2]
        for latin, cyr in _LATIN_TO_SR_CYRL:
            if pair == latin:
                out.append(cyr)
                i += 2
                break
        else:
            out.append(_LATIN_TO_SR_CYRL_SINGLE.get(text[i], text[i]))
            i += 1
    return "".join(out)


def is_cyrillic(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    return sum("\u0400" <= ch <= "\u04ff" for ch in letters) / len(letters) > 0.5
