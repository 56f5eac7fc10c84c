"""Pure engines: no Django, plain frozen dataclasses in and out."""
