"""Provenance: in-toto-attestation validates the statement, securesystemslib the envelope."""

from __future__ import annotations

import base64
import hashlib
import json
import tarfile
from pathlib import Path

import pytest
from google.protobuf import json_format
from in_toto_attestation.v1 import statement_pb2
from in_toto_attestation.v1.statement import Statement
from securesystemslib.dsse import Envelope
from securesystemslib.exceptions import VerificationError
from securesystemslib.signer import SSlibKey

from golive.errors import SignatureError
from golive.proof.bundle import create_bundle
from golive.proof.inputs import select
from golive.proof.provenance import (
    PAYLOAD_TYPE,
    PREDICATE_TYPE,
    pae,
    sign_envelope,
    verify_envelope,
)
from golive.proof.sshkeys import fingerprint, load_private_key, load_public_key
from golive.registry import open_registry
from tests.proof.conftest import AT, KeyPair, Recorded, make_key


def signed_bundle(recorded: Recorded, key: KeyPair, out: Path) -> dict[str, bytes]:
    with open_registry(recorded.registry) as store:
        selected = select(store, scorecard=recorded.sha256, spec=recorded.spec, at=None)
    create_bundle(
        selected.inputs, out, redactor=selected.redactor, key=load_private_key(key.private)
    )
    with tarfile.open(out) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]


def test_statement_validates_with_the_in_toto_attestation_package(
    mixed: Recorded, release_key: KeyPair, tmp_path: Path
) -> None:
    files = signed_bundle(mixed, release_key, tmp_path / "b.tar.gz")
    proto = json_format.Parse(files["provenance/statement.json"], statement_pb2.Statement())
    statement = Statement.copy_from_pb(proto)
    statement.validate()
    assert statement.pb.predicate_type == PREDICATE_TYPE
    assert [(s.name, dict(s.digest)) for s in statement.pb.subject] == [
        ("scorecard.json", {"sha256": mixed.sha256})
    ]
    predicate = json.loads(files["provenance/statement.json"])["predicate"]
    assert predicate["scorecard"]["sha256"] == mixed.sha256
    assert predicate["scorecard"]["evaluated_at"] == AT
    assert predicate["scorecard"]["ready"] is False
    assert predicate["spec"]["name"] == "proof-mixed"
    assert predicate["trace_id"] == "4bf92f3577b34da6"
    assert predicate["gate"] is None

    assert (
        predicate["bundle"]["manifest"]["sha256"]
        == hashlib.sha256(files["manifest.json"]).hexdigest()
    )


def test_envelope_verifies_with_securesystemslib(
    mixed: Recorded, release_key: KeyPair, tmp_path: Path
) -> None:
    files = signed_bundle(mixed, release_key, tmp_path / "b.tar.gz")
    envelope = Envelope.from_dict(json.loads(files["provenance/statement.dsse.json"]))
    assert envelope.payload_type == PAYLOAD_TYPE
    assert envelope.payload == files["provenance/statement.json"]
    public = load_public_key(release_key.public)
    key = SSlibKey.from_crypto(public, keyid=fingerprint(public))
    verified = envelope.verify([key], threshold=1)
    assert list(verified) == [fingerprint(public)]
    assert envelope.pae() == pae(PAYLOAD_TYPE, envelope.payload)


def test_securesystemslib_rejects_another_key(
    mixed: Recorded, release_key: KeyPair, tmp_path: Path
) -> None:
    files = signed_bundle(mixed, release_key, tmp_path / "b.tar.gz")
    envelope = Envelope.from_dict(json.loads(files["provenance/statement.dsse.json"]))
    other = load_public_key(make_key(tmp_path, "other").public)
    key = SSlibKey.from_crypto(other, keyid=envelope.signatures and next(iter(envelope.signatures)))
    with pytest.raises(VerificationError):
        envelope.verify([key], threshold=1)


def test_keyid_is_the_openssh_fingerprint(release_key: KeyPair) -> None:
    """What ``ssh-keygen -lf KEY.pub`` prints: SHA256 of the key blob, base64 unpadded."""

    blob = base64.b64decode(release_key.public.read_text().split()[1])
    expected = base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    assert fingerprint(load_public_key(release_key.public)) == f"SHA256:{expected}"


def test_own_verifier_refuses_changed_payload_and_other_keys(tmp_path: Path) -> None:
    signer = make_key(tmp_path, "signer")
    other = make_key(tmp_path, "other")
    envelope = sign_envelope(b'{"_type": "x"}', load_private_key(signer.private))
    assert verify_envelope(envelope, [load_public_key(signer.public)]).payload == b'{"_type": "x"}'
    with pytest.raises(SignatureError, match="no signature verifies with the given key"):
        verify_envelope(envelope, [load_public_key(other.public)])
    forged = dict(envelope, payload=base64.b64encode(b'{"_type": "y"}').decode())
    with pytest.raises(SignatureError, match="no signature verifies"):
        verify_envelope(forged, [load_public_key(signer.public)])
    with pytest.raises(SignatureError, match="malformed DSSE envelope"):
        verify_envelope(dict(envelope, signatures=[{"sig": "not base64!"}]), [])
    with pytest.raises(SignatureError, match="not a DSSE envelope"):
        verify_envelope({"payloadType": "text/plain"}, [])


def test_keys_that_are_not_openssh_ed25519_are_refused(tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from golive.errors import UsageError

    ecdsa = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path / "ecdsa"
    path.write_bytes(
        ecdsa.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(UsageError, match="only ed25519 keys can sign for golive"):
        load_private_key(path)
    (tmp_path / "junk.pub").write_text("hello\n")
    with pytest.raises(UsageError, match="expected an OpenSSH ed25519 public key"):
        load_public_key(tmp_path / "junk.pub")
    with pytest.raises(UsageError, match="no such key file"):
        load_private_key(tmp_path / "missing")


def test_a_key_made_by_ssh_keygen_signs_and_its_fingerprint_is_ssh_keygens() -> None:
    keys = Path(__file__).parents[1] / "data" / "proof" / "keys"
    private = load_private_key(keys / "demo-release")
    public = load_public_key(keys / "demo-release.pub")
    # `ssh-keygen -lf tests/data/proof/keys/demo-release.pub`
    assert fingerprint(public) == "SHA256:mQrvx5XYXPWqNbkEqKxtof4wa3qS5doisX6Uw8bV+nc"
    envelope = sign_envelope(b"{}", private)
    assert verify_envelope(envelope, [public]).keyid == fingerprint(public)


def test_an_encrypted_key_needs_its_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from golive.errors import UsageError

    key = Ed25519PrivateKey.generate()
    path = tmp_path / "locked"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.OpenSSH,
            serialization.BestAvailableEncryption(b"open sesame"),
        )
    )
    monkeypatch.delenv("GOLIVE_KEY_PASSPHRASE", raising=False)
    with pytest.raises(UsageError, match="the key is encrypted; set GOLIVE_KEY_PASSPHRASE"):
        load_private_key(path)
    monkeypatch.setenv("GOLIVE_KEY_PASSPHRASE", "open sesame")
    assert fingerprint(load_private_key(path).public_key()) == fingerprint(key.public_key())
