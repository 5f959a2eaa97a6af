"""Installed environments: a virtualenv or a site-packages directory, read from *.dist-info."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import packaging
import pytest

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.python.environment import collect_environment, name_version_from_directory
from mdrgate.errors import InputError
from mdrgate.model import Diagnostic, DiagnosticLevel, Origin

PIP = """\
Metadata-Version: 2.1
Name: pip
Version: 24.0
Summary: The PyPA recommended tool for installing Python packages.
Author-email: The pip developers <distutils-sig@python.org>
License: MIT
Project-URL: Homepage, https://pip.pypa.io/
Classifier: Development Status :: 5 - Production/Stable
Classifier: License :: OSI Approved :: MIT License
Requires-Python: >=3.7
License-File: LICENSE.txt

pip - The Python Package Installer
"""
SETUPTOOLS = """\
Metadata-Version: 2.1
Name: setuptools
Version: 69.0.3
Summary: Easily download, build, install, upgrade, and uninstall Python packages
Home-page: https://github.com/pypa/setuptools
Author: Python Packaging Authority
Author-email: distutils-sig@python.org
Classifier: License :: OSI Approved :: MIT License
Requires-Python: >=3.8
"""
WHEEL = """\
Metadata-Version: 2.1
Name: wheel
Version: 0.42.0
Summary: A built-package format for Python
Author-email: Daniel Holth <dholth@fastmail.fm>
Maintainer-email: Alex Grönholm <alex.gronholm@nextday.fi>
Requires-Python: >=3.7
Classifier: License :: OSI Approved :: MIT License
"""
REQUESTS = """\
Metadata-Version: 2.1
Name: requests
Version: 2.31.0
Summary: Python HTTP for Humans.
Home-page: https://requests.readthedocs.io
Author: Kenneth Reitz
Author-email: me@kennethreitz.org
License: Apache 2.0
Classifier: License :: OSI Approved :: Apache Software License
Requires-Python: >=3.7
Requires-Dist: charset-normalizer (<4,>=2)
Requires-Dist: idna (<4,>=2.5)
Requires-Dist: urllib3 (<3,>=1.21.1)
Requires-Dist: certifi (>=2017.4.17)
Provides-Extra: socks
Requires-Dist: PySocks (!=1.5.7,>=1.5.6) ; extra == 'socks'

# Requests
"""
ATTRS = """\
Metadata-Version: 2.4
Name: attrs
Version: 25.3.0
Summary: Classes Without Boilerplate
Author-email: Hynek Schlawack <hs@ox.cx>
License-Expression: MIT
License-File: LICENSE
"""
CRYPTOGRAPHY = """\
Metadata-Version: 2.1
Name: cryptography
Version: 41.0.7
Summary: cryptography is a package which provides cryptographic recipes and primitives.
Author-email: The Python Cryptographic Authority and individual contributors <cryptography-dev@python.org>
License: Apache-2.0 OR BSD-3-Clause
        This software is made available under the terms of *either* of the licenses
        found in LICENSE.APACHE or LICENSE.BSD.
