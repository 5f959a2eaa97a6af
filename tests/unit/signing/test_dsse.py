"""DSSE envelopes: PAE per the spec, sign, countersign, verify, and every way it must fail."""

from __future__ import annotations

import base64
import functools
import json

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from hypothesis import given
from hypothesis import strategies as st

from mdrgate.errors import ExitCode, UsageError, VerificationError
from mdrgate.evidence.dsse import (
    Envelope,
    EnvelopeError,
    Signature,
    pae,
    parse_envelope,
    sign,
    verify,
)
from mdrgate.evidence.keys import (
    KeyKind,
    SigningKey,
    generate_keypair,
    load_private_key_pem,
    load_public_key_pem,
)

PAYLOAD_TYPE = "application/vnd.in-toto+json"
PAYLOAD = b'{"_type":"https://in-toto.io/Statement/v1","subject":[]}'


def _reason(envelope: Envelope, trusted: list[SigningKey], **kwargs: str) -> str:
    with pytest.raises(EnvelopeError) as info:
        verify(envelope, [k.public_key() for k in trusted], **kwargs)
    assert info.value.exit_code == ExitCode.VERIFICATION_FAILED
    assert isinstance(info.value, VerificationError)
    return info.value.reason


def test_pae_matches_the_spec_vector() -> None:
    # Test vector of the DSSE protocol spec (secure-systems-lab/dsse, protocol.md).
    assert (
        pae("http://example.com/HelloWorld", b"hello world")
        == b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    )
    assert pae("", b"") == b"DSSEv1 0  0 "
    # Lengths count bytes, not characters.
    assert pae("t\u00e9", b"\x00") == b"DSSEv1 3 t\xc3\xa9 1 \x00"


def test_spec_vector_envelope_verifies() -> None:
    """The spec's ECDSA P-256 example envelope verifies with our PAE (signature given as r||s)."""
    x = 46950820868899156662930047687818585632848591499744589407958293238635476079160
    y = 5640078356564379163099075877009565129882514886557779369047442380624545832820
    public = ec.EllipticCurvePublicNumbers(x, y, ec.SECP256R1()).public_key()
    pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    key = load_public_key_pem(pem, source="spec")
    raw = base64.b64decode(
        "A3JqsQGtVsJ2O2xqrI5IcnXip5GToJ3F+FnZ+O88SjtR6rDAajabZKciJTfUiHqJPcIAriEGAHTVeCUjW2JIZA=="
    )
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    text = json.dumps(
        {
            "payload": "aGVsbG8gd29ybGQ=",
            "payloadType": "http://example.com/HelloWorld",
            "signatures": [{"sig": base64.b64encode(der).decode()}],
        }
    )
    result = verify(parse_envelope(text), [key])
    assert result.payload == b"hello world"
    assert result.keyids == (key.keyid,)


@pytest.mark.parametrize("kind", list(KeyKind))
def test_round_trip(keys: dict[str, SigningKey], kind: KeyKind) -> None:
    key = keys[f"{kind.value}-a"]
    envelope = sign(Envelope(PAYLOAD_TYPE, PAYLOAD), key)
    text = envelope.to_json()
    parsed = parse_envelope(text, source="statement.dsse.json")
    assert parsed == envelope
    result = verify(parsed, [key.public_key()], payload_type=PAYLOAD_TYPE)
    assert result.payload == PAYLOAD
    assert result.payload_type == PAYLOAD_TYPE
    assert result.keyids == (key.keyid,)
    document = json.loads(text)
    assert sorted(document) == ["payload", "payloadType", "signatures"]
    assert document["signatures"][0]["keyid"] == key.keyid
    assert base64.b64decode(document["payload"]) == PAYLOAD
    assert text.endswith(b"\n")


def test_ecdsa_signature_is_der(keys: dict[str, SigningKey]) -> None:
    envelope = sign(Envelope(PAYLOAD_TYPE, PAYLOAD), keys["ecdsa-p256-a"])
    sig = envelope.signatures[0].sig
    assert sig[0] == 0x30
    assert sig[1] == len(sig) - 2
    ed = sign(Envelope(PAYLOAD_TYPE, PAYLOAD), keys["ed25519-a"]).signatures[0].sig
    assert len(ed) == 64


