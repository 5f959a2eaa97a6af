"""Collectors for Python host software: requirement files, lock files and installed environments.

One module per input kind (``requirements``, ``poetry``, ``pipfile``, ``uvlock``, ``environment``);
each exposes ``collect_<kind>(spec) -> Collected``. They are imported on first use, so this package
imports nothing itself.
"""
