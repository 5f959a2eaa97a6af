"""Ids of the built-in rules no policy can switch off."""

ERRORS_RULE_ID = "MDRGATE-ERRORS"
"""Built-in rule: error-level diagnostics always fail the gate."""

EMPTY_RULE_ID = "MDRGATE-EMPTY"
"""Built-in rule: an empty inventory fails the gate — nothing assessed is not a pass."""

UNJUDGED_RULE_ID = "MDRGATE-UNJUDGED"
"""Built-in rule: a finding or an unassessed component that no policy rule judged fails."""

WAIVER_EXPIRED_RULE_ID = "MDRGATE-WAIVER-EXPIRED"
"""Built-in rule: a waiver past its expiry that still covers a finding fails (and suppresses
nothing)."""

WAIVER_UNUSED_RULE_ID = "MDRGATE-WAIVER-UNUSED"
"""Built-in rule: a waiver that covers no finding warns (a stale or mistyped record)."""

VEX_UNMATCHED_RULE_ID = "MDRGATE-VEX-UNMATCHED"
"""Built-in rule: a VEX statement that covers no finding warns: never a silent no-op."""

ASSESSMENT_UNCHECKABLE_RULE_ID = "MDRGATE-ASSESSMENT-UNCHECKABLE"
"""Built-in rule: a waiver or VEX statement that names a finding's vulnerability but whose
selector cannot be checked against the component warns; the finding is judged without it."""

VEX_CONFLICT_RULE_ID = "MDRGATE-VEX-CONFLICT"
"""Built-in rule: VEX statements that disagree about one finding warn; the finding is judged as
affected."""
