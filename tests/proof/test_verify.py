"""``bundle verify``: tampered, truncated, re-signed and stale bundles, named member by member."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import tarfile
from pathlib import Path

import pytest

from golive.canonical import canonical_json
from golive.proof.bundle import create_bundle
from golive.proof.inputs import select
from golive.proof.provenance import sign_envelope
from golive.proof.sshkeys import load_private_key, load_public_key
from golive.proof.verify import Verification, verify_bundle
from golive.registry import open_registry
from tests.proof.conftest import KeyPair, Recorded, make_key

EVENTS = "evidence/evidence/events.jsonl"
BROKEN = "evidence/evidence/broken.jsonl"


def build(recorded: Recorded, out: Path, key: KeyPair | None = None) -> Path:
    with open_registry(recorded.registry) as store:
        selected = select(store, scorecard=recorded.sha256, spec=recorded.spec, at=None)
    signing = load_private_key(key.private) if key else None
    create_bundle(selected.inputs, out, redactor=selected.redactor, key=signing)
    return out


def read_tar(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]


def write_tar(path: Path, files: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def problems(result: Verification) -> list[tuple[str, str]]:
    return [(p.kind, p.member) for p in result.problems]


def keys(*pairs: KeyPair) -> list[object]:
    return [load_public_key(p.public) for p in pairs]


def test_tampered_member_in_a_tarball_is_named(
    mixed: Recorded, release_key: KeyPair, tmp_path: Path
) -> None:
    path = build(mixed, tmp_path / "b.tar.gz", release_key)
    files = read_tar(path)
    files[EVENTS] = files[EVENTS].replace(b'"error"', b'"ok"   ')
    write_tar(path, files)
    result = verify_bundle(path, keys(release_key))  # type: ignore[arg-type]
    assert problems(result) == [("changed", EVENTS)]
    assert result.signature == "verified"
    assert "the manifest says" in str(result.problems[0])


def test_truncated_tarball_fails_as_an_archive_problem(mixed: Recorded, tmp_path: Path) -> None:
    path = build(mixed, tmp_path / "b.tar.gz")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    result = verify_bundle(path)
    assert not result.ok
    assert result.problems[0].kind == "archive"
    assert "truncated or corrupt" in result.problems[0].detail


def test_missing_and_extra_members_are_named(mixed: Recorded, tmp_path: Path) -> None:
    folder = build(mixed, tmp_path / "b")
    (folder / BROKEN).unlink()
    (folder / "evidence" / "planted.log").write_text("not evaluated\n")
    result = verify_bundle(folder)
    assert problems(result) == [
        ("missing", BROKEN),
        ("extra", "evidence/planted.log"),
    ]


def test_manifest_edited_to_match_a_tampered_member_breaks_the_statement(
    mixed: Recorded, tmp_path: Path
) -> None:
    folder = build(mixed, tmp_path / "b")
    changed = (folder / EVENTS).read_bytes().replace(b"250", b"25")
    (folder / EVENTS).write_bytes(changed)
    manifest = json.loads((folder / "manifest.json").read_text())
    entry = next(e for e in manifest["members"] if e["path"] == EVENTS)
    entry.update(sha256=hashlib.sha256(changed).hexdigest(), size=len(changed))
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2))
    result = verify_bundle(folder)
    assert problems(result) == [("statement", "manifest.json")]
    assert "the manifest was changed" in result.problems[0].detail


def test_evidence_that_no_longer_matches_the_scorecard_is_named(
    mixed: Recorded, tmp_path: Path
) -> None:
    """Member, manifest and (unsigned) statement all rewritten: only the scorecard can tell."""
    folder = build(mixed, tmp_path / "b")
    changed = b'{"ts": "2025-12-17T10:00:00Z", "status": "ok", "ms": 1}\n'
    (folder / EVENTS).write_bytes(changed)
    manifest = json.loads((folder / "manifest.json").read_text())
    entry = next(e for e in manifest["members"] if e["path"] == EVENTS)
    entry.update(sha256=hashlib.sha256(changed).hexdigest(), size=len(changed), redacted=False)
    entry.pop("original")
    data = json.dumps(manifest).encode()
    (folder / "manifest.json").write_bytes(data)
    statement = json.loads((folder / "provenance" / "statement.json").read_text())
    statement["predicate"]["bundle"]["manifest"]["sha256"] = hashlib.sha256(data).hexdigest()
    (folder / "provenance" / "statement.json").write_bytes(canonical_json(statement))
    result = verify_bundle(folder)
    assert problems(result) == [("evidence", EVENTS)]
    assert "the evidence no longer matches the scorecard" in result.problems[0].detail


def test_resigned_with_another_key_fails_the_signature(
    mixed: Recorded, release_key: KeyPair, tmp_path: Path
) -> None:
    folder = build(mixed, tmp_path / "b", release_key)
    intruder = make_key(tmp_path, "intruder")
    payload = (folder / "provenance" / "statement.json").read_bytes()
    envelope = sign_envelope(payload, load_private_key(intruder.private))
    (folder / "provenance" / "statement.dsse.json").write_text(json.dumps(envelope))
    result = verify_bundle(folder, keys(release_key))  # type: ignore[arg-type]
    assert problems(result) == [("signature", "provenance/statement.dsse.json")]
    assert result.signature == "failed"
    assert "re-signed with another key" in result.problems[0].detail
    # The intruder's own key does verify it: trust is in which key you pass.
    assert verify_bundle(folder, keys(intruder)).ok  # type: ignore[arg-type]


def test_statement_changed_after_signing_is_named(
    mixed: Recorded, release_key: KeyPair, tmp_path: Path
) -> None:
    folder = build(mixed, tmp_path / "b", release_key)
    statement = json.loads((folder / "provenance" / "statement.json").read_text())
    statement["predicate"]["scorecard"]["ready"] = True
    (folder / "provenance" / "statement.json").write_bytes(canonical_json(statement))
    result = verify_bundle(folder, keys(release_key))  # type: ignore[arg-type]
    assert problems(result) == [("signature", "provenance/statement.json")]


def test_key_asked_for_but_bundle_unsigned(
    mixed: Recorded, release_key: KeyPair, tmp_path: Path
) -> None:
    path = build(mixed, tmp_path / "b.tar.gz")
    result = verify_bundle(path, keys(release_key))  # type: ignore[arg-type]
    assert problems(result) == [("signature", "provenance/statement.dsse.json")]
    assert "not signed" in result.problems[0].detail


def test_replaced_scorecard_is_named(mixed: Recorded, tmp_path: Path) -> None:
    folder = build(mixed, tmp_path / "b")
    card = json.loads((folder / "scorecard.json").read_text())
    card["ready"] = True
    (folder / "scorecard.json").write_bytes(canonical_json(card))
    kinds = problems(verify_bundle(folder))
    assert ("changed", "scorecard.json") in kinds
    assert ("scorecard", "scorecard.json") in kinds


def test_links_and_unsafe_paths_in_a_tarball_are_refused(mixed: Recorded, tmp_path: Path) -> None:
    path = build(mixed, tmp_path / "b.tar.gz")
    files = read_tar(path)
    with tarfile.open(path, "w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("evidence/link")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tar.addfile(link)
        evil = tarfile.TarInfo("../escape.txt")
        evil.size = 1
        tar.addfile(evil, io.BytesIO(b"x"))
    assert problems(verify_bundle(path)) == [
        ("archive", "evidence/link"),
        ("archive", "../escape.txt"),
    ]


def test_no_manifest_is_missing(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "notes.txt").write_text("hi")
    assert problems(verify_bundle(tmp_path / "b")) == [("missing", "manifest.json")]


def test_a_good_signed_bundle_verifies(
    mixed: Recorded, release_key: KeyPair, tmp_path: Path
) -> None:
    path = build(mixed, tmp_path / "b.tar.gz", release_key)
    result = verify_bundle(path, keys(make_key(tmp_path, "other"), release_key))  # type: ignore[arg-type]
    assert result.ok
    assert result.members == 4
    assert result.scorecard_sha256 == mixed.sha256
    assert result.signed_by is not None
    assert result.signed_by.startswith("SHA256:")
    unchecked = verify_bundle(path)
    assert unchecked.ok
    assert unchecked.signature == "not checked"
    shutil.rmtree(mixed.spec.parent)  # the bundle stands alone
    assert verify_bundle(path).ok


@pytest.mark.parametrize("output", ["b.tar.gz", "b"])
def test_cli_verify_exits_1_and_names_each_problem(
    mixed: Recorded, tmp_path: Path, output: str
) -> None:
    from typer.testing import CliRunner

    from golive.cli.app import app

    target = build(mixed, tmp_path / output)
    if target.is_dir():
        (target / EVENTS).write_bytes(b"edited\n")
    else:
        files = read_tar(target)
        files[EVENTS] = b"edited\n"
        write_tar(target, files)
    result = CliRunner().invoke(app, ["bundle", "verify", str(target), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["ok"] is False
    assert [(p["kind"], p["member"]) for p in report["problems"]] == [("changed", EVENTS)]
    text = CliRunner().invoke(app, ["bundle", "verify", str(target)])
    assert text.exit_code == 1
    assert text.stdout.splitlines()[0].startswith(f"✗ changed: {EVENTS}: sha256 ")
    assert text.stdout.splitlines()[-1].startswith("NOT VERIFIED · ")
