"""Prometheus rule groups from a spec: SLO recording rules, burn-rate alerts, plain and own alerts.

Output is deterministic: the same spec and links give the same bytes, so the
file can be committed and diffed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import yaml

from golive.errors import UsageError
from golive.observe.slo import (
    BURN_WINDOWS,
    DAY,
    RECORDING_WINDOWS,
    BurnWindow,
    budget,
    burn_factor,
    number,
    threshold,
)
from golive.spec.durations import format_duration
from golive.spec.models import Duration, Spec
from golive.spec.observe import SLO, WINDOW_PLACEHOLDER

DEFAULT_API_URL = "http://127.0.0.1:8000"
# The latest release manifest of a spec, as the golive API serves it.
MANIFEST_PATH = "/api/v1/releases/latest/manifest"
SCORECARD_MAX_AGE = 24 * 3600
REHEARSAL_MAX_AGE = 30 * DAY
# The readiness programme's name for "the readiness suite no longer passes".
PROGRAMME_NOT_READY = "readiness-suite-failed"

Rule = dict[str, Any]
Group = dict[str, Any]


@dataclass(frozen=True)
class Links:
    """The URLs every generated alert carries as annotations."""

    api_url: str = DEFAULT_API_URL
    dashboard_url: str | None = None
    manifest_url: str | None = None
    runbook_url: str | None = None

    def dashboard(self) -> str:
        """The dashboard: ``--dashboard-url``, else the API's root (golive's dashboard)."""
        return self.dashboard_url or f"{self.api_url.rstrip('/')}/"

    def manifest(self, spec_name: str) -> str:
        """The latest release manifest: ``--manifest-url``, else the API path for the spec."""
        if self.manifest_url:
            return self.manifest_url
        return f"{self.api_url.rstrip('/')}{MANIFEST_PATH}?spec={quote(spec_name, safe='')}"

    def runbook(self) -> str:
        """The runbook of alerts that name none: ``--runbook-url``, else the dashboard."""
        return self.runbook_url or self.dashboard()


def recording_name(window: int) -> str:
    """The recording rule of an SLO's error ratio over ``window`` seconds."""
    return f"slo:sli_error:ratio_rate{format_duration(window)}"


def burn_alert_name(window: BurnWindow) -> str:
    """The alert name of one burn-rate window pair (``ErrorBudgetBurn1h``)."""
    return f"ErrorBudgetBurn{window.long_text}"


def scorecard_max_age(spec: Spec) -> int:
    """Seconds after which the newest scorecard is stale.

    The value is the spec's ``governance.scorecard.max_age`` when the spec has that
    section (read with ``getattr``, so specs without it keep working), else 24h.
    """
    governance = getattr(spec, "governance", None)
    max_age = getattr(getattr(governance, "scorecard", None), "max_age", None)
    return max_age.seconds if isinstance(max_age, Duration) else SCORECARD_MAX_AGE


def _string(value: str) -> str:
    """A PromQL string literal."""
    return json.dumps(value, ensure_ascii=False)


def _selector(metric: str, labels: dict[str, str]) -> str:
    inner = ",".join(f"{k}={_string(v)}" for k, v in labels.items())
    return f"{metric}{{{inner}}}"


def check_slo(name: str, slo: SLO) -> None:
    """Refuse an SLO whose alerts could never fire or whose period is shorter than a window."""
    longest = max(w.long for w in BURN_WINDOWS)
    if slo.period.seconds < longest:
        raise UsageError(
            f"slos.{name}: period {slo.period.text} is shorter than the longest alert window "
            f"({format_duration(longest)}); use a period of at least {format_duration(longest)}"
        )
    for window in BURN_WINDOWS:
        limit = threshold(window, slo.period.seconds, slo.objective)
        if limit >= 1:
            factor = burn_factor(window, slo.period.seconds)
            lowest = 100 * (1 - 1 / factor)
            raise UsageError(
                f"slos.{name}: objective {slo.objective} over {slo.period.text} leaves an error "
                f"budget of {number(100 * budget(slo.objective))}%; the {window.long_text} alert "
                f"({number(factor)}x) would need an error ratio above {number(limit)}, which no "
                f"ratio can exceed, and could never fire; use an objective above "
                f"{number(lowest)} or a shorter period"
            )


