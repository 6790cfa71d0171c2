"""What goes into a bundle: collectors, each turning the bundle's inputs into members.

A collector is a function ``(BundleInputs) -> Collected``. The scorecard, the spec and the
evidence are collected here; a release's manifest, approvals, waivers, rehearsals, gate
decision and incidents plug in as further collectors (governance, issue 4), which may also
add in-toto subjects (the release artifacts) and predicate parts (``gate``, ``release``).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from golive.canonical import canonical_json

SCORECARD_MEMBER = "scorecard.json"


@dataclass(frozen=True)
class BundleInputs:
    """The scorecard being bundled and where its spec and evidence live."""

    scorecard: dict[str, Any]
    scorecard_sha256: str
    trace_id: str | None
    spec_path: Path
    collected_at: str

    @property
    def base_dir(self) -> Path:
        """The spec's folder: evidence paths in the scorecard are relative to it."""
        return self.spec_path.resolve().parent


@dataclass(frozen=True)
class Member:
    """One file to bundle: where it goes, where it comes from, and how to read it."""

    path: str
    kind: str
    origin: str
    open: Callable[[], BinaryIO]
    # The original's sha256 as the scorecard recorded it; a different file is refused.
    expected_sha256: str | None = None
    # Excerpt above the size limit and redact; False keeps the bytes exactly (the scorecard).
    transform: bool = True


@dataclass(frozen=True)
class Uncollected:
    """Evidence the scorecard names that is not a file (a URL, a command, env names, a repo)."""

    source: str
    origin: str
    sha256: str | None
    reason: str

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "origin": self.origin,
            "sha256": self.sha256,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Collected:
    """What one collector adds: members, in-toto subjects, predicate parts, uncollected items."""

    members: list[Member] = field(default_factory=list)
    subjects: list[dict[str, Any]] = field(default_factory=list)
    predicate: dict[str, Any] = field(default_factory=dict)
    uncollected: list[Uncollected] = field(default_factory=list)


Collector = Callable[[BundleInputs], Collected]


def scorecard_collector(inputs: BundleInputs) -> Collected:
    """The scorecard as its canonical JSON, whose sha256 is the scorecard's identity."""
    data = canonical_json(inputs.scorecard)
    member = Member(
        SCORECARD_MEMBER,
        "scorecard",
        f"golive:scorecard:{inputs.scorecard_sha256}",
        lambda: io.BytesIO(data),
        expected_sha256=inputs.scorecard_sha256,
        transform=False,
    )
    return Collected(members=[member])


def spec_collector(inputs: BundleInputs) -> Collected:
    """The spec file the scorecard was evaluated from (redacted like evidence)."""
    path = inputs.spec_path
    member = Member(
        f"spec/{path.name}",
        "spec",
        str(inputs.scorecard["spec"]["path"]),
        lambda: path.open("rb"),
        expected_sha256=str(inputs.scorecard["spec"]["sha256"]),
    )
    return Collected(members=[member])


def evidence_collector(inputs: BundleInputs) -> Collected:
    """Every evidence file the scorecard read, once each, by its path under the spec folder."""
    members: dict[str, Member] = {}
    uncollected: dict[str, Uncollected] = {}
    for check in inputs.scorecard["checks"]:
        for ref in check["evidence"]:
            origin = str(ref["path"])
            if origin in members or origin in uncollected:
                continue
            path = inputs.base_dir / origin
            if path.is_file():
                members[origin] = Member(
                    member_path(origin),
                    "evidence",
                    origin,
                    _opener(path),
                    expected_sha256=ref.get("sha256"),
                )
            else:
                what = "a directory" if path.is_dir() else "not a file"
                uncollected[origin] = Uncollected(
                    str(ref["source"]), origin, ref.get("sha256"), f"{what} (URL, command or repo)"
                )
    return Collected(members=list(members.values()), uncollected=list(uncollected.values()))


DEFAULT_COLLECTORS: tuple[Collector, ...] = (
    scorecard_collector,
    spec_collector,
    evidence_collector,
)


def member_path(origin: str) -> str:
    """Where evidence at ``origin`` (relative to the spec folder) lives in the bundle.

    Absolute paths and ``..`` are kept inside ``evidence/`` so a bundle never writes
    outside its own folder when unpacked.
    """
    parts = [p if p != ".." else "__" for p in PurePosixPath(origin).parts if p not in ("/", ".")]
    return "evidence/" + "/".join(parts)


def _opener(path: Path) -> Callable[[], BinaryIO]:
    return lambda: path.open("rb")
