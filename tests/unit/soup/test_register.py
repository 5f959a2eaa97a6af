"""The SOUP register: valid items become components; every mistake names file, line and key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.soup import collect_soup_register
from mdrgate.errors import ExitCode, InputError
from mdrgate.model import ComponentClass, LevelOfSupport

EXAMPLE = (
    Path(__file__).resolve().parents[3] / "examples" / "infusion-pump" / "firmware" / "soup.yml"
)


def _collect(path: Path, display: str = "soup.yml") -> Collected:
    return collect_soup_register(InputSpec(InputKind.SOUP_REGISTER, path, display))


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "soup.yml"
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "apiVersion: mdrgate/v1\nkind: SoupRegister\nitems:\n"


def test_example_register_becomes_components() -> None:
    result = _collect(EXAMPLE)
    by_name = {c.name: c for c in result.components}
    assert len(by_name) == 14
    assert by_name["newlib"].version == "3.3.0"
    mbed = by_name["Mbed TLS"]
    assert mbed.version == "2.28.3"
    assert mbed.purl == "pkg:github/mbed-tls/mbedtls@v2.28.3"
    assert mbed.cpes == ("cpe:2.3:a:arm:mbed_tls:2.28.3:*:*:*:*:*:*:*",)
    assert mbed.component_class is ComponentClass.FIRMWARE
    assert mbed.licenses == ("Apache-2.0",)
    assert mbed.soup is not None
    assert mbed.soup.end_of_support == date(2024, 12, 31)
    assert mbed.soup.level_of_support is LevelOfSupport.NO_LONGER_MAINTAINED
    assert mbed.soup.anomaly_list_evaluated == date(2026, 9, 15)
    assert mbed.soup.register_id == "SOUP-003"
    assert mbed.origins[0].line == 37
    pyserial = by_name["pyserial"]
    assert pyserial.ecosystem == "PyPI"
    assert pyserial.component_class is ComponentClass.HOST
    rtt = by_name["SEGGER RTT"].soup
    assert rtt is not None
    assert rtt.prerequisites is None
    assert result.files[0].kind == "soup-register"
    assert len(result.files[0].sha256) == 64


def test_purl_without_version_takes_the_items_version(tmp_path: Path) -> None:
    path = _write(
        tmp_path, HEADER + "  - name: zlib\n    version: '1.2.13'\n    purl: pkg:generic/zlib\n"
    )
    (component,) = _collect(path).components
    assert component.purl == "pkg:generic/zlib@1.2.13"


def test_missing_version_is_a_known_unknown(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "  - name: vendor blob\n")
    result = _collect(path)
    (component,) = result.components
    assert component.version is None
    (diag,) = result.diagnostics
    assert diag.code == "no-exact-version"
    assert diag.line == 4
    assert diag.component == component.bom_ref


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "  - name: lwIP\n    version: 2.10\n",
            "soup.yml:5: items[0].version: expected a string, got number 2.1",
        ),
        (
            "  - name: lwIP\n    verison: '2.1.3'\n",
            "soup.yml:5: items[0].verison: unknown key (allowed keys: anomaly_list_evaluated,",
        ),
        (
            "  - name: lwIP\n    level_of_support: maintained\n",
            "soup.yml:5: items[0].level_of_support: expected one of 'actively-maintained'",
        ),
        (
            "  - name: lwIP\n    end_of_support: 2025-02-30\n",
            "soup.yml:5: items[0].end_of_support: expected a calendar date YYYY-MM-DD, "
            "got '2025-02-30'",
        ),
        (
            "  - name: lwIP\n    end_of_support: 31.12.2025\n",
            "soup.yml:5: items[0].end_of_support: expected a date YYYY-MM-DD, "
            "got string '31.12.2025'",
        ),
        (
            "  - name: lwIP\n    cpe: 'cpe:2.3:a:lwip'\n",
            "soup.yml:5: items[0].cpe: not a CPE 2.3 formatted string",
        ),
        (
            "  - name: lwIP\n    purl: 'pkg:'\n",
            "soup.yml:5: items[0].purl: not a valid package URL",
        ),
        (
            "  - name: lwIP\n    version: '2.1.3'\n    purl: pkg:generic/lwip@2.1.2\n",
            "soup.yml:6: items[0].purl: the purl names version '2.1.2'",
        ),
        (
            "  - name: lwIP\n    version: '1'\n  - name: lwIP\n    version: '1'\n",
            "soup.yml:6: items[1]: lwIP 1 is listed twice (also items[0])",
        ),
        ("  - {name: x\n", "soup.yml:5: invalid YAML"),
        (
            "  - name: x\n    name: y\n",
            "soup.yml:5: items[0].name: duplicate key (first at line 4)",
        ),
        ("  - version: '1'\n", "soup.yml:4: items[0]: missing required key 'name'"),
    ],
)
def test_mistakes_are_located(tmp_path: Path, body: str, expected: str) -> None:
    path = _write(tmp_path, HEADER + body)
    with pytest.raises(InputError) as caught:
        _collect(path)
    assert expected in str(caught.value)
    assert caught.value.exit_code is ExitCode.INPUT_UNREADABLE


def test_unquoted_version_gets_a_hint(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER + "  - name: lwIP\n    version: 2.10\n")
    with pytest.raises(InputError) as caught:
        _collect(path)
    assert "put it in quotes" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "expected a mapping, got nothing (null)"),
        ("- a\n- b\n", "expected a mapping, got a list of 2 items"),
        (
            "apiVersion: mdrgate/v2\nkind: SoupRegister\nitems: []\n",
            "apiVersion: expected 'mdrgate/v1'",
        ),
        (HEADER.replace("items:\n", ""), "missing required key 'items'"),
        ("a: 1\n---\nb: 2\n", "invalid YAML"),
    ],
)
def test_document_level_mistakes(tmp_path: Path, text: str, expected: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        _collect(path)
    assert expected in str(caught.value)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        _collect(tmp_path / "nope.yml")
    (tmp_path / "bin.yml").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InputError, match="not UTF-8"):
        _collect(tmp_path / "bin.yml")