Classifier: License :: OSI Approved :: Apache Software License
Classifier: License :: OSI Approved :: BSD License
"""  # noqa: E501
SIX = """\
Metadata-Version: 1.2
Name: six
Version: 1.16.0
Summary: Python 2 and 3 compatibility utilities
Home-page: https://github.com/benjaminp/six
Author: Benjamin Peterson
Author-email: benjamin@python.org
License: MIT
"""
DISTRO = """\
Metadata-Version: 1.1
Name: distro
Version: 1.8.0
Summary: Distro - an OS platform information API
Author: Nir Cohen
License: Apache License, Version 2.0
"""
PROTOCOL = """\
Metadata-Version: 2.1
Name: pump-protocol
Version: 0.4.0
Summary: Wire protocol of the infusion pump's service port
"""
SERIAL_ASYNCIO = """\
Metadata-Version: 2.1
Name: pyserial-asyncio
Version: 0.6
Summary: Python Serial Port Extension - Asynchronous I/O support
Author: Chris Liechti
License: BSD
"""
COMMIT = "d86e3ea0d0b9a2ab8e6c4ee4bc46a4e1a3b21b5b"


def make_site(site: Path) -> None:
    """A small site-packages with real-looking metadata, the odd shapes included."""
    site.mkdir(parents=True)
    for folder, text in [
        ("pip-24.0.dist-info", PIP),
        ("setuptools-69.0.3.dist-info", SETUPTOOLS),
        ("wheel-0.42.0.dist-info", WHEEL),
        ("requests-2.31.0.dist-info", REQUESTS),
        ("attrs-25.3.0.dist-info", ATTRS),
        ("cryptography-41.0.7.dist-info", CRYPTOGRAPHY),
        ("pump_protocol-0.4.0.dist-info", PROTOCOL),
        ("pyserial_asyncio-0.6.dist-info", SERIAL_ASYNCIO),
    ]:
        (site / folder).mkdir()
        (site / folder / "METADATA").write_text(text, encoding="utf-8")
        (site / folder / "RECORD").write_text("", encoding="utf-8")
    (site / "pump_protocol-0.4.0.dist-info" / "direct_url.json").write_text(
        json.dumps({"url": "file:///home/dev/pump-protocol", "dir_info": {"editable": True}}),
        encoding="utf-8",
    )
    (site / "pyserial_asyncio-0.6.dist-info" / "direct_url.json").write_text(
        json.dumps(
            {
                "url": "https://ci:t0ken@github.com/pyserial/pyserial-asyncio.git",
                "vcs_info": {"vcs": "git", "commit_id": COMMIT, "requested_revision": "v0.6"},
            }
        ),
        encoding="utf-8",
    )
    (site / "six-1.16.0-py3.11.egg-info").mkdir()
    (site / "six-1.16.0-py3.11.egg-info" / "PKG-INFO").write_text(SIX, encoding="utf-8")
    (site / "distro-1.8.0-py3.11.egg-info").write_text(DISTRO, encoding="utf-8")
    (site / "broken-1.0.dist-info").mkdir()  # an interrupted install: no METADATA
    (site / "requests").mkdir()  # an import package, not a distribution
    (site / "six.py").write_text("", encoding="utf-8")


@pytest.fixture
def venv(tmp_path: Path) -> Path:
    root = tmp_path / ".venv"
    root.mkdir()
    (root / "pyvenv.cfg").write_text("home = /usr/bin\nversion = 3.11.7\n", encoding="utf-8")
    (root / "bin").mkdir()
    make_site(root / "lib" / "python3.11" / "site-packages")
    return root


def collect(path: Path, display: str = ".venv") -> Collected:
    return collect_environment(InputSpec(InputKind.PYTHON_ENVIRONMENT, path, display))


def test_every_installed_distribution_is_a_component(venv: Path) -> None:
    result = collect(venv)
    assert [(c.name, c.version, c.purl) for c in result.components] == [
        ("attrs", "25.3.0", "pkg:pypi/attrs@25.3.0"),
        ("broken", "1.0", "pkg:pypi/broken@1.0"),
        ("cryptography", "41.0.7", "pkg:pypi/cryptography@41.0.7"),
        ("distro", "1.8.0", "pkg:pypi/distro@1.8.0"),
        ("pip", "24.0", "pkg:pypi/pip@24.0"),
        ("pump-protocol", "0.4.0", "pkg:pypi/pump-protocol@0.4.0"),
        ("pyserial-asyncio", "0.6", "pkg:pypi/pyserial-asyncio@0.6"),
        ("requests", "2.31.0", "pkg:pypi/requests@2.31.0"),
        ("setuptools", "69.0.3", "pkg:pypi/setuptools@69.0.3"),
        ("six", "1.16.0", "pkg:pypi/six@1.16.0"),
        ("wheel", "0.42.0", "pkg:pypi/wheel@0.42.0"),
    ]


def test_licences_suppliers_and_summaries(venv: Path) -> None:
    components = {c.name: c for c in collect(venv).components}
    expected = {
        "attrs": (("MIT",), "Hynek Schlawack"),
        "cryptography": (
            ("Apache Software License", "BSD License"),
            "The Python Cryptographic Authority and individual contributors",
        ),
        "distro": (("Apache License, Version 2.0",), "Nir Cohen"),
        "pip": (("MIT",), "The pip developers"),
        "pump-protocol": ((), None),
        "requests": (("Apache 2.0",), "Kenneth Reitz"),
        "setuptools": (("MIT License",), "Python Packaging Authority"),
        "six": (("MIT",), "Benjamin Peterson"),
        "wheel": (("MIT License",), "Daniel Holth"),
    }
    for name, (licences, supplier) in expected.items():
        assert (components[name].licenses, components[name].supplier) == (licences, supplier), name
    assert components["requests"].description == "Python HTTP for Humans."


def test_origins_point_at_the_dist_info(venv: Path) -> None:
    components = {c.name: c for c in collect(venv).components}
    assert components["pip"].origins == (
        Origin("python-environment", ".venv/lib/python3.11/site-packages/pip-24.0.dist-info"),
    )
    assert components["distro"].origins[0].path == (
        ".venv/lib/python3.11/site-packages/distro-1.8.0-py3.11.egg-info"
    )


def test_direct_url_records_editable_and_vcs_installs(venv: Path) -> None:
    components = {c.name: c for c in collect(venv).components}
    assert components["pump-protocol"].properties == (
        ("mdrgate:python:editable", "true"),
        ("mdrgate:python:source", "file:///home/dev/pump-protocol"),
    )
    assert components["pyserial-asyncio"].properties == (
        (
            "mdrgate:python:source",
            f"git+https://github.com/pyserial/pyserial-asyncio.git@{COMMIT}",
        ),
    )


def test_missing_metadata_falls_back_to_the_directory_name(venv: Path) -> None:
    result = collect(venv)
    (note,) = result.diagnostics
    shown = ".venv/lib/python3.11/site-packages/broken-1.0.dist-info"
    assert note == Diagnostic(
        code="distribution-metadata-incomplete",
        message=(
            f"installed distribution {shown}: its metadata cannot be read (No such file or "
            "directory); inventoried as broken 1.0 from its directory name"
        ),
        level=DiagnosticLevel.WARNING,
        path=shown,
        component="pkg:pypi/broken@1.0",
    )
    broken = next(c for c in result.components if c.name == "broken")
    assert broken.properties == (("mdrgate:python:version-from", "directory-name"),)
    assert broken.origins == (Origin("python-environment", shown),)


def site_with(tmp_path: Path, folder: str, metadata: str | None) -> Path:
    site = tmp_path / "site-packages"
    (site / folder).mkdir(parents=True)
    if metadata is not None:
        (site / folder / "METADATA").write_text(metadata, encoding="utf-8")
    return site


def test_metadata_without_version_takes_it_from_the_directory(tmp_path: Path) -> None:
    site = site_with(tmp_path, "pump_protocol-0.4.0.dist-info", "Name: pump-protocol\n")
    result = collect(site, "site-packages")
    assert [(c.name, c.version) for c in result.components] == [("pump-protocol", "0.4.0")]
    (note,) = result.diagnostics
    assert (note.code, note.level) == ("distribution-metadata-incomplete", DiagnosticLevel.WARNING)
    assert "its metadata has no Name or no Version" in note.message


def test_metadata_without_name_takes_it_from_the_directory(tmp_path: Path) -> None:
    site = site_with(tmp_path, "pyserial_asyncio-0.6.dist-info", "Version: 0.6\nSummary: x\n")
    result = collect(site, "site-packages")
    assert [(c.name, c.version, c.description) for c in result.components] == [
        ("pyserial_asyncio", "0.6", "x")
    ]
    assert result.components[0].purl == "pkg:pypi/pyserial-asyncio@0.6"


@pytest.mark.parametrize(
    ("folder", "metadata"),
    [
        ("pump_protocol.dist-info", "Name: pump-protocol\n"),  # no version in the name
        ("pump_protocol-0.4.0.dist-info", "Name: other-package\n"),  # names disagree
        ("pump_protocol-0.4.0.dist-info", "Version: 0.5\n"),  # versions disagree
        ("pump_protocol-latest.dist-info", None),  # not a PEP 440 version
        ("a-b-c.dist-info", None),  # '-' must have been escaped
    ],
)
def test_unidentifiable_distribution_is_an_error(
    tmp_path: Path, folder: str, metadata: str | None
) -> None:
    result = collect(site_with(tmp_path, folder, metadata), "site-packages")
    assert result.components == ()
    (note,) = result.diagnostics
    assert note.code == "unreadable-distribution"
    assert note.level is DiagnosticLevel.ERROR
    assert note.path == f"site-packages/{folder}"
    assert note.message.endswith(
        "and its directory name is not <name>-<version>.dist-info (or .egg-info)"
    )


@pytest.mark.parametrize(
    ("directory", "expected"),
    [
        ("pip-24.0.dist-info", ("pip", "24.0")),
        ("pump_protocol-0.4.0.dist-info", ("pump_protocol", "0.4.0")),
        ("torch-2.1.0+cpu.dist-info", ("torch", "2.1.0+cpu")),
        ("six-1.16.0-py3.11.egg-info", ("six", "1.16.0")),
        ("distro-1.8.0.egg-info", ("distro", "1.8.0")),
        ("mdrgate.egg-info", None),
        ("six-1.16.0-cp311.egg-info", None),
        ("pip-24.0-extra.dist-info", None),
        ("-24.0.dist-info", None),
        ("pip-.dist-info", None),
        ("pip-24.0.data", None),
    ],
)
def test_name_version_from_directory(directory: str, expected: tuple[str, str] | None) -> None:
    assert name_version_from_directory(directory) == expected


def test_metadata_files_are_digested(venv: Path) -> None:
    files = {f.path: f.sha256 for f in collect(venv).files}
    site = venv / "lib" / "python3.11" / "site-packages"
    prefix = ".venv/lib/python3.11/site-packages"
    assert (
        files[f"{prefix}/pip-24.0.dist-info/METADATA"]
        == hashlib.sha256((site / "pip-24.0.dist-info" / "METADATA").read_bytes()).hexdigest()
    )
    assert f"{prefix}/six-1.16.0-py3.11.egg-info/PKG-INFO" in files
    assert f"{prefix}/distro-1.8.0-py3.11.egg-info" in files
    assert f"{prefix}/pump_protocol-0.4.0.dist-info/direct_url.json" in files
    assert len(files) == 12


def test_site_packages_given_directly(venv: Path) -> None:
    site = venv / "lib" / "python3.11" / "site-packages"
    result = collect(site, "site-packages")
    assert len(result.components) == 11
    assert result.components[0].origins[0].path == "site-packages/attrs-25.3.0.dist-info"


def test_windows_layout(tmp_path: Path) -> None:
    root = tmp_path / "venv"
    root.mkdir()
    (root / "pyvenv.cfg").write_text("home = C:\\Python311\n", encoding="utf-8")
    make_site(root / "Lib" / "site-packages")
    result = collect(root, "venv")
    assert len(result.components) == 11
    assert result.components[0].origins[0].path == "venv/Lib/site-packages/attrs-25.3.0.dist-info"


def test_duplicate_distributions_of_one_package(venv: Path) -> None:
    site = venv / "lib" / "python3.11" / "site-packages"
    (site / "pip-23.3.1.dist-info").mkdir()
    (site / "pip-23.3.1.dist-info" / "METADATA").write_text(
        PIP.replace("Version: 24.0", "Version: 23.3.1"), encoding="utf-8"
    )
    result = collect(venv)
    assert [c.version for c in result.components if c.name == "pip"] == ["23.3.1", "24.0"]
    assert "conflicting-versions" in {d.code for d in result.diagnostics}


def test_venv_without_site_packages(tmp_path: Path) -> None:
    (tmp_path / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    with pytest.raises(InputError, match="has no lib/python"):
        collect(tmp_path, "env")


def test_directory_that_is_no_environment(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    with pytest.raises(InputError, match="neither a virtualenv") as caught:
        collect(tmp_path, "project")
    assert caught.value.source == "project"


def test_file_is_no_environment(tmp_path: Path) -> None:
    path = tmp_path / "pyvenv.cfg"
    path.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="got a file"):
        collect(path, "pyvenv.cfg")


def test_missing_environment(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="does not exist"):
        collect(tmp_path / "nope", "nope")


@pytest.mark.skipif(sys.prefix == sys.base_prefix, reason="the tests do not run in a virtualenv")
def test_the_projects_own_virtualenv() -> None:
    result = collect(Path(sys.prefix), "venv")
    components = {c.name.lower(): c for c in result.components}
    assert components["packaging"].version == packaging.__version__
    assert components["packaging"].purl == f"pkg:pypi/packaging@{packaging.__version__}"
    assert "pytest" in components
    assert result.diagnostics == ()
