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


def test_serve_with_a_bad_registry_is_exit_2_before_listening(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--registry", "mysql://db/golive"])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: unsupported registry URL 'mysql://db/golive': the database 'mysql' is not "
        "supported; use sqlite:///... or postgresql+psycopg://...\n"
    )


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
