"""Redaction: built-ins, field names and regexes; planted secrets appear in no byte of a bundle."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from golive.proof.bundle import Limits, create_bundle
from golive.proof.inputs import select
from golive.proof.redact import Redactor, token
from golive.registry import open_registry
from golive.spec.proof import Redact
from tests.proof.conftest import copy_example, record

PLANTED = [
    b"ops.lead@acme-corp.io",
    b"hunter2-correct-horse",
    b"918273645546372819",
    b"10.20.30.40",
    b"2001:db8::8a2e:370:7334",
    b"s3ss10n-t0k3n-v4lue",
    b"eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.ZmFrZXNpZw",
    b"AKIAIOSFODNN7EXAMPLE",
    b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    b"0123456789abcdef0123456789abcdef",
    b"b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
    b"QyNTUxOQAAACBGcGxhbnRlZFNlY3JldEtleU1hdGVyaWFsMTIzNDU2Nzg5MAAAAJgAAAAA",
    b'pa\\"ss\\\\word-with-escapes',
]


def redacted(text: bytes, rules: Redact | None = None) -> bytes:
    out = io.BytesIO()
    (Redactor(rules) if rules else Redactor()).stream(io.BytesIO(text), out)
    return out.getvalue()


def test_token_is_the_first_12_hex_of_the_values_sha256() -> None:
    assert token(b"alice@example.com") == b"[REDACTED:sha256:ff8d9819fc0e]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"mail alice@example.com now", b"mail [REDACTED:sha256:ff8d9819fc0e] now"),
        (
            b"Authorization: Bearer abc.def-ghi_jkl",
            b"Authorization: Bearer " + token(b"abc.def-ghi_jkl"),
        ),
        (b"key AKIAIOSFODNN7EXAMPLE.", b"key " + token(b"AKIAIOSFODNN7EXAMPLE") + b"."),
        (b"from 192.168.1.20:8080", b"from " + token(b"192.168.1.20") + b":8080"),
        (b"host fe80::1 up", b"host " + token(b"fe80::1") + b" up"),
        # Not addresses: times, versions, out-of-range octets, long dotted numbers.
        (b"at 10:00:00 v1.4.0 999.1.1.1 1.2.3.4.5", b"at 10:00:00 v1.4.0 999.1.1.1 1.2.3.4.5"),
    ],
)
def test_builtins(text: bytes, expected: bytes) -> None:
    assert redacted(text) == expected


def test_json_fields_keep_the_document_valid_and_values_correlatable() -> None:
    line = b'{"password": "s3cret", "nested": {"password": 42}, "other": "s3cret"}\n'
    out = redacted(line, Redact(fields=["password"], builtins=[]))
    document = json.loads(out)
    assert document["password"] == token(b"s3cret").decode()
    assert document["nested"]["password"] == token(b"42").decode()
    assert document["other"] == "s3cret"  # only named fields (and patterns) are redacted


def test_a_private_key_block_becomes_one_token_and_keeps_the_line_count() -> None:
    text = b"a\n-----BEGIN RSA PRIVATE KEY-----\nMIIE\nabcd\n-----END RSA PRIVATE KEY-----\nb\n"
    out = redacted(text)
    assert out.count(b"\n") == text.count(b"\n")
    assert out.startswith(b"a\n[REDACTED:sha256:")
    assert out.endswith(b"\n\n\n\nb\n")
    assert b"MIIE" not in out


def test_an_unclosed_key_block_is_redacted_to_the_end() -> None:
    out = redacted(b"x\n-----BEGIN PRIVATE KEY-----\nMIIE\nabcd\n")
    assert b"MIIE" not in out
    assert b"abcd" not in out


def test_a_key_block_split_across_read_blocks_is_still_one_block() -> None:
    filler = b"y" * 100 + b"\n"
    text = filler * 10_400 + b"-----BEGIN PRIVATE KEY-----\n" + b"SECRETKEYLINE\n" * 50
    text += b"-----END PRIVATE KEY-----\n"
    out = redacted(text)
    assert b"SECRETKEYLINE" not in out
    assert out.count(b"\n") == text.count(b"\n")


def test_builtins_can_be_narrowed() -> None:
    assert redacted(b"10.0.0.1 a@b.io", Redact(builtins=["email"])) == (
        b"10.0.0.1 " + token(b"a@b.io")
    )


@pytest.mark.parametrize("output", ["b.tar.gz", "b"])
def test_planted_secrets_are_in_no_byte_of_the_bundle(
    tmp_path: Path, registry_url: str, output: str
) -> None:
    spec = copy_example("secrets", tmp_path)
    evidence = b"".join(p.read_bytes() for p in (spec.parent / "evidence").iterdir())
    for secret in PLANTED:
        assert secret in evidence, secret  # they are really there
    recorded = record(spec, registry_url)
    with open_registry(recorded.registry) as store:
        selected = select(store, scorecard=recorded.sha256, spec=spec, at=None)
    target = tmp_path / output
    result = create_bundle(selected.inputs, target, redactor=selected.redactor)
    if target.is_dir():
        everything = b"".join(p.read_bytes() for p in target.rglob("*") if p.is_file())
    else:
        raw = target.read_bytes()
        everything = raw + gzip.decompress(raw)
        with tarfile.open(target) as tar:
            everything += b"".join(
                tar.extractfile(m).read()
                for m in tar.getmembers()  # type: ignore[union-attr]
            )
    leaked = [s for s in PLANTED if s in everything]
    assert leaked == []
    # The same e-mail address gets the same token in every member.
    assert everything.count(token(b"ops.lead@acme-corp.io")) >= 3
    members = {m["path"]: m for m in result.manifest["members"]}
    api = members["evidence/evidence/api.jsonl"]
    assert api["redacted"] is True
    assert api["redactions"] == 8
    assert api["original"]["sha256"] == next(
        e["sha256"]
        for c in selected.inputs.scorecard["checks"]
        for e in c["evidence"]
        if e["path"] == "evidence/api.jsonl"
    )
    # Redacted JSON Lines stay JSON Lines.
    if target.is_dir():
        for line in (target / "evidence/evidence/api.jsonl").read_text().splitlines():
            json.loads(line)


def test_excerpts_are_redacted_too(tmp_path: Path, registry_url: str) -> None:
    spec = copy_example("secrets", tmp_path)
    log = spec.parent / "evidence" / "deploy.log"
    log.write_bytes(log.read_bytes() + b"filler line\n" * 50_000 + log.read_bytes())
    recorded = record(spec, registry_url)
    with open_registry(recorded.registry) as store:
        selected = select(store, scorecard=recorded.sha256, spec=spec, at=None)
    result = create_bundle(
        selected.inputs, tmp_path / "b", redactor=selected.redactor, limits=Limits(64_000, 4_000)
    )
    entry = next(m for m in result.manifest["members"] if m["origin"] == "evidence/deploy.log")
    assert "excerpt" in entry
    data = (tmp_path / "b" / entry["path"]).read_bytes()
    assert [s for s in PLANTED if s in data] == []
    assert data.count(token(b"AKIAIOSFODNN7EXAMPLE")) == 2


@given(
    st.lists(
        st.sampled_from(
            [
                b"\n",
                b" ",
                b'"password": "x\ny"',
                b"a@b.io",
                b"Bearer abcdefgh12",
                b"-----BEGIN PRIVATE KEY-----",
                b"-----END PRIVATE KEY-----",
                b"10.0.0.1",
                b"fe80::1",
                b"AKIAIOSFODNN7EXAMPLE",
                b"\xff\x00",
            ]
        )
        | st.binary(max_size=20),
        max_size=40,
    )
)
def test_any_input_keeps_its_line_count_and_loses_its_secrets(parts: list[bytes]) -> None:
    text = b" ".join(parts)  # secrets are delimited (glued, "a@b.ioBearer x" is one word)
    rules = Redact(fields=["password"], patterns=["sec+ret"])
    out = redacted(text, rules)
    assert out.count(b"\n") == text.count(b"\n")
    for secret in (b"a@b.io", b"AKIAIOSFODNN7EXAMPLE", b"abcdefgh12"):
        assert secret not in out or secret not in text
