"""endoflife.date API v1 ``/api/v1/products/full`` in the layout the endoflife.date reader takes.

The catalog answer is ``{"schema_version", "generated_at", "total", "result": [product]}``; a
product has ``name``, ``label``, ``category``, ``identifiers`` (``[{"type": "purl", "id":
"pkg:..."}]``) and ``releases``; a release has ``name``, ``codename``, ``releaseDate``,
``isLts``/``ltsFrom``, ``isEoas``/``eoasFrom``, ``isEol``/``eolFrom``, ``isEoes``/``eoesFrom``,
``isDiscontinued``/``discontinuedFrom`` and ``latest`` (``name``, ``date``, ``link``).

It is rewritten, without judging anything, into the zip that :func:`mdrgate.vulndb.eol.read_eol`
reads (``products/<name>.json`` with title, category, permalink and identifiers;
``api/<name>.json`` with the cycles in the API v0 shape; ``api/all.json``), so one reader checks
both inputs. The v0 shape gives each of eol/support/extendedSupport/lts/discontinued as a date
when the v1 answer has one, else as a flag: ``eol``, ``lts`` and ``discontinued`` keep v1's
``is…`` value; ``support`` and ``extendedSupport`` negate it (v1 ``isEoas: true`` = active support
has ended; v0 ``support: false`` says the same).
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from mdrgate.errors import InputError

_FIXED = (2020, 1, 1, 0, 0, 0)


def catalog_zip(data: bytes, shown: str) -> tuple[bytes, str | None]:
    """The zip for ``read_eol`` and the catalog's ``generated_at``; InputError if malformed."""
    try:
        answer = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        problem = (
            f"{exc.msg} at line {exc.lineno}, column {exc.colno}"
            if isinstance(exc, json.JSONDecodeError)
            else "not UTF-8 JSON"
        )
        raise InputError(f"is not JSON: {problem}", source=shown) from None
    if not isinstance(answer, dict) or not isinstance(answer.get("result"), list):
        raise InputError(
            "is not an endoflife.date API v1 product list (no 'result' array)", source=shown
        )
    products: list[Any] = answer["result"]
    total = answer.get("total")
    if isinstance(total, int) and total != len(products):
        raise InputError(
            f"says it lists {total} products (total) but lists {len(products)}", source=shown
        )
    buffer = io.BytesIO()
    names: list[str] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for index, product in enumerate(products):
            name = product.get("name") if isinstance(product, dict) else None
            if not isinstance(name, str) or not name or "/" in name:
                raise InputError(f"result[{index}]: a product without a usable name", source=shown)
            releases = product.get("releases")
            if not isinstance(releases, list):
                raise InputError(
                    f"result[{index}] ({name}): releases: expected a list", source=shown
                )
            names.append(name)
            _write(archive, f"products/{name}.json", _page(product, name, index, shown))
            cycles = [
                _cycle(r, f"result[{index}] ({name}).releases[{i}]", shown)
                for i, r in enumerate(releases)
            ]
            _write(archive, f"api/{name}.json", cycles)
        _write(archive, "api/all.json", names)
    generated = answer.get("generated_at")
    return buffer.getvalue(), generated if isinstance(generated, str) else None


def _write(archive: zipfile.ZipFile, name: str, value: Any) -> None:
    info = zipfile.ZipInfo(name, date_time=_FIXED)
    archive.writestr(info, json.dumps(value, separators=(",", ":")))


def _page(product: dict[str, Any], name: str, index: int, shown: str) -> dict[str, Any]:
    raw = product.get("identifiers") or []
    if not isinstance(raw, list):
        raise InputError(f"result[{index}] ({name}): identifiers: expected a list", source=shown)
    identifiers = []
    for item in raw:
        if isinstance(item, dict) and isinstance(item.get("type"), str):
            identifiers.append({item["type"]: item.get("id")})
    return {
        "title": product.get("label"),
        "category": product.get("category"),
        "permalink": f"/{name}",
        "identifiers": identifiers,
    }


def _cycle(release: Any, where: str, shown: str) -> dict[str, Any]:
    if not isinstance(release, dict):
        raise InputError(f"{where}: expected an object (a release)", source=shown)
    raw_latest = release.get("latest")
    latest: dict[str, Any] = raw_latest if isinstance(raw_latest, dict) else {}
    cycle: dict[str, Any] = {
        "cycle": release.get("name"),
        "codename": release.get("codename"),
        "releaseDate": release.get("releaseDate"),
        "eol": _either(release, "eolFrom", "isEol", negate=False),
        "support": _either(release, "eoasFrom", "isEoas", negate=True),
        "extendedSupport": _either(release, "eoesFrom", "isEoes", negate=True),
        "lts": _either(release, "ltsFrom", "isLts", negate=False),
        "discontinued": _either(release, "discontinuedFrom", "isDiscontinued", negate=False),
        "latest": latest.get("name"),
        "latestReleaseDate": latest.get("date"),
        "link": latest.get("link"),
    }
    return {key: value for key, value in cycle.items() if value is not None}


def _either(release: dict[str, Any], date_key: str, flag_key: str, *, negate: bool) -> Any:
    date = release.get(date_key)
    if date is not None:
        return date
    flag = release.get(flag_key)
    if isinstance(flag, bool):
        return (not flag) if negate else flag
    return flag
