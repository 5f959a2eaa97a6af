"""Key loading: supported kinds, stable key ids, clear refusals that never echo key material."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, rsa

from mdrgate.errors import ExitCode, InputError, UsageError
from mdrgate.evidence.keys import (
    KeyKind,
    SigningKey,
    generate_keypair,
    load_private_key,
    load_private_key_pem,
    load_public_key,
    load_public_key_pem,
)


def _pem_body(pem: str) -> list[str]:
    """The base64 lines of a PEM block: the part that must never appear in a message."""
    return [line for line in pem.splitlines() if line and not line.startswith("-----")]


def _assert_secret_free(exc: BaseException, pem: str) -> None:
    text = str(exc) + repr(exc) + repr(exc.args)
    for line in _pem_body(pem):
        assert line not in text
    # Not chained either: a traceback of the cause must not carry the key.
    assert exc.__cause__ is None
    assert exc.__context__ is None


@pytest.mark.parametrize("kind", list(KeyKind))
def test_generated_keypair_loads_and_matches(tmp_path: Path, kind: KeyKind) -> None:
    private_pem, public_pem = generate_keypair(kind)
    assert private_pem.startswith("-----BEGIN PRIVATE KEY-----\n")
    assert public_pem.startswith("-----BEGIN PUBLIC KEY-----\n")
    (tmp_path / "key.pem").write_text(private_pem)
    (tmp_path / "key.pub").write_text(public_pem)
    private = load_private_key(tmp_path / "key.pem")
    public = load_public_key(tmp_path / "key.pub")
    assert private.kind is kind
    assert public.kind is kind
    assert private.keyid == public.keyid
    assert private.public_key().keyid == public.keyid
    assert public.pem() == public_pem
    assert public.source == str(tmp_path / "key.pub")
    sig = private.sign(b"message")
    assert public.verify(sig, b"message")
    assert not public.verify(sig, b"messagf")


@pytest.mark.parametrize("kind", list(KeyKind))
def test_keyid_is_sha256_of_der_spki(kind: KeyKind) -> None:
    _private_pem, public_pem = generate_keypair(kind)
    der = serialization.load_pem_public_key(public_pem.encode()).public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert load_public_key_pem(public_pem, source="k").keyid == hashlib.sha256(der).hexdigest()


def test_keyid_of_a_known_key_is_stable() -> None:
    # RFC 8032 section 7.1 TEST 1 public key; its SPKI is the fixed 12-byte prefix + the key.
    raw = bytes.fromhex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")
    spki = bytes.fromhex("302a300506032b6570032100") + raw
    pem = serialization.load_der_public_key(spki).public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    key = load_public_key_pem(pem, source="rfc8032")
    assert key.kind is KeyKind.ED25519
    assert key.keyid == hashlib.sha256(spki).hexdigest()


def test_generated_keys_differ() -> None:
    assert generate_keypair("ed25519")[0] != generate_keypair("ed25519")[0]


def test_unknown_kind_is_a_usage_error() -> None:
    with pytest.raises(UsageError) as info:
        generate_keypair("rsa-2048")
    assert info.value.exit_code == ExitCode.USAGE
    assert "unknown key type 'rsa-2048'" in str(info.value)
    assert "'ed25519', 'ecdsa-p256'" in str(info.value)


def _other_keys() -> dict[str, tuple[str, str]]:
    keys: dict[str, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed448.Ed448PrivateKey] = {
        "RSAPrivateKey": rsa.generate_private_key(public_exponent=65537, key_size=2048),
        "curve secp384r1": ec.generate_private_key(ec.SECP384R1()),
        "Ed448PrivateKey": ed448.Ed448PrivateKey.generate(),
    }
    out: dict[str, tuple[str, str]] = {}
    for label, key in keys.items():
        private = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        public = (
            key.public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
        out[label] = (private, public)
    return out


def test_other_key_types_are_refused_clearly() -> None:
    for label, (private_pem, public_pem) in _other_keys().items():
        with pytest.raises(UsageError) as info:
            load_private_key_pem(private_pem, source="ci-secret")
        message = str(info.value)
        assert message.startswith("ci-secret: the key is ")
        assert label.replace("PrivateKey", "") in message
        assert "expected an Ed25519 or ECDSA P-256 key" in message
        assert info.value.exit_code == ExitCode.USAGE
        _assert_secret_free(info.value, private_pem)
        with pytest.raises(UsageError) as info:
            load_public_key_pem(public_pem, source="other.pub")
        assert "expected an Ed25519 or ECDSA P-256 key" in str(info.value)


def test_garbage_private_key_never_echoed(pems: dict[str, tuple[str, str]]) -> None:
    private_pem, _ = pems["ed25519-a"]
    body = _pem_body(private_pem)
    # A damaged key (one base64 line truncated) must be refused without quoting it.
    damaged = private_pem.replace(body[0], body[0][:-8])
    with pytest.raises(UsageError) as info:
        load_private_key_pem(damaged, source="MDRGATE_SIGNING_KEY")
    assert str(info.value).startswith("MDRGATE_SIGNING_KEY: the PEM text is not a readable")
    _assert_secret_free(info.value, private_pem)


def test_text_without_pem_is_refused_without_echo() -> None:
    secret = "c2VjcmV0LXRva2VuLXZhbHVlLXRoYXQtbXVzdC1ub3QtbGVhaw=="
    with pytest.raises(UsageError) as info:
        load_private_key_pem(secret, source="MDRGATE_SIGNING_KEY")
    assert "no PEM private key found" in str(info.value)
    assert secret not in str(info.value)


def test_private_key_given_as_public_key_is_refused(pems: dict[str, tuple[str, str]]) -> None:
    private_pem, _ = pems["ecdsa-p256-a"]
    with pytest.raises(UsageError) as info:
        load_public_key_pem(private_pem, source="trusted.pem")
    assert "this is a private key; verification needs only the public key" in str(info.value)
    _assert_secret_free(info.value, private_pem)


def test_public_key_given_as_signing_key_is_refused(pems: dict[str, tuple[str, str]]) -> None:
    _, public_pem = pems["ed25519-a"]
    with pytest.raises(UsageError, match="this is a public key; signing needs the private key"):
        load_private_key_pem(public_pem, source="k.pub")


def test_encrypted_key_without_password(pems: dict[str, tuple[str, str]]) -> None:
    key = serialization.load_pem_private_key(pems["ed25519-a"][0].encode(), password=None)
    encrypted = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"pass phrase"),
    )
    with pytest.raises(UsageError) as info:
        load_private_key_pem(encrypted, source="enc.pem")
    assert "encrypted and no password was given" in str(info.value)
    _assert_secret_free(info.value, encrypted.decode())
    with pytest.raises(UsageError) as info:
        load_private_key_pem(encrypted, source="enc.pem", password=b"wrong")
    assert "password is wrong" in str(info.value)
    loaded = load_private_key_pem(encrypted, source="enc.pem", password=b"pass phrase")
    assert loaded.kind is KeyKind.ED25519


def test_repr_never_shows_key_material(keys: dict[str, SigningKey]) -> None:
    for key in keys.values():
        text = repr(key) + str(key) + repr(key.public_key())
        assert "_key" not in text
        assert key.keyid in text
        assert "PRIVATE" not in text


def test_missing_key_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_public_key(tmp_path / "absent.pub")
    assert str(info.value) == f"{tmp_path / 'absent.pub'}: key file not found"
    assert info.value.exit_code == ExitCode.INPUT_UNREADABLE


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_key_file(tmp_path: Path) -> None:  # pragma: no cover - not as root
    path = tmp_path / "k.pem"
    path.write_text("x")
    path.chmod(0)
    with pytest.raises(InputError, match="cannot be read"):
        load_private_key(path)
