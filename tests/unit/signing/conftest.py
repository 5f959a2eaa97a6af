"""Key pairs shared by the signing tests (generated once per session: keygen is the slow part)."""

from __future__ import annotations

import pytest

from mdrgate.evidence.keys import KeyKind, SigningKey, generate_keypair, load_private_key_pem


@pytest.fixture(scope="session")
def pems() -> dict[str, tuple[str, str]]:
    """Two key pairs of each kind: ``{"ed25519-a": (private, public), ...}``."""
    return {f"{kind.value}-{tag}": generate_keypair(kind) for kind in KeyKind for tag in ("a", "b")}


@pytest.fixture(scope="session")
def keys(pems: dict[str, tuple[str, str]]) -> dict[str, SigningKey]:
    return {
        name: load_private_key_pem(private, source=f"{name}.pem")
        for name, (private, _public) in pems.items()
    }
