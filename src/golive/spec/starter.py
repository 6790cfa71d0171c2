"""The commented starter golive.yaml that ``golive init`` writes."""

from __future__ import annotations

STARTER_SPEC = """\
# golive.yaml: readiness criteria as code. `golive check` evaluates every check
# below against the evidence and exits 0 when the release may go live, 1 when
# it may not, 2 when this file is wrong. Reference: docs/spec-reference.md;
# JSON Schema for editors: `golive schema`.

version: 1                      # the spec language version; this golive reads 1
name: my-service                # names the spec in scorecards and history
description: Readiness of my-service for production.

# Where the evidence comes from. Each source turns its input into records.
sources:
  app:                          # the name checks use in `source:`
    type: jsonl                 # JSON Lines: one record per line
    path: logs/app-*.jsonl      # relative to this file; globs and lists allowed
    time: ts                    # field with the record time: RFC 3339 or epoch s/ms
    max_invalid: 0              # malformed lines tolerated before checks are `error`

# Defaults for every check. A window is a duration ending at the evaluation
# instant (`--at`, default now), holding records with at - window < time <= at;
# `all` means every record.
defaults:
  window: 7d

# Each check: (source, where, measure, expect, window). A check passes when
# `expect` holds, warns when only `warn` holds, and fails otherwise. The
# release is ready when every required check passes, warns or is waived.
checks:
  - id: traffic.volume                  # unique; letters, digits and . _ : -
    title: Requests served in the last 7 days
    description: Enough real traffic to judge the other checks by.
    source: app
    where: kind == "request"            # which records count (a missing field is null)
    measure: count                      # count, ratio, sum, avg, min, max, p50, p90,
                                        # p95, p99, distinct, span, age
    expect: ">= 1000"                   # <op> <value>: == != < <= > >=, number or duration

  - id: errors.rate
    title: Share of requests that failed
    source: app
    where: kind == "request"
    measure: ratio                      # count(where and of) / count(where)
    of: status >= 500
    expect: "<= 0.01"
    warn: "<= 0.02"                     # between expect and warn: `warn`, not `fail`

  - id: latency.p95
    title: 95th percentile latency of requests, in milliseconds
    source: app
    where: kind == "request" and not startswith(path, "/health")
    measure: p95                        # needs `field`: the number to measure
    field: duration_ms
    expect: "<= 300"
    window: 24h                         # overrides defaults.window

  - id: deploys.daily
    title: At least one deploy every day this week
    source: app
    where: kind == "deploy"
    measure: count
    window: 7d
    every: 24h                          # split the window in buckets; each must pass
    expect: ">= 1"
    required: false                     # reported, but does not block readiness
    weight: 0.5                         # share in the score (default 1)

# Optional: release governance (docs/governance.md), the rules `golive gate` applies.
# Approvers are OpenSSH ed25519 public keys (.pub lines): only their signatures count.
governance:
  approvers: {}                         # alice: "ssh-ed25519 AAAA... alice@example"
  approvals: {min: 2, distinct_from_creator: true}
  waivers: {max_days: 30, never: []}    # checks in never can never be waived
  rehearsal: {max_age: 30d}             # the last rollback_ok drill must be this recent
  postmortem: {due: 72h}                # due this long after an incident is resolved
  scorecard: {max_age: 24h}             # the gate needs a ready scorecard this fresh

# Optional: the register of use cases; each item's status is computed from its checks.
items: []                               # {id: UC-001, title, owner, requires: [check ids]}
# Canary waves (optional): `golive rollout step` widens a registry flag wave by
# wave, promoting once the hold is over and every promote_when check passes,
# and setting it to 0% at once when a rollback_when check fails. docs/rollouts.md
rollouts:
  new-checkout:
    flag: new-checkout                  # create it: golive flags create new-checkout
    waves:                              # percentages increase and end at 100
      - {percentage: 10, hold: 24h}
      - {percentage: 100, hold: 48h}
    promote_when: [errors.rate, latency.p95]
    rollback_when: [errors.rate]
# The readiness label: a document may claim it only when it cites a ready,
# recent scorecard of this spec (`golive claims check`; docs/proof.md).
signoff:
  label: PRODUCTION READY
  max_age: 24h                          # how old a cited scorecard may be

# Never leaves in an evidence bundle (`golive bundle create`): values of these
# JSON fields, text matching these regexes, and built-in detectors (e-mail,
# bearer tokens, AWS keys, private keys, IP addresses; all unless listed).
redact:
  fields: [password, token]
  patterns: ["session=[0-9a-f]{32}"]
"""
