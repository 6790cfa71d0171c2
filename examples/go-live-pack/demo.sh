#!/usr/bin/env bash
# The MVP-3 go-live pack end to end, on a private copy so it repeats: a git repository with
# the feature branch merged and v1.4.0 tagged, the environment set, evidence for the last
# 48 hours, then check, release with its rollback plan, two approvals, a rollback
# rehearsal, the go/no-go from the gate, the evidence bundle (created and verified) and the
# final sign-off (written, verified and its claim checked).
# Usage: examples/go-live-pack/demo.sh [BIN] [OUT]
#   BIN: the folder holding golive (default .venv/bin); OUT: where FINAL.md, FINAL.html
#   and the bundles are left (default: a temporary folder, removed at the end).
set -euo pipefail
bin=$(cd "${1:-.venv/bin}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
keys=$here/../uc-tracker/keys
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
out=${2:-$scratch/out}
mkdir -p "$out"
out=$(cd "$out" && pwd)
pack=$scratch/pack
cp -R "$here" "$pack"
export GOLIVE_REGISTRY="sqlite:///$scratch/registry.db" GOLIVE_USER=carol
golive() { "$bin/golive" "$@"; }
step() { printf '\n== %s\n' "$*"; }
git_() { git -C "$pack" -c user.name=demo -c user.email=demo@example.invalid "$@"; }

step "pre-flight: the feature branch merged and v1.4.0 tagged on HEAD, the environment set"
"$bin/python" "$pack/generate.py" "$pack"
git_ init -q -b main
git_ add -A
git_ commit -q -m "challenger router 1.3.2"
git_ checkout -q -b feature/challenger
printf 'challenger: enabled\n' > "$pack/router.yaml"
git_ add router.yaml
git_ commit -q -m "Route 10% of traffic to the challenger"
git_ checkout -q main
git_ merge -q --no-ff feature/challenger -m "Merge branch 'feature/challenger'"
git_ tag v1.4.0
export CHALLENGER_DATABASE_URL=postgresql://router@db.internal/router
export CHALLENGER_REDIS_URL=redis://cache.internal:6379/0
export CHALLENGER_API_TOKEN=demo-not-a-secret
spec=$pack/golive.yaml

step "golive check (pre-flight and acceptance criteria)"
# The alerts source reads the registry Alertmanager posts to: open it first, so "no alert
# received" is evidence of none (a registry that does not exist yet is no evidence).
golive audit verify > /dev/null
golive check "$spec"
step "carol creates release 1.4.0 with its rollback plan"
golive release create 1.4.0 --artifact "$pack/challenger-router-1.4.0.txt" \
  --rollback-plan "$pack/rollback.md" --spec "$spec" > /dev/null
step "asked too early, the sign-off is refused and nothing is written"
if golive signoff "$spec" --release 1.4.0 -o "$out/FINAL.md"; then exit 1; fi
test ! -e "$out/FINAL.md"
step "alice and bob approve; a rollback rehearsal in the pack's repository"
golive approve 1.4.0 --key "$keys/alice_ed25519" --spec "$spec"
golive approve 1.4.0 --key "$keys/bob_ed25519" --spec "$spec"
git_ checkout -q -b rehearsal
golive rehearse --repo "$pack" --target rollback.md --strategy git_revert --spec "$spec"
step "golive gate 1.4.0 (the go/no-go table)"
golive gate 1.4.0 --spec "$spec"
step "the evidence bundle of release 1.4.0, created and verified"
golive bundle create --spec "$spec" --release 1.4.0 -o "$out/go-live-pack.tar.gz"
golive bundle verify "$out/go-live-pack.tar.gz"
step "the final sign-off, written, verified, and its claim checked"
golive signoff "$spec" --release 1.4.0 -o "$out/FINAL.md" --html
golive signoff verify "$out/FINAL.md" --spec "$spec"
golive signoff verify "$out/FINAL.html" --spec "$spec"
golive claims check "$out/FINAL.md" --spec "$spec"
