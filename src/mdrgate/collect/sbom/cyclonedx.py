"""CycloneDX 1.2 to 1.7, JSON and XML, read into entries.

XML is first turned into the shape of the JSON format (with the line of each component), so one
reader interprets both. XML is parsed with ``defusedxml`` and document type declarations are
refused outright: a CycloneDX document never needs one, and a DTD is how entity-expansion bombs
and external-entity reads get in.

Validation. The documents are not checked against the official JSON/XML schemas: those ship only
as private files of ``cyclonedx-python-lib``, reference each other and the SPDX licence list, and
real producers deviate from them in ways that do not touch what is imported here. Instead every
field that is read is checked for its shape, the structure that carries components
(``components``, nesting, ``metadata``) must be right or the file is refused with the JSON pointer
or line, and a malformed field of one component becomes a diagnostic naming that component.

What becomes an inventory component, by ``type``:

- ``application``, ``framework``, ``library``, ``container``, ``platform``,
  ``operating-system``, ``device-driver``, ``firmware``: imported;
- ``file``: imported only when it carries a purl or CPE (it then identifies a package); otherwise a
  file is evidence of a package, not one;
- ``device`` (hardware), ``data``, ``machine-learning-model``, ``cryptographic-asset``: not
  imported (their nested components are);
- a type outside the specification: imported, with a warning.

Also not imported, each reported: ``metadata.component`` (the SBOM's subject, also when listed
again among the components; its own nested components are imported), services, components with
``scope: excluded`` (unless development dependencies are included), and grouping entries without
version or identifier whose only content is other components (trivy lists each scanned lock file
this way).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NoReturn
from xml.etree.ElementTree import Element, TreeBuilder

from mdrgate.collect.sbom.entries import (
    MAX_NESTING,
    MAX_PROPERTIES,
    PROP_GROUP,
    PROP_IDENTITY,
    PROP_PARENT,
    PROP_SCOPE,
    PROP_SWID,
    PROP_TYPE,
    Entry,
    Parsed,
    clip,
)
from mdrgate.errors import InputError
from mdrgate.model import DiagnosticLevel

SPEC_VERSIONS = ("1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
NAMESPACE = "http://cyclonedx.org/schema/bom/"
MAX_XML_DEPTH = 200
"""XML elements nested deeper than this are refused before the tree is built."""

IMPORTED = frozenset(
    {
        "application",
        "framework",
        "library",
        "container",
        "platform",
        "operating-system",
        "device-driver",
        "firmware",
    }
)
NOT_SOFTWARE = {
    "device": "devices (hardware, not software)",
    "data": "data components (not software)",
    "machine-learning-model": "machine-learning models (not software packages)",
    "cryptographic-asset": "cryptographic assets (algorithms, keys, certificates: not packages)",
}
FILE_TYPE = "file"

HASH_ALGORITHMS = frozenset(
    {
        "MD5",
        "SHA-1",
        "SHA-256",
        "SHA-384",
        "SHA-512",
        "SHA3-256",
        "SHA3-384",
        "SHA3-512",
        "BLAKE2b-256",
        "BLAKE2b-384",
        "BLAKE2b-512",
        "BLAKE3",
        "Streebog-256",
        "Streebog-512",
    }
)
_HEX = frozenset("0123456789abcdefABCDEF")

SKIP_SUBJECT = "the SBOM's subject (metadata.component) listed again among the components"
SKIP_FILE = "files without purl or CPE (evidence of a package, not packages)"
SKIP_EXCLUDED = (
    "components with scope 'excluded' (not part of the shipped product; they are imported "
    "when development dependencies are included)"
)
SKIP_SERVICES = "services (what the product calls or offers over a network, not shipped software)"
SKIP_GROUPING = (
    "grouping entries without version or identifier of their own, listing other components "
    "(a scanned file or directory)"
)


def read_json(data: Any, display: str, *, include_dev: bool) -> Parsed:
    """Entries of a CycloneDX JSON document (already parsed from JSON)."""
    if not isinstance(data, dict):
        raise InputError(
            f"the top level is {_json_type(data)}, expected a CycloneDX BOM object",
            source=display,
        )
    if data.get("bomFormat") != "CycloneDX":
        raise InputError(
            f'/bomFormat: expected "CycloneDX", found {_shown(data.get("bomFormat"))}',
            source=display,
        )
    version = data.get("specVersion")
    if not isinstance(version, str) or version not in SPEC_VERSIONS:
        raise _unsupported(display, f"/specVersion: {_shown(version)}")
    return _Reader(display, f"CycloneDX {version} (JSON)", include_dev).read(data)


def read_xml(raw: bytes, display: str, *, include_dev: bool) -> Parsed:
    """Entries of a CycloneDX XML document (namespace ``http://cyclonedx.org/schema/bom/1.x``)."""
    root, lines = parse_xml(raw, display)
    namespace, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", "")
    if local != "bom" or not namespace.startswith(NAMESPACE):
        shown = root.tag if root.tag.startswith("{") else f"{root.tag} (no namespace)"
        raise InputError(
            f"is not a CycloneDX XML document: the root element is {shown}, expected "
            f"{{{NAMESPACE}1.x}}bom",
            source=display,
            location=str(lines.get(id(root), 1)),
        )
    version = namespace[len(NAMESPACE) :]
    if version not in SPEC_VERSIONS:
        raise _unsupported(display, f"namespace {namespace}")
    data = _XmlShape(namespace, lines).bom(root)
    return _Reader(display, f"CycloneDX {version} (XML)", include_dev).read(data)


def _unsupported(display: str, found: str) -> InputError:
    return InputError(
        f"{found}: this CycloneDX specification version is not supported "
        f"(supported: {SPEC_VERSIONS[0]} to {SPEC_VERSIONS[-1]})",
        source=display,
        hint="regenerate the SBOM with a supported specVersion (e.g. 1.6)",
    )


class _Reader:
    """Walks the components (nested ones included) of a JSON-shaped CycloneDX document."""

    def __init__(self, display: str, fmt: str, include_dev: bool) -> None:
        self.parsed = Parsed(display=display, format=fmt)
        self.include_dev = include_dev
        self.subject_ref: str | None = None
        self.parents: set[str] = set()

    def read(self, data: dict[str, Any]) -> Parsed:
        metadata = data.get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            self._fail("/metadata", f"expected an object, found {_json_type(metadata)}", data)
        if isinstance(metadata, dict):
            self._subject(metadata)
        self.parents = self._dependency_parents(data.get("dependencies"))
        components = data.get("components", [])
        if not isinstance(components, list):
            self._fail("/components", f"expected a list, found {_json_type(components)}", data)
        for node, pointer, parent in self._walk(components, "/components", None):
            self._component(node, pointer, parent)
        subject = metadata.get("component") if isinstance(metadata, dict) else None
        assembly = subject.get("components") if isinstance(subject, dict) else None
        if isinstance(subject, dict) and assembly is not None:
            # the subject's own parts: components like the others
            if not isinstance(assembly, list):
                self._fail(
                    "/metadata/component/components",
                    f"expected a list, found {_json_type(assembly)}",
                    subject,
                )
            label = _text(subject.get("bom-ref")) or _label(subject)
            for node, pointer, parent in self._walk(
                assembly, "/metadata/component/components", label
            ):
                self._component(node, pointer, parent)
        services = data.get("services")
        if isinstance(services, list):
            for service in services:
                if isinstance(service, dict):
                    self.parsed.skip(SKIP_SERVICES, _label(service))
        return self.parsed

    def _fail(self, pointer: str, message: str, node: Any) -> NoReturn:
        line = node.get("__line__") if isinstance(node, dict) else None
        if len(pointer) > 120:
            pointer = pointer[:40] + "/.../" + pointer[-60:]
        raise InputError(
            f"{pointer}: {message}",
            source=self.parsed.display,
            location=str(line) if line else None,
        )

    def _subject(self, metadata: dict[str, Any]) -> None:
        component = metadata.get("component")
        if component is None:
            return
        if not isinstance(component, dict):
            self._fail(
                "/metadata/component", f"expected an object, found {_json_type(component)}", None
            )
        ref = _text(component.get("bom-ref"))
        self.subject_ref = ref
        name = _text(component.get("name")) or ref or "(unnamed)"
        version = _text(component.get("version"))
        kind = _text(component.get("type"))
        shown = f"{name} {version}" if version else name
        self.parsed.subject = f"{shown} ({kind})" if kind else shown

    def _dependency_parents(self, dependencies: Any) -> set[str]:
        """The refs that depend on something: candidates for grouping entries."""
        parents: set[str] = set()
        if not isinstance(dependencies, list):
            return parents
        for item in dependencies:
            if not isinstance(item, dict):
                continue
            ref, depends = item.get("ref"), item.get("dependsOn")
            if isinstance(ref, str) and isinstance(depends, list) and depends:
                parents.add(ref)
        return parents

    def _walk(
        self, components: list[Any], pointer: str, parent: str | None
    ) -> Iterator[tuple[dict[str, Any], str, str | None]]:
        """Every component, depth first, with its JSON pointer and its parent's label."""
        stack: list[tuple[list[Any], str, str | None, int]] = [(components, pointer, parent, 1)]
        while stack:
            items, base, owner, depth = stack.pop()
            nested: list[tuple[list[Any], str, str | None, int]] = []
            for index, node in enumerate(items):
                here = f"{base}/{index}"
                if not isinstance(node, dict):
                    self._fail(here, f"expected a component object, found {_json_type(node)}", None)
                yield node, here, owner
                children = node.get("components")
                if children is None:
                    continue
                if not isinstance(children, list):
                    self._fail(
                        f"{here}/components", f"expected a list, found {_json_type(children)}", node
                    )
                if children and depth >= MAX_NESTING:
                    self._fail(
                        f"{here}/components",
                        f"components are nested more than {MAX_NESTING} levels deep; mdrgate "
                        "refuses deeper nesting (no real SBOM needs it)",
                        node,
                    )
                label = _text(node.get("bom-ref")) or _label(node)
                nested.append((children, f"{here}/components", label, depth + 1))
            stack.extend(reversed(nested))

    def _component(self, node: dict[str, Any], pointer: str, parent: str | None) -> None:
        parsed = self.parsed
        line = node.get("__line__") if isinstance(node.get("__line__"), int) else None
        where = f"{pointer} (line {line})" if line else pointer
        ref = _text(node.get("bom-ref"))
        fields = _Fields(parsed, node, where, line)
        name = fields.string("name")
        version = fields.string("version")
        kind = fields.string("type")
        purl = fields.string("purl")
        cpe = fields.string("cpe")
        scope = fields.string("scope")
        hashes = fields.hashes()
        label = _label(node)
        has_children = bool(node.get("components")) or (ref is not None and ref in self.parents)
        swid = node.get("swid")
        tag_id = _text(swid.get("tagId")) if isinstance(swid, dict) else None

        if ref is not None and ref == self.subject_ref:
            parsed.skip(SKIP_SUBJECT, label)
            return
        if kind in NOT_SOFTWARE:
            parsed.skip(NOT_SOFTWARE[kind], label)
            return
        if kind == FILE_TYPE and not purl and not cpe:
            parsed.skip(SKIP_FILE, label)
            return
        if scope == "excluded" and not self.include_dev:
            parsed.skip(SKIP_EXCLUDED, label)
            return
        if has_children and not (version or purl or cpe or hashes or tag_id):
            parsed.skip(SKIP_GROUPING, label)
            return
        if not name and not purl:
            parsed.note(
                "sbom-invalid-entry",
                f"{where}: a component without name or purl cannot be imported"
                + (f" (bom-ref {ref!r})" if ref else "")
                + "; it is left out of the inventory",
                level=DiagnosticLevel.ERROR,
                line=line,
            )
            return
        if kind is None:
            if "type" not in node:
                parsed.note(
                    "sbom-invalid-field",
                    f"{where} ({label}): the component has no 'type' (required); imported as a "
                    "library",
                    line=line,
                )
        elif kind not in IMPORTED and kind != FILE_TYPE:
            parsed.note(
                "sbom-unknown-type",
                f"{where} ({label}): component type {kind!r} is not a CycloneDX type; imported "
                "anyway",
                line=line,
            )

        properties: list[tuple[str, str]] = [(PROP_TYPE, kind or "library")]
        if parent:
            properties.append((PROP_PARENT, clip(parent)))
        group = fields.string("group")
        if group:
            properties.append((PROP_GROUP, clip(group)))
        if scope and scope != "required":
            properties.append((PROP_SCOPE, scope))
        if tag_id:
            properties.append((PROP_SWID, clip(tag_id)))
        identity = _identity(node.get("evidence"))
        if identity:
            properties.append((PROP_IDENTITY, identity))
        properties.extend(fields.properties())
        parsed.entries.append(
            Entry(
                name=name,
                version=version,
                kind=kind,
                where=where,
                line=line,
                ref=ref,
                group=group,
                purl=purl,
                cpes=(cpe,) if cpe else (),
                supplier=_supplier(node),
                licenses=fields.licenses(),
                hashes=hashes,
                description=fields.string("description"),
                parent=parent,
                properties=tuple(properties),
            )
        )


class _Fields:
    """Typed reads of one component's fields; a field of the wrong shape becomes a warning."""

    def __init__(self, parsed: Parsed, node: dict[str, Any], where: str, line: int | None):
        self.parsed, self.node, self.where, self.line = parsed, node, where, line

    def _bad(self, key: str, found: Any, expected: str) -> None:
        self.parsed.note(
            "sbom-invalid-field",
            f"{self.where}/{key} ({_label(self.node)}): expected {expected}, found "
            f"{_shown(found)}; the field is ignored",
            line=self.line,
        )

    def string(self, key: str) -> str | None:
        value = self.node.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self._bad(key, value, "a string")
            return None
        return value.strip() or None

    def hashes(self) -> tuple[tuple[str, str], ...]:
        raw = self.node.get("hashes")
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self._bad("hashes", raw, "a list")
            return ()
        found: list[tuple[str, str]] = []
        for index, item in enumerate(raw):
            alg = item.get("alg") if isinstance(item, dict) else None
            content = item.get("content") if isinstance(item, dict) else None
            if not (isinstance(alg, str) and isinstance(content, str)):
                self._bad(f"hashes/{index}", item, "an object with 'alg' and 'content'")
                continue
            content = content.strip()
            if alg not in HASH_ALGORITHMS or not content or not _HEX.issuperset(content):
                self._bad(
                    f"hashes/{index}",
                    f"{alg}:{content}",
                    "a CycloneDX hash algorithm and a hexadecimal digest",
                )
                continue
            found.append((alg, content.lower()))
        return tuple(sorted(set(found)))

    def licenses(self) -> tuple[str, ...]:
        raw = self.node.get("licenses")
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self._bad("licenses", raw, "a list")
            return ()
        found: list[str] = []
        for item in raw:
            if not isinstance(item, dict):
                continue
            expression = item.get("expression")
            if isinstance(expression, str) and expression.strip():
                found.append(clip(expression))
                continue
            lic = item.get("license")
            if isinstance(lic, dict):
                text = _text(lic.get("id")) or _text(lic.get("name"))
                if text:
                    found.append(clip(text))
        return tuple(dict.fromkeys(found))

    def properties(self) -> list[tuple[str, str]]:
        """The component's own properties, except mdrgate's namespace (a former run's output)."""
        raw = self.node.get("properties")
        if not isinstance(raw, list):
            return []
        kept: list[tuple[str, str]] = []
        for item in raw:
            if not isinstance(item, dict):
                continue
            name, value = item.get("name"), item.get("value")
            if not isinstance(name, str) or not name.strip() or name.startswith("mdrgate:"):
                continue
            kept.append((clip(name, 200), clip(value) if isinstance(value, str) else ""))
            if len(kept) >= MAX_PROPERTIES:
                break
        return kept


def _supplier(node: dict[str, Any]) -> str | None:
    """supplier, then manufacturer (1.6), publisher, author, authors[] — the first stated."""
    for key in ("supplier", "manufacturer"):
        entity = node.get(key)
        if isinstance(entity, dict):
            name = _text(entity.get("name"))
            if name:
                return clip(name, 200)
    for key in ("publisher", "author"):
        text = _text(node.get(key))
        if text:
            return clip(text, 200)
    authors = node.get("authors")
    if isinstance(authors, list):
        names = [_text(a.get("name")) for a in authors if isinstance(a, dict)]
        shown = ", ".join(n for n in names if n)
        if shown:
            return clip(shown, 200)
    return None


def _identity(evidence: Any) -> str | None:
    """``purl (confidence 1)``: what ``evidence.identity`` (an object in 1.5, a list in 1.6)
    says was identified and how sure the producer was."""
    if not isinstance(evidence, dict):
        return None
    identity = evidence.get("identity")
    items = identity if isinstance(identity, list) else [identity]
    shown: list[str] = []
    for item in items:
        if not isinstance(item, dict):
            continue
        field = _text(item.get("field"))
        confidence = item.get("confidence")
        if field is None:
            continue
        if isinstance(confidence, int | float) and not isinstance(confidence, bool):
            shown.append(f"{field} (confidence {confidence:g})")
        elif isinstance(confidence, str) and confidence.strip():
            shown.append(f"{field} (confidence {confidence.strip()})")
        else:
            shown.append(field)
    return clip(", ".join(shown)) if shown else None


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _label(node: dict[str, Any]) -> str:
    name = _text(node.get("name")) or _text(node.get("purl")) or _text(node.get("bom-ref"))
    version = _text(node.get("version"))
    shown = name or "(unnamed)"
    return clip(f"{shown}@{version}" if version else shown, 120)


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return repr(clip(value, 60))
    if value is None:
        return "nothing"
    return _json_type(value)


# --- XML ------------------------------------------------------------------------------------


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


class _LineBuilder(TreeBuilder):
    """A tree builder that notes the line of every element and refuses deep nesting."""

    def __init__(self, lines: dict[int, int]) -> None:
        super().__init__()
        self.lines = lines
        self.depth = 0
        self.expat: Any = None

    def start(self, tag: str, attrs: dict[str, str], /) -> Element:
        line = int(self.expat.CurrentLineNumber) if self.expat is not None else 0
        self.depth += 1
        if self.depth > MAX_XML_DEPTH:
            raise _TooDeep(line)
        element = super().start(tag, attrs)
        self.lines[id(element)] = line
        return element

    def end(self, tag: str, /) -> Element:
        self.depth -= 1
        return super().end(tag)


def parse_xml(raw: bytes, display: str) -> tuple[Element, dict[int, int]]:
    """The document's root element and the line of each element (by ``id``), or an InputError.

    Document type declarations (and so every entity definition and external reference) are
    refused; so is nesting deeper than ``MAX_XML_DEPTH``.
    """
    # defusedxml ships no type hints; its API is the standard library's ElementTree.
    from defusedxml import (  # type: ignore[import-untyped, unused-ignore]
        DTDForbidden,
        EntitiesForbidden,
        ExternalReferenceForbidden,
    )
    from defusedxml.ElementTree import (  # type: ignore[import-untyped, unused-ignore]
        DefusedXMLParser,
        ParseError,
    )

    lines: dict[int, int] = {}
    builder = _LineBuilder(lines)
    parser = DefusedXMLParser(target=builder, forbid_dtd=True)
    builder.expat = parser.parser

    def where() -> str | None:
        try:
            return str(parser.parser.CurrentLineNumber)
        except AttributeError:  # pragma: no cover - the expat parser is always there
            return None

    try:
        parser.feed(raw)
        root = parser.close()
    except (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden):
        raise InputError(
            "contains a document type declaration (<!DOCTYPE ...>); mdrgate refuses DTDs in "
            "SBOMs: they can define entities that expand to gigabytes or read other files, "
            "and CycloneDX never needs one",
            source=display,
            location=where(),
            hint="remove the DOCTYPE (and any entity references) from the file",
        ) from None
    except _TooDeep as exc:
        raise InputError(
            f"XML elements are nested more than {MAX_XML_DEPTH} levels deep; mdrgate refuses "
            "deeper nesting",
            source=display,
            location=str(exc.line),
        ) from None
    except ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        reason = str(exc).split(":", 1)[0] if str(exc) else "malformed XML"
        raise InputError(
            f"is not well-formed XML: {reason}" + (f" (column {column + 1})" if column else ""),
            source=display,
            location=str(line) if line else None,
        ) from None
    except RecursionError:  # pragma: no cover - depth is capped before this can happen
        raise InputError("XML nested too deeply to be read", source=display) from None
    if not isinstance(root, Element):  # pragma: no cover - a builder always returns one
        raise InputError("the XML document has no root element", source=display)
    return root, lines


class _XmlShape:
    """Turns a CycloneDX XML tree into the JSON format's shape (only what the reader uses)."""

    def __init__(self, namespace: str, lines: dict[int, int]) -> None:
        self.prefix = "{" + namespace + "}"
        self.lines = lines

    def _children(self, element: Element, name: str | None = None) -> Iterator[Element]:
        for child in element:
            if not isinstance(child.tag, str) or not child.tag.startswith(self.prefix):
                continue  # comments, processing instructions, extension namespaces
            if name is None or child.tag == self.prefix + name:
                yield child

    def _local(self, element: Element) -> str:
        return element.tag[len(self.prefix) :]

    def _first(self, element: Element, name: str) -> Element | None:
        return next(self._children(element, name), None)

    def bom(self, root: Element) -> dict[str, Any]:
        data: dict[str, Any] = {"bomFormat": "CycloneDX"}
        metadata = self._first(root, "metadata")
        if metadata is not None:
            subject = self._first(metadata, "component")
            data["metadata"] = {"component": self.component(subject)} if subject is not None else {}
        components = self._first(root, "components")
        if components is not None:
            data["components"] = [
                self.component(c) for c in self._children(components, "component")
            ]
        services = self._first(root, "services")
        if services is not None:
            data["services"] = [
                {"name": self._text(service, "name"), "version": self._text(service, "version")}
                for service in self._children(services, "service")
            ]
        dependencies = self._first(root, "dependencies")
        if dependencies is not None:
            data["dependencies"] = [
                {
                    "ref": dep.get("ref"),
                    "dependsOn": [d.get("ref") for d in self._children(dep, "dependency")],
                }
                for dep in self._children(dependencies, "dependency")
            ]
        return data

    def component(self, element: Element) -> dict[str, Any]:
        node: dict[str, Any] = {"__line__": self.lines.get(id(element))}
        for attribute in ("type", "bom-ref", "scope"):
            if element.get(attribute) is not None:
                node[attribute] = element.get(attribute)
        simple = ("name", "version", "group", "description", "purl", "cpe", "publisher", "author")
        for child in self._children(element):
            local = self._local(child)
            if local in simple or local == "scope":
                node[local] = (child.text or "").strip()
            elif local in ("supplier", "manufacturer"):
                name = self._first(child, "name")
                node[local] = {"name": (name.text or "").strip() if name is not None else None}
            elif local == "authors":
                node["authors"] = [
                    {"name": self._text(a, "name")} for a in self._children(child, "author")
                ]
            elif local == "hashes":
                node["hashes"] = [
                    {"alg": h.get("alg"), "content": (h.text or "").strip()}
                    for h in self._children(child, "hash")
                ]
            elif local == "licenses":
                node["licenses"] = self._licenses(child)
            elif local == "properties":
                node["properties"] = [
                    {"name": p.get("name"), "value": (p.text or "").strip()}
                    for p in self._children(child, "property")
                ]
            elif local == "components":
                node["components"] = [self.component(c) for c in self._children(child, "component")]
            elif local == "swid":
                node["swid"] = {"tagId": child.get("tagId")}
            elif local == "evidence":
                node["evidence"] = {
                    "identity": [
                        {
                            "field": self._text(i, "field"),
                            "confidence": self._text(i, "confidence"),
                        }
                        for i in self._children(child, "identity")
                    ]
                }
        return node

    def _text(self, element: Element, name: str) -> str | None:
        child = self._first(element, name)
        return (child.text or "").strip() if child is not None else None

    def _licenses(self, element: Element) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        for child in self._children(element):
            local = self._local(child)
            if local == "expression":
                found.append({"expression": (child.text or "").strip()})
            elif local == "license":
                found.append(
                    {"license": {"id": self._text(child, "id"), "name": self._text(child, "name")}}
                )
        return found
