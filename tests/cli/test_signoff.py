"""``golive signoff`` and ``golive signoff verify`` through the CLI runner, unhappy paths first."""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from google.protobuf import json_format
from in_toto_attestation.v1 import statement_pb2
from in_toto_attestation.v1.statement import Statement
from typer.testing import CliRunner

from golive.canonical import digest
from golive.cli.app import app
from golive.registry import open_registry
from tests.cli.test_gate import drill_repo
from tests.governance.project import key, write_project

REGISTRY: dict[str, str | None] = {"url": None}
SIGNOFF = """
signoff:
  label: SHOP READY
  statement: "As of {date}, {spec} is {label} (score {score})."
  totals:
    - {label: events, checks: [uc1.a, uc1.b, uc2.a]}
  groups:
    - {prefix: uc1, title: ingest}
    - {prefix: uc2}
"""


def run(*args: str, user: str = "carol") -> tuple[int, str, str]:
    env = {"GOLIVE_USER": user, "GOLIVE_REGISTRY": REGISTRY["url"], "COLUMNS": "200"}
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def project(folder: Path, kinds: tuple[str, ...] = ("a", "b", "c")) -> Path:
    """A checked project with release 1.4.0 (a rollback plan in its manifest)."""
    spec = write_project(folder, kinds=kinds)
    spec.write_text(spec.read_text() + SIGNOFF)
    (folder / "rollback.md").write_text("Redeploy 1.3.2 with `helm rollback shop`.\n")
    s = str(spec)
    run("check", s)
    code, _, err = run(
        "release",
        "create",
        "1.4.0",
        "--artifact",
        str(folder / "shop.whl"),
        "--rollback-plan",
        str(folder / "rollback.md"),
        "--spec",
        s,
    )
    assert code == 0, err
    return spec


def allow(spec: Path, tmp_path: Path) -> None:
    """Two approvals and a rehearsal: what the gate still needs."""
    s = str(spec)
    for name in ("alice", "bob"):
        assert run("approve", "1.4.0", "--key", key(name), "--spec", s)[0] == 0
    repo = drill_repo(tmp_path / "deploy")
    args = ("--repo", str(repo), "--target", "values.yaml", "--strategy", "git_revert")
    assert run("rehearse", *args, "--spec", s)[0] == 0


@pytest.fixture
def spec(tmp_path: Path, registry_url: str) -> Iterator[Path]:
    REGISTRY["url"] = registry_url
    yield project(tmp_path / "shop")
    REGISTRY["url"] = None


@pytest.fixture
def signed(spec: Path, tmp_path: Path) -> Path:
    """FINAL.md of release 1.4.0, written with --html."""
    allow(spec, tmp_path)
    final = tmp_path / "FINAL.md"
    code, out, err = run("signoff", str(spec), "--release", "1.4.0", "-o", str(final), "--html")
    assert code == 0, err
    assert out.startswith(f"Wrote {final} and {tmp_path / 'FINAL.html'}: release 1.4.0 signed off")
    return final


def verify(*args: str) -> tuple[int, str, str]:
    return run("signoff", "verify", *args)


def test_not_allowed_writes_nothing_and_lists_what_is_missing(spec: Path, tmp_path: Path) -> None:
    final = tmp_path / "FINAL.md"
    code, out, err = run("signoff", str(spec), "--release", "1.4.0", "-o", str(final))
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert lines[0] == "Error: release 1.4.0 is not signed off: the gate denies it; missing:"
    assert "Error:   approvals: 0 of 2 required approvals valid" in lines
    assert "Error:   rehearsal: no rollback_ok rehearsal recorded; run `golive rehearse`" in lines
    assert lines[-1] == "Error: no sign-off written"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("FINAL")] == []


