"""The sign-off document rendered from a release bundle alone, and the line that binds them.

``golive signoff`` writes the bundle first, reads it back and renders the document from
what it holds (so the document shows only redacted values); ``golive signoff verify``
renders it again from the same bundle and compares. The last line of the document is an
HTML comment, ``<!-- golive:signoff {...} -->``, naming the bundle, its sha256 and its
manifest's sha256: invisible when rendered, and read back by verify.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from golive.errors import EvidenceError, UsageError
from golive.proof.archive import read_bundle
from golive.proof.bundle import MANIFEST
from golive.proof.collectors import SCORECARD_MEMBER
from golive.proof.release import (
    APPROVALS_MEMBER,
    DECISION_MEMBER,
    INCIDENTS_MEMBER,
    MANIFEST_MEMBER,
    REHEARSALS_MEMBER,
    RELEASE_MEMBERS,
    WAIVERS_MEMBER,
)
from golive.proof.signoff import Section, signoff_markdown
from golive.proof.signoff_html import signoff_html
from golive.proof.signoff_sections import release_sections
from golive.spec.loader import parse_spec

SIGNOFF_SCHEMA = "golive.signoff/v1"
_TRAILER = re.compile(r"^<!-- golive:signoff (\{.*\}) -->$", re.MULTILINE)


@dataclass(frozen=True)
class BundleRef:
    """How the document names its bundle: path (from the document's folder) and digests."""

    path: str
    sha256: str | None  # the .tar.gz file's sha256; None for a folder bundle
    manifest_sha256: str

    def trailer(self, release: str, scorecard: str, decision: str) -> str:
        """The binding line; ``--`` never appears inside it, so it stays one comment."""
        facts = {
            "schema": SIGNOFF_SCHEMA,
            "release": release,
            "scorecard": scorecard,
            "gate_decision": decision,
            "bundle": self.path,
            "bundle_sha256": self.sha256,
            "manifest_sha256": self.manifest_sha256,
        }
        text = json.dumps(facts, ensure_ascii=False, sort_keys=True).replace("--", "-\\u002d")
        return f"<!-- golive:signoff {text} -->"


@dataclass(frozen=True)
class SignoffInputs:
    """What a release bundle holds that the document shows."""

    scorecard: dict[str, Any]
    scorecard_sha256: str
    decision_sha256: str
    spec_member: str
    spec_text: str
    documents: dict[str, Any]  # release member path -> parsed JSON
    postmortems: dict[str, str]  # postmortem member path -> Markdown

    @property
    def decision(self) -> dict[str, Any]:
        """The gate decision the sign-off rests on."""
        decision: dict[str, Any] = self.documents[DECISION_MEMBER]
        return decision


def read_inputs(bundle: Path) -> SignoffInputs:
    """The scorecard, spec and release documents of the bundle at ``bundle``."""
    first = read_bundle(bundle, frozenset({MANIFEST}))
    manifest = _json(first.entries.get(MANIFEST), bundle, MANIFEST)
    members = {str(m.get("path")): m for m in manifest.get("members") or []}
    specs = [p for p, m in members.items() if m.get("kind") == "spec"]
    postmortems = [p for p, m in members.items() if m.get("kind") == "postmortem"]
    missing = [p for p in (SCORECARD_MEMBER, *RELEASE_MEMBERS) if p not in members]
    if missing or len(specs) != 1:
        raise UsageError(
            f"{bundle}: not a release bundle (missing {', '.join(missing) or 'the spec'}); "
            "create one with `golive signoff` or `golive bundle create --release VERSION`"
        )
    keep = frozenset({SCORECARD_MEMBER, specs[0], *RELEASE_MEMBERS, *postmortems})
    read = read_bundle(bundle, keep).entries

    def text(path: str) -> str:
        entry = read.get(path)
        return _bytes(None if entry is None else entry.data, bundle, path).decode(
            "utf-8", "replace"
        )

    decision = members[DECISION_MEMBER]
    return SignoffInputs(
        scorecard=_json(read.get(SCORECARD_MEMBER), bundle, SCORECARD_MEMBER),
        scorecard_sha256=str(manifest["scorecard"]["sha256"]),
        # The registry's identity of the decision: the original's sha256 if redacted.
        decision_sha256=str((decision.get("original") or decision)["sha256"]),
        spec_member=specs[0],
        spec_text=text(specs[0]),
        documents={p: _json(read.get(p), bundle, p) for p in RELEASE_MEMBERS},
        postmortems={p: text(p) for p in postmortems},
    )


def render(inputs: SignoffInputs, ref: BundleRef, *, html: bool = False) -> str:
    """The sign-off document (Markdown, or HTML) of the bundle's release."""
    spec = parse_spec(inputs.spec_text, inputs.spec_member)
    if spec.signoff is None:
        raise UsageError(
            f"spec {spec.name!r} has no signoff section; add `signoff: {{label: ...}}` "
            "(docs/proof.md)"
        )
    docs = inputs.documents
    decision = inputs.decision
    manifest = docs[MANIFEST_MEMBER]
    sections = release_sections(
        manifest,
        decision,
        docs[APPROVALS_MEMBER],
        docs[WAIVERS_MEMBER],
        docs[REHEARSALS_MEMBER],
        docs[INCIDENTS_MEMBER],
        inputs.postmortems,
    )
    sections.append(Section("Evidence bundle", _bundle_section(ref, inputs.decision_sha256)))
    body = signoff_markdown(
        spec.signoff,
        inputs.scorecard,
        inputs.scorecard_sha256,
        date=str(decision["decided_at"])[:10],
        bundle_sha256=ref.manifest_sha256,
        sections=sections,
    )
    trailer = ref.trailer(manifest["version"], inputs.scorecard_sha256, inputs.decision_sha256)
    if html:
        return signoff_html(body, title=spec.signoff.label) + trailer + "\n"
    return body + "\n" + trailer + "\n"


def read_trailer(text: str, where: str) -> dict[str, Any]:
    """The facts of the document's ``golive:signoff`` line."""
    found = _TRAILER.findall(text)
    if len(found) != 1:
        raise UsageError(
            f"{where}: not a golive sign-off: expected one line "
            "`<!-- golive:signoff {...} -->`, found " + str(len(found))
        )
    try:
        facts = json.loads(found[0])
    except ValueError as exc:
        raise UsageError(f"{where}: the golive:signoff line is not valid JSON ({exc})") from None
    if not isinstance(facts, dict) or facts.get("schema") != SIGNOFF_SCHEMA:
        raise UsageError(f"{where}: the golive:signoff line is not a {SIGNOFF_SCHEMA} record")
    return facts


def _bundle_section(ref: BundleRef, decision_sha256: str) -> str:
    lines = [
        f"- This sign-off: golive:signoff:{decision_sha256} (named by its gate decision)",
        f"- Bundle: `{ref.path}`",
    ]
    if ref.sha256 is not None:
        lines.append(f"- Bundle sha256: `{ref.sha256}`")
    lines += [
        f"- Manifest sha256: `{ref.manifest_sha256}`",
        f"- Check it: `golive bundle verify {ref.path}`",
    ]
    return "\n".join(lines)


def _bytes(data: bytes | None, bundle: Path, member: str) -> bytes:
    if data is None:
        raise EvidenceError(f"{bundle}: member {member} is missing or too large to read")
    return data


def _json(entry: Any, bundle: Path, member: str) -> Any:
    data = _bytes(None if entry is None else entry.data, bundle, member)
    try:
        return json.loads(data)
    except ValueError as exc:
        raise EvidenceError(f"{bundle}: member {member} is not valid JSON ({exc})") from None
