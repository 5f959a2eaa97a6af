"""What ``db update`` fetches: the sources, their official endpoints and how to override them.

A source is chosen on the command line as ``osv:<Ecosystem>``, ``nvd``, ``kev``, ``epss``,
``eol`` or ``eol:<product>``; without a choice, every source the database already holds is
fetched again. Each endpoint's base URL can be replaced through an environment variable (a
mirror, a proxy cache, the tests' local server), following ``MDRGATE_OSV_API`` of
``check --online``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote, urlsplit

from mdrgate.errors import UsageError

OSV_EXPORTS = "https://osv-vulnerabilities.storage.googleapis.com"
NVD_API = "https://services.nvd.nist.gov/rest/json/cves/2.0"
KEV_URL = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
EPSS_URL = "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz"
"""FIRST's daily scores; the historic https://epss.cyentia.com/... redirects here."""
EOL_API = "https://endoflife.date"

ENV_OSV = "MDRGATE_OSV_EXPORTS"
ENV_NVD = "MDRGATE_NVD_API"
ENV_NVD_KEY = "NVD_API_KEY"
ENV_KEV = "MDRGATE_KEV_URL"
ENV_EPSS = "MDRGATE_EPSS_URL"
ENV_EOL = "MDRGATE_EOL_API"


class Feed(StrEnum):
    OSV = "osv"
    NVD = "nvd"
    KEV = "kev"
    EPSS = "epss"
    EOL = "eol"


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """One thing to fetch: a feed and, for OSV and endoflife.date, its ecosystem or product."""

    feed: Feed
    item: str | None = None

    def __str__(self) -> str:
        return f"{self.feed.value}:{self.item}" if self.item else self.feed.value

    @property
    def source_name(self) -> str:
        """The database source this fetch fills (NVD merges into every NVD source instead)."""
        if self.feed is Feed.OSV:
            return f"osv/{self.item}"
        if self.feed is Feed.NVD:
            return NVD_SOURCE
        if self.feed is Feed.EOL and self.item:
            return f"eol/{self.item}"
        return self.feed.value


NVD_SOURCE = "nvd/api"
"""Where CVEs fetched from the NVD API go when no imported NVD source holds them yet."""

_ITEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+\- ]*")
_SPEC_HELP = "osv:<Ecosystem> (e.g. osv:PyPI), nvd, kev, epss, eol or eol:<product>"


def parse_spec(text: str) -> SourceSpec:
    """``osv:PyPI`` → ``SourceSpec(OSV, "PyPI")``; UsageError for anything else."""
    name, sep, item = text.strip().partition(":")
    try:
        feed = Feed(name.lower())
    except ValueError:
        raise UsageError(f"unknown source {text!r}; expected {_SPEC_HELP}") from None
    if feed is Feed.OSV:
        if not sep or not _ITEM.fullmatch(item):
            raise UsageError(
                f"source {text!r}: name the OSV ecosystem, as osv.dev spells it "
                "(osv:PyPI, osv:npm, osv:Go, osv:crates.io, osv:Maven)"
            )
        return SourceSpec(feed, item)
    if feed is Feed.EOL and sep:
        if not re.fullmatch(r"[a-z0-9][a-z0-9._\-]*", item):
            raise UsageError(
                f"source {text!r}: an endoflife.date product is named in lower case "
                "(eol:openssl, eol:python)"
            )
        return SourceSpec(feed, item)
    if sep:
        raise UsageError(f"source {text!r}: {feed.value} takes no ':' part; expected {_SPEC_HELP}")
    return SourceSpec(feed)


def specs_for(held: Iterable[tuple[str, str, Mapping[str, int]]]) -> list[SourceSpec]:
    """What to fetch to renew the sources a database holds: ``(name, kind, ecosystems)`` each.

    OSV sources are renewed per ecosystem from its complete export (``Debian:11`` records come
    from ``Debian``); the NVD once, however many NVD files were imported; endoflife.date as the
    whole catalog (``eol``) or per product (``eol/<product>``).
    """
    found: set[SourceSpec] = set()
    for name, kind, ecosystems in held:
        if kind == Feed.OSV.value:
            found.update(SourceSpec(Feed.OSV, eco.split(":", 1)[0]) for eco in ecosystems)
        elif kind == Feed.EOL.value and name.startswith("eol/"):
            found.add(SourceSpec(Feed.EOL, name.removeprefix("eol/")))
        elif kind in {f.value for f in Feed}:
            found.add(SourceSpec(Feed(kind)))
    return sorted(found, key=str)


@dataclass(frozen=True, slots=True)
class Endpoints:
    """The base URL of every feed; ``from_env`` takes overrides from the environment."""

    osv: str = OSV_EXPORTS
    nvd: str = NVD_API
    kev: str = KEV_URL
    epss: str = EPSS_URL
    eol: str = EOL_API

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Endpoints:
        return cls(
            osv=_url(env, ENV_OSV, OSV_EXPORTS),
            nvd=_url(env, ENV_NVD, NVD_API),
            kev=_url(env, ENV_KEV, KEV_URL),
            epss=_url(env, ENV_EPSS, EPSS_URL),
            eol=_url(env, ENV_EOL, EOL_API),
        )

    def url(self, spec: SourceSpec) -> str:
        """The URL a source is downloaded from (the NVD's is the API's, asked page by page)."""
        if spec.feed is Feed.OSV:
            assert spec.item is not None
            return f"{self.osv.rstrip('/')}/{quote(spec.item, safe='.')}/all.zip"
        if spec.feed is Feed.NVD:
            return self.nvd
        if spec.feed is Feed.KEV:
            return self.kev
        if spec.feed is Feed.EPSS:
            return self.epss
        base = self.eol.rstrip("/")
        if spec.item:
            return f"{base}/api/{quote(spec.item, safe='')}.json"
        return f"{base}/api/v1/products/full"


def _url(env: Mapping[str, str], name: str, default: str) -> str:
    configured = env.get(name, "").strip()
    if not configured:
        return default
    parts = urlsplit(configured)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{name} must be an http(s) URL such as {default}, got {configured!r}")
    return configured
