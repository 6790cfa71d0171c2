"""Bundle containers: a deterministic ``.tar.gz`` or a directory, written and read in chunks.

The tarball has fixed metadata (mtime 0, uid/gid 0, no owner names, mode 0644, PAX
format) and a gzip header with mtime 0 and no file name, so the same members in the same
order give the same bytes. Output is written beside its target and renamed into place
only when complete, so a failed run leaves nothing behind.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import IO

from golive.errors import UsageError

CHUNK = 1024 * 1024
# Files verify reads whole (manifest, scorecard, statement, envelope) are capped.
MAX_METADATA = 64 * 1024 * 1024
TAR_SUFFIXES = (".tar.gz", ".tgz")


def is_tarball(path: Path) -> bool:
    """Whether ``path`` names a ``.tar.gz`` bundle (else a directory bundle)."""
    return path.name.endswith(TAR_SUFFIXES)


class BundleWriter:
    """Writes members, in the order given, to a tarball or directory at ``target``."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self._tar: tarfile.TarFile | None = None
        self._gzip: gzip.GzipFile | None = None
        parent = target.parent
        if not parent.is_dir():
            raise UsageError(f"-o {target}: the folder {parent} does not exist")
        if is_tarball(target):
            handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=parent)
            self._work = Path(name)
            self._raw = os.fdopen(handle, "wb")
            self._gzip = gzip.GzipFile(filename="", mode="wb", fileobj=self._raw, mtime=0)
            self._tar = tarfile.TarFile(fileobj=self._gzip, mode="w", format=tarfile.PAX_FORMAT)
        else:
            if target.exists() and (not target.is_dir() or any(target.iterdir())):
                raise UsageError(
                    f"-o {target}: exists and is not an empty folder; name a new folder, "
                    "or a file ending in .tar.gz"
                )
            self._work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=parent))

    def add(self, path: str, size: int, content: IO[bytes]) -> None:
        """Add ``size`` bytes read from ``content`` as member ``path``."""
        if self._tar is not None:
            info = tarfile.TarInfo(path)
            info.size = size
            info.mtime = 0
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            self._tar.addfile(info, content)
            return
        dest = self._work / path
        dest.parent.mkdir(parents=True, exist_ok=True)
        with dest.open("wb") as out:
            shutil.copyfileobj(content, out, CHUNK)

    def __enter__(self) -> BundleWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._tar is not None and self._gzip is not None:
            self._tar.close()
            self._gzip.close()
            self._raw.close()
            if kind is None:
                os.replace(self._work, self.target)
            else:
                self._work.unlink(missing_ok=True)
            return
        if kind is not None:
            shutil.rmtree(self._work, ignore_errors=True)
            return
        if self.target.is_dir():
            self.target.rmdir()  # empty, checked when opened
        os.replace(self._work, self.target)


@dataclass(frozen=True)
class Entry:
    """A file found in a bundle: its hash and size, and its bytes if it is metadata."""

    sha256: str
    size: int
    data: bytes | None = None


@dataclass
class Contents:
    """Everything found in a bundle, and what was wrong with the container itself."""

    entries: dict[str, Entry] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)


def read_bundle(path: Path, keep: frozenset[str]) -> Contents:
    """Hash every member of the bundle at ``path``; keep the bytes of the names in ``keep``."""
    contents = Contents()
    if path.is_dir():
        for file in sorted(p for p in path.rglob("*") if not p.is_dir()):
            name = file.relative_to(path).as_posix()
            if file.is_symlink() or not file.is_file():
                contents.problems.append((name, "not a regular file (a link or a device)"))
                continue
            with file.open("rb") as handle:
                contents.entries[name] = _entry(handle, name in keep)
        return contents
    if not path.is_file():
        raise UsageError(f"{path}: no such bundle (a .tar.gz file or a bundle folder)")
    try:
        with tarfile.open(path, mode="r|gz") as tar:
            for info in tar:
                _read_member(tar, info, keep, contents)
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, OSError) as exc:
        contents.problems.append(
            ("", f"the archive is truncated or corrupt ({type(exc).__name__}: {exc})")
        )
    return contents


def _read_member(
    tar: tarfile.TarFile, info: tarfile.TarInfo, keep: frozenset[str], contents: Contents
) -> None:
    name = info.name
    if not info.isfile():
        contents.problems.append((name, "not a regular file (a link, a device or a folder)"))
        return
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts:
        contents.problems.append((name, "unsafe path (absolute or with ..)"))
        return
    if name in contents.entries:
        contents.problems.append((name, "appears twice in the archive"))
        return
    handle = tar.extractfile(info)
    if handle is None:  # pragma: no cover - isfile() members always have content
        return
    entry = _entry(handle, name in keep)
    if entry.size != info.size:
        contents.problems.append((name, "truncated"))
    contents.entries[name] = entry


def _entry(handle: IO[bytes], keep: bool) -> Entry:
    digest = hashlib.sha256()
    size = 0
    kept: list[bytes] = []
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if keep and size <= MAX_METADATA:
            kept.append(chunk)
    data = b"".join(kept) if keep and size <= MAX_METADATA else None
    return Entry(digest.hexdigest(), size, data)


def iter_chunks(handle: IO[bytes]) -> Iterator[bytes]:
    """Read ``handle`` in 1 MiB chunks."""
    while chunk := handle.read(CHUNK):
        yield chunk
