"""The file source: globs, sizes, modification times and streamed SHA-256."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from golive.sources import file
from golive.spec.sources import FileSource


def _read(path: str | list[str], base: Path) -> file.Records:
    return file.read(FileSource.model_validate({"type": "file", "path": path}), base)


def test_records_per_file(tmp_path: Path) -> None:
    (tmp_path / "docs" / "ops").mkdir(parents=True)
    runbook = tmp_path / "docs" / "ops" / "runbook.md"
    runbook.write_bytes(b"# Runbook\n")
    os.utime(runbook, (1765929600, 1765929600))  # 2025-12-17T00:00:00Z
    big = tmp_path / "docs" / "big.bin"
    big.write_bytes(b"x" * (3 * 1024 * 1024 + 5))  # more than one 1 MiB chunk
    out = _read("docs/**/*", tmp_path)
    assert [r["path"] for r in out.rows] == ["docs/big.bin", "docs/ops/runbook.md"]
    book = out.rows[1]
    assert book == {
        "path": "docs/ops/runbook.md",
        "size": 10,
        "mtime": "2025-12-17T00:00:00Z",
        "sha256": hashlib.sha256(b"# Runbook\n").hexdigest(),
    }
    assert out.rows[0]["sha256"] == hashlib.sha256(big.read_bytes()).hexdigest()
    assert [(e.path, e.sha256, e.records) for e in out.evidence] == [
        (r["path"], r["sha256"], 1) for r in out.rows
    ]
    assert out.time_field == "mtime"


def test_a_file_named_twice_is_read_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("a")
    out = _read(["a.txt", "*.txt", "./a.txt"], tmp_path)
    assert len(out.rows) == 1


def test_nothing_matching_is_no_evidence(tmp_path: Path) -> None:
    (tmp_path / "folder.md").mkdir()  # folders are not files
    out = _read(["missing.md", "*.md"], tmp_path)
    assert (out.rows, out.evidence) == ([], [])
