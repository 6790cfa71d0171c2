"""Fixtures for the observe tests: a loopback HTTP server recording what it is sent."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

from golive.engine.evaluate import evaluate
from golive.observe.tracing import shutdown_tracing
from golive.registry import open_registry, record_scorecard
from golive.spec.loader import load_spec


@dataclass
class Received:
    """One request the loopback server got."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Loopback:
    """A server on 127.0.0.1 that answers 200 and keeps every request."""

    url: str
    requests: list[Received] = field(default_factory=list)
    on_post: list[Callable[[Received], tuple[int, bytes]]] = field(default_factory=list)


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    """Start the loopback server on a free port; stop it after the test."""
    state = Loopback(url="")

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            got = Received(
                self.command,
                self.path,
                {k.lower(): v for k, v in self.headers.items()},
                self.rfile.read(length),
            )
            state.requests.append(got)
            status, body = (200, b"ok")
            if self.command == "POST" and state.on_post:
                status, body = state.on_post[0](got)
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = _handle
        do_POST = _handle

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def _no_tracing_left() -> Iterator[None]:
    """Each test starts and ends without a configured tracer provider."""
    shutdown_tracing()
    yield
    shutdown_tracing()


T = TypeVar("T")
SPEC = Path(__file__).parents[1] / "data" / "observe" / "spec"
GOLIVE = str(Path(sys.executable).parent / "golive")
AT = datetime(2025, 12, 18, tzinfo=UTC)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def record_small_spec(url: str, at: datetime = AT, folder: Path = SPEC) -> str:
    """Evaluate tests/data/observe/spec at ``at``, record it in the registry; its sha256."""
    loaded = load_spec(folder / "golive.yaml")
    card = evaluate(
        loaded.spec,
        base_dir=loaded.base_dir,
        spec_path="golive.yaml",
        spec_sha256=loaded.sha256,
        at=at,
    )
    with open_registry(url) as registry:
        return record_scorecard(registry, card.to_document(), actor="test").sha256


@contextmanager
def server_process(argv: list[str], cwd: Path, ready_url: str) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server binary until the test ends; wait until ``ready_url`` answers 200."""
    log_path = cwd / f"{Path(argv[0]).name}.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(argv, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(ready_url, timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{argv[0]} did not start: {log_path.read_text()}")
                time.sleep(0.2)
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def binary(name: str, package: str) -> str:
    """The path of a server binary, or skip the test saying which apt package brings it."""
    found = shutil.which(name) or (
        f"/usr/bin/{name}" if Path(f"/usr/bin/{name}").exists() else None
    )
    if found is None:
        pytest.skip(f"{name} is not installed (apt: {package}); .ci/run installs it")
    return found


def wait_until(what: str, condition: Callable[[], T], timeout: float = 60) -> T:
    """Poll ``condition`` until it returns something truthy (returned); fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not (found := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.3)
    return found


@contextmanager
def golive_serve(cwd: Path, registry_url: str, *options: str) -> Iterator[str]:
    """``golive serve`` (a real uvicorn process) on a free loopback port; yields its base URL."""
    port = free_port()
    argv = [GOLIVE, "serve", "--port", str(port), "--registry", registry_url, *options]
    base = f"http://127.0.0.1:{port}"
    with server_process(argv, cwd, f"{base}/healthz"):
        yield base
