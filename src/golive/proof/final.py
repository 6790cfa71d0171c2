"""``golive signoff``: the final sign-off of a release, written only when the gate allows it.

Creating one asks the gate (a recorded decision, as ``golive gate`` does), bundles the
scorecard, its evidence and the release's record with that decision, then renders the
document from the bundle and writes it. Verifying one re-renders it from its bundle and
asks the registry whether the facts it rests on still hold.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from golive.canonical import digest
from golive.errors import GoliveError, NotFoundError, UsageError
from golive.governance.gate import decide, recorded_decision, recorded_decisions
from golive.governance.releases import get_release
from golive.proof.archive import is_tarball
from golive.proof.bundle import create_bundle
from golive.proof.collectors import DEFAULT_COLLECTORS
from golive.proof.inputs import select
from golive.proof.release import release_collector
from golive.proof.signoff import NotReadyError
from golive.proof.signoff_bundle import BundleRef, read_inputs, read_trailer, render
from golive.proof.verify import verify_bundle
from golive.registry import Registry, get_scorecard, latest_scorecard
from golive.registry.documents import READY_STATUSES
from golive.registry.instants import Clock, utc_now
from golive.sources._files import Match, sha256_file
from golive.spec.loader import LoadedSpec


@dataclass(frozen=True)
class Written:
    """What ``golive signoff`` wrote."""

    document: Path
    html: Path | None
    bundle: BundleRef
    decision: dict[str, Any]


def default_bundle(output: Path) -> Path:
    """``FINAL.md`` -> ``FINAL.bundle.tar.gz`` beside it."""
    return output.with_name(f"{output.stem}.bundle.tar.gz")


def create_signoff(
    registry: Registry,
    loaded: LoadedSpec,
    spec_path: Path,
    version: str,
    output: Path,
    *,
    actor: str,
    bundle: Path | None = None,
    html: bool = False,
    key: Ed25519PrivateKey | None = None,
    clock: Clock = utc_now,
    trace_id: str | None = None,
) -> Written:
    """Decide, bundle and write the sign-off of ``version``; ``NotReadyError`` when denied."""
    spec = loaded.spec
    if spec.signoff is None:
        raise UsageError(
            f"{spec_path}: spec {spec.name!r} has no signoff section; add "
            "`signoff: {label: ..., statement: ...}` (docs/proof.md)"
        )
    if output.suffix.lower() in (".html", ".htm"):
        raise UsageError(f"-o {output}: name the Markdown file (FINAL.md); --html adds FINAL.html")
    decision = decide(registry, spec, version, actor=actor, clock=clock, trace_id=trace_id)
    if not decision["allowed"]:
        raise NotReadyError(_missing(registry, spec.name, decision))
    selected = select(registry, scorecard=decision["scorecard"]["sha256"], spec=spec_path, at=None)
    collector = release_collector(registry, spec, version, (digest(decision), decision))
    target = bundle or default_bundle(output)
    result = create_bundle(
        selected.inputs,
        target,
        redactor=selected.redactor,
        collectors=(*DEFAULT_COLLECTORS, collector),
        key=key,
    )
    ref = BundleRef(
        Path(os.path.relpath(target.resolve(), output.resolve().parent)).as_posix(),
        _file_sha256(target),
        result.manifest_sha256,
    )
    inputs = read_inputs(target)
    pages = [(output, render(inputs, ref))]
    html_path = output.with_suffix(".html") if html else None
    if html_path is not None:
        pages.append((html_path, render(inputs, ref, html=True)))
    for path, text in pages:
        _write(path, text)
    return Written(output, html_path, ref, decision)


def _missing(registry: Registry, spec_name: str, decision: dict[str, Any]) -> str:
    """Every rule the gate failed, and the scorecard's blocking checks under its rule."""
    release = decision["release"]["version"]
    lines = [f"release {release} is not signed off: the gate denies it; missing:"]
    card = latest_scorecard(registry, spec_name)
    for rule in decision["rules"]:
        if rule["ok"]:
            continue
        lines.append(f"  {rule['rule']}: {rule['reason']}")
        if rule["rule"] == "scorecard" and card is not None:
            lines += [
                f"    {c['id']} ({c['status']}: {c['message']})"
                for c in card.document["checks"]
                if c["required"] and c["status"] not in READY_STATUSES
            ]
    lines.append("no sign-off written")
    return "\n".join(lines)


