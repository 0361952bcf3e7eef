"""The single place where slacalc's version is written."""

__version__ = "0.1.0"
