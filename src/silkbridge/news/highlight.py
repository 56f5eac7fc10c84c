"""An article's text as HTML with the spans candidates were read from wrapped in <mark>, escaped throughout."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Marked:
    start: int
    end: int
    candidate_id: int
    css: str  # a class name: the candidate's kind and status


def highlight(text: str, spans: Iterable[Marked]) -> SafeString:
    """Cut the text at every span boundary; each piece inside one or more spans becomes one <mark>.

    Overlapping spans (a name inside the sentence of a fact) never produce crossed tags, and
    offsets outside the text are clipped rather than trusted.
    """
    spans = [Marked(max(0, s.start), min(len(text), s.end), s.candidate_id, s.css) for s in spans]
    spans = [s for s in spans if s.start < s.end]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out: list[str] = []
    for a, b in zip(cuts, cuts[1:]):
        piece = escape(text[a:b])
        covering = [s for s in spans if s.start <= a and b <= s.end]
        if not covering:
            out.append(piece)
            continue
        ids = " ".join(str(i) for i in dict.fromkeys(s.candidate_id for s in covering))
        classes = " ".join(dict.fromkeys(token for s in covering for token in s.css.split()))
        out.append(f'<mark class="{escape(classes)}" data-candidates="{ids}">{piece}</mark>')
    return mark_safe("".join(out))  # noqa: S308 - every piece of text above went through escape()
