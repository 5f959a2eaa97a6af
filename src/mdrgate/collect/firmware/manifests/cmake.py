"""CMake ``FetchContent_Declare`` and ``ExternalProject_Add`` calls (CMakeLists.txt, *.cmake).

The file is tokenised as the CMake language defines it (``#`` and ``#[[...]]`` comments, quoted
arguments with escapes, ``[[...]]`` bracket arguments, calls spanning lines; command names are
case-insensitive); nothing is executed. For each call:

- ``GIT_REPOSITORY url`` + ``GIT_TAG rev``: the repository is the identity; a release-like tag gives
  the version, a commit or branch does not (``vcs.classify_ref``); no ``GIT_TAG`` means the default
  branch;
- ``URL url``: a GitHub archive/release URL gives the repository and its ref; another download
  gives a version only when its file name plainly carries one (``zlib-1.3.1.tar.gz``);
- ``SOURCE_DIR`` alone builds local sources: left to the source scan (``info`` note).

``${VAR}`` references are resolved only from a ``set(VAR value)`` that assigns a literal exactly
once in the same file (CMake's other scopes, cache and command line are not known here); anything
else stays unresolved and is reported as such, never turned into a version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from packageurl import PackageURL

from mdrgate.collect.base import InputSpec
from mdrgate.collect.firmware.manifests.declared import (
    PROP_REF,
    PROP_URL,
    PROP_VERSION_FROM,
    Declared,
    Manifest,
)
from mdrgate.collect.firmware.manifests.vcs import (
    RefKind,
    analyse_download,
    classify_ref,
    parse_repository,
    redact,
)
from mdrgate.errors import InputError
from mdrgate.model import DiagnosticLevel, InputFile

PROP_CALL = "mdrgate:cmake:call"
_DECLARING = {
    "fetchcontent_declare": "FetchContent_Declare",
    "externalproject_add": "ExternalProject_Add",
}
_KEYWORDS = frozenset(
    {
        "GIT_REPOSITORY",
        "GIT_TAG",
        "GIT_SHALLOW",
        "GIT_PROGRESS",
        "GIT_SUBMODULES",
        "GIT_REMOTE_NAME",
        "GIT_CONFIG",
        "GIT_REMOTE_UPDATE_STRATEGY",
        "URL",
        "URL_HASH",
        "URL_MD5",
        "DOWNLOAD_NAME",
        "DOWNLOAD_DIR",
        "DOWNLOAD_EXTRACT_TIMESTAMP",
        "SOURCE_DIR",
        "BINARY_DIR",
        "PREFIX",
        "INSTALL_DIR",
        "TMP_DIR",
        "STAMP_DIR",
        "LOG_DIR",
        "SVN_REPOSITORY",
        "SVN_REVISION",
        "HG_REPOSITORY",
        "HG_TAG",
        "CVS_REPOSITORY",
        "CMAKE_ARGS",
        "CMAKE_CACHE_ARGS",
        "CONFIGURE_COMMAND",
        "BUILD_COMMAND",
        "INSTALL_COMMAND",
        "TEST_COMMAND",
        "UPDATE_COMMAND",
        "PATCH_COMMAND",
        "DOWNLOAD_COMMAND",
        "DEPENDS",
        "BUILD_BYPRODUCTS",
        "LIST_SEPARATOR",
        "EXCLUDE_FROM_ALL",
        "FIND_PACKAGE_ARGS",
        "OVERRIDE_FIND_PACKAGE",
        "SYSTEM",
        "SOURCE_SUBDIR",
        "BUILD_IN_SOURCE",
        "LOG_DOWNLOAD",
        "LOG_CONFIGURE",
        "LOG_BUILD",
        "LOG_INSTALL",
        "UPDATE_DISCONNECTED",
        "TLS_VERIFY",
        "CMAKE_GENERATOR",
        "STEP_TARGETS",
        "USES_TERMINAL_DOWNLOAD",
        "COMMAND",
        "GIT_CLONE_FLAGS",
        "HTTP_HEADER",
        "NETRC",
        "INACTIVITY_TIMEOUT",
        "TIMEOUT",
        "BUILD_ALWAYS",
    }
)
_VARIABLE = re.compile(r"\$\{([A-Za-z0-9_./+-]+)\}")
_BRACKET_OPEN = re.compile(r"\[(=*)\[")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MAX_ARGUMENTS = 10_000


class _SyntaxError(ValueError):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True, slots=True)
class Argument:
    text: str
    line: int
    quoted: bool


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    line: int
    arguments: tuple[Argument, ...]


def tokenize(text: str) -> list[Call]:
    """The command invocations of a CMake file, in order."""
    calls: list[Call] = []
    i, n, line = 0, len(text), 1
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c in " \t\r":
            i += 1
        elif c == "#":
            i, line = _skip_comment(text, i, line)
        else:
            match = _IDENT.match(text, i)
            if match is None:
                i += 1  # stray character outside a call: CMake would refuse it; skip it
                continue
            j = match.end()
            while j < n and text[j] in " \t":
                j += 1
            if j < n and text[j] == "(":
                start_line = line
                arguments, i, line = _arguments(text, j + 1, line)
                calls.append(Call(match.group(0).lower(), start_line, tuple(arguments)))
            else:
                i = j
    return calls


def _skip_comment(text: str, i: int, line: int) -> tuple[int, int]:
    bracket = _BRACKET_OPEN.match(text, i + 1)
    if bracket is not None:
        close = "]" + bracket.group(1) + "]"
        end = text.find(close, bracket.end())
        if end < 0:
            raise _SyntaxError("a bracket comment #[[ is never closed", line)
        return end + len(close), line + text.count("\n", i, end)
    end = text.find("\n", i)
    return (len(text) if end < 0 else end), line


def _arguments(text: str, i: int, line: int) -> tuple[list[Argument], int, int]:
    arguments: list[Argument] = []
    depth = 0
    n = len(text)
    start_line = line
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif c in " \t\r":
            i += 1
        elif c == "#":
            i, line = _skip_comment(text, i, line)
        elif c == "(":
            depth += 1
            i += 1
        elif c == ")":
            if depth == 0:
                return arguments, i + 1, line
            depth -= 1
            i += 1
        elif c == '"':
            value, i, end_line = _quoted(text, i + 1, line)
            arguments.append(Argument(value, line, True))
            line = end_line
        elif c == "[" and (bracket := _BRACKET_OPEN.match(text, i)) is not None:
            close = "]" + bracket.group(1) + "]"
            end = text.find(close, bracket.end())
            if end < 0:
                raise _SyntaxError("a bracket argument [[ is never closed", line)
            arguments.append(Argument(text[bracket.end() : end], line, True))
            line += text.count("\n", i, end)
            i = end + len(close)
        else:
            j = i
            while j < n and text[j] not in ' \t\r\n()#"':
                j += 2 if text[j] == "\\" else 1
            arguments.append(Argument(text[i:j], line, False))
            i = j
        if len(arguments) > MAX_ARGUMENTS:
            raise _SyntaxError("a call with more arguments than any real one", start_line)
    raise _SyntaxError("a call's '(' is never closed by ')'", start_line)


def _quoted(text: str, i: int, line: int) -> tuple[str, int, int]:
    out: list[str] = []
    n = len(text)
    start = line
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n:
            nxt = text[i + 1]
            if nxt == "\n":
                line += 1
            else:
                out.append({"n": "\n", "t": "\t", "r": "\r"}.get(nxt, nxt))
            i += 2
            continue
        if c == '"':
            return "".join(out), i + 1, line
        if c == "\n":
            line += 1
        out.append(c)
        i += 1
    raise _SyntaxError("a quoted argument is never closed", start)


def _literal_variables(calls: list[Call]) -> dict[str, str]:
    """Variables ``set()`` to one literal value exactly once in the file."""
    counts: dict[str, int] = {}
    values: dict[str, str] = {}
    for call in calls:
        if call.name != "set" or not call.arguments:
            continue
        name = call.arguments[0].text
        counts[name] = counts.get(name, 0) + 1
        rest = [a for a in call.arguments[1:] if a.text not in ("CACHE", "PARENT_SCOPE")]
        if len(call.arguments) >= 2 and "CACHE" in (a.text for a in call.arguments[2:]):
            rest = list(call.arguments[1:2])
        if len(rest) == 1 and "${" not in rest[0].text and "$ENV{" not in rest[0].text:
            values[name] = rest[0].text
    return {k: v for k, v in values.items() if counts.get(k) == 1}


def _substitute(text: str, variables: dict[str, str]) -> tuple[str, list[str]]:
    missing: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in variables:
            return variables[name]
        missing.append(name)
        return match.group(0)

    return _VARIABLE.sub(replace, text), missing


def read(spec: InputSpec, text: str, manifest: Manifest) -> tuple[InputFile, ...]:
    try:
        calls = tokenize(text)
    except _SyntaxError as exc:
        raise InputError(
            f"is not valid CMake: {exc}", source=spec.display, location=str(exc.line)
        ) from None
    variables = _literal_variables(calls)
    for call in calls:
        label = _DECLARING.get(call.name)
        if label is not None:
            _declaration(manifest, call, label, variables)
    return ()


def _options(call: Call) -> dict[str, list[Argument]]:
    options: dict[str, list[Argument]] = {}
    current: str | None = None
    for argument in call.arguments[1:]:
        if not argument.quoted and argument.text in _KEYWORDS:
            current = argument.text
            options.setdefault(current, [])
        elif current is not None:
            options[current].append(argument)
    return options


def _declaration(manifest: Manifest, call: Call, label: str, variables: dict[str, str]) -> None:
    if not call.arguments:
        manifest.note(
            "unparsable-entry", f"{label}() without a name", call.line, level=DiagnosticLevel.ERROR
        )
        return
    raw_name = call.arguments[0].text
    name, name_missing = _substitute(raw_name, variables)
    options = _options(call)
    evidence = f"{label}({raw_name} ...)"
    props: list[tuple[str, str]] = [(PROP_CALL, label)]

    def value(key: str) -> tuple[str | None, list[str], int]:
        args = options.get(key) or []
        if not args:
            return None, [], call.line
        text, missing = _substitute(args[0].text, variables)
        return text, missing, args[0].line

    repo_url, repo_missing, repo_line = value("GIT_REPOSITORY")
    if repo_url is not None:
        tag, tag_missing, tag_line = value("GIT_TAG")
        if repo_missing:
            _unresolved(manifest, evidence, repo_missing, repo_line, "GIT_REPOSITORY")
            return
        shown = f"{evidence} GIT_REPOSITORY {redact(repo_url)}" + (f" GIT_TAG {tag}" if tag else "")
        _from_git(
            manifest,
            name if not name_missing else None,
            repo_url,
            tag,
            tag_missing,
            tag_line if tag else repo_line,
            shown,
            props,
        )
        return
    url, url_missing, url_line = value("URL")
    if url is not None:
        if url_missing:
            _unresolved(manifest, evidence, url_missing, url_line, "URL")
            return
        _from_url(
            manifest,
            name if not name_missing else None,
            url,
            url_line,
            f"{evidence} URL {redact(url)}",
            props,
        )
        return
    for other in ("SVN_REPOSITORY", "HG_REPOSITORY", "CVS_REPOSITORY"):
        if other in options:
            manifest.note(
                "unsupported-source",
                f"{label}({raw_name}): a {other.split('_')[0]} source is not identified by "
                "mdrgate; the dependency was not inventoried from this file",
                call.line,
            )
            return
    if "SOURCE_DIR" in options or "DOWNLOAD_COMMAND" in options:
        manifest.note(
            "local-component",
            f"{label}({raw_name}): builds sources already in the tree (or fetched by a custom "
            "command); they are inventoried from the sources themselves",
            call.line,
            level=DiagnosticLevel.INFO,
        )
        return
    manifest.note(
        "unparsable-entry",
        f"{label}({raw_name}): no GIT_REPOSITORY, URL or SOURCE_DIR; nothing to identify",
        call.line,
    )


def _unresolved(manifest: Manifest, evidence: str, missing: list[str], line: int, key: str) -> None:
    manifest.note(
        "unresolved-reference",
        f"{evidence}: {key} uses {', '.join('${' + m + '}' for m in missing)}, which this file "
        "does not set to one literal value; the dependency it names was not inventoried",
        line,
    )


def _from_git(
    manifest: Manifest,
    name: str | None,
    url: str,
    tag: str | None,
    tag_missing: list[str],
    line: int,
    text: str,
    props: list[tuple[str, str]],
) -> None:
    repository = parse_repository(url)
    if repository is None:
        purl = PackageURL(type="generic", name=name or url.rstrip("/").rsplit("/", 1)[-1])
        repo_name = purl.name
    else:
        purl = repository.purl()
        repo_name = repository.name
    props.append((PROP_URL, redact(url)))
    shown = name or repo_name
    names = tuple(n for n in (name, repo_name) if n)
    if tag is None:
        manifest.add(
            Declared(
                shown,
                purl,
                line,
                text,
                version_spec="git default branch",
                unknown_because="no GIT_TAG: the repository's default branch",
                properties=tuple(props),
                lookup_names=names,
            )
        )
        return
    if tag_missing:
        manifest.add(
            Declared(
                shown,
                purl,
                line,
                text,
                version_spec=f"GIT_TAG {tag}",
                unknown_because=f"GIT_TAG {tag} uses variables this file does not "
                "set to one literal value",
                properties=tuple(props),
                lookup_names=names,
            )
        )
        return
    ref = classify_ref(tag, repo_name)
    props.append((PROP_REF, ref.text))
    if ref.kind is RefKind.TAG:
        props.append((PROP_VERSION_FROM, "tag"))
        manifest.add(
            Declared(
                shown,
                purl,
                line,
                text,
                version=ref.version,
                purl_version=ref.text,
                properties=tuple(props),
                lookup_names=names,
            )
        )
        return
    why = (
        f"pinned to git commit {ref.text}, not to a release tag"
        if ref.kind is RefKind.COMMIT
        else f"follows the branch or ref {ref.text!r}"
    )
    manifest.add(
        Declared(
            shown,
            purl,
            line,
            text,
            version_spec=f"git {ref.kind.value} {ref.text}",
            commit=ref.commit,
            unknown_because=why,
            properties=tuple(props),
            lookup_names=names,
        )
    )


def _from_url(
    manifest: Manifest,
    name: str | None,
    url: str,
    line: int,
    text: str,
    props: list[tuple[str, str]],
) -> None:
    props.append((PROP_URL, redact(url)))
    download = analyse_download(url)
    if download is None:
        purl = PackageURL(
            type="generic", name=name or "unknown", qualifiers={"download_url": redact(url)}
        )
        manifest.add(
            Declared(
                name or url,
                purl,
                line,
                text,
                unknown_because="a download URL that names no version",
                properties=tuple(props),
                lookup_names=tuple(n for n in (name,) if n),
            )
        )
        return
    shown = name or download.name
    names = tuple(n for n in (name, download.name) if n)
    if download.ref is not None:
        ref = download.ref
        props.append((PROP_REF, ref.text))
        if ref.kind is RefKind.TAG:
            props.append((PROP_VERSION_FROM, "tag"))
            manifest.add(
                Declared(
                    shown,
                    download.purl,
                    line,
                    text,
                    version=ref.version,
                    purl_version=ref.text,
                    properties=tuple(props),
                    lookup_names=names,
                )
            )
            return
        why = (
            f"an archive of git commit {ref.text}, not of a release"
            if ref.kind is RefKind.COMMIT
            else f"an archive of the branch or ref {ref.text!r}"
        )
        manifest.add(
            Declared(
                shown,
                download.purl,
                line,
                text,
                version_spec=f"git {ref.kind.value} {ref.text}",
                commit=ref.commit,
                unknown_because=why,
                properties=tuple(props),
                lookup_names=names,
            )
        )
        return
    if download.version:
        props.append((PROP_VERSION_FROM, "file-name"))
        manifest.add(
            Declared(
                shown,
                download.purl,
                line,
                text,
                version=download.version,
                properties=tuple(props),
                lookup_names=names,
            )
        )
        return
    manifest.add(
        Declared(
            shown,
            download.purl,
            line,
            text,
            unknown_because="the download's file name carries no plain version",
            properties=tuple(props),
            lookup_names=names,
        )
    )
