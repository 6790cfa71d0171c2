"""Verify a bundle: every member's hash, the scorecard's evidence, the statement, the signature.

Every problem is collected (not only the first), each naming the member: ``changed``,
``missing``, ``extra``, ``evidence`` (the bundled copy is not what the scorecard
evaluated), ``scorecard``, ``statement``, ``signature`` or ``archive``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from golive.canonical import digest
from golive.errors import SignatureError
from golive.proof.archive import Contents, read_bundle
from golive.proof.bundle import BUNDLE_SCHEMA, ENVELOPE, MANIFEST, METADATA, STATEMENT
from golive.proof.collectors import SCORECARD_MEMBER
from golive.proof.provenance import PREDICATE_TYPE, STATEMENT_TYPE, verify_envelope


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a bundle."""

    kind: str
    member: str
    detail: str

    def __str__(self) -> str:
        where = f"{self.member}: " if self.member else ""
        return f"{self.kind}: {where}{self.detail}"


@dataclass
class Verification:
    """The outcome of verifying one bundle."""

    bundle: str
    members: int = 0
    scorecard_sha256: str | None = None
    signature: str = "unsigned"  # unsigned | not checked | verified | failed
    signed_by: str | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        return {
            "bundle": self.bundle,
            "ok": self.ok,
            "members": self.members,
            "scorecard": self.scorecard_sha256,
            "signature": self.signature,
            "signed_by": self.signed_by,
            "problems": [
                {"kind": p.kind, "member": p.member, "detail": p.detail} for p in self.problems
            ],
        }


def verify_bundle(path: Path, keys: list[Ed25519PublicKey] | None = None) -> Verification:
    """Check the bundle at ``path``; with ``keys``, it must be signed by one of them."""
    result = Verification(str(path))
    contents = read_bundle(path, METADATA | {SCORECARD_MEMBER})
    result.problems += [Problem("archive", name, why) for name, why in contents.problems]
    manifest_entry = contents.entries.get(MANIFEST)
    manifest = _json(contents, MANIFEST, result)
    if manifest is None or manifest_entry is None:
        return result
    if manifest.get("schema") != BUNDLE_SCHEMA or not isinstance(manifest.get("members"), list):
        result.problems.append(
            Problem("manifest", MANIFEST, f"not a {BUNDLE_SCHEMA} manifest with a members list")
        )
        return result
    listed = _check_members(manifest, contents, result)
    scorecard = _check_scorecard(manifest, contents, result)
    if scorecard is not None:
        _check_evidence(scorecard, listed, manifest, result)
    payload = _check_signature(contents, keys, result)
    _check_statement(payload, manifest_entry.sha256, manifest, result)
    return result


def _json(contents: Contents, name: str, result: Verification) -> Any:
    entry = contents.entries.get(name)
    if entry is None:
        result.problems.append(Problem("missing", name, "not in the bundle"))
        return None
    try:
        return json.loads(entry.data or b"")
    except ValueError as exc:
        result.problems.append(Problem("changed", name, f"not valid JSON ({exc})"))
        return None


def _check_members(
    manifest: dict[str, Any], contents: Contents, result: Verification
) -> dict[str, dict[str, Any]]:
    listed: dict[str, dict[str, Any]] = {}
    for entry in manifest["members"]:
        name = str(entry.get("path"))
        listed[name] = entry
        found = contents.entries.get(name)
        if found is None:
            result.problems.append(Problem("missing", name, "listed in the manifest, not found"))
        elif (found.sha256, found.size) != (entry.get("sha256"), entry.get("size")):
            result.problems.append(
                Problem(
                    "changed",
                    name,
                    f"sha256 {found.sha256} ({found.size} bytes), the manifest says "
                    f"{entry.get('sha256')} ({entry.get('size')} bytes)",
                )
            )
    for name in sorted(set(contents.entries) - set(listed) - METADATA):
        result.problems.append(Problem("extra", name, "in the bundle, not in the manifest"))
    result.members = len(listed)
    return listed


def _check_scorecard(
    manifest: dict[str, Any], contents: Contents, result: Verification
) -> dict[str, Any] | None:
    expected = (manifest.get("scorecard") or {}).get("sha256")
    result.scorecard_sha256 = expected
    entry = contents.entries.get(SCORECARD_MEMBER)
    if entry is None or entry.data is None:
        return None
    try:
        document = json.loads(entry.data)
        identity = digest(document)
    except ValueError as exc:
        result.problems.append(Problem("scorecard", SCORECARD_MEMBER, f"not a scorecard ({exc})"))
        return None
    if identity != expected or entry.sha256 != expected:
        result.problems.append(
            Problem(
                "scorecard",
                SCORECARD_MEMBER,
                f"its digest is {identity}, the manifest names scorecard {expected}",
            )
        )
    return document if isinstance(document, dict) else None


