"""Glob expansion and streamed SHA-256 for every file-based source."""

from __future__ import annotations

import glob
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from golive.errors import EvidenceError

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Match:
    """A file a pattern matched: ``name`` as the spec would write it, ``path`` to open."""

    name: str
    path: Path


def expand(patterns: str | list[str], base_dir: Path) -> list[Match]:
    """Expand paths and globs (``**`` recursive) relative to ``base_dir``; files only.

    Matches are sorted and de-duplicated, so a file named twice is read once. Nothing
    matching is an empty list (the engine reports ``no_data``), never an error.
    """
    found: dict[str, Match] = {}
    for pattern in [patterns] if isinstance(patterns, str) else patterns:
        # A file literally named like a glob ("report[1].xml") is matched as named too.
        names = [pattern]
        if glob.has_magic(pattern):
            names += glob.glob(pattern, root_dir=base_dir, recursive=True)
        for name in names:
            path = base_dir / name
            if path.is_file():
                found.setdefault(str(path.resolve()), Match(Path(name).as_posix(), path))
    return sorted(found.values(), key=lambda m: m.name)


def sha256_file(match: Match) -> str:
    """SHA-256 of a file, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    try:
        with match.path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
    except OSError as exc:
        raise EvidenceError(f"{match.name}: cannot read: {exc.strerror or exc}") from None
    return digest.hexdigest()


class HashingReader:
    """A binary file wrapper that hashes every byte a parser reads from it."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        """Read like ``BinaryIO.read`` and feed the bytes to the digest."""
        data = self._handle.read(size)
        self._digest.update(data)
        return data

    def lines(self) -> Iterator[bytes]:
        """Yield the file's lines (with their endings), hashing each."""
        for line in self._handle:
            self._digest.update(line)
            yield line

    def hexdigest(self) -> str:
        """Finish reading the file (a parser may stop early) and return its SHA-256."""
        while chunk := self.read(CHUNK):
            del chunk
        return self._digest.hexdigest()


def read_bytes(match: Match) -> tuple[bytes, str]:
    """The whole file and its SHA-256 (for formats that must be parsed in one piece)."""
    try:
        data = match.path.read_bytes()
    except OSError as exc:
        raise EvidenceError(f"{match.name}: cannot read: {exc.strerror or exc}") from None
    return data, hashlib.sha256(data).hexdigest()
