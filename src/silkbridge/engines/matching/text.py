"""Text preparation for matching: script folding for lexical comparison, language detection, chunking.

`fold` is shared with the directory search, so both see "Ђорђевић", "Đorđević"
and "Djordjevic" as the same word.
"""
from __future__ import annotations

import re
import unicodedata

import pycld2

# Serbian spelling for the letters the South Slavic alphabets share, so that a
# Serbian text folds to the same string in either script; Macedonian, Bulgarian
# and Russian-only letters follow their usual romanisation.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "dj", "е": "e", "ж": "z",
    "з": "z", "и": "i", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n",
    "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "c", "у": "u",
    "ф": "f", "х": "h", "ц": "c", "ч": "c", "џ": "dz", "ш": "s",
    "ѓ": "g", "ќ": "k", "ѕ": "dz", "ѐ": "e", "ѝ": "i",
    "й": "j", "щ": "st", "ъ": "a", "ь": "", "ю": "ju", "я": "ja",
    "ы": "y", "э": "e", "ё": "e", "і": "i", "ї": "ji", "є": "je", "ґ": "g",
}
# Letters that Unicode does not decompose into base letter + accent.
_LATIN = {"đ": "dj", "ł": "l", "ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ı": "i", "ħ": "h", "þ": "th"}
_FOLD_TABLE = str.maketrans({**_CYRILLIC, **_LATIN})
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, transliterate South Slavic Cyrillic to Latin, strip accents, squeeze spaces."""
    text = unicodedata.normalize("NFC", text).lower().translate(_FOLD_TABLE)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _SPACE.sub(" ", text).strip()


def normalise(text: str) -> str:
    """The form that is embedded and hashed: NFC with runs of whitespace squeezed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()


_CLD_ALIASES = {"bs": "sr", "zh-Hant": "zh", "iw": "he", "nb": "no"}


def detect_language(text: str, declared: str | None = None) -> str:
    """ISO 639-1 code of ``text``; the author's declared language wins. ``"und"`` when unsure.

    CLD2 cannot tell Serbian from Bosnian in Latin script; both report ``sr``, which
    is what most directory texts in that script are.
    """
    if declared:
        return declared.strip().lower().split("-")[0].split("_")[0]
    try:
        reliable, _, details = pycld2.detect(text)
    except pycld2.error:
        return "und"
    code = details[0][1]
    if not reliable or code in ("un", "xxx"):
        return "und"
    return _CLD_ALIASES.get(code, code)


def script_of(text: str) -> str:
    """Dominant script among letters: ``Cyrl``, ``Latn``, ``Hani``, ``Grek`` or ``Zyyy``."""
    counts: dict[str, int] = {}
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        if name.startswith("CYRILLIC"):
            key = "Cyrl"
        elif name.startswith("CJK") or name.startswith("HIRAGANA") or name.startswith("KATAKANA"):
            key = "Hani"
        elif name.startswith("GREEK"):
            key = "Grek"
        elif name.startswith("LATIN"):
            key = "Latn"
        else:
            key = "Zyyy"
        counts[key] = counts.get(key, 0) + 1
    return max(counts, key=counts.__getitem__) if counts else "Zyyy"


# Sentence ends: Latin/Cyrillic/Greek punctuation followed by space, or CJK full stops.
_SENTENCE_END = re.compile(r"(?<=[.!?;…])\s+|(?<=[。！？；])|\n{2,}|\n(?=\s*[-•*·–])")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(normalise_keep_lines(text)) if s and s.strip()]


def normalise_keep_lines(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return re.sub(r"[ \t\r\f\v]+", " ", text).strip()


def _cost(text: str) -> int:
    # CJK characters each cost about one token; elsewhere a token is ~4 characters.
    wide = sum(1 for c in text if "\u2e80" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af")
    return wide + (len(text) - wide + 3) // 4


def _is_wide(ch: str) -> bool:
    return "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" or "\uac00" <= ch <= "\ud7af"


def _join(parts: list[str]) -> str:
    # Chinese sentences follow each other without a space.
    out = parts[0]
    for p in parts[1:]:
        out += p if _is_wide(out[-1]) and _is_wide(p[0]) else " " + p
    return out


def split_chunks(text: str, max_tokens: int = 96) -> list[str]:
    """Sentence-aligned chunks of about ``max_tokens`` tokens covering the whole text, in order.

    Short chunks keep each matched piece readable as a reason and stay far below the
    encoder's 512-token window, so nothing is truncated however long the profile is.
    """
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for sentence in split_sentences(text):
        pieces = [sentence] if _cost(sentence) <= max_tokens else _hard_split(sentence, max_tokens)
        for piece in pieces:
            c = _cost(piece)
            if current and size + c > max_tokens:
                chunks.append(_join(current))
                current, size = [], 0
            current.append(piece)
            size += c
    if current:
        chunks.append(_join(current))
    return [normalise(c) for c in chunks]


def _hard_split(sentence: str, max_tokens: int) -> list[str]:
    """Split a run-on sentence at spaces (or anywhere, for CJK) into pieces under the budget."""
    words = sentence.split(" ")
    if len(words) == 1:
        step = max(1, max_tokens)
        return [sentence[i : i + step] for i in range(0, len(sentence), step)]
    out: list[str] = []
    current: list[str] = []
    size = 0
    for w in words:
        c = _cost(w) + 1
        if c > max_tokens:
            if current:
                out.append(" ".join(current))
                current, size = [], 0
            out.extend(_hard_split(w, max_tokens))
            continue
        if current and size + c > max_tokens:
            out.append(" ".join(current))
            current, size = [], 0
        current.append(w)
        size += c
    if current:
        out.append(" ".join(current))
    return out
