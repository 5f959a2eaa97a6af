"""Ids of the built-in rules no policy can switch off."""

ERRORS_RULE_ID = "MDRGATE-ERRORS"
"""Built-in rule: error-level diagnostics always fail the gate."""

EMPTY_RULE_ID = "MDRGATE-EMPTY"
"""Built-in rule: an empty inventory fails the gate — nothing assessed is not a pass."""

UNJUDGED_RULE_ID = "MDRGATE-UNJUDGED"
"""Built-in rule: a finding or an unassessed component that no policy rule judged fails."""
