"""Policy: the manufacturer's rules, loaded from YAML and evaluated into a verdict."""

from mdrgate.policy.evaluation import EvaluationContext, evaluate
from mdrgate.policy.load import Policy, load_policies

__all__ = ["EvaluationContext", "Policy", "evaluate", "load_policies"]
