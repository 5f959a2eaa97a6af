"""Collectors: one per input kind, each turning a file into components and diagnostics."""
