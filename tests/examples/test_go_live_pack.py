"""examples/go-live-pack: the demo goes from pre-flight to a verified sign-off."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from golive.spec.loader import load_spec

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "go-live-pack"


def test_every_signoff_group_and_total_names_checks_the_spec_has() -> None:
    spec = load_spec(EXAMPLE / "golive.yaml").spec
    assert spec.signoff is not None
    ids = [c.id for c in spec.checks]
    for group in spec.signoff.groups:
        assert any(i.startswith(f"{group.prefix}.") for i in ids), group.prefix
    for total in spec.signoff.totals:
        assert set(total.checks) <= set(ids)
    sources = {s.type for s in spec.sources.values()}
    assert {"env", "git", "command", "benchmark", "traces", "jsonl", "alerts", "junit"} <= sources


@pytest.mark.slow
def test_the_demo_refuses_early_then_signs_off_and_verifies(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(EXAMPLE / "demo.sh"), str(Path(sys.executable).parent), str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "160", "HOME": str(tmp_path)},
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr
    out = done.stdout
    assert "READY · 11/11 checks pass" in out
    assert "Error: release 1.4.0 is not signed off: the gate denies it; missing:" in done.stderr
    assert "ALLOWED · manifest " in out
    lines = out.splitlines()
    assert lines[-3].startswith(f"VERIFIED · {tmp_path / 'FINAL.md'} · release 1.4.0 · bundle ")
    assert lines[-2].startswith(f"VERIFIED · {tmp_path / 'FINAL.html'} · release 1.4.0 · ")
    assert lines[-1] == "2 claims, 2 backed, 0 unbacked"
    final = (tmp_path / "FINAL.md").read_text()
    assert final.startswith("# MVP-3 GO-LIVE APPROVED\n")
    for group in ("PF-1: environment", "AC-2: tracing", "AC-3: challenger utility"):
        assert f"## [x] {group}" in final
    # The bundle never holds the planted token, and names the release's record by origin.
    with tarfile.open(tmp_path / "FINAL.bundle.tar.gz") as tar:
        members = {info.name: tar.extractfile(info) for info in tar.getmembers()}
        data = {name: handle.read() for name, handle in members.items() if handle is not None}
    assert not any(b"tok_live_" in content for content in data.values())
    manifest = json.loads(data["manifest.json"])
    origins = {m["path"]: m["origin"] for m in manifest["members"]}
    assert origins["release/manifest.json"] == "golive:release:1.4.0#1"
