"""Enrichment: match the inventory's components against the vulnerability database."""

from __future__ import annotations

from mdrgate.enrich.match import match_inventory
from mdrgate.enrich.matchers import Matcher, OsvMatcher, matcher_for
from mdrgate.enrich.osv_eval import EntryMatch, evaluate

__all__ = ["EntryMatch", "Matcher", "OsvMatcher", "evaluate", "match_inventory", "matcher_for"]
