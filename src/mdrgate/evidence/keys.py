"""Signing keys for evidence: Ed25519 and ECDSA P-256 PEM keys, loaded without ever echoing them.

Only two key types are accepted so that an auditor years later needs nothing exotic to re-check a
signature. The key id is the SHA-256 of the public key's DER SubjectPublicKeyInfo, so it is the
same whichever tool computes it and never depends on a file name. Error messages name the file
or the variable a key came from, never its content: a CI secret must not end up in a log.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from mdrgate.errors import InputError, UsageError

SIGNING_KEY_ENV = "MDRGATE_SIGNING_KEY"
"""The environment variable that may hold the private key's PEM text (a CI secret)."""

_SUPPORTED = "an Ed25519 or ECDSA P-256 key"


class KeyKind(StrEnum):
    """The key types mdrgate signs with."""

    ED25519 = "ed25519"
    ECDSA_P256 = "ecdsa-p256"


_PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey
_PublicKey = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey


def _kind_of(key: object, source: str) -> KeyKind:
    if isinstance(key, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey):
        return KeyKind.ED25519
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        if isinstance(key.curve, ec.SECP256R1):
            return KeyKind.ECDSA_P256
        raise UsageError(
            f"the key is an ECDSA key on curve {key.curve.name}; expected {_SUPPORTED}",
            source=source,
            hint="create a key with `mdrgate keygen`",
        )
    raise UsageError(
        f"the key is of type {type(key).__name__.lstrip('_')}; expected {_SUPPORTED}",
        source=source,
        hint="create a key with `mdrgate keygen`",
    )


def _keyid(public: _PublicKey) -> str:
    der = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(der).hexdigest()


@dataclass(frozen=True)
class PublicKey:
    """A trusted public key; ``keyid`` is the hex SHA-256 of its DER SubjectPublicKeyInfo."""

    keyid: str
    kind: KeyKind
    source: str
    _key: _PublicKey = field(repr=False, compare=False)

    def verify(self, signature: bytes, message: bytes) -> bool:
        """True when ``signature`` is this key's signature of ``message``."""
        try:
            if isinstance(self._key, ed25519.Ed25519PublicKey):
                self._key.verify(signature, message)
            else:
                self._key.verify(signature, message, ec.ECDSA(hashes.SHA256()))
        except InvalidSignature:
            return False
        return True

    def pem(self) -> str:
        """The public key as SubjectPublicKeyInfo PEM text."""
        return self._key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ).decode("ascii")


@dataclass(frozen=True)
class SigningKey:
    """A private key ready to sign; its repr shows the key id and never the key."""

    keyid: str
    kind: KeyKind
    source: str
    _key: _PrivateKey = field(repr=False, compare=False)

    def sign(self, message: bytes) -> bytes:
        """Ed25519 signature, or ECDSA P-256/SHA-256 signature DER-encoded."""
        if isinstance(self._key, ed25519.Ed25519PrivateKey):
            return self._key.sign(message)
        return self._key.sign(message, ec.ECDSA(hashes.SHA256()))

    def public_key(self) -> PublicKey:
        """The matching public key (e.g. to verify one's own signature at once)."""
        public = self._key.public_key()
        return PublicKey(keyid=self.keyid, kind=self.kind, source=self.source, _key=public)


def load_private_key_pem(
    pem: str | bytes, *, source: str, password: bytes | None = None
) -> SigningKey:
    """Load a private key from PEM text; ``source`` names the file or the variable it came from.

    The text is a parameter (the CLI reads ``MDRGATE_SIGNING_KEY`` itself) so this module never
    touches the environment.
    """
    data = pem.encode("utf-8") if isinstance(pem, str) else pem
    if b"-----BEGIN" not in data:
        raise UsageError(
            f"no PEM private key found; expected {_SUPPORTED} in PEM form",
            source=source,
            hint="the text must start with a '-----BEGIN PRIVATE KEY-----' line",
        )
    if b"PUBLIC KEY-----" in data and b"PRIVATE KEY-----" not in data:
        raise UsageError(
            "this is a public key; signing needs the private key",
            source=source,
        )
    failure: str | None = None
    try:
        key = serialization.load_pem_private_key(data, password=password)
    except TypeError:
        failure = (
            "the private key is encrypted and no password was given"
            if password is None
            else "a password was given but the private key is not encrypted"
        )
    except UnsupportedAlgorithm:
        failure = f"the private key's algorithm is not supported; expected {_SUPPORTED}"
    except ValueError:
        failure = (
            "the PEM text is not a readable private key (or the password is wrong); "
            f"expected {_SUPPORTED}"
        )
    if failure is not None:
        # Raised outside the except blocks: the library's exception is not chained, so nothing
        # about the key's content can reach a traceback or a log.
        raise UsageError(failure, source=source)
    kind = _kind_of(key, source)
    assert isinstance(key, ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey)
    return SigningKey(keyid=_keyid(key.public_key()), kind=kind, source=source, _key=key)


def load_private_key(path: Path, *, password: bytes | None = None) -> SigningKey:
    """Load a private key from a PEM file."""
    return load_private_key_pem(_read(path), source=str(path), password=password)


def load_public_key_pem(pem: str | bytes, *, source: str) -> PublicKey:
    """Load a public key from SubjectPublicKeyInfo PEM text."""
    data = pem.encode("utf-8") if isinstance(pem, str) else pem
    if b"PRIVATE KEY-----" in data:
        # Said without echoing anything: a private key passed where a public one belongs is a
        # secret in the wrong place, and the user should know to move it.
        raise UsageError(
            "this is a private key; verification needs only the public key",
            source=source,
            hint="keep the private key secret and pass the public key (mdrgate keygen writes both)",
        )
    failure: str | None = None
    try:
        key = serialization.load_pem_public_key(data)
    except UnsupportedAlgorithm:
        failure = f"the public key's algorithm is not supported; expected {_SUPPORTED}"
    except ValueError:
        failure = f"no readable PEM public key found; expected {_SUPPORTED}"
    if failure is not None:
        raise UsageError(
            failure, source=source, hint="the text must start with '-----BEGIN PUBLIC KEY-----'"
        )
    kind = _kind_of(key, source)
    assert isinstance(key, ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey)
    return PublicKey(keyid=_keyid(key), kind=kind, source=source, _key=key)


def load_public_key(path: Path) -> PublicKey:
    """Load a public key from a PEM file."""
    return load_public_key_pem(_read(path), source=str(path))


def generate_keypair(kind: KeyKind | str = KeyKind.ED25519) -> tuple[str, str]:
    """A new key pair as ``(private PKCS#8 PEM, public SubjectPublicKeyInfo PEM)``, unencrypted.

    Unencrypted because CI secrets are already protected by the CI system; the caller writes the
    private half with owner-only permissions.
    """
    try:
        chosen = KeyKind(kind)
    except ValueError:
        raise UsageError(
            f"unknown key type {kind!r}; expected one of "
            + ", ".join(repr(k.value) for k in KeyKind)
        ) from None
    private: _PrivateKey = (
        ed25519.Ed25519PrivateKey.generate()
        if chosen is KeyKind.ED25519
        else ec.generate_private_key(ec.SECP256R1())
    )
    private_pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    public_pem = (
        private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )
    return private_pem, public_pem


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("key file not found", source=str(path)) from None
    except OSError as exc:
        raise InputError(f"key file cannot be read: {exc.strerror}", source=str(path)) from None
