"""Create an evidence bundle: members from collectors, a manifest, an in-toto statement.

Members are processed one at a time in path order: the original is hashed in chunks
(and must match what the scorecard recorded), then copied, or excerpted when larger than
the limit, and redacted, through a spooled temporary file, so memory stays bounded
whatever the evidence size. ``manifest.json``, ``provenance/statement.json`` and (when
signed) ``provenance/statement.dsse.json`` follow the members.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from golive.errors import EvidenceError, UsageError
from golive.proof.archive import BundleWriter, iter_chunks
from golive.proof.collectors import (
    DEFAULT_COLLECTORS,
    SCORECARD_MEMBER,
    BundleInputs,
    Collector,
    Member,
)
from golive.proof.provenance import sign_envelope, statement, statement_bytes, subject
from golive.proof.redact import Redactor

BUNDLE_SCHEMA = "golive.bundle/v1"
MANIFEST = "manifest.json"
STATEMENT = "provenance/statement.json"
ENVELOPE = "provenance/statement.dsse.json"
METADATA = frozenset({MANIFEST, STATEMENT, ENVELOPE})
DEFAULT_MAX_COPY = 16 * 1024 * 1024
DEFAULT_EXCERPT = 256 * 1024
SPOOL = 4 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Files above ``max_copy`` bytes are bundled as ``excerpt`` bytes of head and of tail."""

    max_copy: int = DEFAULT_MAX_COPY
    excerpt: int = DEFAULT_EXCERPT

    def __post_init__(self) -> None:
        if self.excerpt < 1 or self.max_copy < 2 * self.excerpt:
            raise UsageError(
                f"the copy limit ({self.max_copy} bytes) must be at least twice the excerpt "
                f"size ({self.excerpt} bytes), and the excerpt at least 1 byte"
            )


@dataclass(frozen=True)
class BundleResult:
    """What was written: the manifest, the statement, and the envelope if signed."""

    path: Path
    manifest: dict[str, Any]
    manifest_sha256: str
    statement: dict[str, Any]
    envelope: dict[str, Any] | None


def create_bundle(
    inputs: BundleInputs,
    target: Path,
    *,
    redactor: Redactor,
    collectors: Sequence[Collector] = DEFAULT_COLLECTORS,
    limits: Limits = Limits(),
    key: Ed25519PrivateKey | None = None,
) -> BundleResult:
    """Write the bundle of ``inputs`` to ``target`` (``.tar.gz`` or a new folder)."""
    collected = [collect(inputs) for collect in collectors]
    members = sorted((m for c in collected for m in c.members), key=lambda m: m.path)
    _refuse_duplicates(members)
    subjects = [subject(SCORECARD_MEMBER, inputs.scorecard_sha256)]
    predicate_parts: dict[str, Any] = {}
    for c in collected:
        subjects += c.subjects
        predicate_parts.update(c.predicate)
    uncollected = sorted((u for c in collected for u in c.uncollected), key=lambda u: u.origin)
    with BundleWriter(target) as writer:
        entries = []
        for member in members:
            with tempfile.SpooledTemporaryFile(max_size=SPOOL) as spool:
                entry = _prepare(member, spool, redactor, limits, inputs.collected_at)
                spool.seek(0)
                writer.add(member.path, entry["size"], spool)
            entries.append(entry)
        manifest = {
            "schema": BUNDLE_SCHEMA,
            "collected_at": inputs.collected_at,
            "scorecard": _scorecard_facts(inputs),
            "members": entries,
            "uncollected": [u.as_json() for u in uncollected],
            "redaction": redactor.rules.model_dump(mode="json"),
        }
        manifest_data = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
        manifest_sha256 = hashlib.sha256(manifest_data).hexdigest()
        writer.add(MANIFEST, len(manifest_data), io.BytesIO(manifest_data))
        predicate = _predicate(inputs, manifest_sha256, predicate_parts)
        document = statement(subjects, predicate)
        payload = statement_bytes(document)
        writer.add(STATEMENT, len(payload), io.BytesIO(payload))
        envelope = None
        if key is not None:
            envelope = sign_envelope(payload, key)
            data = (json.dumps(envelope, indent=2) + "\n").encode()
            writer.add(ENVELOPE, len(data), io.BytesIO(data))
    return BundleResult(target, manifest, manifest_sha256, document, envelope)


