"""Tamper detection: every single-byte mutation of a signed envelope must fail verification.

Counts are asserted exactly so a shrinking test (fewer mutations tried) cannot pass unnoticed.
"""

from __future__ import annotations

import functools
import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mdrgate.evidence.dsse import Envelope, EnvelopeError, Signature, parse_envelope, sign, verify
from mdrgate.evidence.intoto import PAYLOAD_TYPE, Subject, build_statement
from mdrgate.evidence.keys import KeyKind, PublicKey, SigningKey, generate_keypair
from mdrgate.evidence.keys import load_private_key_pem as load

XORS = (0x01, 0x80, 0xFF)
"""Byte changes tried at every position: low bit, high bit, every bit."""


def _statement_bytes() -> bytes:
    files = {
        "sbom.cdx.json": b'{"bomFormat":"CycloneDX"}\n',
        "decision.json": b'{"verdict":"pass"}\n',
        "summary.md": b"# Gate passed\n",
    }
    subjects = [Subject(name, hashlib.sha256(data).hexdigest()) for name, data in files.items()]
    predicate = {"verdict": "pass", "tool": {"name": "mdrgate", "version": "0.0.0"}}
    return build_statement(subjects, predicate).to_json()


@functools.cache
def _signers() -> tuple[SigningKey, SigningKey]:
    """Engineering signs with Ed25519, QA countersigns with ECDSA P-256."""
    return (
        load(generate_keypair(KeyKind.ED25519)[0], source="engineering.pem"),
        load(generate_keypair(KeyKind.ECDSA_P256)[0], source="qa.pem"),
    )


@functools.cache
def _signed() -> tuple[Envelope, tuple[PublicKey, ...]]:
    engineering, qa = _signers()
    envelope = sign(sign(Envelope(PAYLOAD_TYPE, _statement_bytes()), engineering), qa)
    return envelope, (engineering.public_key(), qa.public_key())


def _rejected(envelope: Envelope, trusted: tuple[PublicKey, ...]) -> bool:
    try:
        verify(envelope, trusted, payload_type=PAYLOAD_TYPE)
    except EnvelopeError:
        return True
    return False


def _rejected_text(text: bytes, trusted: tuple[PublicKey, ...]) -> bool:
    try:
        verify(parse_envelope(text), trusted, payload_type=PAYLOAD_TYPE)
    except EnvelopeError:
        return True
    return False


def _mutations(data: bytes) -> list[bytes]:
    out = []
    for index in range(len(data)):
        for xor in XORS:
            mutated = bytearray(data)
            mutated[index] ^= xor
            out.append(bytes(mutated))
    return out


def test_untampered_envelope_verifies() -> None:
    envelope, trusted = _signed()
    assert len(envelope.signatures) == 2
    result = verify(parse_envelope(envelope.to_json()), trusted, payload_type=PAYLOAD_TYPE)
    assert result.keyids == tuple(s.keyid for s in envelope.signatures)


def test_every_payload_byte_mutation_detected() -> None:
    envelope, trusted = _signed()
    tried = detected = 0
    for payload in _mutations(envelope.payload):
        tried += 1
        detected += _rejected(
            Envelope(envelope.payload_type, payload, envelope.signatures), trusted
        )
    assert tried == 3 * len(envelope.payload)
    assert detected == tried, f"{tried - detected} of {tried} payload mutations went unnoticed"


@pytest.mark.parametrize("which", [0, 1], ids=["ed25519", "ecdsa-p256"])
def test_every_signature_byte_mutation_detected(which: int) -> None:
    envelope, trusted = _signed()
    original = envelope.signatures[which]
    tried = detected = 0
    for sig in _mutations(original.sig):
        signatures = list(envelope.signatures)
        signatures[which] = Signature(original.keyid, sig)
        tried += 1
        detected += _rejected(
            Envelope(envelope.payload_type, envelope.payload, tuple(signatures)), trusted
        )
    assert tried == 3 * len(original.sig)
    assert tried >= 3 * 64
    assert detected == tried


def test_every_byte_mutation_of_the_envelope_file_detected() -> None:
    """Mutate the serialized envelope itself: JSON syntax, field names, keyids, base64, type."""
    envelope, trusted = _signed()
    text = envelope.to_json()
    tried = detected = 0
    for index in range(len(text)):
        for xor in (0x01, 0x20):
            mutated = bytearray(text)
            mutated[index] ^= xor
            tried += 1
            detected += _rejected_text(bytes(mutated), trusted)
    assert tried == 2 * len(text)
    assert detected == tried, f"{tried - detected} of {tried} envelope mutations went unnoticed"


def test_removed_or_added_signature_entries() -> None:
    envelope, trusted = _signed()
    engineering, qa = envelope.signatures
    assert _rejected(Envelope(envelope.payload_type, envelope.payload, ()), trusted)
    # Dropping a countersignature still verifies the remaining one: the caller decides whose
    # signatures are required (the bundle verifier checks the expected signers).
    only = Envelope(envelope.payload_type, envelope.payload, (engineering,))
    assert verify(only, trusted).keyids == (engineering.keyid,)
    stranger = load(generate_keypair()[0], source="stranger.pem")
    extra = sign(envelope, stranger)
    assert _rejected(extra, trusted)
    assert verify(extra, (*trusted, stranger.public_key())).keyids == (
        engineering.keyid,
        qa.keyid,
        stranger.keyid,
    )


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_random_byte_replacement_detected(data: st.DataObject) -> None:
    """Any byte value at any position: rejected, or the same envelope re-encoded.

    Two texts can carry identical signed content: the trailing newline replaced by other JSON
    whitespace, or '+'/'/' turned into '-'/'_' where the string holds exactly one such character
    (DSSE requires accepting URL-safe base64). Those are not tampering; everything else must fail.
    """
    envelope, trusted = _signed()
    text = envelope.to_json()
    index = data.draw(st.integers(0, len(text) - 1))
    value = data.draw(st.integers(0, 255).filter(lambda v: v != text[index]))
    mutated = bytearray(text)
    mutated[index] = value
    try:
        parsed = parse_envelope(bytes(mutated))
        verify(parsed, trusted, payload_type=PAYLOAD_TYPE)
    except EnvelopeError:
        return
    assert parsed == envelope
    assert (index == len(text) - 1 and chr(value) in " \t\r") or chr(value) in "-_"


def test_every_value_in_the_final_base64_quantum_detected() -> None:
    """Where padding leaves unused bits, a changed last character must not decode the same.

    Every byte value is tried in the last four characters of the payload and of each signature
    (the quantum that carries padding): only the URL-safe spelling of the same byte may pass.
    """
    envelope, trusted = _signed()
    text = envelope.to_json()
    document = json.loads(text)
    strings = [document["payload"]] + [s["sig"] for s in document["signatures"]]
    assert any(s.endswith("=") for s in strings)
    tried = detected = equivalent = 0
    for string in strings:
        end = text.index(string.encode()) + len(string)
        for index in range(end - 4, end):
            for value in range(256):
                if value == text[index]:
                    continue
                mutated = bytearray(text)
                mutated[index] = value
                tried += 1
                if _rejected_text(bytes(mutated), trusted):
                    detected += 1
                else:
                    assert parse_envelope(bytes(mutated)) == envelope
                    assert chr(value) in "-_"
                    equivalent += 1
    assert tried == len(strings) * 4 * 255
    assert detected + equivalent == tried
    assert equivalent <= len(strings)
