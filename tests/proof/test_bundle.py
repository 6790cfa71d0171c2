"""Bundles: members, manifest, excerpts, determinism, bounded memory, refusing changed evidence."""

from __future__ import annotations

import hashlib
import json
import tarfile
import tracemalloc
from pathlib import Path

import pytest

from golive.errors import EvidenceError, UsageError
from golive.proof.bundle import Limits, create_bundle
from golive.proof.collectors import BundleInputs, Collected, Member, member_path
from golive.proof.inputs import select
from golive.proof.redact import Redactor
from golive.registry import open_registry
from tests.proof.conftest import AT, Recorded, copy_example, record


def bundle(recorded: Recorded, out: Path, **kwargs: object) -> object:
    with open_registry(recorded.registry) as store:
        selected = select(store, scorecard=recorded.sha256, spec=recorded.spec, at=None)
    return create_bundle(selected.inputs, out, redactor=selected.redactor, **kwargs)  # type: ignore[arg-type]


def members_of(tarball: Path) -> dict[str, bytes]:
    with tarfile.open(tarball) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]


def test_same_inputs_give_byte_identical_tarballs(mixed: Recorded, tmp_path: Path) -> None:
    bundle(mixed, tmp_path / "one.tar.gz")
    bundle(mixed, tmp_path / "two.tar.gz")
    assert (tmp_path / "one.tar.gz").read_bytes() == (tmp_path / "two.tar.gz").read_bytes()
    with tarfile.open(tmp_path / "one.tar.gz") as tar:
        infos = tar.getmembers()
    assert [i.name for i in infos] == [
        "evidence/evidence/broken.jsonl",
        "evidence/evidence/events.jsonl",
        "scorecard.json",
        "spec/golive.yaml",
        "manifest.json",
        "provenance/statement.json",
    ]
    assert {(i.mtime, i.uid, i.gid, i.uname, i.gname, i.mode) for i in infos} == {
        (0, 0, 0, "", "", 0o644)
    }
    # gzip header: mtime 0 and no file name
    header = (tmp_path / "one.tar.gz").read_bytes()[:10]
    assert header[3] == 0
    assert header[4:8] == b"\0\0\0\0"


def test_manifest_lists_every_member_with_hash_size_time_origin(
    mixed: Recorded, tmp_path: Path
) -> None:
    bundle(mixed, tmp_path / "b.tar.gz")
    files = members_of(tmp_path / "b.tar.gz")
    manifest = json.loads(files["manifest.json"])
    assert manifest["schema"] == "golive.bundle/v1"
    assert manifest["scorecard"] == {
        "sha256": mixed.sha256,
        "spec": "proof-mixed",
        "evaluated_at": AT,
        "ready": False,
        "trace_id": "4bf92f3577b34da6",
    }
    for entry in manifest["members"]:
        data = files[entry["path"]]
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["size"] == len(data)
        assert entry["collected_at"] == AT
    origins = {e["path"]: e["origin"] for e in manifest["members"]}
    assert origins == {
        "evidence/evidence/broken.jsonl": "evidence/broken.jsonl",
        "evidence/evidence/events.jsonl": "evidence/events.jsonl",
        "scorecard.json": f"golive:scorecard:{mixed.sha256}",
        "spec/golive.yaml": str(mixed.spec),
    }
    # The scorecard is bundled as its canonical JSON: its sha256 is its identity.
    assert hashlib.sha256(files["scorecard.json"]).hexdigest() == mixed.sha256


def test_directory_bundle_holds_the_same_files(mixed: Recorded, tmp_path: Path) -> None:
    bundle(mixed, tmp_path / "b.tar.gz")
    bundle(mixed, tmp_path / "folder")
    found = {
        p.relative_to(tmp_path / "folder").as_posix(): p.read_bytes()
        for p in (tmp_path / "folder").rglob("*")
        if p.is_file()
    }
    assert found == members_of(tmp_path / "b.tar.gz")


def test_at_sets_collected_at(mixed: Recorded, tmp_path: Path) -> None:
    with open_registry(mixed.registry) as store:
        selected = select(store, scorecard=None, spec=mixed.spec, at="2025-12-18T06:00:00+01:00")
    result = create_bundle(selected.inputs, tmp_path / "b.tar.gz", redactor=selected.redactor)
    assert {e["collected_at"] for e in result.manifest["members"]} == {"2025-12-18T05:00:00Z"}


def test_changed_evidence_is_refused_and_nothing_is_written(
    mixed: Recorded, tmp_path: Path
) -> None:
    events = mixed.spec.parent / "evidence" / "events.jsonl"
    events.write_text(events.read_text().replace("250", "25"))
    with pytest.raises(EvidenceError, match=r"evidence/events.jsonl: changed since the scorecard"):
        bundle(mixed, tmp_path / "b.tar.gz")
    assert (
        sorted(p.name for p in tmp_path.iterdir()) == ["mixed", "registry.db"]
        or not (tmp_path / "b.tar.gz").exists()
    )
    assert not list(tmp_path.glob(".b.tar.gz*"))