def _check_evidence(
    scorecard: dict[str, Any],
    listed: dict[str, dict[str, Any]],
    manifest: dict[str, Any],
    result: Verification,
) -> None:
    """Each file the scorecard read must be bundled, as the bytes it hashed."""
    by_origin = {
        str(e.get("origin")): e for e in listed.values() if e.get("kind") in ("evidence", "spec")
    }
    uncollected = {str(u.get("origin")) for u in manifest.get("uncollected") or []}
    wanted: dict[str, str | None] = {}
    spec = scorecard.get("spec") or {}
    wanted[str(spec.get("path"))] = spec.get("sha256")
    for check in scorecard.get("checks") or []:
        for ref in check.get("evidence") or []:
            wanted.setdefault(str(ref.get("path")), ref.get("sha256"))
    for origin, sha256 in sorted(wanted.items()):
        entry = by_origin.get(origin)
        if entry is None:
            if origin not in uncollected:
                result.problems.append(
                    Problem("evidence", origin, "the scorecard read it; the bundle has no copy")
                )
            continue
        recorded = (entry.get("original") or {}).get("sha256", entry.get("sha256"))
        if sha256 is not None and recorded != sha256:
            result.problems.append(
                Problem(
                    "evidence",
                    str(entry.get("path")),
                    f"bundled from {origin} with sha256 {recorded}, but the scorecard "
                    f"evaluated {sha256}: the evidence no longer matches the scorecard",
                )
            )


def _check_signature(
    contents: Contents, keys: list[Ed25519PublicKey] | None, result: Verification
) -> bytes | None:
    """The statement bytes to trust: the signed payload when keys are given."""
    statement = contents.entries.get(STATEMENT)
    envelope_entry = contents.entries.get(ENVELOPE)
    if envelope_entry is not None:
        result.signature = "not checked"
    if not keys:
        return statement.data if statement is not None else None
    if envelope_entry is None:
        result.signature = "failed"
        result.problems.append(
            Problem(
                "signature", ENVELOPE, "the bundle is not signed, and --key asks for a signature"
            )
        )
        return None
    try:
        verified = verify_envelope(json.loads(envelope_entry.data or b""), keys)
    except (SignatureError, ValueError) as exc:
        result.signature = "failed"
        result.problems.append(Problem("signature", ENVELOPE, str(exc)))
        return None
    result.signature, result.signed_by = "verified", verified.keyid
    if statement is None or statement.data != verified.payload:
        result.problems.append(
            Problem("signature", STATEMENT, "differs from the payload that was signed")
        )
    return verified.payload


def _check_statement(
    payload: bytes | None, manifest_sha256: str, manifest: dict[str, Any], result: Verification
) -> None:
    if payload is None:
        if not any(p.member in (STATEMENT, ENVELOPE) for p in result.problems):
            result.problems.append(Problem("missing", STATEMENT, "not in the bundle"))
        return
    try:
        document = json.loads(payload)
        predicate = document["predicate"]
        subjects = {s["name"]: s["digest"]["sha256"] for s in document["subject"]}
        bound = predicate["bundle"]["manifest"]["sha256"]
    except (ValueError, KeyError, TypeError) as exc:
        result.problems.append(Problem("statement", STATEMENT, f"malformed statement ({exc!r})"))
        return
    if document.get("_type") != STATEMENT_TYPE or document.get("predicateType") != PREDICATE_TYPE:
        result.problems.append(
            Problem("statement", STATEMENT, f"not an {STATEMENT_TYPE} with {PREDICATE_TYPE}")
        )
    if bound != manifest_sha256:
        result.problems.append(
            Problem(
                "statement",
                MANIFEST,
                f"sha256 {manifest_sha256}, the statement binds {bound}: the manifest was changed",
            )
        )
    expected = (manifest.get("scorecard") or {}).get("sha256")
    if subjects.get(SCORECARD_MEMBER) != expected:
        result.problems.append(
            Problem(
                "statement",
                STATEMENT,
                f"its subject scorecard.json is {subjects.get(SCORECARD_MEMBER)}, "
                f"the manifest names {expected}",
            )
        )
