"""Job messages that each reader sees in their own language.

A background job has no reader, so it cannot translate what it reports. It writes a
``JobText``: the English sentence (what logs and the CLI print) that also carries its
message id and parameters, so a page can rebuild it in the reader's language.
"""
from __future__ import annotations

from django.utils.translation import gettext


class JobText(str):
    """English text of ``template % params``, keeping both for translation later."""

    template: str
    params: dict

    def __new__(cls, template: str, **params) -> JobText:
        text = super().__new__(cls, template % params if params else template)
        text.template = template
        text.params = params
        return text


def localise(message: str, params: dict | None) -> str:
    """A stored job message in the active language; text without a translation stays as written."""
    if not message:
        return ""
    translated = gettext(message)
    if not params:
        return translated
    try:
        return translated % params
    except (KeyError, TypeError, ValueError):  # a translation that lost a placeholder: keep the English
        return message % params