def test_a_failing_scorecard_is_listed_check_by_check(tmp_path: Path, registry_url: str) -> None:
    REGISTRY["url"] = registry_url
    spec = project(tmp_path / "shop", kinds=("a",))
    allow(spec, tmp_path)
    final = tmp_path / "FINAL.md"
    code, _, err = run("signoff", str(spec), "--release", "1.4.0", "-o", str(final))
    assert code == 1
    lines = err.splitlines()
    scorecard = next(n for n, line in enumerate(lines) if line.startswith("Error:   scorecard: "))
    assert lines[scorecard].endswith(" is not ready")
    assert lines[scorecard + 1 : scorecard + 3] == [
        "Error:     uc1.b (fail: 0 fails >= 1)",
        "Error:     uc2.a (fail: 0 fails >= 1)",
    ]
    assert not final.exists()
    assert not (tmp_path / "FINAL.bundle.tar.gz").exists()
    REGISTRY["url"] = None


def test_a_spec_without_signoff_section_is_a_usage_error(spec: Path, tmp_path: Path) -> None:
    spec.write_text(spec.read_text().replace(SIGNOFF, ""))
    code, _, err = run("signoff", str(spec), "--release", "1.4.0", "-o", str(tmp_path / "F.md"))
    assert code == 2
    assert err.startswith(f"Error: {spec}: spec 'shop' has no signoff section;")


def test_verify_names_a_changed_line(signed: Path) -> None:
    text = signed.read_text()
    forged = text.replace("| uc1.b | PASS | 1 |", "| uc1.b | PASS | 100 |")
    assert forged != text
    signed.write_text(forged)
    code, out, _ = verify(str(signed))
    assert code == 1
    number = forged.splitlines().index("| uc1.b | PASS | 100 | >= 1 | " + _evidence(text)) + 1
    assert out.splitlines()[0].startswith(
        f"✗ document: line {number} was changed: it reads '| uc1.b | PASS | 100 | >= 1 | "
    )
    assert out.splitlines()[-1].startswith(f"NOT VERIFIED · {signed} · release 1.4.0 · bundle ")


def _evidence(text: str) -> str:
    row = next(line for line in text.splitlines() if line.startswith("| uc1.b | PASS | 1 |"))
    return row.split(" | ", 4)[4]


def test_verify_names_cut_lines_and_a_missing_trailer(signed: Path) -> None:
    lines = signed.read_text().splitlines(keepends=True)
    signed.write_text("".join(lines) + "APPROVED FOR PRODUCTION\n")
    code, out, _ = verify(str(signed))
    assert code == 1
    assert out.splitlines()[0] == (
        f"✗ document: {len(lines) + 1} lines, its bundle renders {len(lines)}: lines added or cut"
    )
    signed.write_text("".join(lines[:-1]))
    code, _, err = verify(str(signed))
    assert code == 2
    assert err.startswith(f"Error: {signed}: not a golive sign-off: expected one line")


