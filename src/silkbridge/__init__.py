"""silkbridge: cross-border cooperation platform."""
__version__ = "0.1.0"