def test_changed_spec_is_refused(mixed: Recorded, tmp_path: Path) -> None:
    mixed.spec.write_text(mixed.spec.read_text() + "# edited\n")
    with pytest.raises(EvidenceError, match=r"golive.yaml: changed since the scorecard"):
        bundle(mixed, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_non_empty_output_folder_is_refused(mixed: Recorded, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    with pytest.raises(UsageError, match="exists and is not an empty folder"):
        bundle(mixed, tmp_path / "out")


def test_non_file_evidence_is_listed_as_uncollected(tmp_path: Path, registry_url: str) -> None:
    spec = copy_example("mixed", tmp_path)
    text = spec.read_text().replace(
        "defaults:", "  environment:\n    type: env\n    names: [HOME]\ndefaults:"
    )
    spec.write_text(
        text + '  - id: ENV.home\n    source: environment\n    measure: count\n    expect: ">= 1"\n'
    )
    recorded = record(spec, registry_url)
    result = bundle(recorded, tmp_path / "b.tar.gz")
    (item,) = result.manifest["uncollected"]  # type: ignore[attr-defined]
    assert item["source"] == "environment"
    assert item["origin"] == "env:HOME"
    assert len(item["sha256"]) == 64
    assert item["reason"] == "not a file (URL, command or repo)"


def _big_spec(tmp_path: Path, size: int) -> Path:
    folder = tmp_path / "big"
    folder.mkdir()
    line = b'{"ts": "2025-12-17T10:00:00Z", "user": "dave@example.com", "ms": 12}\n'
    with (folder / "huge.log").open("wb") as out:
        block = line * (1024 * 1024 // len(line))
        written = 0
        while written < size:
            out.write(block)
            written += len(block)
    (folder / "golive.yaml").write_text(
        "version: 1\nname: big\nsources:\n  logs:\n    type: file\n    path: huge.log\n"
        'checks:\n  - id: LOG.present\n    source: logs\n    measure: count\n    expect: ">= 1"\n'
    )
    return folder / "golive.yaml"


def test_large_evidence_is_excerpted_with_the_whole_files_sha256(
    tmp_path: Path, registry_url: str
) -> None:
    recorded = record(_big_spec(tmp_path, 3 * 1024 * 1024), registry_url)
    result = bundle(recorded, tmp_path / "b.tar.gz", limits=Limits(1024 * 1024, 64 * 1024))
    entry = next(e for e in result.manifest["members"] if e["kind"] == "evidence")  # type: ignore[attr-defined]
    whole = recorded.spec.parent / "huge.log"
    assert entry["original"] == {
        "sha256": hashlib.sha256(whole.read_bytes()).hexdigest(),
        "size": whole.stat().st_size,
    }
    assert entry["excerpt"]["head"] <= 64 * 1024
    assert (
        entry["excerpt"]["omitted"]
        == whole.stat().st_size - entry["excerpt"]["head"] - entry["excerpt"]["tail"]
    )
    data = members_of(tmp_path / "b.tar.gz")["evidence/huge.log"]
    assert b"[golive: excerpt: " in data
    assert b"dave@example.com" not in data
    assert entry["size"] == len(data) < 200 * 1024


def test_bundling_a_large_file_uses_bounded_memory(tmp_path: Path, registry_url: str) -> None:
    """The original is hashed in 1 MiB chunks; only the head and tail are held."""
    recorded = record(_big_spec(tmp_path, 48 * 1024 * 1024), registry_url)
    tracemalloc.start()
    try:
        bundle(recorded, tmp_path / "b.tar.gz")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024


def test_collectors_plug_in_members_subjects_and_predicate(mixed: Recorded, tmp_path: Path) -> None:
    """A release collector (governance) adds its files, artifacts and gate decision."""
    import io

    decision = b'{"decision": "allow", "release": "1.4.0"}\n'

    def release(inputs: BundleInputs) -> Collected:
        return Collected(
            members=[
                Member("release/gate.json", "gate", "golive:gate:1", lambda: io.BytesIO(decision))
            ],
            subjects=[{"name": "app-1.4.0.whl", "digest": {"sha256": "ab" * 32}}],
            predicate={"gate": {"decision": "allow"}, "release": {"version": "1.4.0"}},
        )

    from golive.proof.collectors import DEFAULT_COLLECTORS

    with open_registry(mixed.registry) as store:
        selected = select(store, scorecard=mixed.sha256, spec=mixed.spec, at=None)
    result = create_bundle(
        selected.inputs,
        tmp_path / "b.tar.gz",
        redactor=Redactor(),
        collectors=(*DEFAULT_COLLECTORS, release),
    )
    assert members_of(tmp_path / "b.tar.gz")["release/gate.json"] == decision
    assert [s["name"] for s in result.statement["subject"]] == ["scorecard.json", "app-1.4.0.whl"]
    assert result.statement["predicate"]["gate"] == {"decision": "allow"}
    assert result.statement["predicate"]["release"] == {"version": "1.4.0"}


def test_member_paths_never_leave_the_bundle() -> None:
    assert member_path("telemetry/router.log") == "evidence/telemetry/router.log"
    assert member_path("../shared/x.log") == "evidence/__/shared/x.log"
    assert member_path("/var/log/app.log") == "evidence/var/log/app.log"


def test_limits_must_leave_room_for_head_and_tail() -> None:
    with pytest.raises(UsageError, match="at least twice the excerpt"):
        Limits(max_copy=100, excerpt=80)