def test_verify_names_a_tampered_or_missing_bundle(signed: Path, tmp_path: Path) -> None:
    bundle = tmp_path / "FINAL.bundle.tar.gz"
    original = bundle.read_bytes()
    bundle.write_bytes(original[: len(original) // 2])
    code, out, _ = verify(str(signed))
    assert code == 1
    assert "✗ bundle: archive: the archive is truncated or corrupt" in out
    assert f"✗ bundle: {bundle} has sha256 " in out
    bundle.unlink()
    code, out, _ = verify(str(signed))
    assert code == 1
    assert f"✗ bundle: {bundle} not found (the document names FINAL.bundle.tar.gz)" in out


def test_verify_names_a_registry_that_changed(signed: Path, spec: Path, tmp_path: Path) -> None:
    assert verify(str(signed))[0] == 0
    code, _, err = run(
        "release",
        "amend",
        "1.4.0",
        "--artifact",
        str(spec.parent / "shop.whl"),
        "--spec",
        str(spec),
    )
    assert code == 0, err
    assert (
        run("incident", "open", "checkout down", "--severity", "sev1", "--spec", str(spec))[0] == 0
    )
    assert run("gate", "1.4.0", "--spec", str(spec))[0] == 1
    code, out, _ = verify(str(signed))
    assert code == 1
    problems = [line for line in out.splitlines() if line.startswith("✗")]
    assert problems[0].startswith(
        "✗ registry: release 1.4.0 changed since the sign-off: its manifest is now revision 2 ("
    )
    assert problems[1].startswith("✗ registry: a later gate decision (")
    assert problems[1].endswith(") denies release 1.4.0: approvals, incidents")


def test_verify_against_another_registry_finds_nothing(signed: Path, tmp_path: Path) -> None:
    other = f"sqlite:///{tmp_path / 'other.db'}"
    with open_registry(other):
        pass  # an existing registry that knows nothing of this sign-off
    code, out, _ = run("signoff", "verify", str(signed), "--registry", other)
    assert code == 1
    assert re.search(r"✗ registry: scorecard [0-9a-f]{64} is not in sqlite:///", out)
    assert re.search(r"✗ registry: gate decision [0-9a-f]{64} is not in sqlite:///", out)
    missing = f"sqlite:///{tmp_path / 'none' / 'registry.db'}"
    code, out, _ = run("signoff", "verify", str(signed), "--registry", missing)
    assert code == 1
    assert "✗ registry: it does not exist; name the project's with --registry or --spec" in out
    assert not (tmp_path / "none").exists()


def test_the_signed_document(signed: Path, spec: Path, tmp_path: Path) -> None:
    text = signed.read_text()
    lines = text.splitlines()
    assert lines[0] == "# SHOP READY"
    card = json.loads(run("history", str(spec), "--json")[1])[0]
    assert f"- Scorecard: golive:scorecard:{card['sha256']}" in lines
    assert "| events | 3 |" in lines
    assert "## [x] uc1: ingest" in lines
    assert "| scorecard | PASS | " in text
    assert any(
        re.fullmatch(r"Decision: \*\*ALLOWED\*\* at \S+ by carol, trace id `\w+`.", x)
        for x in lines
    )
    assert re.search(r"\| alice \| `SHA256:[^`]+` \| \S+ \| verified \| valid signature", text)
    assert re.search(r"\| \S+ \| git_revert \| rollback_ok \| `([0-9a-f]{64})` \| `\1` \|", text)
    assert "- Rollback plan: `" in text
    assert "No incident in the release's window." in lines
    assert "No waiver in force." in lines
    bundle = tmp_path / "FINAL.bundle.tar.gz"
    assert f"- Bundle sha256: `{hashlib.sha256(bundle.read_bytes()).hexdigest()}`" in lines
    date = re.search(r"Decision: \*\*ALLOWED\*\* at (\d{4}-\d\d-\d\d)", text)
    assert date is not None
    assert lines[-3:-1] == [f"As of {date.group(1)}, shop is SHOP READY (score 1.00).", ""]
    assert lines[-1].startswith('<!-- golive:signoff {"bundle": "FINAL.bundle.tar.gz", ')
    code, out, _ = verify(str(signed))
    assert code == 0
    assert out.strip() == f"VERIFIED · {signed} · release 1.4.0 · bundle {bundle}"
    code, out, _ = run("bundle", "verify", str(bundle))
    assert code == 0, out
    code, out, _ = run("claims", "check", str(signed), "--spec", str(spec))
    assert (code, out.splitlines()[-1]) == (0, "2 claims, 2 backed, 0 unbacked")


def test_the_html_page_escapes_everything_and_verifies(spec: Path, tmp_path: Path) -> None:
    s = str(spec)
    title = "<script>alert(1)</script> & co"
    code, out, err = run("incident", "open", title, "--severity", "sev3", "--spec", s, "--json")
    assert code == 0, err
    incident = json.loads(out)["id"]
    assert run("incident", "resolve", incident, "--summary", "rolled back", "--spec", s)[0] == 0
    code, _, err = run(
        "incident",
        "postmortem",
        incident,
        "--root-cause",
        "a <b>bold</b> deploy",
        "--spec",
        s,
        "--action",
        "add a canary",
    )
    assert code == 0, err
    allow(spec, tmp_path)
    final = tmp_path / "FINAL.md"
    code, _, err = run("signoff", s, "--release", "1.4.0", "-o", str(final), "--html")
    assert code == 0, err
    markdown = final.read_text()
    assert f"### {incident} sev3: {title}" in markdown
    assert "- Root cause: a <b>bold</b> deploy" in markdown
    assert "- Follow-up actions: add a canary" in markdown
    page = (tmp_path / "FINAL.html").read_text()
    assert "<script" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "<li>Root cause: a &lt;b&gt;bold&lt;/b&gt; deploy</li>" in page
    assert page.splitlines()[-1].startswith("<!-- golive:signoff {")
    code, out, _ = verify(str(tmp_path / "FINAL.html"))
    assert code == 0, out
    (tmp_path / "FINAL.html").write_text(page.replace("add a canary", "nothing"))
    assert verify(str(tmp_path / "FINAL.html"))[0] == 1


def test_bundle_create_release_collects_the_record(
    signed: Path, spec: Path, tmp_path: Path
) -> None:
    out_path = tmp_path / "release.tar.gz"
    code, out, err = run(
        "bundle", "create", "--spec", str(spec), "--release", "1.4.0", "-o", str(out_path), "--json"
    )
    assert code == 0, err
    manifest = json.loads(out)
    origins = {m["path"]: (m["kind"], m["origin"]) for m in manifest["members"]}
    assert origins["release/manifest.json"] == ("release", "golive:release:1.4.0#1")
    assert origins["release/gate-decision.json"][0] == "gate-decision"
    assert origins["release/gate-decision.json"][1].startswith("golive:gate-decision:")
    for name in ("approvals", "waivers", "rehearsals", "incidents"):
        assert origins[f"release/{name}.json"][0] == name
    with tarfile.open(out_path) as tar:
        member = tar.extractfile("provenance/statement.json")
        assert member is not None
        statement = json.loads(member.read())
    # The release's artifacts as subjects still make a valid in-toto Statement v1.
    Statement.copy_from_pb(
        json_format.Parse(json.dumps(statement), statement_pb2.Statement())
    ).validate()
    assert statement["predicate"]["gate"]["allowed"] is True
    assert statement["predicate"]["release"]["version"] == "1.4.0"
    assert [s["name"] for s in statement["subject"]][1:] == [str(spec.parent / "shop.whl")]
    assert run("bundle", "verify", str(out_path))[0] == 0


def test_bundle_create_release_without_a_decision_fails(spec: Path, tmp_path: Path) -> None:
    code, _, err = run(
        "bundle", "create", "--spec", str(spec), "--release", "1.4.0", "-o", str(tmp_path / "b")
    )
    assert code == 2
    assert err.startswith("Error: no gate decision recorded for release 1.4.0 in registry ")
    assert not (tmp_path / "b").exists()


def test_claims_citing_a_signoff(spec: Path, tmp_path: Path) -> None:
    s = str(spec)
    code, out, _ = run("gate", "1.4.0", "--spec", s, "--json")
    denied = digest(json.loads(out))
    assert code == 1
    allow(spec, tmp_path)
    final = tmp_path / "FINAL.md"
    assert run("signoff", s, "--release", "1.4.0", "-o", str(final))[0] == 0
    allowed = json.loads(final.read_text().splitlines()[-1][20:-4])["gate_decision"]
    assert f"- This sign-off: golive:signoff:{allowed} (named by its gate decision)" in (
        final.read_text()
    )
    report = tmp_path / "report.md"
    cases = [(allowed, "backed"), (denied, "not-ready"), ("e" * 64, "unknown")]
    for sha, reason in cases:
        report.write_text(f"# Shop\n\nSHOP READY, see golive:signoff:{sha}\n")
        code, out, _ = run("claims", "check", str(report), "--spec", s, "--json")
        assert code == (0 if reason == "backed" else 1)
        assert [f["reason"] for f in json.loads(out)] == [reason]


def test_options_first_still_mean_create(tmp_path: Path) -> None:
    with contextlib.chdir(tmp_path):
        code, _, err = run("signoff", "--release", "1.4.0", "-o", "FINAL.md")
    assert code == 2
    assert err.startswith("Error: golive.yaml")
    code, out, _ = run("signoff", "--help")
    assert code == 0
    assert "`golive signoff [SPEC] ...` is short for" in " ".join(out.split())
