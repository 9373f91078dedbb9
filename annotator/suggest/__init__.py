"""Stance suggestions: rules before any training data, a model learnt from the project
later; never a label until an annotator accepts one."""
