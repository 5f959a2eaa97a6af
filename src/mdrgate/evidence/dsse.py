"""DSSE v1 envelopes: sign a payload, countersign it, and verify every signature strictly.

The envelope format and the pre-authentication encoding (PAE) follow the DSSE specification
(secure-systems-lab/dsse, protocol.md and envelope.md). Verification is stricter than DSSE's
threshold model on purpose: evidence handed to an auditor must not carry a signature nobody can
check, so *every* signature has to verify against a trusted key, and there must be at least one.
Base64 is accepted in the standard or URL-safe alphabet (DSSE requires both) but only in its
canonical form, so two different texts never decode to the same signed bytes unnoticed.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from mdrgate.errors import UsageError, VerificationError
from mdrgate.evidence.keys import PublicKey, SigningKey

_ENVELOPE_FIELDS = frozenset({"payload", "payloadType", "signatures"})
_SIGNATURE_FIELDS = frozenset({"keyid", "sig"})
_B64_STANDARD = re.compile(r"[A-Za-z0-9+/]*={0,2}")
_B64_URLSAFE = re.compile(r"[A-Za-z0-9\-_]*={0,2}")


class EnvelopeError(VerificationError):
    """An envelope that did not verify; ``reason`` is a stable code for tests and reports.

    Reasons: ``malformed`` (not a DSSE envelope: JSON, fields or base64), ``no-signatures``,
    ``unknown-key`` (a signature's keyid is not among the trusted keys), ``bad-signature`` (the
    signature does not verify), ``payload-type`` (not the expected payload type).
    """

    def __init__(
        self,
        reason: str,
        message: str,
        *,
        source: str | None = None,
        location: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, source=source, location=location, hint=hint)
        self.reason = reason


@dataclass(frozen=True)
class Signature:
    """One signature of an envelope; ``keyid`` is empty when the signer gave none."""

    keyid: str
    sig: bytes


@dataclass(frozen=True)
class Envelope:
    """A DSSE envelope with its payload already decoded."""

    payload_type: str
    payload: bytes
    signatures: tuple[Signature, ...] = ()

    def to_json(self) -> bytes:
        """Deterministic JSON (sorted keys, no spaces, trailing newline), standard base64."""
        document: dict[str, Any] = {
            "payload": base64.b64encode(self.payload).decode("ascii"),
            "payloadType": self.payload_type,
            "signatures": [
                {"keyid": s.keyid, "sig": base64.b64encode(s.sig).decode("ascii")}
                if s.keyid
                else {"sig": base64.b64encode(s.sig).decode("ascii")}
                for s in self.signatures
            ],
        }
        text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return text.encode("utf-8") + b"\n"


@dataclass(frozen=True)
class Verified:
    """A verified envelope: its payload and the key ids of the trusted keys that signed it."""

    payload_type: str
    payload: bytes
    keyids: tuple[str, ...]


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE v1 pre-authentication encoding: what is actually signed.

    ``"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`` with lengths as ASCII decimals of the
    byte counts, so neither the type nor the body can be shifted into the other.
    """
    type_bytes = payload_type.encode("utf-8")
    return b"DSSEv1 %d %b %d %b" % (len(type_bytes), type_bytes, len(payload), payload)


def sign(envelope: Envelope, key: SigningKey) -> Envelope:
    """The envelope with one more signature by ``key`` (a countersignature when it had some).

    Existing signatures are kept untouched; a key that already signed is refused rather than
    added twice, since a second identical signer would look like a second approval.
    """
    if any(s.keyid == key.keyid for s in envelope.signatures):
        raise UsageError(
            f"the envelope is already signed by key {key.keyid}",
            source=key.source,
            hint="countersign with a different key",
        )
    sig = key.sign(pae(envelope.payload_type, envelope.payload))
    return Envelope(
        payload_type=envelope.payload_type,
        payload=envelope.payload,
        signatures=(*envelope.signatures, Signature(keyid=key.keyid, sig=sig)),
    )


