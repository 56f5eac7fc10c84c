"""Template helpers of the forum pages."""
from django import template

register = template.Library()


@register.filter
def dict_get(mapping, key):
    """`mapping[key]`, or None; templates cannot index a dict with a variable."""
    return mapping.get(key) if mapping else None
