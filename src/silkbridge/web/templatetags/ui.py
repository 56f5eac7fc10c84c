"""Template helpers shared by every app's pages: names in the reader's language, language labels."""
from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

register = template.Library()

# Profile languages whose label Django's own table lacks or words ambiguously (it has one "Serbian").
_LABELS = {
    "sr-cyrl": _("Serbian (Cyrillic)"),
    "sr-latn": _("Serbian (Latin)"),
    "zh-hans": _("Simplified Chinese"),
    "zh-hant": _("Traditional Chinese"),
    "en": _("English"),
    "zh": _("Chinese"),
}


@register.filter
def language_name(code: str) -> str:
    """`sr-latn` -> "Serbian (Latin)" in the UI language; unknown codes are shown as they are."""
    code = (code or "").lower()
    if code in _LABELS:
        return str(_LABELS[code])
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


@register.filter
def localized(obj, language: str | None = None) -> str:
    """`obj.display_name(language)` for countries, cities and sectors; '' for None."""
    if obj is None:
        return ""
    if not hasattr(obj, "display_name"):
        return str(obj)
    return obj.display_name(language or get_language())


@register.simple_tag
def admin_change_url(obj) -> str:
    """The admin page of a model instance, or '' when its model is not registered there."""
    meta = obj._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return ""


@register.filter
def elided_range(page) -> list:
    """Page numbers around the current one, with `Paginator.ELLIPSIS` for the gaps."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
