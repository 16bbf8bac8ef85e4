"""sitrep: track claims about places — who claimed what, where, when, and is it verified."""

__version__ = "0.1.0"