def slo_groups(spec: Spec, name: str, slo: SLO, links: Links) -> list[Group]:
    """The recording-rule group and the burn-rate alert group of one SLO."""
    check_slo(name, slo)
    own = {"slo": name, "spec": spec.name}
    records: list[Rule] = []
    for seconds in RECORDING_WINDOWS:
        text = format_duration(seconds)
        errors = slo.errors.replace(WINDOW_PLACEHOLDER, text).strip()
        total = slo.total.replace(WINDOW_PLACEHOLDER, text).strip()
        records.append(
            {"record": recording_name(seconds), "expr": f"({errors})\n/\n({total})", "labels": own}
        )
    alerts: list[Rule] = []
    percent = number(100 * budget(slo.objective))
    for window in BURN_WINDOWS:
        factor = number(burn_factor(window, slo.period.seconds))
        limit = number(threshold(window, slo.period.seconds, slo.objective))
        expr = (
            f"{_selector(recording_name(window.long), own)} > {limit}\nand\n"
            f"{_selector(recording_name(window.short), own)} > {limit}"
        )
        alerts.append(
            {
                "alert": burn_alert_name(window),
                "expr": expr,
                "labels": {"severity": window.severity, **own, **slo.labels},
                "annotations": {
                    "summary": (
                        f"SLO {name} of {spec.name} is burning its error budget "
                        f"{factor}x too fast over {window.long_text} and {window.short_text}"
                    ),
                    "description": (
                        f"Error ratio above {limit} ({factor}x the {percent}% budget of a "
                        f"{slo.objective}% objective) over {window.long_text} and "
                        f"{window.short_text}: {number(100 * window.fraction)}% of the "
                        f"{slo.period.text} error budget is spent within {window.long_text}."
                    ),
                    "runbook_url": slo.runbook,
                    "dashboard_url": slo.dashboard or links.dashboard(),
                    "manifest_url": links.manifest(spec.name),
                },
            }
        )
    return [
        {"name": f"golive-slo-sli-recordings-{name}", "rules": records},
        {"name": f"golive-slo-alerts-{name}", "rules": alerts},
    ]


def spec_alerts_group(spec: Spec, links: Links) -> Group:
    """The spec's plain ``alerts``, with golive's labels and link annotations."""
    rules: list[Rule] = []
    for alert in spec.alerts:
        rule: Rule = {"alert": alert.name, "expr": alert.expr.strip()}
        if alert.for_ is not None:
            rule["for"] = format_duration(alert.for_.seconds)
        rule["labels"] = {"severity": alert.severity, "spec": spec.name, **alert.labels}
        rule["annotations"] = {
            "summary": alert.summary or f"{alert.name} is firing for {spec.name}",
            "runbook_url": alert.runbook or links.runbook(),
            "dashboard_url": links.dashboard(),
            "manifest_url": links.manifest(spec.name),
        }
        rules.append(rule)
    return {"name": f"golive-spec-alerts-{spec.name}", "rules": rules}


def readiness_group(spec: Spec, links: Links) -> Group:
    """golive's own alerts over the metrics golive exports about the spec."""
    me = {"spec": spec.name}
    max_age = scorecard_max_age(spec)
    annotations = {
        "runbook_url": links.runbook(),
        "dashboard_url": links.dashboard(),
        "manifest_url": links.manifest(spec.name),
    }

    def rule(
        alert: str, expr: str, severity: str, summary: str, for_: str | None = None, **labels: str
    ) -> Rule:
        head: Rule = {"alert": alert, "expr": expr}
        if for_ is not None:
            head["for"] = for_
        return {
            **head,
            "labels": {"severity": severity, **me, **labels},
            "annotations": {"summary": summary, **annotations},
        }

    return {
        "name": f"golive-readiness-{spec.name}",
        "rules": [
            rule(
                "GoliveNotReady",
                f"{_selector('golive_ready', me)} == 0",
                "critical",
                f"{spec.name} has not been ready for 15 minutes",
                for_="15m",
                programme_alert=PROGRAMME_NOT_READY,
            ),
            rule(
                "GoliveScorecardStale",
                f"time() - {_selector('golive_scorecard_timestamp_seconds', me)} > {max_age}",
                "warning",
                f"The newest scorecard of {spec.name} is older than {format_duration(max_age)}",
            ),
            rule(
                "GoliveRehearsalStale",
                f"{_selector('golive_rehearsal_age_seconds', me)} > {REHEARSAL_MAX_AGE}",
                "warning",
                f"The last rollback rehearsal of {spec.name} is older than "
                f"{format_duration(REHEARSAL_MAX_AGE)}",
            ),
            rule(
                "GolivePostmortemOverdue",
                "golive_postmortems_overdue > 0",
                "warning",
                "An incident's postmortem is overdue",
            ),
        ],
    }


def generate_rules(spec: Spec, links: Links | None = None) -> dict[str, Any]:
    """The rule-groups document of ``spec``: SLOs (by name), plain alerts, readiness alerts."""
    links = links or Links()
    groups: list[Group] = []
    for name in sorted(spec.slos):
        groups.extend(slo_groups(spec, name, spec.slos[name], links))
    if spec.alerts:
        groups.append(spec_alerts_group(spec, links))
    groups.append(readiness_group(spec, links))
    return {"groups": groups}


class _Dumper(yaml.SafeDumper):
    """Writes multi-line strings (expressions) as literal blocks, and never YAML aliases."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def render_rules(doc: dict[str, Any], spec_name: str) -> str:
    """The rule file's text, with a header saying where it comes from."""
    body = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000, indent=2)
    return f"# Generated by `golive alerts generate` from spec {spec_name}; do not edit.\n{body}"


__all__ = [
    "DEFAULT_API_URL",
    "MANIFEST_PATH",
    "PROGRAMME_NOT_READY",
    "Links",
    "burn_alert_name",
    "check_slo",
    "generate_rules",
    "recording_name",
    "render_rules",
    "scorecard_max_age",
]
