#!/usr/bin/env bash
# The governance story on a temporary registry, so it repeats: evaluate the register,
# promote two items, block one, create a release, approve it with the two bundled demo
# keys, rehearse a rollback in a temporary git repository, and ask the gate.
# Usage: examples/uc-tracker/demo.sh [BIN]   (BIN: the folder holding golive, default .venv/bin)
set -euo pipefail
bin=${1:-.venv/bin}
here=examples/uc-tracker
spec=$here/golive.yaml
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export GOLIVE_REGISTRY="sqlite:///$scratch/registry.db" GOLIVE_USER=carol
golive() { "$bin/golive" "$@"; }
step() { printf '\n== %s\n' "$*"; }

step "golive check $spec (recorded in a temporary registry)"
golive check "$spec"
step "bob reviews and promotes UC-001 and UC-002; dave blocks UC-005"
golive item promote UC-001 --key "$here/keys/bob_ed25519" --spec "$spec"
golive item promote UC-002 --key "$here/keys/bob_ed25519" --spec "$spec"
GOLIVE_USER=dave golive item block UC-005 --reason "legal review of invoices pending" --spec "$spec"
golive item list --spec "$spec"
step "carol creates release 1.4.0, shipping UC-001 and UC-002"
golive release create 1.4.0 --artifact "$here/trace-platform-1.4.0.txt" \
  --rollback-plan "$here/rollback.md" --item UC-001 --item UC-002 --spec "$spec"
step "alice and bob approve it with their keys"
golive approve 1.4.0 --key "$here/keys/alice_ed25519" --spec "$spec"
golive approve 1.4.0 --key "$here/keys/bob_ed25519" --spec "$spec"
step "a rollback rehearsal in a temporary git repository"
repo=$scratch/deploy-config
mkdir "$repo"
git -C "$repo" init -q
printf 'replicas: 3\nimage: trace-platform:1.4.0\n' > "$repo/values.yaml"
git -C "$repo" add values.yaml
git -C "$repo" -c user.name=demo -c user.email=demo@example.invalid commit -q -m "deploy config"
golive rehearse --repo "$repo" --target values.yaml --strategy git_revert --spec "$spec"
step "golive gate 1.4.0"
golive gate 1.4.0 --spec "$spec"
