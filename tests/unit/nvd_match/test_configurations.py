"""NVD configurations: reading them (shape errors with paths) and the logic of judging one
component (operators, negation, platforms, versions that cannot be compared).

Records are the real ones in tests/assets/nvd-match; where a test needs a shape NVD does not
publish (a negated node, an AND node, a broken bound), it changes one field of a real record and
says so.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mdrgate.cpe import CpeError
from mdrgate.enrich.nvd_configurations import (
    ConfigurationError,
    MatchStatus,
    Operator,
    Subject,
    criteria_products,
    evaluate,
    match_cve,
    parse_configurations,
    products_named,
)
from mdrgate.versioning import GENERIC, PEP440
from mdrgate.versioning.base import Comparable, VersionScheme
from tests.unit.nvd_match.assets import committed_cves, configurations

A, N, U = MatchStatus.AFFECTED, MatchStatus.NOT_AFFECTED, MatchStatus.UNDETERMINED


def changed(cve: str) -> Any:
    """A deep copy of a real record's configurations, to change one field of."""
    return copy.deepcopy(configurations(cve))


def test_every_committed_record_parses() -> None:
    for cve in committed_cves():
        parsed = parse_configurations(configurations(cve))
        assert parsed, cve


def test_shape_of_an_and_configuration_with_a_platform() -> None:
    parsed = parse_configurations(configurations("CVE-2021-42374"))
    assert len(parsed) == 10
    assert parsed[0].operator is Operator.OR  # no operator given: one node
    netapp = parsed[3]
    assert netapp.operator is Operator.AND
    assert not netapp.negate
    firmware, hardware = netapp.nodes
    assert firmware.entries[0].vulnerable
    assert not hardware.entries[0].vulnerable
    assert hardware.entries[0].criteria == "cpe:2.3:h:netapp:h300s:-:*:*:*:*:*:*:*"
    busybox = parsed[0].nodes[0].entries[0]
    assert busybox.match_criteria_id == "DA94EB44-C98E-419B-9153-DA373002A3CA"
    assert busybox.bounds == (
        ("versionStartIncluding", "1.27.0"),
        ("versionEndIncluding", "1.33.1"),
    )
    assert busybox.bounds_text() == "from 1.27.0 (including) up to 1.33.1 (including)"


def test_unknown_keys_are_ignored() -> None:
    raw = changed("CVE-2022-40674")
    raw[0]["futureKey"] = {"anything": 1}
    raw[0]["nodes"][0]["cpeMatch"][0]["matchCriteriaIdV2"] = "x"
    assert parse_configurations(raw) == parse_configurations(configurations("CVE-2022-40674"))


