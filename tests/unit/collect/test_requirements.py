"""pip requirements files: pins, hashes, includes, constraints, markers and every way to fail."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mdrgate.collect.base import Collected, InputKind, InputSpec
from mdrgate.collect.python.requirements import (
    Declared,
    Include,
    LineError,
    collect_requirements,
    logical_lines,
    parse_line,
)
from mdrgate.errors import ExitCode, InputError
from mdrgate.model import Component, DiagnosticLevel, Hash, Origin

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "python" / "requirements"

CERTIFI_WHL = "c198e21b1289c2ab85ee4e67bb4b4ef3ead0892059901a8d5b622f24a1101e90"
CERTIFI_SDIST = "5a1e7645bc0ec61a09e26c36f6106dd4cf40c6db3a1fb6352b0244e7fb057c7b"


def collect(path: Path, display: str | None = None) -> Collected:
    return collect_requirements(InputSpec(InputKind.REQUIREMENTS, path, display or path.name))


def write(tmp_path: Path, text: str, name: str = "requirements.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def by_name(result: Collected) -> dict[str, Component]:
    return {c.name: c for c in result.components}


# --------------------------------------------------------------------------------------------
# The committed example: includes, constraints, hashes, extras, markers, unpinned entries


@pytest.fixture(scope="module")
def example() -> Collected:
    return collect(ASSETS / "requirements.txt", "host/requirements.txt")


def test_example_components_and_versions(example: Collected) -> None:
    assert [(c.name, c.version, c.purl) for c in example.components] == [
        ("certifi", "2024.7.4", "pkg:pypi/certifi@2024.7.4"),
        ("click", "8.1.7", "pkg:pypi/click@8.1.7"),
        ("colorama", "0.4.6", "pkg:pypi/colorama@0.4.6"),
        ("cryptography", None, "pkg:pypi/cryptography"),
        ("Jinja2", "2.11.3", "pkg:pypi/jinja2@2.11.3"),
        ("pydantic", "1.10.2", "pkg:pypi/pydantic@1.10.2"),
        ("pyserial-asyncio", None, "pkg:pypi/pyserial-asyncio"),
        ("pyserial", "3.5", "pkg:pypi/pyserial@3.5"),
        ("requests", "2.28.1", "pkg:pypi/requests@2.28.1"),
        ("urllib3", "1.26.12", "pkg:pypi/urllib3@1.26.12"),
    ]
    for component in example.components:
        assert component.ecosystem == "PyPI"
        assert component.component_class.value == "host"


def test_hashes_on_continuation_lines(example: Collected) -> None:
    certifi = by_name(example)["certifi"]
    assert certifi.hashes == (
        Hash("SHA-256", CERTIFI_SDIST),
        Hash("SHA-256", CERTIFI_WHL),
    )
    assert certifi.origins == (Origin("requirements", "host/requirements.txt", 12),)


def test_includes_are_read_relative_to_the_including_file(example: Collected) -> None:
    click = by_name(example)["click"]
    assert click.origins == (Origin("requirements", "host/base.txt", 2),)
    colorama = by_name(example)["colorama"]
    assert colorama.origins == (Origin("requirements", "host/base.txt", 5),)
    assert len(colorama.hashes) == 2


def test_every_file_read_is_digested(example: Collected) -> None:
    expected = {
        f"host/{name}": hashlib.sha256((ASSETS / name).read_bytes()).hexdigest()
        for name in ("base.txt", "constraints.txt", "requirements.txt")
    }
    assert {f.path: f.sha256 for f in example.files} == expected
    assert {f.kind for f in example.files} == {"requirements"}


def test_extras_and_markers_are_properties(example: Collected) -> None:
    components = by_name(example)
    assert components["requests"].properties == (("mdrgate:python:extras", "security,socks"),)
    assert components["urllib3"].properties == (
        ("mdrgate:python:marker", 'python_version >= "3.7"'),
    )
    assert components["colorama"].properties == (
        ("mdrgate:python:marker", 'platform_system == "Windows"'),
    )


def test_constraints_pin_unpinned_requirements_and_add_nothing(example: Collected) -> None:
    components = by_name(example)
    jinja = components["Jinja2"]
    assert jinja.version == "2.11.3"
    assert jinja.version_spec == "<3"
    assert ("mdrgate:python:pinned-by", "host/constraints.txt:2") in jinja.properties
    assert components["pyserial"].version == "3.5"
    assert "PyYAML" not in components  # only constrained, never required


def test_unpinned_vcs_and_url_entries(example: Collected) -> None:
    notes = {(d.code, d.component, d.path, d.line, d.level) for d in example.diagnostics}
    assert notes == {
        (
            "no-exact-version",
            "pkg:pypi/cryptography",
            "host/requirements.txt",
            22,
            DiagnosticLevel.WARNING,
        ),
        (
            "no-exact-version",
            "pkg:pypi/pyserial-asyncio",
            "host/requirements.txt",
            23,
            DiagnosticLevel.WARNING,
        ),
    }
    crypto = next(d for d in example.diagnostics if d.component == "pkg:pypi/cryptography")
    assert crypto.message == "cryptography: cannot be assessed: no exact version (declared ~=41.0)"
    vcs = by_name(example)["pyserial-asyncio"]
    source = "git+https://github.com/pyserial/pyserial-asyncio.git@v0.6#egg=pyserial-asyncio"
    assert vcs.version_spec == source
    assert vcs.properties == (("mdrgate:python:source", source),)
    wheel = by_name(example)["pydantic"]
    assert ("mdrgate:python:version-from", "filename") in wheel.properties


# --------------------------------------------------------------------------------------------
# Includes and constraints


def test_include_cycle_names_the_chain() -> None:
    with pytest.raises(InputError) as caught:
        collect(ASSETS / "cycle-a.txt", "req/cycle-a.txt")
    error = caught.value
    assert error.exit_code is ExitCode.INPUT_UNREADABLE
    assert error.source == "req/cycle-b.txt"
    assert error.location == "2"
    assert "req/cycle-a.txt → req/cycle-b.txt → req/cycle-a.txt" in error.message


def test_self_include_is_a_cycle(tmp_path: Path) -> None:
    path = write(tmp_path, "click==8.1.7\n-r requirements.txt\n")
    with pytest.raises(InputError, match=r"requirements.txt → requirements.txt"):
        collect(path)


def test_diamond_includes_are_not_a_cycle(tmp_path: Path) -> None:
    write(tmp_path, "click==8.1.7\n", "common.txt")
    write(tmp_path, "-r common.txt\n", "a.txt")
    write(tmp_path, "-r common.txt\n", "b.txt")
    path = write(tmp_path, "-r a.txt\n-r b.txt\n")
    result = collect(path)
    assert [(c.name, c.version) for c in result.components] == [("click", "8.1.7")]
    assert len(result.files) == 4


def test_include_in_a_subdirectory_and_back(tmp_path: Path) -> None:
    (tmp_path / "reqs").mkdir()
    write(tmp_path, "-r ../shared.txt\n", "reqs/prod.txt")
    write(tmp_path, "idna==3.10\n", "shared.txt")
    result = collect(tmp_path / "reqs" / "prod.txt", "reqs/prod.txt")
    assert result.components[0].origins == (Origin("requirements", "shared.txt", 1),)
    assert [f.path for f in result.files] == ["reqs/prod.txt", "shared.txt"]


def test_missing_include_is_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path, "# base\n--requirement=missing.txt\n")
    with pytest.raises(InputError) as caught:
        collect(path)
    assert caught.value.location == "2"
    assert "missing.txt" in caught.value.message
    assert "does not exist" in caught.value.message


@pytest.mark.parametrize(
    ("target", "what"),
    [
        ("/dev/null", "is a character device, not a regular file"),
        ("sub", "is a directory, not a regular file"),
    ],
)
def test_include_that_is_not_a_regular_file_says_what_it_is(
    tmp_path: Path, target: str, what: str
) -> None:
    (tmp_path / "sub").mkdir()
    path = write(tmp_path, f"-r {target}\n")
    with pytest.raises(InputError) as caught:
        collect(path)
    assert caught.value.location == "1"
    assert caught.value.message.startswith(f"-r {target}: the included file {what} (looked for ")


def test_dangling_symlink_include_names_its_target(tmp_path: Path) -> None:
    (tmp_path / "base.txt").symlink_to("gone.txt")
    path = write(tmp_path, "-c base.txt\n")
    with pytest.raises(InputError) as caught:
        collect(path)
    assert caught.value.message.startswith(
        "-c base.txt: the included file is a symbolic link to 'gone.txt', which cannot be "
        "followed (No such file or directory)"
    )


def test_directory_given_as_requirements_file(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        collect(tmp_path, "d")
    assert (caught.value.source, caught.value.message) == (
        "d",
        "is a directory, expected a requirements file",
    )


def test_remote_include_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "-r https://example.org/requirements.txt\n")
    with pytest.raises(InputError, match="not fetched"):
        collect(path)


def test_constraint_that_contradicts_a_pin_is_reported(tmp_path: Path) -> None:
    write(tmp_path, "idna==3.7\n", "constraints.txt")
    path = write(tmp_path, "-c constraints.txt\nidna==3.10\n")
    result = collect(path)
    assert [(c.name, c.version) for c in result.components] == [("idna", "3.10")]
    (note,) = result.diagnostics
    assert note.code == "constraint-conflict"
    assert note.line == 2
    assert "constraints.txt:1" in note.message


def test_constraint_outside_the_specifier_does_not_pin(tmp_path: Path) -> None:
    write(tmp_path, "Jinja2==2.11.3\n", "constraints.txt")
    path = write(tmp_path, "-c constraints.txt\nJinja2>=3\n")
    result = collect(path)
    assert result.components[0].version is None
    assert [d.code for d in result.diagnostics] == ["no-exact-version"]


def test_pin_on_another_line_covers_an_unpinned_duplicate(tmp_path: Path) -> None:
    path = write(tmp_path, "requests>=2\nrequests==2.31.0\n")
    result = collect(path)
    (requests,) = result.components
    assert requests.version == "2.31.0"
    assert [o.line for o in requests.origins] == [1, 2]
    assert result.diagnostics == ()


# --------------------------------------------------------------------------------------------
# Duplicates within one input


def test_same_package_twice_is_one_component_with_merged_origins_and_hashes(
    tmp_path: Path,
) -> None:
    write(tmp_path, f"certifi==2024.7.4 --hash=sha256:{CERTIFI_WHL}\n", "base.txt")
    path = write(tmp_path, f"-r base.txt\nCertifi==2024.7.4 --hash=sha256:{CERTIFI_SDIST}\n")
    result = collect(path)
    (certifi,) = result.components
    assert certifi.name == "certifi"  # first declaration's spelling
    assert certifi.origins == (
        Origin("requirements", "base.txt", 1),
        Origin("requirements", "requirements.txt", 2),
    )
    assert {h.value for h in certifi.hashes} == {CERTIFI_WHL, CERTIFI_SDIST}
    assert result.diagnostics == ()


def test_same_name_different_versions_is_two_components_and_a_warning(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        'numpy==1.24.4 ; python_version < "3.9"\nnumpy==1.26.4 ; python_version >= "3.9"\n',
    )
    result = collect(path)
    assert [c.purl for c in result.components] == [
        "pkg:pypi/numpy@1.24.4",
        "pkg:pypi/numpy@1.26.4",
    ]
    (note,) = result.diagnostics
    assert note.code == "conflicting-versions"
    assert note.level is DiagnosticLevel.WARNING
    assert note.line == 1
    assert "1.24.4 (requirements.txt:1)" in note.message
    assert "1.26.4 (requirements.txt:2)" in note.message


# --------------------------------------------------------------------------------------------
# Comments, options, odd lines


def test_comments_blank_lines_and_global_options_are_ignored(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "\n".join(
            [
                "# full-line comment",
                "   # indented comment",
                "",
                "--index-url https://pypi.org/simple",
                "-i https://pypi.org/simple",
                "--extra-index-url=https://mirror.example/simple",
                "--find-links ./wheels",
                "-f ./wheels",
                "--no-binary :all:",
                "--only-binary=:none:",
                "--pre",
                "--prefer-binary",
                "--require-hashes",
                "--trusted-host mirror.example",
                "--no-index",
                "idna==3.10  # trailing comment",
            ]
        ),
    )
    result = collect(path)
    assert [(c.name, c.version, c.origins[0].line) for c in result.components] == [
        ("idna", "3.10", 16)
    ]
    assert result.diagnostics == ()


def test_crlf_line_endings_and_bom(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_bytes(
        b"\xef\xbb\xbfidna==3.10 \\\r\n    --hash=sha256:" + b"a" * 64 + b"\r\nsix==1.16.0\r\n"
    )
    result = collect(path)
    assert [(c.name, c.version, len(c.hashes)) for c in result.components] == [
        ("idna", "3.10", 1),
        ("six", "1.16.0", 0),
    ]
    assert result.files[0].sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_editable_project_itself_is_skipped_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path, "-e .\nidna==3.10\n")
    result = collect(path)
    assert [c.name for c in result.components] == ["idna"]
    (note,) = result.diagnostics
    assert (note.code, note.line, note.level) == (
        "local-project-skipped",
        1,
        DiagnosticLevel.WARNING,
    )


def test_local_paths_and_wheels(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "./vendor/pump_protocol-0.4.0-py3-none-any.whl\n"
        "-e ./libs/pump-wire[crc]\n"
        "vendor/legacy_driver-2.1.tar.gz\n",
    )
    result = collect(path)
    assert [(c.name, c.version) for c in result.components] == [
        ("legacy-driver", "2.1"),
        ("pump-protocol", "0.4.0"),
        ("pump-wire", None),
    ]
    wire = result.components[2]
    assert set(wire.properties) == {
        ("mdrgate:python:editable", "true"),
        ("mdrgate:python:extras", "crc"),
        ("mdrgate:python:source", "./libs/pump-wire"),
    }
    assert [(d.code, d.line) for d in result.diagnostics] == [("no-exact-version", 2)]


def test_credentials_in_urls_never_reach_the_inventory(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "--extra-index-url https://deploy:t0ken@pypi.internal/simple\n"
        "pump-ui @ https://deploy:t0ken@pypi.internal/pkgs/pump_ui-2.0.0-py3-none-any.whl\n"
        "git+https://oauth2:t0ken@gitlab.internal/pump/ctl.git@main#egg=pump-ctl\n",
    )
    result = collect(path)
    assert "t0ken" not in repr(result.components) + repr(result.diagnostics)
    assert result.components[0].version is None  # pump-ctl from git
    assert result.components[1].version == "2.0.0"


def test_wheel_name_must_match_the_declared_name(tmp_path: Path) -> None:
    path = write(tmp_path, "pump-ui @ https://host/pkgs/other_pkg-2.0.0-py3-none-any.whl\n")
    (component,) = collect(path).components
    assert (component.name, component.version) == ("pump-ui", None)


def test_empty_file_has_no_components(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    result = collect(path)
    assert result.components == ()
    assert result.diagnostics == ()
    assert len(result.files) == 1


# --------------------------------------------------------------------------------------------
# Errors


def test_invalid_line_is_an_input_error_with_file_and_line() -> None:
    with pytest.raises(InputError) as caught:
        collect(ASSETS / "invalid-line.txt", "host/invalid-line.txt")
    error = caught.value
    assert error.where() == "host/invalid-line.txt:2"
    assert "'requests=='" in error.message
    assert "invalid requirement" in error.message


def test_damaged_direct_url_is_an_input_error_not_a_crash(tmp_path: Path) -> None:
    # Unbalanced brackets make urllib raise ValueError ("Invalid IPv6 URL").
    path = write(tmp_path, "idna==3.10\nfoo @ http://[bad/foo-1.0.tar.gz\n")
    with pytest.raises(InputError) as caught:
        collect(path)
    assert caught.value.where().endswith("requirements.txt:2")
    assert "'http://[bad/foo-1.0.tar.gz' is not a valid URL (Invalid IPv6 URL)" in (
        caught.value.message
    )


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        ("--hash=sha256:abc\n", "--hash must follow a requirement"),
        ("idna==3.10 --hash=md5:" + "a" * 32 + "\n", "only sha256"),
        ("idna==3.10 --hash=sha256:abc\n", "64 hex digits"),
        ("idna==3.10 --hash=sha256\n", "algorithm:hexdigest"),
        ("idna==3.10 --frobnicate\n", "unknown option --frobnicate"),
        ("--frobnicate\n", "unknown option --frobnicate"),
        ("-r\n", "-r needs a file name"),
        ("-e\n", "needs a path or VCS URL"),
        ("idna==3.10 ; python_version <<< '3'\n", "invalid requirement"),
        ("./lib ; os_name ===\n", "invalid environment marker"),
        ("git+https://host/x.git#egg=not/a/name\n", "not a project name"),
    ],
)
def test_lines_pip_would_reject(tmp_path: Path, line: str, fragment: str) -> None:
    path = write(tmp_path, "six==1.16.0\n" + line)
    with pytest.raises(InputError) as caught:
        collect(path)
    assert caught.value.location == "2"
    assert fragment in caught.value.message


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        collect(tmp_path / "requirements.txt")


def test_non_utf8_file_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "requirements.txt"
    path.write_bytes(b"idna==3.10\n\xff\xfe\n")
    with pytest.raises(InputError, match="not UTF-8"):
        collect(path)


# --------------------------------------------------------------------------------------------
# The line parser


def test_logical_lines_follow_pip_continuation_and_comment_rules() -> None:
    text = (
        "a==1 \\\n"
        "    --hash=sha256:x\n"
        "# comment ending in a backslash \\\n"
        "b==2 # inline\n"
        "\n"
        "c @ https://h/c-1.0.tar.gz#egg=c\n"
        "d==4 \\"
    )
    assert list(logical_lines(text)) == [
        (1, "a==1     --hash=sha256:x"),
        (4, "b==2"),
        (6, "c @ https://h/c-1.0.tar.gz#egg=c"),
        (7, "d==4"),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-r base.txt", Include("base.txt", constraint=False)),
        ("-rbase.txt", Include("base.txt", constraint=False)),
        ("--requirement=base.txt", Include("base.txt", constraint=False)),
        ("--requirement base.txt", Include("base.txt", constraint=False)),
        ("-c c.txt", Include("c.txt", constraint=True)),
        ("--constraint=c.txt", Include("c.txt", constraint=True)),
        ("--index-url https://pypi.org/simple", None),
        ("--pre", None),
    ],
)
def test_option_lines(text: str, expected: object) -> None:
    assert parse_line(text) == expected


@pytest.mark.parametrize(
    ("text", "version", "spec"),
    [
        ("idna==3.10", "3.10", None),
        ("idna === 3.10-custom", "3.10-custom", None),
        ("idna==3.10+local.1", "3.10+local.1", None),
        ("idna==3.*", None, "==3.*"),
        ("idna>=3", None, ">=3"),
        ("idna~=3.7", None, "~=3.7"),
        ("idna>=3,<4", None, "<4,>=3"),
        ("idna", None, None),
        ("idna==3.10,>=3", "3.10", None),
    ],
)
def test_only_exact_pins_give_a_version(text: str, version: str | None, spec: str | None) -> None:
    parsed = parse_line(text)
    assert isinstance(parsed, Declared)
    assert (parsed.version, parsed.version_spec) == (version, spec)


def test_parse_line_raises_line_error() -> None:
    with pytest.raises(LineError):
        parse_line("requests==")


NAMES = st.from_regex(r"\A[A-Za-z0-9](?:[A-Za-z0-9._-]{0,18}[A-Za-z0-9])?\Z")
RELEASE = st.lists(st.integers(min_value=0, max_value=9999), min_size=1, max_size=4).map(
    lambda parts: ".".join(map(str, parts))
)
SUFFIX = st.sampled_from(["", "a1", "b2", "rc3", ".post1", ".dev4", "+local.7", "rc1.post2.dev3"])
VERSIONS = st.builds(lambda release, suffix: release + suffix, RELEASE, SUFFIX)
HEX = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)


@given(
    name=NAMES,
    version=VERSIONS,
    extras=st.lists(st.sampled_from(["socks", "security", "crc"]), unique=True, max_size=2),
    marker=st.sampled_from(["", ' ; python_version < "3.9"', '; sys_platform == "win32"']),
    hashes=st.lists(HEX, max_size=2),
    comment=st.sampled_from(["", "  # pinned", "\t# reviewed"]),
    continued=st.booleans(),
)
def test_pins_round_trip(
    name: str,
    version: str,
    extras: list[str],
    marker: str,
    hashes: list[str],
    comment: str,
    continued: bool,
) -> None:
    joiner = " \\\n    " if continued else " "
    requirement = name + (f"[{','.join(extras)}]" if extras else "") + f"=={version}" + marker
    text = joiner.join([requirement, *(f"--hash=sha256:{h}" for h in hashes)]) + comment + "\n"
    ((line_no, line),) = list(logical_lines(text))
    assert line_no == 1
    parsed = parse_line(line)
    assert isinstance(parsed, Declared)
    assert parsed.name == name
    assert parsed.version == version
    assert parsed.extras == tuple(sorted(extras))
    assert parsed.hashes == tuple(Hash("SHA-256", h) for h in hashes)
    assert (parsed.marker is not None) == bool(marker)
