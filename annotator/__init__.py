"""Stance Annotator: label which actor takes which stance on which target in news articles."""

__version__ = "0.1.0"
