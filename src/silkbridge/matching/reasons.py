"""Match reasons in the reader's language.

The engine gives each reason as an English sentence that also carries a message code
and its parameters (:class:`silkbridge.engines.matching.Reason`). They are stored as
``{"code", "params", "text"}`` and rebuilt here, at display time, in the active
language: the sentence from the catalogue, sector codes as NACE names, kinds as their
labels. A stored plain string (or an unknown code) is shown as it was written.
The shared-sector reason carries the English and Chinese NACE names with it, so
showing stored recommendations costs no query.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from silkbridge.engines.matching import Reason

MESSAGES = {
    "their_offer_answers": _("their offer “%(offer)s” answers your need “%(need)s”"),
    "their_description_answers": _("their description “%(offer)s” answers your need “%(need)s”"),
    "your_offer_answers": _("your offer “%(offer)s” answers their need “%(need)s”"),
    "your_description_answers": _("your description “%(offer)s” answers their need “%(need)s”"),
    "shared_sectors": _("shared sectors: %(sectors)s"),
    "research": _("research cooperation: %(a)s ↔ %(b)s"),
    "connector": _("%(c)s connects organisations with partners"),
    "no_common_language": _("no common language listed (you: %(mine)s; they: %(theirs)s): plan an interpreter"),
    "self_empty_sectors": _("you gave no description, offers or needs: matched on sectors only"),
    "self_empty": _("you gave no description, offers, needs or sectors: nothing to match on"),
    "other_empty_sectors": _("%(name)s gave no description, offers or needs: matched on sectors only"),
    "other_empty": _("%(name)s gave no description, offers, needs or sectors: nothing to match on"),
    "self_no_needs": _("you listed no needs: matched on what you offer"),
    "other_no_needs": _("%(name)s listed no needs: matched on what it offers"),
    "self_no_offers": _("you listed no offers or description: matched on your needs only"),
    "other_no_offers": _("%(name)s listed no offers or description: matched on its needs only"),
    "self_no_sectors": _("you listed no sectors"),
    "other_no_sectors": _("%(name)s listed no sectors"),
}


def to_json(reason: str) -> str | dict:
    return reason.as_dict() if isinstance(reason, Reason) else str(reason)


def _parts(item) -> tuple[str | None, dict, str]:
    if isinstance(item, Reason):
        return item.code, item.params, str(item)
    if isinstance(item, dict):
        return item.get("code"), item.get("params") or {}, item.get("text", "")
    return None, {}, str(item)


def _sector_name(code: str, names: dict, chinese: bool) -> str:
    en, zh = names.get(code, (code, ""))
    return zh if chinese and zh else en


def localise_many(lists: Sequence[Iterable]) -> list[tuple[str, ...]]:
    """Each list of reasons as sentences in the active language (no query: sector names travel in the reason)."""
    from silkbridge.directory.models import Organisation

    lists = [[_parts(item) for item in items] for items in lists]
    chinese = (get_language() or "").lower().startswith("zh")
    kinds = dict(Organisation.Kind.choices)
    out = []
    for items in lists:
        sentences = []
        for code, params, text in items:
            template = MESSAGES.get(code)
            if template is None:
                sentences.append(text)
                continue
            values = {k: v for k, v in params.items() if k != "names"}
            if code == "shared_sectors":
                values["sectors"] = "; ".join(_sector_name(c, params.get("names", {}), chinese)
                                              for c in params.get("sectors", ()))
            if code == "research":
                values = {k: kinds.get(v, v) for k, v in values.items()}
            if code == "no_common_language":
                values = {k: ", ".join(v) for k, v in values.items()}
            try:
                sentences.append(str(template) % values)
            except (KeyError, TypeError, ValueError):
                sentences.append(text)
        out.append(tuple(sentences))
    return out
