"""``mdrgate policy lint`` and ``mdrgate policy explain``: policy files before they gate a build."""

from __future__ import annotations

import argparse
from typing import Any

from mdrgate.cli.common import Context, add_common, add_inputs, add_policy
from mdrgate.errors import ExitCode


def register(verbs: Any) -> None:
    parser: argparse.ArgumentParser = verbs.add_parser(
        "policy", help="check policy files and show which rules judge which components"
    )
    actions = parser.add_subparsers(dest="policy_verb", metavar="ACTION", required=True)

    lint = actions.add_parser(
        "lint",
        help="check policy files (schema, unknown keys, contradictory rules) with file:line",
        description="Check policy files one by one and composed in the order given (as check "
        "composes them). Errors (what check would refuse) exit 2; warnings (compositions that "
        "probably do not mean what they say) exit 0, or 2 with --strict.",
    )
    lint.add_argument("files", nargs="+", metavar="FILE", help="policy file or builtin:NAME")
    lint.add_argument("--strict", action="store_true", help="warnings also exit 2")
    add_common(lint)
    lint.set_defaults(handler=handle_lint)

    explain = actions.add_parser(
        "explain",
        help="which rules judge which components, and why the others do not",
        description="Inventory the inputs (no vulnerability database needed) and list, per "
        "component, the rules of the policy that judge it and why the others do not.",
    )
    add_inputs(explain)
    add_policy(explain)
    add_common(explain)
    explain.set_defaults(handler=handle_explain)


def handle_lint(args: argparse.Namespace, ctx: Context) -> ExitCode:
    from mdrgate.policy.lint import Severity, lint_policies

    found = lint_policies(args.files, cwd=ctx.cwd)
    for item in found:
        ctx.warn(item.render())
    errors = sum(1 for f in found if f.severity is Severity.ERROR)
    warnings = len(found) - errors
    if not ctx.quiet or errors or warnings:
        ctx.out.print(
            f"{len(args.files)} policy file{'s' if len(args.files) != 1 else ''}: "
            f"{errors} error{'s' if errors != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}"
        )
    if errors or (warnings and args.strict):
        return ExitCode.USAGE
    return ExitCode.PASS


def handle_explain(args: argparse.Namespace, ctx: Context) -> ExitCode:
    from rich.markup import escape

    from mdrgate.pipeline import take_inventory
    from mdrgate.policy import load_policies
    from mdrgate.policy.explain import explain

    settings = ctx.settings(args)
    policy = load_policies(settings.policies, cwd=ctx.cwd)
    inventoried = take_inventory(settings)
    product = inventoried.product
    ctx.out.print(
        f"{escape(product.name)} {escape(product.version)} (safety class "
        f"{product.safety_class.value}): {len(policy.rules)} rules from "
        + ", ".join(escape(p.path) for p in policy.sources)
    )
    for entry in explain(policy, product, inventoried.inventory.components):
        ctx.out.print(
            f"\n{escape(entry.component.display)} \\[{escape(entry.component.bom_ref)}]: "
            f"{len(entry.applying)} of {len(entry.rules)} rules apply"
        )
        for fit in entry.rules:
            mark = "+" if fit.applies else "-"
            ctx.out.print(f"  {mark} {escape(fit.rule_id)} ({fit.rule_type}): {escape(fit.why)}")
    return ExitCode.PASS
