"""The end-of-support rule on real endoflife.date cycles and SOUP register dates, as of 2026-11-28.

Every message and evidence line is asserted exactly: they are what an auditor reads.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest

from mdrgate.enrich.end_of_life import support_for
from mdrgate.errors import UsageError
from mdrgate.model import (
    Component,
    ComponentClass,
    Diagnostic,
    Inventory,
    LevelOfSupport,
    Origin,
    OutcomeStatus,
    Product,
    RuleOutcome,
    SoupRecord,
)
from mdrgate.policy import EvaluationContext, evaluate, load_policies
from mdrgate.policy.load import Policy
from mdrgate.policy.rules import SoupEndOfSupportRule
from mdrgate.vulndb import VulnDb
from tests.unit.support.conftest import TODAY

HOST, FIRMWARE = ComponentClass.HOST, ComponentClass.FIRMWARE
REGISTER = Origin("soup-register", "firmware/soup.yml", 162)
DECLARED = "declared in firmware/soup.yml:162 (soup-register)"


def _soup(
    name: str,
    version: str | None,
    cls: ComponentClass = FIRMWARE,
    *,
    purl: str | None = None,
    cpe: str | None = None,
    end: date | None = None,
    level: LevelOfSupport | None = None,
) -> Component:
    return Component(
        name,
        version,
        cls,
        purl=purl,
        cpes=(cpe,) if cpe else (),
        origins=(REGISTER,),
        soup=SoupRecord(end_of_support=end, level_of_support=level),
    )


def _cpe(vendor_product: str, version: str) -> str:
    return f"cpe:2.3:a:{vendor_product}:{version}:*:*:*:*:*:*:*"


CPYTHON = _soup(
    "CPython",
    "3.8.10",
    HOST,
    purl="pkg:generic/cpython@3.8.10",
    cpe=_cpe("python:python", "3.8.10"),
    end=date(2024, 10, 7),
    level=LevelOfSupport.NO_LONGER_MAINTAINED,
)
OPENSSL = _soup("OpenSSL", "1.1.1k", cpe=_cpe("openssl:openssl", "1.1.1k"))
DJANGO_HOST = Component(
    "Django",
    "4.2.7",
    HOST,
    ecosystem="PyPI",
    purl="pkg:pypi/django@4.2.7",
    origins=(Origin("requirements", "host/requirements.txt", 3),),
)
REQUESTS = Component("requests", "2.31.0", HOST, ecosystem="PyPI", purl="pkg:pypi/requests@2.31.0")
NODE = Component("node", "v22.11.0", HOST, purl="pkg:generic/node@v22.11.0")

RULE_YAML = """apiVersion: mdrgate/v1
kind: Policy
metadata: {name: t, version: '1'}
rules:
  - id: EOS
    type: soup-end-of-support
    action: fail
