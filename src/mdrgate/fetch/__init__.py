"""HTTP for every online path (``db update``, ``check --online``): the only package that uses it.

See :mod:`mdrgate.fetch.client` for the failure rules: every failure is a ``DataError`` (exit 4)
naming the URL, what happened and after how many attempts.
"""

from __future__ import annotations

from mdrgate.fetch.client import (
    MAX_ANSWER_BYTES,
    USER_AGENT,
    Downloaded,
    Fetched,
    HttpClient,
    NotModified,
    Progress,
    Timeouts,
    Validators,
    display_url,
)
from mdrgate.fetch.retry import RetryPolicy, is_transient, parse_retry_after

__all__ = [
    "MAX_ANSWER_BYTES",
    "USER_AGENT",
    "Downloaded",
    "Fetched",
    "HttpClient",
    "NotModified",
    "Progress",
    "RetryPolicy",
    "Timeouts",
    "Validators",
    "display_url",
    "is_transient",
    "parse_retry_after",
]