def test_countersignature_by_two_kinds(keys: dict[str, SigningKey]) -> None:
    engineering, qa = keys["ed25519-a"], keys["ecdsa-p256-a"]
    signed = sign(Envelope(PAYLOAD_TYPE, PAYLOAD), engineering)
    # QA first checks engineering's signature, then countersigns the same bytes.
    verify(parse_envelope(signed.to_json()), [engineering.public_key()])
    countersigned = sign(parse_envelope(signed.to_json()), qa)
    assert countersigned.signatures[0] == signed.signatures[0]
    parsed = parse_envelope(countersigned.to_json())
    result = verify(parsed, [qa.public_key(), engineering.public_key()])
    assert result.keyids == (engineering.keyid, qa.keyid)
    # An auditor holding only one of the two keys cannot vouch for the other signature.
    assert _reason(parsed, [engineering]) == "unknown-key"
    assert _reason(parsed, [qa]) == "unknown-key"


def test_same_key_cannot_sign_twice(keys: dict[str, SigningKey]) -> None:
    signed = sign(Envelope(PAYLOAD_TYPE, PAYLOAD), keys["ed25519-a"])
    with pytest.raises(UsageError, match="already signed by key"):
        sign(signed, keys["ed25519-a"])


def test_wrong_key_same_keyid_claim(keys: dict[str, SigningKey]) -> None:
    """A signature made by key B but labelled with key A's id fails as a bad signature."""
    a, b = keys["ed25519-a"], keys["ed25519-b"]
    forged = sign(Envelope(PAYLOAD_TYPE, PAYLOAD), b)
    relabelled = Envelope(PAYLOAD_TYPE, PAYLOAD, (Signature(a.keyid, forged.signatures[0].sig),))
    with pytest.raises(EnvelopeError) as info:
        verify(relabelled, [a.public_key()], source="bundle/statement.dsse.json")
    assert info.value.reason == "bad-signature"
    assert str(info.value).startswith(
        f"bundle/statement.dsse.json: signatures[0]: the signature does not verify with key "
        f"{a.keyid} (ed25519-a.pem)"
    )


@pytest.mark.parametrize("kind", list(KeyKind))
def test_unknown_key(keys: dict[str, SigningKey], kind: KeyKind) -> None:
    signed = sign(Envelope(PAYLOAD_TYPE, PAYLOAD), keys[f"{kind.value}-a"])
    other = keys[f"{kind.value}-b"]
    with pytest.raises(EnvelopeError) as info:
        verify(signed, [other.public_key()])
    assert info.value.reason == "unknown-key"
    assert keys[f"{kind.value}-a"].keyid in str(info.value)


def test_signature_without_keyid(keys: dict[str, SigningKey]) -> None:
    a, b = keys["ecdsa-p256-a"], keys["ed25519-b"]
    sig = sign(Envelope(PAYLOAD_TYPE, PAYLOAD), a).signatures[0].sig
    anonymous = Envelope(PAYLOAD_TYPE, PAYLOAD, (Signature("", sig),))
    assert b'"keyid"' not in anonymous.to_json()
    assert verify(anonymous, [b.public_key(), a.public_key()]).keyids == (a.keyid,)
    assert _reason(anonymous, [b]) == "bad-signature"


def test_zero_signatures(keys: dict[str, SigningKey]) -> None:
    unsigned = parse_envelope(Envelope(PAYLOAD_TYPE, PAYLOAD).to_json())
    with pytest.raises(EnvelopeError) as info:
        verify(unsigned, [keys["ed25519-a"].public_key()], source="e.json")
    assert info.value.reason == "no-signatures"
    assert str(info.value).startswith("e.json: the envelope carries no signature")


def test_no_trusted_keys_is_a_usage_error(keys: dict[str, SigningKey]) -> None:
    signed = sign(Envelope(PAYLOAD_TYPE, PAYLOAD), keys["ed25519-a"])
    with pytest.raises(UsageError, match="no trusted public key"):
        verify(signed, [])


def test_payload_type_checked(keys: dict[str, SigningKey]) -> None:
    signed = sign(Envelope("application/json", PAYLOAD), keys["ed25519-a"])
    assert _reason(signed, [keys["ed25519-a"]], payload_type=PAYLOAD_TYPE) == "payload-type"