"""


def _policy(tmp_path: Path, extra: str = "") -> Policy:
    path = tmp_path / "policy.yml"
    path.write_text(RULE_YAML + extra, encoding="utf-8")
    return load_policies([str(path)], cwd=tmp_path)


def _judge(
    db: VulnDb | None,
    policy: Policy,
    *components: Component,
    today: date = TODAY,
    diagnostics: tuple[Diagnostic, ...] = (),
) -> dict[str, RuleOutcome]:
    inventory = Inventory(components)
    facts, notes = support_for(inventory, db) if db is not None else ((), ())
    ctx = EvaluationContext(
        product=Product("Aurora IP-300", "2.4.0"),
        inventory=inventory,
        findings=(),
        diagnostics=(*notes, *diagnostics),
        today=today,
        support=facts,
        support_sources=("eol",) if db is not None else (),
    )
    verdict = evaluate(policy, ctx)
    return {o.subject: o for o in verdict.outcomes if o.rule_id in ("EOS", "MDR-SOUP-001")}


def _status_message(outcome: RuleOutcome) -> tuple[OutcomeStatus, str]:
    return outcome.status, outcome.message


def test_register_and_cycle_agree(eol_db: VulnDb, tmp_path: Path) -> None:
    outcome = _judge(eol_db, _policy(tmp_path), CPYTHON)[CPYTHON.bom_ref]
    assert _status_message(outcome) == (
        OutcomeStatus.FAIL,
        "CPython 3.8.10: supplier support ended 2024-10-07 (782 days ago); endoflife.date "
        "python cycle 3.8 reached end of life on 2024-10-07 (782 days ago)",
    )
    assert outcome.evidence == (
        "end_of_support: 2024-10-07",
        "endoflife.date python cycle 3.8: eol 2024-10-07, active support until 2021-05-03, "
        "latest 3.8.20 (2024-09-06)",
        "matched by cpe python:python",
        "to pass: upgrade CPython to a release whose endoflife.date python cycle is still "
        "supported (3.8.20, the latest release of cycle 3.8, is past end of life too), or "
        "replace it, and update version and end_of_support in the SOUP register entry of "
        "CPython (firmware/soup.yml:162)",
        DECLARED,
    )


def test_cycle_eol_when_the_register_states_no_date(eol_db: VulnDb, tmp_path: Path) -> None:
    outcome = _judge(eol_db, _policy(tmp_path), OPENSSL)[OPENSSL.bom_ref]
    assert _status_message(outcome) == (
        OutcomeStatus.FAIL,
        "OpenSSL 1.1.1k: endoflife.date openssl cycle 1.1.1 reached end of life on 2023-09-11 "
        "(1174 days ago)",
    )
    assert outcome.evidence == (
        "endoflife.date openssl cycle 1.1.1: eol 2023-09-11, extended support ongoing, LTS, "
        "latest 1.1.1w (2023-09-12)",
        "matched by cpe openssl:openssl",
        "to pass: upgrade OpenSSL to a release whose endoflife.date openssl cycle is still "
        "supported (1.1.1w, the latest release of cycle 1.1.1, is past end of life too), or "
        "replace it, and update version in the SOUP register entry of OpenSSL "
        "(firmware/soup.yml:162)",
        DECLARED,
    )


def test_register_later_than_the_cycle_is_a_disagreement_judged_by_the_earlier_end(
    eol_db: VulnDb, tmp_path: Path
) -> None:
    # e.g. a register that counts on OpenSSL's premium support: shown, not taken on trust.
    premium = dataclasses.replace(OPENSSL, soup=SoupRecord(end_of_support=date(2030, 12, 31)))
    outcome = _judge(eol_db, _policy(tmp_path), premium)[premium.bom_ref]
    assert _status_message(outcome) == (
        OutcomeStatus.FAIL,
        "OpenSSL 1.1.1k: endoflife.date openssl cycle 1.1.1 reached end of life on 2023-09-11 "
        "(1174 days ago); although the SOUP register states support until 2030-12-31",
    )
    assert outcome.evidence[0] == "end_of_support: 2030-12-31"
    assert outcome.evidence[-3:] == (
        "the SOUP register (end_of_support 2030-12-31) and endoflife.date openssl cycle 1.1.1 "
        "(eol 2023-09-11) disagree: the earlier end is judged",
        # the register's later date cannot make it pass: the cycle's end counts
        "to pass: upgrade OpenSSL to a release whose endoflife.date openssl cycle is still "
        "supported (1.1.1w, the latest release of cycle 1.1.1, is past end of life too), or "
        "replace it, and update version and end_of_support in the SOUP register entry of "
        "OpenSSL (firmware/soup.yml:162)",
        DECLARED,
    )


def test_register_earlier_than_the_cycle(eol_db: VulnDb, tmp_path: Path) -> None:
    django = _soup("Django", "5.2.3", HOST, purl="pkg:pypi/django@5.2.3", end=date(2025, 12, 31))
    outcome = _judge(eol_db, _policy(tmp_path), django)[django.bom_ref]
    assert _status_message(outcome) == (
        OutcomeStatus.FAIL,
        "Django 5.2.3: supplier support ended 2025-12-31 (332 days ago); although "
        "endoflife.date django cycle 5.2 lists end of life on 2028-04-30",
    )
    assert outcome.evidence[-2] == (
        "to pass: upgrade Django to a supported release or replace it, and update version and "
        "end_of_support in the SOUP register entry of Django (firmware/soup.yml:162); if the "
        "supplier has extended support, record the new date as end_of_support in the register "
        "entry"
    )


def test_host_package_outside_the_register(eol_db: VulnDb, tmp_path: Path) -> None:
    outcomes = _judge(eol_db, _policy(tmp_path), DJANGO_HOST, REQUESTS)
    assert REQUESTS.bom_ref not in outcomes  # neither in the register nor in endoflife.date
    outcome = outcomes[DJANGO_HOST.bom_ref]
    assert _status_message(outcome) == (
        OutcomeStatus.FAIL,
        "Django 4.2.7: endoflife.date django cycle 4.2 reached end of life on 2026-04-07 "
        "(235 days ago)",
    )
    assert outcome.evidence == (
        "endoflife.date django cycle 4.2: eol 2026-04-07, active support until 2023-12-04, LTS, "
        "latest 4.2.30 (2026-04-07)",
        "matched by purl pkg:pypi/django",
        "to pass: upgrade Django to a release whose endoflife.date django cycle is still "
        "supported (4.2.30, the latest release of cycle 4.2, is past end of life too), or "
        "replace it",
        "declared in host/requirements.txt:3 (requirements)",
    )


def test_scope_keeps_host_packages_out(eol_db: VulnDb, tmp_path: Path) -> None:
    policy = _policy(tmp_path, "    scope: {component_class: [firmware]}\n")
    outcomes = _judge(eol_db, policy, DJANGO_HOST, OPENSSL)
    assert set(outcomes) == {OPENSSL.bom_ref}


def test_ending_soon_warns_only_when_configured(eol_db: VulnDb, tmp_path: Path) -> None:
    plain = _judge(eol_db, _policy(tmp_path), NODE)[NODE.bom_ref]
    assert _status_message(plain) == (
        OutcomeStatus.PASS,
        "endoflife.date nodejs cycle 22: end of life on 2027-04-30",
    )
    warned = _judge(eol_db, _policy(tmp_path, "    warn_within_days: 180\n"), NODE)[NODE.bom_ref]
    assert _status_message(warned) == (
        OutcomeStatus.WARN,
        "node v22.11.0: endoflife.date nodejs cycle 22 reaches end of life on 2027-04-30 "
        "(in 153 days), within the 180-day warning period",
    )
    assert warned.evidence[-1] == (
        "to pass: upgrade node to a release supported for more than 180 days (endoflife.date "
        "nodejs cycle 22 ends first)"
    )
    beyond = _judge(eol_db, _policy(tmp_path, "    warn_within_days: 152\n"), NODE)[NODE.bom_ref]
    assert beyond.status is OutcomeStatus.PASS
    at_limit = _judge(eol_db, _policy(tmp_path, "    warn_within_days: 153\n"), NODE)
    assert at_limit[NODE.bom_ref].status is OutcomeStatus.WARN


def test_register_date_ending_soon(tmp_path: Path) -> None:
    item = _soup("Mbed TLS", "3.6.0", end=date(2026, 12, 31))
    policy = _policy(tmp_path, "    warn_within_days: 60\n")
    outcome = _judge(None, policy, item)[item.bom_ref]
    assert _status_message(outcome) == (
        OutcomeStatus.WARN,
        "Mbed TLS 3.6.0: supplier support ends 2026-12-31 (in 33 days), within the 60-day "
        "warning period",
    )
    assert outcome.evidence == (
        "end_of_support: 2026-12-31",
        "to pass: upgrade Mbed TLS to a release supported for more than 60 days, or, if the "
        "supplier has extended support, record the later date as end_of_support in the SOUP "
        "register entry of Mbed TLS (firmware/soup.yml:162)",
        DECLARED,
    )


def test_end_days_themselves(eol_db: VulnDb, tmp_path: Path) -> None:
    # endoflife.date: the cycle is past end of life on its eol day.
    node = _judge(eol_db, _policy(tmp_path), NODE, today=date(2027, 4, 30))[NODE.bom_ref]
    assert _status_message(node) == (
        OutcomeStatus.FAIL,
        "node v22.11.0: endoflife.date nodejs cycle 22 reached end of life on 2027-04-30 (today)",
    )
    # The register: end_of_support is the last day of support.
    item = _soup("Mbed TLS", "3.6.0", end=date(2026, 12, 31))
    last_day = _judge(None, _policy(tmp_path), item, today=date(2026, 12, 31))[item.bom_ref]
    assert _status_message(last_day) == (OutcomeStatus.PASS, "supported until 2026-12-31")
    day_after = _judge(None, _policy(tmp_path), item, today=date(2027, 1, 1))[item.bom_ref]
    assert _status_message(day_after) == (
        OutcomeStatus.FAIL,
        "Mbed TLS 3.6.0: supplier support ended 2026-12-31 (1 day ago)",
    )


def test_ended_without_a_published_date(eol_db: VulnDb, tmp_path: Path) -> None:
    # Node.js 1.x (io.js era): endoflife.date publishes eol: true.
    old = Component("node", "1.8.4", HOST, purl="pkg:generic/node@1.8.4")
    outcome = _judge(eol_db, _policy(tmp_path), old)[old.bom_ref]
    assert _status_message(outcome) == (
        OutcomeStatus.FAIL,
        "node 1.8.4: endoflife.date nodejs cycle 1 has reached end of life (no date published)",
    )
    assert outcome.evidence[0] == (
        "endoflife.date nodejs cycle 1: eol reached (no date published), active support ended, "
        "latest 1.8.4 (2015-07-09)"
    )


def test_no_end_announced(eol_db: VulnDb, tmp_path: Path) -> None:
    sqlite = _soup("SQLite", "3.45.1", cpe=_cpe("sqlite:sqlite", "3.45.1"))
    outcome = _judge(eol_db, _policy(tmp_path), sqlite)[sqlite.bom_ref]
    assert _status_message(outcome) == (
        OutcomeStatus.PASS,
        "endoflife.date sqlite cycle 3: no end of life announced",
    )
    dated = dataclasses.replace(sqlite, soup=SoupRecord(end_of_support=date(2030, 6, 30)))
    outcome = _judge(eol_db, _policy(tmp_path), dated)[dated.bom_ref]
    assert _status_message(outcome) == (
        OutcomeStatus.PASS,
        "supported until 2030-06-30 (SOUP register); endoflife.date sqlite cycle 3: no end of "
        "life announced",
    )


def test_both_in_the_future(eol_db: VulnDb, tmp_path: Path) -> None:
    python = _soup(
        "CPython", "3.12.4", HOST, cpe=_cpe("python:python", "3.12.4"), end=date(2028, 6, 30)
    )
    outcome = _judge(eol_db, _policy(tmp_path), python)[python.bom_ref]
    assert _status_message(outcome) == (
        OutcomeStatus.PASS,
        "supported until 2028-06-30 (SOUP register); endoflife.date python cycle 3.12: end of "
        "life on 2028-10-31",
    )
    assert outcome.evidence[-2] == (
        "the SOUP register (end_of_support 2028-06-30) and endoflife.date python cycle 3.12 "
        "(eol 2028-10-31) disagree: the earlier end is judged"
    )


UNKNOWN = "end of support unknown: no end-of-support date stated in the register; "


@pytest.mark.parametrize(
    ("component", "reason"),
    [
        (
            _soup("FatFs", "R0.14b"),
            "it has no purl or CPE by which to find its endoflife.date product",
        ),
        (
            _soup("lwIP", "2.1.3", cpe=_cpe("lwip_project:lwip", "2.1.3")),
            "no endoflife.date product lists its purl or CPE",
        ),
        (
            _soup("Django", "7.0", HOST, purl="pkg:pypi/django@7.0"),
            "version 7.0 belongs to no release cycle of endoflife.date product django "
            "(cycles 1.3 to 6.1); its end of life is unknown",
        ),
        (
            _soup("ansible", "2.9.27", HOST, cpe=_cpe("redhat:ansible", "2.9.27")),
            "its identifiers (cpe redhat:ansible) name the endoflife.date products ansible, "
            "ansible-core alike and each has a release cycle for version 2.9.27; none was "
            "chosen — give the component a purl or CPE that names one product",
        ),
    ],
)
def test_unknown_passes_with_an_honest_message(
    eol_db: VulnDb, tmp_path: Path, component: Component, reason: str
) -> None:
    outcome = _judge(eol_db, _policy(tmp_path), component)[component.bom_ref]
    assert _status_message(outcome) == (OutcomeStatus.PASS, UNKNOWN + reason)


def test_without_eol_data(tmp_path: Path) -> None:
    outcome = _judge(None, _policy(tmp_path), OPENSSL)[OPENSSL.bom_ref]
    assert _status_message(outcome) == (
        OutcomeStatus.PASS,
        UNKNOWN + "no endoflife.date data was consulted",
    )
    assert outcome.evidence == (DECLARED,)
    register_only = _judge(None, _policy(tmp_path), CPYTHON)[CPYTHON.bom_ref]
    assert _status_message(register_only) == (
        OutcomeStatus.FAIL,
        "CPython 3.8.10: supplier support ended 2024-10-07 (782 days ago)",
    )


def test_register_date_with_an_unknown_cycle(eol_db: VulnDb, tmp_path: Path) -> None:
    django = _soup("Django", "7.0", HOST, purl="pkg:pypi/django@7.0", end=date(2029, 4, 30))
    outcome = _judge(eol_db, _policy(tmp_path), django)[django.bom_ref]
    assert _status_message(outcome) == (
        OutcomeStatus.PASS,
        "supported until 2029-04-30; endoflife.date django: no release cycle for version 7.0",
    )


def test_level_of_support_shows_the_public_cycle(eol_db: VulnDb) -> None:
    claimed = dataclasses.replace(
        OPENSSL, soup=SoupRecord(level_of_support=LevelOfSupport.ACTIVELY_MAINTAINED)
    )
    node = _soup(
        "node",
        "22.11.0",
        HOST,
        purl="pkg:generic/node@22.11.0",
        level=LevelOfSupport.ACTIVELY_MAINTAINED,
    )
    policy = load_policies(["builtin:mdr-default"], cwd=Path.cwd())
    inventory = Inventory((claimed, CPYTHON, node))
    facts, notes = support_for(inventory, eol_db)
    verdict = evaluate(
        policy,
        EvaluationContext(
            product=Product("Aurora IP-300", "2.4.0"),
            inventory=inventory,
            findings=(),
            diagnostics=notes,
            today=TODAY,
            support=facts,
            support_sources=("eol",),
        ),
    )
    level = {o.subject: o for o in verdict.outcomes if o.rule_id == "MDR-SOUP-002"}
    assert _status_message(level[claimed.bom_ref]) == (
        OutcomeStatus.PASS,
        "level of support: actively-maintained (endoflife.date openssl cycle 1.1.1 reached end "
        "of life on 2023-09-11)",
    )
    assert _status_message(level[CPYTHON.bom_ref]) == (
        OutcomeStatus.FAIL,
        "CPython 3.8.10: level of support is no-longer-maintained (endoflife.date python cycle "
        "3.8 reached end of life on 2024-10-07)",
    )
    assert _status_message(level[node.bom_ref]) == (
        OutcomeStatus.PASS,
        "level of support: actively-maintained (endoflife.date nodejs cycle 22: security fixes "
        "only, active support has ended)",
    )


def test_outcomes_are_deterministic(eol_db: VulnDb, tmp_path: Path) -> None:
    components = (CPYTHON, OPENSSL, DJANGO_HOST, NODE, REQUESTS)
    first = _judge(eol_db, _policy(tmp_path, "    warn_within_days: 180\n"), *components)
    again = _judge(eol_db, _policy(tmp_path, "    warn_within_days: 180\n"), *reversed(components))
    assert first == again


def test_warn_within_days_is_loaded(tmp_path: Path) -> None:
    (rule,) = _policy(tmp_path, "    warn_within_days: 90\n").rules
    assert isinstance(rule, SoupEndOfSupportRule)
    assert rule.warn_within_days == 90
    (plain,) = _policy(tmp_path).rules
    assert isinstance(plain, SoupEndOfSupportRule)
    assert plain.warn_within_days is None


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("    warn_within_days: 0\n", "expected a number from 1 to 3650, got integer 0"),
        ("    warn_within_days: soon\n", "expected an integer, got string 'soon'"),
        ("    warn_within_days: 1.5\n", "expected an integer, got number 1.5"),
    ],
)
def test_warn_within_days_is_validated(tmp_path: Path, extra: str, expected: str) -> None:
    with pytest.raises(UsageError) as caught:
        _policy(tmp_path, extra)
    assert str(caught.value) == f"policy.yml:8: rules[0].warn_within_days: {expected}"


def test_warn_within_days_belongs_to_end_of_support_only(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    path.write_text(
        "apiVersion: mdrgate/v1\nkind: Policy\nmetadata: {name: t, version: '1'}\nrules:\n"
        "  - id: L\n    type: soup-level-of-support\n    action: fail\n    levels: [abandoned]\n"
        "    warn_within_days: 30\n",
        encoding="utf-8",
    )
    with pytest.raises(UsageError) as caught:
        load_policies([str(path)], cwd=tmp_path)
    assert "warn_within_days" in str(caught.value)
