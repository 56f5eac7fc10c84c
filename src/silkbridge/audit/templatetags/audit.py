"""`{% audit_trail record %}`: the record's change history, for staff only."""
from django import template

from silkbridge.audit.recording import trail

register = template.Library()


@register.inclusion_tag("audit/_trail.html", takes_context=True)
def audit_trail(context, record):
    request = context.get("request")
    if record is None or request is None or not getattr(request.user, "is_staff", False):
        return {"show": False}
    return {"show": True, "entries": trail(record)}