def _refuse_duplicates(members: list[Member]) -> None:
    for first, second in itertools.pairwise(members):
        if first.path == second.path:
            raise UsageError(
                f"two collectors both bundle {first.path!r} ({first.origin} and {second.origin})"
            )
    for member in members:
        if member.path in METADATA:
            raise UsageError(f"a collector may not bundle {member.path!r}: golive writes it")


def _prepare(
    member: Member, spool: IO[bytes], redactor: Redactor, limits: Limits, at: str
) -> dict[str, Any]:
    """Copy (or excerpt) and redact ``member`` into ``spool``; return its manifest entry."""
    original_sha256, original_size = _hash_original(member)
    if member.expected_sha256 is not None and original_sha256 != member.expected_sha256:
        raise EvidenceError(
            f"{member.origin}: changed since the scorecard was evaluated: its sha256 is now "
            f"{original_sha256}, the scorecard recorded {member.expected_sha256}; a bundle must "
            "hold what was evaluated: run `golive check` again and bundle the new scorecard"
        )
    extra: dict[str, Any] = {}
    sink = _HashingSink(spool)
    with _open(member) as source:
        if not member.transform:
            for chunk in iter_chunks(source):
                sink.write(chunk)
        elif original_size > limits.max_copy:
            head, tail, omitted = _excerpt(source, original_size, limits.excerpt)
            count = redactor.stream(io.BytesIO(head), sink)
            marker = (
                f"\n[golive: excerpt: {omitted} bytes omitted of {original_size}; "
                f"the whole file's sha256 is {original_sha256}]\n"
            ).encode()
            sink.write(marker)
            count += redactor.stream(io.BytesIO(tail), sink)
            extra["excerpt"] = {"head": len(head), "tail": len(tail), "omitted": omitted}
            extra["redactions"] = count
        else:
            extra["redactions"] = redactor.stream(source, sink)
    entry: dict[str, Any] = {
        "path": member.path,
        "kind": member.kind,
        "origin": member.origin,
        "sha256": sink.digest.hexdigest(),
        "size": sink.size,
        "collected_at": at,
    }
    if member.transform:
        entry["redacted"] = extra["redactions"] > 0
    entry.update(extra)
    if (entry["sha256"], entry["size"]) != (original_sha256, original_size):
        entry["original"] = {"sha256": original_sha256, "size": original_size}
    return entry


def _hash_original(member: Member) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with _open(member) as source:
        for chunk in iter_chunks(source):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _open(member: Member) -> BinaryIO:
    try:
        return member.open()
    except OSError as exc:
        raise EvidenceError(f"{member.origin}: cannot read: {exc.strerror or exc}") from None


def _excerpt(source: BinaryIO, size: int, keep: int) -> tuple[bytes, bytes, int]:
    """The first and last ``keep`` bytes, cut at line ends when there are any."""
    head = source.read(keep)
    if b"\n" in head:
        head = head[: head.rindex(b"\n") + 1]
    source.seek(size - keep)
    tail = source.read(keep)
    if b"\n" in tail[:-1]:
        tail = tail[tail.index(b"\n") + 1 :]
    return head, tail, size - len(head) - len(tail)


class _HashingSink:
    """A write-only file that hashes and counts what it passes on."""

    def __init__(self, target: IO[bytes]) -> None:
        self._target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> int:
        self.digest.update(data)
        self.size += len(data)
        return self._target.write(data)


def _scorecard_facts(inputs: BundleInputs) -> dict[str, Any]:
    card = inputs.scorecard
    return {
        "sha256": inputs.scorecard_sha256,
        "spec": card["spec"]["name"],
        "evaluated_at": card["evaluated_at"],
        "ready": card["ready"],
        "trace_id": inputs.trace_id,
    }


def _predicate(inputs: BundleInputs, manifest_sha256: str, parts: dict[str, Any]) -> dict[str, Any]:
    card = inputs.scorecard
    predicate: dict[str, Any] = {
        "scorecard": {
            "sha256": inputs.scorecard_sha256,
            "evaluated_at": card["evaluated_at"],
            "ready": card["ready"],
            "score": card["score"],
            "summary": card["summary"],
        },
        "spec": dict(card["spec"]),
        "trace_id": inputs.trace_id,
        "gate": None,
        "bundle": {"manifest": {"sha256": manifest_sha256}, "collected_at": inputs.collected_at},
    }
    predicate.update(parts)
    return predicate