def test_payload_type_is_authenticated(keys: dict[str, SigningKey]) -> None:
    signed = sign(Envelope(PAYLOAD_TYPE, PAYLOAD), keys["ed25519-a"])
    swapped = Envelope("application/vnd.in-toto+jsom", PAYLOAD, signed.signatures)
    assert _reason(swapped, [keys["ed25519-a"]]) == "bad-signature"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b"", "invalid JSON (Expecting value)"),
        (b"\xff\xfe", "the file is not UTF-8 text"),
        (b"[]", "expected a JSON object, found a list"),
        (b'{"payload":"","payloadType":"t"}', "missing field(s) signatures"),
        (
            b'{"payload":"","payloadType":"t","signatures":[],"x":1}',
            "unexpected field(s) x",
        ),
        (b'{"payload":"","payloadType":"","signatures":[]}', "payloadType must be a non-empty"),
        (b'{"payload":5,"payloadType":"t","signatures":[]}', "expected a base64 string"),
        (b'{"payload":"a","payloadType":"t","signatures":[]}', "wrong length or padding"),
        (b'{"payload":"aa==","payloadType":"t","signatures":[]}', "non-canonical base64"),
        (b'{"payload":"ab","payloadType":"t","signatures":[]}', "wrong length or padding"),
        (b'{"payload":"a+_a","payloadType":"t","signatures":[]}', "outside one base64 alphabet"),
        (b'{"payload":"a a=","payloadType":"t","signatures":[]}', "outside one base64 alphabet"),
        (b'{"payload":"","payloadType":"t","signatures":{}}', "signatures must be a list"),
        (b'{"payload":"","payloadType":"t","signatures":[1]}', "expected an object"),
        (b'{"payload":"","payloadType":"t","signatures":[{}]}', "missing field sig"),
        (
            b'{"payload":"","payloadType":"t","signatures":[{"sig":"","keyid":"k"}]}',
            "the signature is empty",
        ),
        (
            b'{"payload":"","payloadType":"t","signatures":[{"sig":"AA==","keyid":1}]}',
            "keyid must be a string, found a number",
        ),
        (
            b'{"payload":"","payloadType":"t","signatures":[{"sig":"AA==","cert":"x"}]}',
            "unexpected field(s) cert",
        ),
    ],
)
def test_malformed_envelopes(text: bytes, message: str) -> None:
    with pytest.raises(EnvelopeError) as info:
        parse_envelope(text, source="e.json")
    assert info.value.reason == "malformed"
    assert info.value.exit_code == ExitCode.VERIFICATION_FAILED
    assert str(info.value).startswith("e.json")
    assert "not a valid DSSE envelope: " in str(info.value)
    assert message in str(info.value)


def test_url_safe_base64_is_accepted(keys: dict[str, SigningKey]) -> None:
    """DSSE verifiers must accept URL-safe base64 too."""
    payload = bytes(range(256))
    signed = sign(Envelope(PAYLOAD_TYPE, payload), keys["ed25519-a"])
    document = json.loads(signed.to_json())
    assert "+" in document["payload"] or "/" in document["payload"]
    document["payload"] = base64.urlsafe_b64encode(payload).decode()
    parsed = parse_envelope(json.dumps(document))
    assert parsed.payload == payload
    assert verify(parsed, [keys["ed25519-a"].public_key()]).payload == payload


@pytest.mark.parametrize("kind", list(KeyKind))
def test_truncated_envelope_always_rejected(keys: dict[str, SigningKey], kind: KeyKind) -> None:
    text = sign(Envelope(PAYLOAD_TYPE, PAYLOAD), keys[f"{kind.value}-a"]).to_json()
    trusted = [keys[f"{kind.value}-a"].public_key()]
    tried = 0
    # Every proper prefix except the one that drops only the trailing newline (same JSON).
    for cut in range(len(text) - 1):
        tried += 1
        with pytest.raises(EnvelopeError):
            verify(parse_envelope(text[:cut]), trusted)
    assert tried == len(text) - 1
    assert verify(parse_envelope(text[:-1]), trusted).payload == PAYLOAD


@functools.cache
def _hypothesis_key() -> SigningKey:
    """One key for the property test (hypothesis forbids function-scoped fixtures)."""
    return load_private_key_pem(generate_keypair(KeyKind.ED25519)[0], source="h.pem")


@given(payload=st.binary(max_size=512), payload_type=st.text(min_size=1, max_size=40))
def test_round_trip_any_payload(payload: bytes, payload_type: str) -> None:
    key = _hypothesis_key()
    envelope = sign(Envelope(payload_type, payload), key)
    parsed = parse_envelope(envelope.to_json())
    assert parsed == envelope
    assert verify(parsed, [key.public_key()]).payload == payload
