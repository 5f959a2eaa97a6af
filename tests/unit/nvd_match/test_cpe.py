"""CPE names: formatted strings with quoting, 2.2 URIs, and the NISTIR 7696 relations.

The criteria strings are real ones from the NVD records (tests/assets/nvd-match) or from the
NVD feeds (quoted characters as NVD writes them).
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from mdrgate.cpe import (
    ANY,
    ATTRIBUTES,
    NA,
    CpeError,
    CpeName,
    CpeValue,
    Relation,
    ValueKind,
    compare_values,
    is_superset,
    parse_cpe,
    parse_identifier,
    product_key_of,
    product_name,
    value_of,
)


def test_attribute_order_is_the_dataclass_order() -> None:
    name = parse_cpe("cpe:2.3:a:b:c:d:e:f:g:h:i:j:k")
    assert [name.value(a).text for a in ATTRIBUTES] == list("abcdefghijk")


def test_a_plain_criteria() -> None:
    name = parse_cpe("cpe:2.3:a:arm:mbed_tls:3.0.0:preview1:*:*:*:*:*:*")
    assert name.part == CpeValue(ValueKind.VALUE, "a")
    assert name.vendor.text == "arm"
    assert name.product.text == "mbed_tls"
    assert name.version.text == "3.0.0"
    assert name.update.text == "preview1"
    assert name.edition is ANY
    assert name.product_key == "arm:mbed_tls"


def test_any_and_na() -> None:
    name = parse_cpe("cpe:2.3:a:arm:mbed_tls:3.0.0:-:*:*:*:*:*:*")
    assert name.update is NA or name.update == NA
    assert name.edition == ANY
    assert name.update.bound() == "-"


@pytest.mark.parametrize(
    ("criteria", "attribute", "text"),
    [
        # quoted colons: the Perl module XML::Parser (CVE-2006-10002)
        ("cpe:2.3:a:toddr:xml\\:\\:parser:*:*:*:*:*:perl:*:*", "product", "xml::parser"),
        # a quoted backslash: Philips In.Sight B120/37 (CVE-2015-2883)
        ("cpe:2.3:h:philips:in.sight_b120\\\\37:-:*:*:*:*:*:*:*", "product", "in.sight_b120\\37"),
        # quoted parentheses in a Cisco IOS version (CVE-2003-0851)
        ("cpe:2.3:o:cisco:ios:12.1\\(11\\)e:*:*:*:*:*:*:*", "version", "12.1(11)e"),
        # a quoted asterisk is a literal, not a wildcard (CVE-2006-3172)
        (
            "cpe:2.3:a:content\\*builder:content\\*builder:0.7.5:*:*:*:*:*:*:*",
            "vendor",
            "content*builder",
        ),
        # a quoted tilde in a version (CVE-2008-4979)
        ("cpe:2.3:a:shrubbery:rancid:2.3.2\\~a8:*:*:*:*:*:*:*", "version", "2.3.2~a8"),
        ("cpe:2.3:a:joomla:joomla\\!:1.0.3:*:*:*:*:*:*:*", "product", "joomla!"),
        ("cpe:2.3:a:microsoft:visual_c\\#:2002:*:.net_standard:*:*:*:*:*", "product", "visual_c#"),
    ],
)
def test_quoted_characters_are_literals(criteria: str, attribute: str, text: str) -> None:
    name = parse_cpe(criteria)
    value = name.value(attribute)
    assert value.is_literal
    assert value.text == text
    assert name.formatted() == criteria


def test_a_quoted_colon_does_not_split() -> None:
    name = parse_cpe("cpe:2.3:a:toddr:xml\\:\\:parser:*:*:*:*:*:perl:*:*")
    assert name.target_sw.text == "perl"
    assert name.product_key == "toddr:xml\\:\\:parser"


def test_an_escaped_backslash_before_a_colon_still_splits() -> None:
    name = parse_cpe("cpe:2.3:h:philips:in.sight_b120\\\\:-:*:*:*:*:*:*:*")
    assert name.product.text == "in.sight_b120\\"
    assert name.version is NA or name.version == NA


@pytest.mark.parametrize(
    ("value", "prefix", "text", "suffix"),
    [
        ("*mbed*", "*", "mbed", "*"),
        ("??.1", "??", ".1", ""),
        ("2.28*", "", "2.28", "*"),
        ("?", "?", "", ""),
    ],
)
def test_wildcards_at_the_ends(value: str, prefix: str, text: str, suffix: str) -> None:
    name = parse_cpe(f"cpe:2.3:a:arm:mbed_tls:{value}:*:*:*:*:*:*:*")
    assert (name.version.prefix, name.version.text, name.version.suffix) == (prefix, text, suffix)
    assert name.version.has_wildcards
    assert name.version.bound() == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cpe:2.3:a:arm:mbed_tls:3.0.0:*:*:*:*:*:*", "11 attributes after 'cpe:2.3:', found 10"),
        ("cpe:2.3:a:arm:mbed_tls:3.0.0:*:*:*:*:*:*:*:*", "found 12"),
        ("cpe:2.3:x:arm:mbed_tls:3.0.0:*:*:*:*:*:*:*", "the part must be 'a'"),
        (
            "cpe:2.3:a:arm:mbed*tls:3.0.0:*:*:*:*:*:*:*",
            "may only stand at the beginning or the end",
        ),
        ("cpe:2.3:a:arm:mbed_tls:3.0.0:*:*:*:*:*:*:\\", "a backslash at the end quotes nothing"),
        ("cpe:2.3:a:arm::3.0.0:*:*:*:*:*:*:*", "the product is empty"),
        ("cpe:2.3:a:arm:mbed tls:3.0.0:*:*:*:*:*:*:*", "holds ' ' unquoted"),
        ("cpe:2.3:a:arm:**:3.0.0:*:*:*:*:*:*:*", "only wildcards"),
        ("arm:mbed_tls:3.0.0", "is not a CPE name"),
    ],
)
def test_malformed_names_are_refused_with_the_reason(text: str, message: str) -> None:
    with pytest.raises(CpeError, match=message):
        parse_cpe(text)


def test_cpe_22_uri() -> None:
    name = parse_cpe("cpe:/a:openssl:openssl:1.0.2k")
    assert name.product_key == "openssl:openssl"
    assert name.version.text == "1.0.2k"
    assert name.update == ANY
    assert name.formatted() == "cpe:2.3:a:openssl:openssl:1.0.2k:*:*:*:*:*:*:*"


def test_cpe_22_uri_percent_and_packed_edition() -> None:
    name = parse_cpe("cpe:/a:toddr:xml%3a%3aparser:2.47::~~~perl~~")
    assert name.product.text == "xml::parser"
    assert name.target_sw.text == "perl"
    assert name.edition == ANY
    assert name.update == ANY
    assert name.formatted() == "cpe:2.3:a:toddr:xml\\:\\:parser:2.47:*:*:*:*:perl:*:*"


def test_cpe_22_uri_wildcards_and_na() -> None:
    name = parse_cpe("cpe:/o:amazon:freertos:10.4%02:-")
    assert name.version.text == "10.4"
    assert name.version.suffix == "*"
    assert name.update == NA


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cpe:/a:a:b:c:d:e:f:g", "at most 7 components"),
        ("cpe:/a:a:b:1%zz", "broken '%' escape"),
        ("cpe:/a:a:b:1%02.0", "wildcards may only stand at the ends"),
        ("cpe:/a:a:b:1:u:~x~y", "packed edition has 5"),
    ],
)
def test_malformed_uris(text: str, message: str) -> None:
    with pytest.raises(CpeError, match=message):
        parse_cpe(text)


def test_identifiers_accept_vendor_product_pairs() -> None:
    pair = parse_identifier("arm:mbed_tls")
    assert pair == product_name("arm", "mbed_tls")
    assert pair.part == ANY
    assert pair.version == ANY
    assert parse_identifier(" cpe:2.3:o:amazon:freertos:*:*:*:*:*:*:*:* ").part.text == "o"
    assert parse_identifier("toddr:xml\\:\\:parser").product.text == "xml::parser"
    with pytest.raises(CpeError, match="neither a CPE name nor a 'vendor:product' pair"):
        parse_identifier("mbed_tls")
    with pytest.raises(CpeError, match="neither"):
        parse_identifier("arm:")


def test_product_name_checks_the_part() -> None:
    assert product_name("amazon", "freertos", "o").part.text == "o"
    with pytest.raises(CpeError, match="the part must be"):
        product_name("amazon", "freertos", "x")
    with pytest.raises(CpeError, match="cannot be empty"):
        value_of("")


# NISTIR 7696 Table 6-2: source (rows) against target (columns): ANY, NA, i (a literal),
# m + wild (a value with wildcards). i vs i is EQUAL or DISJOINT; wild vs i SUPERSET or DISJOINT.
_I = value_of("2.28.3")
_OTHER = value_of("2.28.4")
_WILD = CpeValue(ValueKind.VALUE, "2.28", "", "*")
_TABLE = [
    (ANY, ANY, Relation.EQUAL),
    (ANY, NA, Relation.SUPERSET),
    (ANY, _I, Relation.SUPERSET),
    (ANY, _WILD, Relation.SUPERSET),
    (NA, ANY, Relation.SUBSET),
    (NA, NA, Relation.EQUAL),
    (NA, _I, Relation.DISJOINT),
    (NA, _WILD, Relation.UNDEFINED),
    (_I, ANY, Relation.SUBSET),
    (_I, NA, Relation.DISJOINT),
    (_I, _I, Relation.EQUAL),
    (_I, _OTHER, Relation.DISJOINT),
    (_I, _WILD, Relation.UNDEFINED),
    (_WILD, ANY, Relation.SUBSET),
    (_WILD, NA, Relation.DISJOINT),
    (_WILD, _I, Relation.SUPERSET),
    (_WILD, value_of("3.0"), Relation.DISJOINT),
    (_WILD, _WILD, Relation.UNDEFINED),
]


@pytest.mark.parametrize(("source", "target", "relation"), _TABLE)
def test_nistir_7696_attribute_relations(
    source: CpeValue, target: CpeValue, relation: Relation
) -> None:
    assert compare_values(source, target) is relation


def test_relations_ignore_case() -> None:
    assert compare_values(value_of("OpenSSL"), value_of("openssl")) is Relation.EQUAL
    wild = parse_cpe("cpe:2.3:a:open*:x:*:*:*:*:*:*:*:*").vendor
    assert compare_values(wild, value_of("OpenSSL")) is Relation.SUPERSET


@pytest.mark.parametrize(
    ("pattern", "literal", "matches"),
    [
        ("?.1", "2.1", True),
        ("?.1", "12.1", False),
        ("??.1", "12.1", True),
        ("*.1", ".1", True),
        ("2.28*", "2.28.10", True),
        ("2.28*", "2.2", False),
        ("*tls*", "mbed_tls_lts", True),
    ],
)
def test_wildcard_matching(pattern: str, literal: str, matches: bool) -> None:
    value = parse_cpe(f"cpe:2.3:a:v:p:{pattern}:*:*:*:*:*:*:*").version
    assert value.matches(literal) is matches


def test_cpe_superset_between_names() -> None:
    criteria = parse_cpe("cpe:2.3:a:openssl:openssl:*:*:*:*:*:*:x86:*")
    assert is_superset(criteria, parse_cpe("cpe:2.3:a:openssl:openssl:0.9.8g:*:*:*:*:*:x86:*"))
    # The component states no target hardware: NISTIR says SUBSET, not a match.
    assert not is_superset(criteria, parse_cpe("cpe:2.3:a:openssl:openssl:0.9.8g:*:*:*:*:*:*:*"))
    assert not is_superset(criteria, parse_cpe("cpe:2.3:a:openssl:openssl:0.9.8g:*:*:*:*:*:arm:*"))


_LITERAL = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=126), min_size=1, max_size=12
)


@given(st.lists(_LITERAL, min_size=3, max_size=3))
@example(["-", "*", "?"])
@example(["a\\", ":", "-x"])
def test_any_literal_survives_binding_and_parsing(texts: list[str]) -> None:
    name = CpeName(
        part=CpeValue(ValueKind.VALUE, "a"),
        vendor=value_of(texts[0]),
        product=value_of(texts[1]),
        version=value_of(texts[2]),
    )
    parsed = parse_cpe(name.formatted())
    assert parsed == name
    assert compare_values(parsed.product, name.product) is Relation.EQUAL


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("cpe:2.3:a:arm:mbed_tls:3.0.0:-:*:*:*:*:*:*", "arm:mbed_tls"),
        ("cpe:2.3:a:Haxx:LibCurl:7.39:*:*:*:*:*:*:*", "haxx:libcurl"),
        ("cpe:2.3:a:toddr:xml\\:\\:parser:*:*:*:*:*:perl:*:*", "toddr:xml\\:\\:parser"),
        ("cpe:2.3:a:tony_greenwood:webwho\\+:1.1:*:*:*:*:*:*:*", "tony_greenwood:webwho\\+"),
        ("cpe:/a:openssl:openssl:1.0.2k", "openssl:openssl"),
    ],
)
def test_product_keys_without_a_full_parse(text: str, key: str) -> None:
    assert product_key_of(text) == key == parse_cpe(text).product_key.casefold()
    with pytest.raises(CpeError, match="found 3"):
        product_key_of("cpe:2.3:a:b:c")
