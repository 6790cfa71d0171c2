"""``golive serve``: a real uvicorn process on a free loopback port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from golive.cli.app import app
from golive.registry import open_registry
from golive.registry.tokens import Role, create_token
from tests.governance.project import write_project

GOLIVE = str(Path(sys.executable).parent / "golive")
STARTUP_S = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until_up(base: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + STARTUP_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"golive serve exited with {process.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError(f"golive serve did not answer within {STARTUP_S} s")


@contextmanager
def serving(registry_url: str, folder: Path, *options: str) -> Iterator[tuple[str, Path]]:
    """``golive serve OPTIONS`` on a free port until the block ends; its base URL and log."""
    port = _free_port()
    log = folder / "serve.log"
    with log.open("w") as sink:
        process = subprocess.Popen(
            [GOLIVE, "serve", "--port", str(port), "--registry", registry_url, *options],
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
            cwd=folder,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_until_up(base, process)
            yield base, log
        finally:
            process.terminate()
            process.wait(timeout=20)


@pytest.fixture
def served(registry_url: str, tmp_path: Path) -> Iterator[tuple[str, str, Path]]:
    """``golive serve`` on a free port; yields its base URL, a viewer token and its log."""
    with open_registry(registry_url) as registry:
        token = create_token(registry, "dash", Role.VIEWER, actor="carol").token
    with serving(registry_url, tmp_path) as (base, log):
        yield base, token, log


def test_serve_answers_health_ready_and_authenticated_routes(
    served: tuple[str, str, Path],
) -> None:
    base, token, log = served
    assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
    assert httpx.get(f"{base}/readyz").json() == {"status": "ok"}
    assert httpx.get(f"{base}/api/v1/me").status_code == 401
    me = httpx.get(f"{base}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json() == {"name": "dash", "role": "viewer"}
    text = log.read_text()
    assert "GET /api/v1/me HTTP/1.1" in text  # the access log is on...
    assert token not in text  # ...and never shows the token


def test_serve_hands_its_specs_to_the_dashboard(registry_url: str, tmp_path: Path) -> None:
    with open_registry(registry_url) as registry:
        token = create_token(registry, "dash", Role.VIEWER, actor="carol").token
    spec = write_project(tmp_path / "shop")
    with (
        serving(registry_url, tmp_path, "--spec", str(spec)) as (base, _log),
        httpx.Client(base_url=base) as client,
    ):
        client.post("/login", data={"token": token})
        page = client.get("/register")
    assert page.status_code == 200
    assert 'data-item="UC-001"' in page.text
    assert 'data-item="UC-002"' in page.text


def test_serve_with_a_missing_spec_is_exit_2_before_listening(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = CliRunner().invoke(app, ["serve", "--spec", str(missing)])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {missing}: no such file; write one with `golive init`\n"


def test_serve_with_a_bad_registry_is_exit_2_before_listening(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--registry", "mysql://db/golive"])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: unsupported registry URL 'mysql://db/golive': the database 'mysql' is not "
        "supported; use sqlite:///... or postgresql+psycopg://...\n"
    )


def test_serve_with_a_bad_alerts_spec_is_exit_2_before_listening(tmp_path: Path) -> None:
    spec = tmp_path / "golive.yaml"
    spec.write_text("version: 1\nname: shop\ngovernance:\n  incidents: {open_on: [sev1]}\n")
    url = f"sqlite:///{tmp_path / 'registry.db'}"
    result = CliRunner().invoke(app, ["serve", "--registry", url, "--alerts-spec", str(spec)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {spec}:4:25: 'governance.incidents.open_on[0]' must be one of 'critical', "
        "'warning' or 'info', got the string 'sev1'\n"
    )
    missing = CliRunner().invoke(
        app, ["serve", "--registry", url, "--alerts-spec", str(tmp_path / "none.yaml")]
    )
    assert missing.exit_code == 2
    assert missing.stderr.startswith(f"Error: {tmp_path / 'none.yaml'}")


SQL_SPEC = """version: 1
name: shop
sources:
  orders: {type: sql, url_env: ORDERS_DB, table: orders}
checks:
  - {id: orders.count, source: orders, measure: count, expect: ">= 1"}
items:
  - {id: UC-001, title: Orders, owner: carol, requires: [orders.count]}
"""


def test_serve_refuses_sql_sources_unless_allowed(registry_url: str, tmp_path: Path) -> None:
    with open_registry(registry_url) as registry:
        token = create_token(registry, "reader", Role.VIEWER, actor="carol").token
    auth = {"Authorization": f"Bearer {token}"}
    body = {"spec": SQL_SPEC}
    with serving(registry_url, tmp_path) as (base, _log):
        refused = httpx.post(f"{base}/api/v1/items/register", json=body, headers=auth)
    assert refused.status_code == 422
    assert "--allow-sql-sources" in refused.json()["detail"]
    with serving(registry_url, tmp_path, "--allow-sql-sources") as (base, _log):
        allowed = httpx.post(f"{base}/api/v1/items/register", json=body, headers=auth)
        command = (
            body["spec"]
            .replace(
                "orders: {type: sql, url_env: ORDERS_DB, table: orders}",
                "build: {type: command, argv: [make]}",
            )
            .replace("source: orders", "source: build")
        )
        still = httpx.post(f"{base}/api/v1/items/register", json={"spec": command}, headers=auth)
    assert allowed.status_code == 200, allowed.text
    assert [row["id"] for row in allowed.json()] == ["UC-001"]
    assert still.status_code == 422
    assert "is a command source" in still.json()["detail"]
