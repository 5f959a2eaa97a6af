"""in-toto Statement v1: build, serialise deterministically, parse and refuse what is not valid.

No JSON schema of the in-toto Statement is among the shared data, so validation here is
structural: the fields and constraints of in-toto/attestation spec/v1/statement.md.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mdrgate.errors import ExitCode, UsageError
from mdrgate.evidence.intoto import (
    MDRGATE_PREDICATE_TYPE,
    PAYLOAD_TYPE,
    STATEMENT_TYPE,
    StatementError,
    Subject,
    build_statement,
    parse_statement,
)

SBOM = hashlib.sha256(b"sbom").hexdigest()
DECISION = hashlib.sha256(b"decision").hexdigest()


def test_constants() -> None:
    assert STATEMENT_TYPE == "https://in-toto.io/Statement/v1"
    assert PAYLOAD_TYPE == "application/vnd.in-toto+json"
    assert MDRGATE_PREDICATE_TYPE == "https://mdrgate.dev/evidence/v1"


def test_build_sorts_subjects_and_serialises_exactly() -> None:
    statement = build_statement(
        [Subject("sbom.cdx.json", SBOM), Subject("decision.json", DECISION)],
        {"verdict": "fail", "rules": {"failed": 1}},
    )
    assert [s.name for s in statement.subjects] == ["decision.json", "sbom.cdx.json"]
    assert (
        statement.to_json()
        == (
            '{"_type":"https://in-toto.io/Statement/v1",'
            '"predicate":{"rules":{"failed":1},"verdict":"fail"},'
            '"predicateType":"https://mdrgate.dev/evidence/v1",'
            f'"subject":[{{"digest":{{"sha256":"{DECISION}"}},"name":"decision.json"}},'
            f'{{"digest":{{"sha256":"{SBOM}"}},"name":"sbom.cdx.json"}}]}}'
        ).encode()
    )
    assert parse_statement(statement.to_json()) == statement


@pytest.mark.parametrize(
    ("subjects", "message"),
    [
        ([], "no subject"),
        ([Subject("a", SBOM), Subject("a", DECISION)], "subject 'a' is listed twice"),
        ([Subject("a", SBOM.upper())], "sha256 must be 64 lowercase hex digits"),
        ([Subject("a", SBOM[:-1])], "sha256 must be 64 lowercase hex digits"),
        ([Subject("", SBOM)], "a subject has an empty name"),
        ([Subject("a\udc80", SBOM)], "the name is not valid Unicode text"),
    ],
)
def test_build_refuses_bad_subjects(subjects: list[Subject], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        build_statement(subjects, {})


def _doc(**changes: object) -> bytes:
    document: dict[str, object] = {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": "a", "digest": {"sha256": SBOM}}],
        "predicateType": MDRGATE_PREDICATE_TYPE,
        "predicate": {},
    }
    for key, value in changes.items():
        if value is None:
            del document[key]
        else:
            document[key] = value
    return json.dumps(document).encode()


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"\xff", "not UTF-8"),
        (b"{", "invalid JSON"),
        (b"[]", "expected a JSON object"),
        (_doc(predicate=None), "missing field(s) predicate"),
        (_doc(extra=1), "unexpected field(s) extra"),
        (_doc(_type="https://in-toto.io/Statement/v0.1"), "_type is"),
        (_doc(predicateType="https://slsa.dev/provenance/v1"), "predicateType is"),
        (_doc(predicate=[]), "predicate must be a JSON object"),
        (_doc(subject={}), "subject must be a list"),
        (_doc(subject=[]), "no subject"),
        (_doc(subject=["a"]), "expected an object"),
        (_doc(subject=[{"digest": {"sha256": SBOM}}]), "name must be a string"),
        (_doc(subject=[{"name": "a", "digest": {"sha512": SBOM}}]), "digest.sha256"),
        (
            _doc(
                subject=[
                    {"name": "a", "digest": {"sha256": SBOM}},
                    {"name": "a", "digest": {"sha256": DECISION}},
                ]
            ),
            "listed twice",
        ),
        (
            _doc(
                subject=[
                    {"name": "b", "digest": {"sha256": SBOM}},
                    {"name": "a", "digest": {"sha256": DECISION}},
                ]
            ),
            "not sorted by name",
        ),
    ],
)
def test_parse_refuses(payload: bytes, message: str) -> None:
    with pytest.raises(StatementError) as info:
        parse_statement(payload, source="statement")
    assert info.value.exit_code == ExitCode.VERIFICATION_FAILED
    assert str(info.value).startswith("statement")
    assert "not a valid in-toto Statement v1: " in str(info.value)
    assert message in str(info.value)


def test_other_predicate_type_accepted_when_asked() -> None:
    parsed = parse_statement(
        _doc(predicateType="https://slsa.dev/provenance/v1"), predicate_type=None
    )
    assert parsed.predicate_type == "https://slsa.dev/provenance/v1"


@given(
    names=st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=20, unique=True),
    predicate=st.dictionaries(
        st.text(max_size=10),
        st.one_of(st.integers(), st.text(max_size=10), st.booleans(), st.none()),
        max_size=5,
    ),
)
def test_round_trip_any_names(names: list[str], predicate: dict[str, object]) -> None:
    subjects = [Subject(n, hashlib.sha256(n.encode()).hexdigest()) for n in names]
    statement = build_statement(reversed(subjects), predicate)
    payload = statement.to_json()
    assert payload == build_statement(subjects, predicate).to_json()
    parsed = parse_statement(payload)
    assert parsed == statement
    assert [s.name for s in parsed.subjects] == sorted(names)