def _break(path: str, value: object) -> Any:
    raw = changed("CVE-2022-40674")
    target: Any = raw
    keys: list[str | int] = [int(k) if k.isdigit() else k for k in path.split("/")]
    for key in keys[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[keys[-1]]
    else:
        target[keys[-1]] = value
    return raw


_DELETE = object()
_ENTRY = "0/nodes/0/cpeMatch/0"


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("0/nodes", _DELETE, r"configurations\[0\]\.nodes: expected a list, found nothing"),
        (
            "0/operator",
            "XOR",
            r"configurations\[0\]\.operator: expected 'AND' or 'OR', found 'XOR'",
        ),
        ("0/negate", "no", r"configurations\[0\]\.negate: expected true or false, found 'no'"),
        (
            "0/nodes/0/operator",
            _DELETE,
            r"nodes\[0\]\.operator: missing \(expected 'AND' or 'OR'\)",
        ),
        ("0/nodes/0/cpeMatch", {}, r"nodes\[0\]\.cpeMatch: expected a list, found an object"),
        ("0/nodes/0", "OR", r"configurations\[0\]\.nodes\[0\]: expected an object, found a string"),
        (f"{_ENTRY}/vulnerable", _DELETE, r"cpeMatch\[0\]\.vulnerable: missing"),
        (f"{_ENTRY}/vulnerable", "true", r"cpeMatch\[0\]\.vulnerable: expected true or false"),
        (
            f"{_ENTRY}/criteria",
            7,
            r"cpeMatch\[0\]\.criteria: expected a CPE 2.3 string, found a int",
        ),
        (
            f"{_ENTRY}/criteria",
            "cpe:/a:libexpat_project:libexpat",
            "is not a CPE 2.3 formatted string",
        ),
        (
            f"{_ENTRY}/criteria",
            "cpe:2.3:a:libexpat_project:libexpat:*:*:*:*:*:*:*",
            r"cpeMatch\[0\]\.criteria: .* found 10",
        ),
        (f"{_ENTRY}/versionEndExcluding", " ", r"versionEndExcluding: expected a version string"),
        (f"{_ENTRY}/versionEndExcluding", 2.49, r"versionEndExcluding: expected a version string"),
        (f"{_ENTRY}/matchCriteriaId", 5, r"matchCriteriaId: expected a string, found a int"),
    ],
)
def test_shape_errors_name_the_path(path: str, value: object, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        parse_configurations(_break(path, value))


def test_configurations_must_be_a_list() -> None:
    with pytest.raises(
        ConfigurationError, match="configurations: expected a list, found an object"
    ):
        parse_configurations({"nodes": []})
    with pytest.raises(ConfigurationError, match=r"CVE-X\.configurations\[0\]: expected an object"):
        parse_configurations([1], where="CVE-X.configurations")


def test_products_named_for_indexing() -> None:
    parsed = parse_configurations(configurations("CVE-2015-5895"))
    assert products_named(parsed) == {"sqlite:sqlite", "apple:iphone_os"}
    assert products_named(parsed, vulnerable_only=True) == {"sqlite:sqlite"}


def test_raw_indexing_agrees_with_the_parsed_entries() -> None:
    for cve in committed_cves():
        raw = configurations(cve)
        assert criteria_products(raw) == products_named(parse_configurations(raw)), cve
    assert criteria_products(configurations("CVE-2006-10002")) == {"toddr:xml\\:\\:parser"}
    assert criteria_products(configurations("CVE-2015-2883")) == {"philips:in.sight_b120\\\\37"}


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("0/nodes", _DELETE, r"configurations\[0\]\.nodes: expected a list"),
        ("0/nodes/0/cpeMatch", None, r"nodes\[0\]\.cpeMatch: expected a list"),
        (f"{_ENTRY}/criteria", None, r"cpeMatch\[0\]\.criteria: expected a string"),
        (f"{_ENTRY}/criteria", "cpe:2.3:a:x", r"cpeMatch\[0\]\.criteria: .* found 2"),
    ],
)
def test_raw_indexing_refuses_what_it_cannot_index(path: str, value: object, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        criteria_products(_break(path, value))
    with pytest.raises(ConfigurationError, match="expected a list"):
        criteria_products({})


def test_a_record_without_configurations_affects_nothing() -> None:
    match = match_cve([], ["sqlite:sqlite"], "3.8.10.1", GENERIC)
    assert match.status is N
    assert match.reason == "no cpeMatch entry names sqlite:sqlite"


# --- the component


def test_subject_needs_a_vendor_and_product() -> None:
    with pytest.raises(CpeError, match="at least one CPE name"):
        Subject.of([], "1.0")
    with pytest.raises(CpeError, match="does not name one vendor and product"):
        Subject.of(["cpe:2.3:a:*:*:1.0:*:*:*:*:*:*:*"])
    with pytest.raises(CpeError, match="does not name one vendor and product"):
        Subject.of(["cpe:2.3:a:open*:openssl:1.0:*:*:*:*:*:*:*"])
    subject = Subject.of(
        ["arm:mbed_tls", "cpe:2.3:a:arm:mbed_tls:*:*:*:*:*:*:*:*", "arm:mbed_tls"], " "
    )
    assert len(subject.names) == 2
    assert subject.version is None
    assert subject.product_keys == ("arm:mbed_tls",)


def test_the_version_in_the_cpe_is_used_when_no_version_is_given() -> None:
    raw = configurations("CVE-2005-2096")
    assert match_cve(raw, ["cpe:2.3:a:zlib:zlib:1.2.2:*:*:*:*:*:*:*"], None, GENERIC).status is A
    # The component's version takes precedence over the one written in its CPE.
    assert match_cve(raw, ["cpe:2.3:a:zlib:zlib:1.2.2:*:*:*:*:*:*:*"], "1.2.3", GENERIC).status is N


def test_an_update_stated_in_the_component_cpe() -> None:
    betas = configurations("CVE-2002-0657")
    beta1 = "cpe:2.3:a:openssl:openssl:0.9.7:beta1:*:*:*:*:*:*"
    release = "cpe:2.3:a:openssl:openssl:0.9.7:-:*:*:*:*:*:*"
    assert match_cve(betas, [beta1], None, GENERIC).status is A
    assert match_cve(betas, [release], None, GENERIC).status is N
    # CVE-2003-0078 lists 0.9.7 update '-' (the release) and beta1..beta6.
    both = configurations("CVE-2003-0078")
    assert match_cve(both, [release], None, GENERIC).decided_by[0].entry.criteria == (
        "cpe:2.3:a:openssl:openssl:0.9.7:-:*:*:*:*:*:*"
    )
    beta7 = "cpe:2.3:a:openssl:openssl:0.9.7:beta7:*:*:*:*:*:*"
    assert match_cve(both, [beta7], None, GENERIC).status is N


def test_a_component_with_no_version_against_every_version() -> None:
    # CVE-2015-2883's device has version '-'; a component without a version is undetermined.
    device = "cpe:2.3:h:philips:in.sight_b120\\\\37:*:*:*:*:*:*:*:*"
    match = match_cve(configurations("CVE-2015-2883"), [device], None, GENERIC)
    assert match.status is U
    assert "NVD gives no version" in match.reason


def test_a_versionless_component_against_versions() -> None:
    match = match_cve(
        configurations("CVE-2020-22284"),
        ["cpe:2.3:a:lwip_project:lwip:-:*:*:*:*:*:*:*"],
        None,
        GENERIC,
    )
    assert match.status is N


# --- logic, on real records with one field changed


def test_a_negated_platform_node_leaves_the_finding_conditional() -> None:
    raw = changed("CVE-2015-5895")
    raw[0]["nodes"][1]["negate"] = True  # "SQLite when NOT running on iOS <= 8.4.1"
    match = match_cve(raw, ["sqlite:sqlite"], "3.8.10.1", GENERIC)
    assert match.status is A
    assert match.conditional
    assert match.decided_by[0].conditions == (
        "not running on/with cpe:2.3:o:apple:iphone_os:*:*:*:*:*:*:*:* up to 8.4.1 (including)",
    )


def test_a_negated_vulnerable_node_makes_the_configuration_false() -> None:
    raw = changed("CVE-2015-5895")
    raw[0]["nodes"][0]["negate"] = True
    match = match_cve(raw, ["sqlite:sqlite"], "3.8.10.1", GENERIC)
    assert match.status is N
    assert "configurations that do not apply" in match.reason


def test_a_negated_configuration() -> None:
    raw = changed("CVE-2022-40674")
    raw[0]["negate"] = True
    assert match_cve(raw, ["libexpat_project:libexpat"], "2.4.8", GENERIC).status is N
    # Negation can make the configuration true, but no vulnerable entry covers 2.4.9.
    assert match_cve(raw, ["libexpat_project:libexpat"], "2.4.9", GENERIC).status is N


def test_an_and_node_needs_its_other_entries() -> None:
    raw = changed("CVE-2018-16601")
    raw[0]["nodes"][0]["operator"] = "AND"
    match = match_cve(raw, ["cpe:2.3:o:amazon:freertos:*:*:*:*:*:*:*:*"], "10.0.1", GENERIC)
    assert match.status is A
    assert match.decided_by[0].conditions == (
        "together with cpe:2.3:a:amazon:amazon_web_services_freertos:*:*:*:*:*:*:*:* up to 1.3.1 "
        "(including)",
    )


def test_a_platform_of_its_own_product_that_excludes_the_version() -> None:
    # CVE-2015-6607 with the platform entry turned into SQLite 3.8.8.3 itself: SQLite <= 3.8.8.3
    # AND running with SQLite = 3.8.8.3 cannot hold for SQLite 3.8.8.2.
    raw = changed("CVE-2015-6607")
    raw[0]["nodes"][1]["cpeMatch"][0]["criteria"] = "cpe:2.3:a:sqlite:sqlite:3.8.8.3:*:*:*:*:*:*:*"
    assert match_cve(raw, ["sqlite:sqlite"], "3.8.8.2", GENERIC).status is N
    match = match_cve(raw, ["sqlite:sqlite"], "3.8.8.3", GENERIC)
    assert match.status is A
    assert not match.conditional


def test_an_unparsable_bound_is_undetermined_not_passed() -> None:
    raw = changed("CVE-2022-40674")
    raw[0]["nodes"][0]["cpeMatch"][0]["versionEndExcluding"] = "2.4.x"
    match = match_cve(raw, ["libexpat_project:libexpat"], "2.4.8", GENERIC)
    assert match.status is U
    assert match.reason == (
        "the bound '2.4.x' (versionEndExcluding) is not a firmware version, "
        "so 2.4.8 cannot be placed"
    )


def test_a_bound_that_decides_alone() -> None:
    raw = changed("CVE-2022-35737")
    raw[0]["nodes"][0]["cpeMatch"][0]["versionStartIncluding"] = "1.0.x"
    assert match_cve(raw, ["sqlite:sqlite"], "3.40.0", GENERIC).status is N  # above the end
    # 3.39.1 is above '1.0.x' whatever the x: its leading release number (3) decides.
    inside = match_cve(raw, ["sqlite:sqlite"], "3.39.1", GENERIC)
    assert inside.status is A
    assert inside.reason.startswith(
        "3.39.1 is in the range from 1.0.x (including) up to 3.39.2 (excluding) (decided by the "
        "leading release numbers: '1.0.x' is not a firmware version)"
    )
    assert match_cve(raw, ["sqlite:sqlite"], "1.0.13", GENERIC).status is U


def test_unconditional_matches_come_first() -> None:
    both = parse_configurations(configurations("CVE-2015-5895")) + parse_configurations(
        configurations("CVE-2022-35737")
    )
    match = evaluate(both, Subject.of(["sqlite:sqlite"], "3.8.10.1"), GENERIC)
    assert match.status is A
    assert not match.conditional
    assert [m.configuration for m in match.decided_by] == [1, 0]
    assert [bool(m.conditions) for m in match.decided_by] == [False, True]


class NoVersions(VersionScheme):
    """A scheme that reads nothing: every comparison must become undetermined."""

    name = "unreadable scheme"

    def parse(self, text: str) -> Comparable | None:
        return None


def test_the_scheme_is_injected() -> None:
    ranged = configurations("CVE-2022-25638")  # wolfssl:wolfssl < 5.2.0
    # Leading release numbers that differ decide even when the scheme reads nothing...
    assert match_cve(ranged, ["wolfssl:wolfssl"], "5.1.1", NoVersions()).status is A
    assert match_cve(ranged, ["wolfssl:wolfssl"], "6.0", NoVersions()).status is N
    # ... equal ones do not, and neither do texts with an epoch.
    assert match_cve(ranged, ["wolfssl:wolfssl"], "5.2.0-stable", NoVersions()).status is U
    assert match_cve(ranged, ["wolfssl:wolfssl"], "1:6.0", NoVersions()).status is U
    assert match_cve(ranged, ["wolfssl:wolfssl"], "5.1.1", PEP440).status is A
    assert match_cve(ranged, ["wolfssl:wolfssl"], "5.2.0", PEP440).status is N
    exact = configurations("CVE-2020-22284")
    # The same text is the same version, whatever the scheme.
    assert match_cve(exact, ["lwip_project:lwip"], "2.1.2", NoVersions()).status is A
    # Different release numbers are different versions, whatever the scheme.
    assert match_cve(exact, ["lwip_project:lwip"], "2.2.0", NoVersions()).status is N
    assert match_cve(exact, ["lwip_project:lwip"], "2.1.2.1", NoVersions()).status is U


def test_match_notes_a_part_difference() -> None:
    match = match_cve(
        configurations("CVE-2018-16601"),
        ["cpe:2.3:o:amazon:freertos:*:*:*:*:*:*:*:*"],
        "10.0.1",
        GENERIC,
    )
    assert match.notes == (
        "cpe:2.3:a:amazon:freertos:*:*:*:*:*:*:*:* files amazon:freertos under part 'a', the "
        "component's CPE under 'o'; the part is not used to tell products apart",
    )
    assert "matchCriteriaId 8A645BC4-5A25-47D4-BBA3-BA199C48FE3C" in match.decided_by[0].describe()


_RELEASES = st.tuples(st.integers(0, 3), st.integers(14, 30), st.integers(0, 13)).map(
    lambda t: ".".join(map(str, t))
)


@given(_RELEASES)
def test_ranges_agree_with_numeric_order(version: str) -> None:
    # CVE-2021-44732: arm:mbed_tls < 2.16.12, 2.17.0 <= v < 2.28.0, = 3.0.0 (update '-'), ...
    numbers = tuple(int(x) for x in version.split("."))
    expected = numbers < (2, 16, 12) or (2, 17, 0) <= numbers < (2, 28, 0) or numbers == (3, 0, 0)
    match = match_cve(configurations("CVE-2021-44732"), ["arm:mbed_tls"], version, GENERIC)
    assert match.status is (A if expected else N)
