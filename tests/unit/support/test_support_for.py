"""Components to endoflife.date products and cycles, on the real excerpt (tests/assets/support)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mdrgate.enrich.end_of_life import (
    EOL_CYCLE_UNKNOWN,
    EOL_PRODUCT_AMBIGUOUS,
    NO_EOL_DATA,
    identifier_keys,
    support_for,
)
from mdrgate.model import Component, ComponentClass, DiagnosticLevel, Inventory
from mdrgate.model.support import MatchedBy, ProductMatch, SupportFacts
from mdrgate.vulndb import VulnDb
from tests.unit.support.conftest import TODAY

HOST, FIRMWARE = ComponentClass.HOST, ComponentClass.FIRMWARE

CPYTHON = Component(
    "CPython",
    "3.8.10",
    HOST,
    purl="pkg:generic/cpython@3.8.10",
    cpes=("cpe:2.3:a:python:python:3.8.10:*:*:*:*:*:*:*",),
)
OPENSSL = Component(
    "OpenSSL", "1.1.1k", FIRMWARE, cpes=("cpe:2.3:a:openssl:openssl:1.1.1k:*:*:*:*:*:*:*",)
)
DJANGO = Component("Django", "4.2.7", HOST, ecosystem="PyPI", purl="pkg:pypi/django@4.2.7")
NODE = Component("node", "v22.11.0", HOST, purl="pkg:generic/node@v22.11.0")
SQLITE = Component("SQLite", "3.45.1", FIRMWARE, cpes=("cpe:/a:sqlite:sqlite:3.45.1",))
REQUESTS = Component("requests", "2.31.0", HOST, ecosystem="PyPI", purl="pkg:pypi/requests@2.31.0")


def _one(db: VulnDb, component: Component) -> SupportFacts:
    facts, diagnostics = support_for(Inventory((component,)), db)
    assert diagnostics == ()
    (fact,) = facts
    return fact


def test_openssl_letter_release_by_cpe(eol_db: VulnDb) -> None:
    fact = _one(eol_db, OPENSSL)
    assert fact == SupportFacts(
        component="firmware:OpenSSL@1.1.1k",
        product="openssl",
        product_title="OpenSSL",
        matched=(ProductMatch(MatchedBy.CPE, "openssl:openssl"),),
        source="eol",
        cycle="1.1.1",
        version="1.1.1k",
        eol=date(2023, 9, 11),
        support=None,
        extended_support=True,
        lts=True,
        release_date=date(2018, 9, 11),
        latest="1.1.1w",
        latest_release_date=date(2023, 9, 12),
        codename=None,
        link="https://openssl-library.org/news/vulnerabilities-1.1.1/",
        notes=(),
    )
    assert fact.describe() == (
        "endoflife.date openssl cycle 1.1.1: eol 2023-09-11, extended support ongoing, LTS, "
        "latest 1.1.1w (2023-09-12)"
    )
    assert fact.matched_text() == "matched by cpe openssl:openssl"
    assert fact.eol_on(TODAY) is True
    assert fact.eol_on(date(2023, 9, 10)) is False
    assert fact.eol_on(date(2023, 9, 11)) is True  # endoflife.date: ended on the day


def test_python_by_cpe_when_the_purl_is_not_listed(eol_db: VulnDb) -> None:
    fact = _one(eol_db, CPYTHON)
    # pkg:generic/cpython is not among python's purls; its CPE is.
    assert (fact.product, fact.cycle, fact.eol, fact.support) == (
        "python",
        "3.8",
        date(2024, 10, 7),
        date(2021, 5, 3),
    )
    assert fact.matched == (ProductMatch(MatchedBy.CPE, "python:python"),)
    assert fact.describe() == (
        "endoflife.date python cycle 3.8: eol 2024-10-07, active support until 2021-05-03, "
        "latest 3.8.20 (2024-09-06)"
    )


def test_django_by_purl(eol_db: VulnDb) -> None:
    fact = _one(eol_db, DJANGO)
    assert (fact.product, fact.cycle, fact.eol, fact.lts, fact.latest) == (
        "django",
        "4.2",
        date(2026, 4, 7),
        True,
        "4.2.30",
    )
    assert fact.matched == (ProductMatch(MatchedBy.PURL, "pkg:pypi/django"),)


def test_node_lts_from_a_date(eol_db: VulnDb) -> None:
    fact = _one(eol_db, NODE)
    assert (fact.product, fact.cycle, fact.eol, fact.lts) == (
        "nodejs",
        "22",
        date(2027, 4, 30),
        date(2024, 10, 29),
    )
    assert fact.describe() == (
        "endoflife.date nodejs cycle 22: eol 2027-04-30, active support until 2025-10-21, "
        "extended support ongoing, LTS from 2024-10-29, latest 22.23.2 (2026-07-29)"
    )


def test_sqlite_without_announced_end(eol_db: VulnDb) -> None:
    fact = _one(eol_db, SQLITE)
    assert (fact.cycle, fact.eol, fact.eol_on(TODAY)) == ("3", False, False)
    assert fact.describe() == (
        "endoflife.date sqlite cycle 3: eol not announced, latest 3.53.4 (2026-07-24)"
    )


@pytest.mark.parametrize(
    ("purl", "key"),
    [
        ("pkg:pypi/Django@4.2.7", "pkg:pypi/django"),  # PEP 503 name
        ("pkg:github/Django/Django@4.2.7", "pkg:github/django/django"),  # github is caseless
    ],
)
def test_purl_spelling(eol_db: VulnDb, purl: str, key: str) -> None:
    component = Component("Django", "4.2.7", HOST, purl=purl)
    fact = _one(eol_db, component)
    assert (fact.product, fact.cycle) == ("django", "4.2")
    assert ProductMatch(MatchedBy.PURL, key) in fact.matched


def test_identifier_keys() -> None:
    component = Component(
        "Django",
        "4.2.7",
        HOST,
        purl="pkg:pypi/Django@4.2.7?extension=tar.gz",
        cpes=("cpe:2.3:a:djangoproject:django:4.2.7:*:*:*:*:*:*:*", "not a cpe"),
    )
    assert [str(k) for k in identifier_keys(component)] == [
        "cpe djangoproject:django",
        "purl pkg:pypi/Django",
        "purl pkg:pypi/django",
    ]


def test_components_no_product_names_get_no_facts(eol_db: VulnDb) -> None:
    no_ids = Component("FatFs", "R0.14b", FIRMWARE)
    assert support_for(Inventory((REQUESTS, no_ids)), eol_db) == ((), ())


def test_version_outside_every_cycle_is_reported_not_guessed(eol_db: VulnDb) -> None:
    future = Component("Django", "7.0", HOST, ecosystem="PyPI", purl="pkg:pypi/django@7.0")
    facts, diagnostics = support_for(Inventory((future,)), eol_db)
    (fact,) = facts
    assert (fact.product, fact.cycle, fact.eol, fact.eol_on(TODAY)) == ("django", None, None, None)
    reason = (
        "version 7.0 belongs to no release cycle of endoflife.date product django "
        "(cycles 1.3 to 6.1); its end of life is unknown"
    )
    assert fact.notes == (reason,)
    assert fact.describe() == "endoflife.date django: no release cycle for version 7.0"
    (diag,) = diagnostics
    assert (diag.code, diag.level, diag.component, diag.message) == (
        EOL_CYCLE_UNKNOWN,
        DiagnosticLevel.WARNING,
        "pkg:pypi/django@7.0",
        f"Django 7.0: {reason}",
    )


def test_unknown_version(eol_db: VulnDb) -> None:
    unpinned = Component("Django", None, HOST, ecosystem="PyPI", purl="pkg:pypi/django")
    facts, diagnostics = support_for(Inventory((unpinned,)), eol_db)
    assert [(f.product, f.cycle) for f in facts] == [("django", None)]
    assert [d.message for d in diagnostics] == [
        "Django (version unknown): the version is unknown, so no release cycle of endoflife.date "
        "product django can be chosen; its end of life is unknown"
    ]


ANSIBLE_CPE = "cpe:2.3:a:redhat:ansible:{}:*:*:*:*:*:*:*"


def test_purl_beats_a_shared_cpe(eol_db: VulnDb) -> None:
    # cpe redhat:ansible is listed by both ansible and ansible-core; the purl names ansible.
    component = Component(
        "ansible",
        "2.9.27",
        HOST,
        ecosystem="PyPI",
        purl="pkg:pypi/ansible@2.9.27",
        cpes=(ANSIBLE_CPE.format("2.9.27"),),
    )
    fact = _one(eol_db, component)
    assert (fact.product, fact.cycle) == ("ansible", "2.9")
    assert fact.matched_text() == "matched by cpe redhat:ansible, purl pkg:pypi/ansible"
    assert fact.notes == (
        "ansible-core is also named (cpe redhat:ansible); ansible is named by the purl",
    )


@pytest.mark.parametrize(
    ("version", "product", "cycle", "other"),
    [("9.1.0", "ansible", "9", "ansible-core"), ("2.15.3", "ansible-core", "2.15", "ansible")],
)
def test_shared_cpe_decided_by_the_only_cycle(
    eol_db: VulnDb, version: str, product: str, cycle: str, other: str
) -> None:
    component = Component("ansible", version, HOST, cpes=(ANSIBLE_CPE.format(version),))
    fact = _one(eol_db, component)
    assert (fact.product, fact.cycle) == (product, cycle)
    assert fact.notes == (
        f"{other} is also named (cpe redhat:ansible) but has no release cycle for "
        f"version {version}",
    )


def test_shared_cpe_with_cycles_in_both_is_ambiguous(eol_db: VulnDb) -> None:
    component = Component("ansible", "2.9.27", HOST, cpes=(ANSIBLE_CPE.format("2.9.27"),))
    facts, diagnostics = support_for(Inventory((component,)), eol_db)
    assert facts == ()
    (diag,) = diagnostics
    assert (diag.code, diag.component) == (EOL_PRODUCT_AMBIGUOUS, "host:ansible@2.9.27")
    assert diag.message == (
        "ansible 2.9.27: its identifiers (cpe redhat:ansible) name the endoflife.date products "
        "ansible, ansible-core alike and each has a release cycle for version 2.9.27; none was "
        "chosen — give the component a purl or CPE that names one product"
    )


def test_shared_cpe_without_any_cycle_is_ambiguous(eol_db: VulnDb) -> None:
    component = Component("ansible", "1.0", HOST, cpes=(ANSIBLE_CPE.format("1.0"),))
    facts, diagnostics = support_for(Inventory((component,)), eol_db)
    assert facts == ()
    assert "none has a release cycle for version 1.0" in diagnostics[0].message


def test_results_are_sorted_and_repeatable(eol_db: VulnDb) -> None:
    inventory = Inventory((SQLITE, REQUESTS, NODE, CPYTHON, OPENSSL, DJANGO))
    facts, diagnostics = support_for(inventory, eol_db)
    assert [f.component for f in facts] == [
        "firmware:OpenSSL@1.1.1k",
        "firmware:SQLite@3.45.1",
        "pkg:generic/cpython@3.8.10",
        "pkg:generic/node@v22.11.0",
        "pkg:pypi/django@4.2.7",
    ]
    assert diagnostics == ()
    reversed_inventory = Inventory(tuple(reversed(inventory.components)))
    assert support_for(reversed_inventory, eol_db) == (facts, diagnostics)


def test_database_without_eol_data_says_so(kev_only_db_path: Path) -> None:
    with VulnDb.open(kev_only_db_path) as db:
        facts, diagnostics = support_for(Inventory((CPYTHON,)), db)
        assert support_for(Inventory(()), db) == ((), ())
    assert facts == ()
    (diag,) = diagnostics
    assert (diag.code, diag.level, diag.component) == (NO_EOL_DATA, DiagnosticLevel.WARNING, None)
    assert diag.message.startswith("the vulnerability database holds no endoflife.date data")
