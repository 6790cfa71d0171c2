"""``golive serve``: run the API and the dashboard with uvicorn."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from golive.api import ALLOW_SQL_ENV
from golive.cli._errors import reported_errors
from golive.governance.alert_incidents import ALERTS_SPEC_ENV, incident_policy_of
from golive.registry import open_registry, resolve_registry_url
from golive.registry.database import ENV_VAR


def serve(
    specs: list[Path] = typer.Option(
        [],
        "--spec",
        help="A spec whose governance (approver keys, items, postmortem due) the dashboard's "
        "release and register pages apply. Repeat for several specs.",
    ),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8080, "--port", min=1, max=65535, help="TCP port to listen on."),
    registry: str | None = typer.Option(
        None,
        "--registry",
        help="Registry URL. Default: $GOLIVE_REGISTRY, else "
        "sqlite:///./.golive/registry.db in the current directory.",
    ),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="Worker processes (PostgreSQL for more than one)."
    ),
    alerts_spec: Path | None = typer.Option(
        None,
        "--alerts-spec",
        envvar=ALERTS_SPEC_ENV,
        help="The golive.yaml whose governance.incidents.open_on names the alert severities "
        "that open an incident when Alertmanager posts them to /api/v1/alerts. "
        "Default: the --spec when exactly one is given; with none, alerts are recorded "
        "and no incident is opened.",
    ),
    allow_sql_sources: bool = typer.Option(
        False,
        "--allow-sql-sources",
        envvar=ALLOW_SQL_ENV,
        help="Accept specs with sql sources in API requests (refused by default; specs with "
        "command sources are always refused).",
    ),
) -> None:
    """Serve the REST API (/api/v1, token required), /healthz, /readyz and the dashboard.

    Example: golive serve --spec golive.yaml --registry postgresql+psycopg://golive@db/golive
    """
    # Imported here: FastAPI (under golive.api) would slow every other command's start-up.
    from golive.api.served_specs import SPECS_ENV, load_served_specs

    with reported_errors():
        served = os.pathsep.join(str(p.resolve()) for p in specs)
        load_served_specs(served)  # a bad spec is an error message now, not a worker crash
        url = resolve_registry_url(registry, Path.cwd())
        if alerts_spec is None and len(specs) == 1:
            alerts_spec = specs[0]
        if alerts_spec is not None:
            alerts_spec = alerts_spec.resolve()
            incident_policy_of(alerts_spec)  # a bad spec is an error now, not in each worker
        # Open (and migrate) once here, so a bad URL is an error message, not a worker crash.
        with open_registry(url) as opened:
            typer.echo(f"golive serving registry {opened.url} on http://{host}:{port}", err=True)
        os.environ[SPECS_ENV] = served  # for the workers, like the registry URL below
    # Imported here: uvicorn costs every other golive command ~0.1 s of start-up.
    import uvicorn

    # Workers are separate processes: they find the registry in the environment.
    os.environ[ENV_VAR] = url
    if alerts_spec is not None:
        os.environ[ALERTS_SPEC_ENV] = str(alerts_spec)
    os.environ[ALLOW_SQL_ENV] = "1" if allow_sql_sources else "0"
    uvicorn.run(
        "golive.api.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=False,
        server_header=False,
    )


def register(app: typer.Typer) -> None:
    """Add ``golive serve`` to ``app``."""
    app.command("serve")(serve)
