"""``golive alerts``: Prometheus alert rules from the spec's SLOs and alerts, with promtool."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import typer

from golive.cli._errors import reported_errors
from golive.errors import UsageError
from golive.observe.promtool import check_rules, test_rules
from golive.observe.rules import DEFAULT_API_URL, MANIFEST_PATH, Links, generate_rules, render_rules
from golive.observe.ruletests import write_rule_tests
from golive.spec.loader import load_spec
from golive.spec.models import Spec

alerts_app = typer.Typer(
    help="Prometheus alert rules from the spec's SLOs and alerts, checked with promtool.",
    no_args_is_help=True,
)

SPEC_ARG = typer.Argument(Path("golive.yaml"), help="The spec file.", show_default=True)
API_URL = typer.Option(
    DEFAULT_API_URL, "--api-url", help="Base URL of the golive API the default links point to."
)
DASHBOARD_URL = typer.Option(
    None,
    "--dashboard-url",
    help="dashboard_url of alerts whose SLO names no dashboard (default: the API's root).",
)
MANIFEST_URL = typer.Option(
    None,
    "--manifest-url",
    help=f"manifest_url of every alert (default: <api-url>{MANIFEST_PATH}?spec=<spec>).",
)
RUNBOOK_URL = typer.Option(
    None,
    "--runbook-url",
    help="runbook_url of alerts that name no runbook, such as golive's own readiness alerts "
    "(default: the dashboard URL).",
)


def _load_spec(path: Path) -> Spec:
    """Read and validate a spec, every problem reported with its position."""
    return load_spec(path).spec


@alerts_app.command("generate")
def generate(
    spec: Path = SPEC_ARG,
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write the rule file here (default: standard output)."
    ),
    api_url: str = API_URL,
    dashboard_url: str | None = DASHBOARD_URL,
    manifest_url: str | None = MANIFEST_URL,
    runbook_url: str | None = RUNBOOK_URL,
) -> None:
    """Write Prometheus rule groups for the spec's SLOs and alerts.

    Per SLO: recording rules of its error ratio over 5m to 3d and the four
    multi-window burn-rate alerts; then the spec's plain alerts and golive's own
    readiness alerts. Every alert links its runbook, dashboard and the latest
    release manifest. Load the file with `rule_files:` in prometheus.yml.

    Example: golive alerts generate examples/slo/golive.yaml -o rules.yml
    """
    with reported_errors():
        loaded = _load_spec(spec)
        links = Links(api_url, dashboard_url, manifest_url, runbook_url)
        doc = generate_rules(loaded, links)
        text = render_rules(doc, loaded.name)
        if output is None:
            sys.stdout.write(text)
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{output}: cannot be written: {exc.strerror or exc}") from None
        count = sum(len(g["rules"]) for g in doc["groups"])
        typer.echo(f"Wrote {count} rules in {len(doc['groups'])} groups to {output}", err=True)


@alerts_app.command("test")
def run_tests(
    spec: Path = SPEC_ARG,
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
) -> None:
    """Prove the generated rules with promtool's check and unit tests.

    Runs `promtool check rules`, then `promtool test rules` on synthetic counters:
    each burn-rate alert must fire when the budget burns just above its rate and
    stay silent at the budget rate. SLO templates must read
    sum(rate(<metric>{<matchers>}[{{window}}])). Exit 0 when all pass, 1 when
    promtool fails, 2 when promtool is missing (Debian package prometheus).

    Example: golive alerts test examples/slo/golive.yaml
    """
    with reported_errors():
        loaded = _load_spec(spec)
        doc = generate_rules(loaded)
        with tempfile.TemporaryDirectory(prefix="golive-alerts-") as tmp:
            files = write_rule_tests(loaded, doc, Path(tmp))
            checked = check_rules(files.rules)
            tested = test_rules(files.tests) if checked.ok else None
        passed = checked.ok and tested is not None and tested.ok
        result: dict[str, Any] = {
            "spec": loaded.name,
            "passed": passed,
            "slos": sorted(loaded.slos),
            "tests": files.names,
            "check_rules": checked.output,
            "test_rules": tested.output if tested is not None else None,
        }
        if as_json:
            typer.echo(json.dumps(result, indent=2))
        else:
            typer.echo(checked.output)
            if tested is not None:
                typer.echo(tested.output)
            typer.echo(f"Unit tests ({len(files.names)}):")
            for name in files.names:
                typer.echo(f"  {name}")
            verdict = "passed" if passed else "FAILED"
            typer.echo(f"Rules and burn-rate tests of {len(loaded.slos)} SLO(s) {verdict}.")
        if not passed:
            raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``golive alerts generate|test``."""
    app.add_typer(alerts_app, name="alerts")