def parse_envelope(data: bytes | str, *, source: str | None = None) -> Envelope:
    """Parse envelope JSON strictly; anything that is not a well-formed DSSE envelope fails."""

    def bad(message: str, location: str | None = None) -> EnvelopeError:
        return EnvelopeError(
            "malformed", f"not a valid DSSE envelope: {message}", source=source, location=location
        )

    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        raise bad("the file is not UTF-8 text") from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise bad(f"invalid JSON ({exc.msg})", f"{exc.lineno}") from None
    if not isinstance(document, dict):
        raise bad(f"expected a JSON object, found {_json_type(document)}")
    missing = sorted(_ENVELOPE_FIELDS - document.keys())
    if missing:
        raise bad(f"missing field(s) {', '.join(missing)}")
    extra = sorted(document.keys() - _ENVELOPE_FIELDS)
    if extra:
        raise bad(f"unexpected field(s) {', '.join(extra)}")
    payload_type = document["payloadType"]
    if not isinstance(payload_type, str) or not payload_type:
        raise bad("payloadType must be a non-empty string", "payloadType")
    payload = _b64(document["payload"], "payload", bad)
    raw_signatures = document["signatures"]
    if not isinstance(raw_signatures, list):
        raise bad(f"signatures must be a list, found {_json_type(raw_signatures)}", "signatures")
    signatures: list[Signature] = []
    for index, entry in enumerate(raw_signatures):
        where = f"signatures[{index}]"
        if not isinstance(entry, dict):
            raise bad(f"expected an object, found {_json_type(entry)}", where)
        if "sig" not in entry:
            raise bad("missing field sig", where)
        extra = sorted(entry.keys() - _SIGNATURE_FIELDS)
        if extra:
            raise bad(f"unexpected field(s) {', '.join(extra)}", where)
        keyid = entry.get("keyid", "")
        if not isinstance(keyid, str):
            raise bad(f"keyid must be a string, found {_json_type(keyid)}", f"{where}.keyid")
        sig = _b64(entry["sig"], f"{where}.sig", bad)
        if not sig:
            raise bad("the signature is empty", f"{where}.sig")
        signatures.append(Signature(keyid=keyid, sig=sig))
    return Envelope(payload_type=payload_type, payload=payload, signatures=tuple(signatures))


def verify(
    envelope: Envelope,
    trusted: Iterable[PublicKey],
    *,
    payload_type: str | None = None,
    source: str | None = None,
) -> Verified:
    """Check every signature against the trusted keys; return who signed or say why not.

    A signature naming a keyid is checked only against that key (the keyid narrows the choice,
    it never decides trust); one without keyid is checked against every trusted key.
    """
    keys = {k.keyid: k for k in trusted}
    if not keys:
        raise UsageError("no trusted public key was given to verify the signatures against")
    if not envelope.signatures:
        raise EnvelopeError(
            "no-signatures",
            "the envelope carries no signature",
            source=source,
            hint="sign the evidence with `--sign-key`",
        )
    if payload_type is not None and envelope.payload_type != payload_type:
        raise EnvelopeError(
            "payload-type",
            f"payloadType is {envelope.payload_type!r}; expected {payload_type!r}",
            source=source,
            location="payloadType",
        )
    message = pae(envelope.payload_type, envelope.payload)
    signers: list[str] = []
    for index, signature in enumerate(envelope.signatures):
        where = f"signatures[{index}]"
        if signature.keyid:
            key = keys.get(signature.keyid)
            if key is None:
                raise EnvelopeError(
                    "unknown-key",
                    f"signed by key {signature.keyid}, which is not among the trusted keys",
                    source=source,
                    location=where,
                    hint="pass that signer's public key with --key, or find out who signed",
                )
            if not key.verify(signature.sig, message):
                raise EnvelopeError(
                    "bad-signature",
                    f"the signature does not verify with key {key.keyid} ({key.source}): "
                    "the envelope was altered or signed by another key",
                    source=source,
                    location=where,
                )
            signers.append(key.keyid)
            continue
        matched = next((k for k in keys.values() if k.verify(signature.sig, message)), None)
        if matched is None:
            raise EnvelopeError(
                "bad-signature",
                "the signature (without keyid) verifies with none of the trusted keys",
                source=source,
                location=where,
            )
        signers.append(matched.keyid)
    return Verified(
        payload_type=envelope.payload_type,
        payload=envelope.payload,
        keyids=tuple(dict.fromkeys(signers)),
    )


def _b64(value: object, where: str, bad: Callable[[str, str], EnvelopeError]) -> bytes:
    if not isinstance(value, str):
        raise bad(f"expected a base64 string, found {_json_type(value)}", where)
    if _B64_STANDARD.fullmatch(value):
        standard = value
    elif _B64_URLSAFE.fullmatch(value):
        standard = value.replace("-", "+").replace("_", "/")
    else:
        raise bad("invalid base64 (characters outside one base64 alphabet)", where)
    try:
        decoded = base64.b64decode(standard, validate=True)
    except binascii.Error:
        raise bad("invalid base64 (wrong length or padding)", where) from None
    if base64.b64encode(decoded).decode("ascii") != standard:
        raise bad("non-canonical base64 (unused bits set or padding missing)", where)
    return decoded


def _json_type(value: object) -> str:
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