def _file_sha256(path: Path) -> str | None:
    return sha256_file(Match(path.as_posix(), path)) if is_tarball(path) else None


def _write(path: Path, text: str) -> None:
    """Write ``text`` beside ``path`` and rename it into place: never a partial document."""
    if not path.parent.is_dir():
        raise UsageError(f"-o {path}: the folder {path.parent} does not exist")
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


@dataclass
class SignoffCheck:
    """The outcome of verifying one sign-off document."""

    document: str
    release: str | None = None
    bundle: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_json(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "ok": self.ok,
            "release": self.release,
            "bundle": self.bundle,
            "problems": self.problems,
        }


def verify_signoff(
    document: Path, registry: Registry | None, bundle: Path | None = None
) -> SignoffCheck:
    """Check ``document`` against its bundle and the registry; collect every problem.

    ``registry`` None means the registry does not exist, which is a problem, never a pass.
    """
    result = SignoffCheck(str(document))
    try:
        text = document.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{document}: cannot be read: {exc}") from None
    facts = read_trailer(text, str(document))
    result.release = str(facts.get("release"))
    path = bundle or document.parent / str(facts.get("bundle"))
    result.bundle = str(path)
    if not (path.is_file() or path.is_dir()):
        result.problems.append(f"bundle: {path} not found (the document names {facts['bundle']})")
        return result
    checked = verify_bundle(path)
    result.problems += [f"bundle: {p}" for p in checked.problems]
    actual = _file_sha256(path)
    if facts.get("bundle_sha256") != actual:
        result.problems.append(
            f"bundle: {path} has sha256 {actual}, the document names {facts.get('bundle_sha256')}"
        )
    if result.problems:
        return result
    inputs = read_inputs(path)
    ref = BundleRef(str(facts["bundle"]), facts.get("bundle_sha256"), facts["manifest_sha256"])
    expected = render(inputs, ref, html=document.suffix.lower() in (".html", ".htm"))
    result.problems += _differences(text, expected)
    if registry is None:
        result.problems.append(
            "registry: it does not exist; name the project's with --registry or --spec"
        )
    else:
        result.problems += _registry_problems(
            registry, inputs.scorecard_sha256, inputs.decision_sha256
        )
    return result


def _differences(text: str, expected: str) -> list[str]:
    """The first line where the document departs from what its bundle renders."""
    if text == expected:
        return []
    have, want = text.splitlines(), expected.splitlines()
    for n, (a, b) in enumerate(zip(have, want, strict=False), 1):
        if a != b:
            return [f"document: line {n} was changed: it reads {a!r}, its bundle gives {b!r}"]
    if len(have) != len(want):
        return [f"document: {len(have)} lines, its bundle renders {len(want)}: lines added or cut"]
    return ["document: its bytes differ from what its bundle renders (line endings)"]


def _registry_problems(registry: Registry, scorecard: str, decision_sha256: str) -> list[str]:
    problems = []
    try:
        card = get_scorecard(registry, scorecard)
    except NotFoundError:
        problems.append(f"registry: scorecard {scorecard} is not in {registry.url}")
    else:
        if not card.ready:
            problems.append(f"registry: scorecard {scorecard[:16]} is not ready")
    decision = recorded_decision(registry, decision_sha256)
    if decision is None:
        problems.append(f"registry: gate decision {decision_sha256} is not in {registry.url}")
        return problems
    version = str(decision["release"]["version"])
    if not decision["allowed"]:
        problems.append(f"registry: gate decision {decision_sha256[:16]} denied release {version}")
    try:
        release = get_release(registry, version)
    except GoliveError as exc:
        return [*problems, f"registry: {exc}"]
    signed = decision["release"]["manifest_sha256"]
    if release.sha256 != signed:
        problems.append(
            f"registry: release {version} changed since the sign-off: its manifest is now "
            f"revision {release.revision} ({release.sha256[:16]}), the sign-off rests on "
            f"{signed[:16]}"
        )
    latest_sha, latest = recorded_decisions(registry, version)[-1]
    if latest_sha != decision_sha256 and not latest["allowed"]:
        failed = ", ".join(r["rule"] for r in latest["rules"] if not r["ok"])
        problems.append(
            f"registry: a later gate decision ({latest['decided_at']}) denies release "
            f"{version}: {failed}"
        )
    return problems
