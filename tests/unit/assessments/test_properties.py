"""Properties: a selector covers a component exactly when every part it states holds.

The oracle is written independently of the implementation: names by ``fnmatch`` after the purl
type's normalisation, versions by ``packaging`` (PyPI) or by integer tuples (firmware releases).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from hypothesis import assume, event, given, settings
from hypothesis import strategies as st
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from mdrgate.model import Component, ComponentClass
from mdrgate.model.assessment import ComponentSelector
from mdrgate.policy.assessments import selector_matches

TYPES = {
    # purl type: (ecosystem, how the type compares names)
    "pypi": ("PyPI", "pep503"),
    "github": (None, "lower"),
    "golang": ("Go", "exact"),
    "generic": (None, "exact"),
}

name_chars = st.sampled_from("abcXYZ019-_.")
names = st.text(name_chars, min_size=1, max_size=6).filter(lambda s: s[0].isalnum())
namespaces = st.sampled_from(["FreeRTOS", "freertos", "mbed-tls", "github.com/Microsoft"])
releases = st.lists(st.integers(0, 4), min_size=1, max_size=3).map(
    lambda parts: ".".join(map(str, parts))
)
ops = st.sampled_from(["==", "!=", "<", "<=", ">", ">="])
ranges = st.lists(
    st.lists(st.tuples(ops, releases).map("".join), min_size=1, max_size=2).map(",".join),
    min_size=1,
    max_size=2,
).map(" || ".join)


@dataclass(frozen=True)
class Package:
    type: str
    namespace: str | None
    name: str
    version: str

    def purl(self, version: bool = True) -> str:
        path = f"{self.namespace}/{self.name}" if self.namespace else self.name
        return f"pkg:{self.type}/{path}" + (f"@{self.version}" if version else "")

    def component(self) -> Component:
        ecosystem = TYPES[self.type][0]
        version = f"v{self.version}" if self.type == "golang" else self.version
        return Component(
            name=self.name,
            version=version,
            component_class=ComponentClass.HOST if ecosystem else ComponentClass.FIRMWARE,
            ecosystem=ecosystem,
            purl=f"pkg:{self.type}/"
            + (f"{self.namespace}/" if self.namespace else "")
            + f"{self.name}@{version}",
        )


@st.composite
def packages(draw: st.DrawFn) -> Package:
    purl_type = draw(st.sampled_from(sorted(TYPES)))
    namespace = None if purl_type == "pypi" else draw(st.none() | namespaces)
    if purl_type == "golang":
        version = ".".join((draw(releases) + ".0.0").split(".")[:3])  # Go needs three numbers
    else:
        version = draw(releases)
    return Package(purl_type, namespace, draw(names), version)


def _normal(purl_type: str, path: str) -> str:
    how = TYPES[purl_type][1]
    if how == "pep503":
        return canonicalize_name(path)
    return path.lower() if how == "lower" else path


def _release(text: str) -> tuple[int, ...]:
    numbers = [int(n) for n in text.lstrip("v").split(".")]
    while numbers and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)


def _in_range(text: str, version: str, purl_type: str) -> bool:
    if purl_type == "pypi":
        return any(
            SpecifierSet(group).contains(Version(version), prereleases=True)
            for group in text.split("||")
        )
    compare = {
        "==": lambda a, b: a == b,
        "!=": lambda a, b: a != b,
        "<": lambda a, b: a < b,
        "<=": lambda a, b: a <= b,
        ">": lambda a, b: a > b,
        ">=": lambda a, b: a >= b,
    }
    value = _release(version)
    for group in text.split("||"):
        ok = True
        for text_clause in group.split(","):
            clause = text_clause.strip()
            op = clause[:2] if clause[1] == "=" else clause[:1]
            ok = ok and compare[op](value, _release(clause[len(op) :]))
        if ok:
            return True
    return False


@st.composite
def patterns(draw: st.DrawFn, package: Package) -> str:
    """A purl pattern for ``package``: some characters replaced by '*', some case flipped."""
    path = f"{package.namespace}/{package.name}" if package.namespace else package.name
    chars = list(path)
    if draw(st.booleans()):
        start = draw(st.integers(0, len(chars)))
        end = draw(st.integers(start, len(chars)))
        chars[start:end] = ["*"]
    if draw(st.booleans()):
        chars = [c.swapcase() if draw(st.booleans()) else c for c in chars]
    pattern = "".join(chars)
    if pattern.startswith("/") or pattern.endswith("/") or "//" in pattern or not pattern:
        pattern = path
    return f"pkg:{package.type}/{pattern}"


@given(packages(), packages(), st.data(), ranges)
@settings(max_examples=300)
def test_purl_selector_covers_exactly_what_it_states(
    source: Package, target: Package, data: st.DataObject, versions: str
) -> None:
    """A selector made from one package, tried on another (sometimes the same one)."""
    if data.draw(st.booleans()):
        target = source
    pattern = data.draw(patterns(source))
    selector = ComponentSelector(purl=pattern, versions=versions)
    component = target.component()
    answer = selector_matches(selector, component)

    stated_type, stated_path = pattern[4:].split("/", 1)
    target_path = f"{target.namespace}/{target.name}" if target.namespace else target.name
    type_holds = stated_type == target.type
    path_holds = type_holds and fnmatch.fnmatchcase(
        _normal(target.type, target_path), _normal(target.type, stated_path)
    )
    version_holds = _in_range(versions, target.version, target.type)
    event(f"type {type_holds} path {path_holds} version {version_holds} answer {answer}")
    assert answer is (type_holds and path_holds and version_holds)


@given(packages(), ranges, st.data())
def test_versions_outside_the_range_never_match(
    package: Package, versions: str, data: st.DataObject
) -> None:
    assume(not _in_range(versions, package.version, package.type))
    wildcard = data.draw(st.sampled_from([f"pkg:{package.type}/*", package.purl(version=False)]))
    for selector in (
        ComponentSelector(purl=wildcard, versions=versions),
        ComponentSelector(name="*", versions=versions),
        ComponentSelector(name=package.name, versions=versions),
    ):
        assert selector_matches(selector, package.component()) is False


@given(packages(), st.data())
def test_wildcards_stand_for_any_run_and_nothing_else(
    package: Package, data: st.DataObject
) -> None:
    # '*' stands for a run of the name as its ecosystem compares it (PEP 503 for PyPI: 'a.b' is
    # 'a-b'), so the wildcard replaces part of that form
    name = canonicalize_name(package.name) if package.type == "pypi" else package.name.casefold()
    start = data.draw(st.integers(0, len(name)))
    end = data.draw(st.integers(start, len(name)))
    selector = ComponentSelector(name=name[:start] + "*" + name[end:], versions=">=0")
    assert selector_matches(selector, package.component()) is True
    # one more character than the name has, outside the wildcard: never covered
    longer = ComponentSelector(name=name[:start] + "*" + name[end:] + "Q", versions=">=0")
    assert selector_matches(longer, package.component()) is False
    # a pinned purl covers its version only
    pinned = ComponentSelector(purl=package.purl(), versions=">=0")
    assert selector_matches(pinned, package.component()) is True
    *head, last = package.version.split(".")
    later = ".".join([*head, str(int(last) + 1)])
    other = Package(package.type, package.namespace, package.name, later)
    assert selector_matches(pinned, other.component()) is False


vendors = st.text(st.sampled_from("amzonrFRT_"), min_size=1, max_size=5)


@given(vendors, vendors, vendors, vendors, releases, st.booleans())
def test_cpe_vendor_and_product_must_both_hold(
    vendor: str, product: str, other_vendor: str, other_product: str, version: str, pin: bool
) -> None:
    component = Component(
        name=product,
        version=version,
        component_class=ComponentClass.FIRMWARE,
        cpes=(f"cpe:2.3:o:{vendor}:{product}:{version}:*:*:*:*:*:*:*",),
    )
    stated_version = version if pin else "*"
    selector = ComponentSelector(
        cpe=f"cpe:2.3:*:{other_vendor.upper()}:{other_product}:{stated_version}:*:*:*:*:*:*:*",
        versions=f"=={version}",
    )
    holds = other_vendor.casefold() == vendor.casefold() and (
        other_product.casefold() == product.casefold()
    )
    assert selector_matches(selector, component) is holds
