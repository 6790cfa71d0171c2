#!/bin/sh
# Evaluate the spec now, cite the new scorecard in backed-report.md, and check the claims.
# The citation is the scorecard's sha256, which depends on the evaluation instant, so the
# backed report is made here rather than committed (and goes stale after max_age, 24h).
set -eu
here=$(dirname "$0")
golive check "$here/golive.yaml" >/dev/null
sha=$(golive history "$here/golive.yaml" --json --limit 1 \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["sha256"])')
sed "s/{scorecard}/$sha/" "$here/backed-report.md.in" > "$here/backed-report.md"
golive claims check "$here/backed-report.md" --spec "$here/golive.yaml"
