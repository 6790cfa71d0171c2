"""The shared glob expansion and hashing of file-based sources."""

from __future__ import annotations

import hashlib
from pathlib import Path

from golive.sources._files import HashingReader, expand, sha256_file


def test_expand_sorts_dedupes_and_skips_folders(tmp_path: Path) -> None:
    for name in ("b.xml", "a.xml", "sub/c.xml", "sub/deeper/d.xml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    (tmp_path / "folder.xml").mkdir()
    names = [m.name for m in expand(["*.xml", "a.xml", "./b.xml", "**/*.xml"], tmp_path)]
    assert names == ["a.xml", "b.xml", "sub/c.xml", "sub/deeper/d.xml"]
    assert [m.name for m in expand("sub/*.xml", tmp_path)] == ["sub/c.xml"]


def test_a_file_named_like_a_glob_is_found(tmp_path: Path) -> None:
    (tmp_path / "report[1].xml").write_text("x")
    assert [m.name for m in expand("report[1].xml", tmp_path)] == ["report[1].xml"]


def test_absolute_patterns(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text("{}")
    [match] = expand(str(tmp_path / "*.json"), Path("/"))
    assert match.path == tmp_path / "a.json"


def test_hashes_match_hashlib(tmp_path: Path) -> None:
    data = bytes(range(256)) * 10_000  # 2.5 MiB: several chunks
    (tmp_path / "f.bin").write_bytes(data)
    [match] = expand("f.bin", tmp_path)
    assert sha256_file(match) == hashlib.sha256(data).hexdigest()
    with match.path.open("rb") as handle:
        reader = HashingReader(handle)
        reader.read(10)  # a parser that stops early still gets the whole file's hash
        assert reader.hexdigest() == hashlib.sha256(data).hexdigest()
