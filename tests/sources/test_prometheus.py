"""The prometheus source: edge cases through MockTransport, and a real Prometheus end to end.

The real server is the Debian ``prometheus`` package, started on a free loopback port
over a TSDB backfilled from ``tests/data/prometheus/shop.om`` with ``promtool``:
two counters (200s at 10/s, 500s at 1/s) and a gauge, one sample a minute over the
two hours ending 2025-12-17T08:00:00Z.
"""

from __future__ import annotations

import hashlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from golive.errors import EvidenceError
from golive.sources import prometheus
from golive.spec.sources import PrometheusSource

DATA = Path(__file__).parent.parent / "data" / "prometheus"
END = datetime(2025, 12, 17, 8, 0, tzinfo=UTC)


def _config(**keys: Any) -> PrometheusSource:
    return PrometheusSource.model_validate(
        {"type": "prometheus", "url": "http://prom.test:9090", "query": "up", **keys}
    )


def _mock(handler: Any) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(handler))


def _json(doc: Any, status: int = 200) -> Any:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=doc)

    return handler


# -- unit tests with MockTransport -------------------------------------------------------


def test_instant_query_request_and_records(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    doc = {
        "status": "success",
        "data": {
            "resultType": "vector",
            "result": [
                {"metric": {"__name__": "up", "job": "shop"}, "value": [1765958400, "1"]},
                {"metric": {"job": "db"}, "value": [1765958400.5, "0"]},
            ],
        },
    }

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=doc)

    out = prometheus.read(_config(), tmp_path, at=END, client=_mock(handler))
    [request] = seen
    assert request.url.path == "/api/v1/query"
    assert dict(request.url.params) == {"query": "up", "time": "2025-12-17T08:00:00Z"}
    assert out.rows == [
        {"__name__": "up", "job": "shop", "value": 1.0, "time": "2025-12-17T08:00:00Z"},
        {"job": "db", "value": 0.0, "time": "2025-12-17T08:00:00.5Z"},
    ]
    [item] = out.evidence
    assert item.path == str(request.url)
    assert item.sha256 == hashlib.sha256(httpx.Response(200, json=doc).content).hexdigest()
    assert item.detail == {"query": "up", "result_type": "vector"}
    assert out.time_field == "time"


def test_range_query_request(tmp_path: Path) -> None:
    seen: list[httpx.Request] = []
    doc = {"status": "success", "data": {"resultType": "matrix", "result": []}}

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=doc)

    out = prometheus.read(_config(range="1h"), tmp_path, at=END, client=_mock(handler))
    assert seen[0].url.path == "/api/v1/query_range"
    assert dict(seen[0].url.params) == {
        "query": "up",
        "start": "2025-12-17T07:00:00Z",
        "end": "2025-12-17T08:00:00Z",
        "step": "60s",
    }
    assert out.rows == []
    assert out.evidence[0].records == 0


def test_nan_and_inf_are_invalid(tmp_path: Path) -> None:
    doc = {
        "status": "success",
        "data": {
            "resultType": "matrix",
            "result": [
                {"metric": {"a": "1"}, "values": [[1, "1.5"], [2, "NaN"], [3, "+Inf"]]},
                {"metric": {"a": "2"}, "values": [[1, "-Inf"], [2, "2"]]},
            ],
        },
    }
    out = prometheus.read(_config(range="1h"), tmp_path, at=END, client=_mock(_json(doc)))
    assert [r["value"] for r in out.rows] == [1.5, 2.0]
    assert (out.evidence[0].invalid, out.evidence[0].invalid_lines) == (3, (2, 3, 4))


def test_status_error_is_an_evidence_error(tmp_path: Path) -> None:
    doc = {"status": "error", "errorType": "bad_data", "error": 'parse error: unexpected "}"'}
    with pytest.raises(EvidenceError, match=r"/api/v1/query\?query=up.*bad_data.*parse error"):
        prometheus.read(_config(), tmp_path, at=END, client=_mock(_json(doc, 400)))


@pytest.mark.parametrize(
    ("response", "message"),
    [
        (httpx.Response(502, text="<html>Bad Gateway</html>"), "HTTP 502, not a Prometheus API"),
        (httpx.Response(200, text='{"status": "succ'), "HTTP 200, not a Prometheus API"),
        (httpx.Response(200, text=""), r"\(empty body\)"),
        (httpx.Response(200, json={"status": "success"}), "malformed result data"),
        (
            httpx.Response(
                200, json={"status": "success", "data": {"resultType": "string", "result": []}}
            ),
            "'string' has no numeric samples",
        ),
    ],
)
def test_bad_answers_are_evidence_errors(
    tmp_path: Path, response: httpx.Response, message: str
) -> None:
    with pytest.raises(EvidenceError, match=message):
        prometheus.read(_config(), tmp_path, at=END, client=_mock(lambda request: response))


def test_timeout_is_an_evidence_error(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(EvidenceError, match=r"^http://prom.test:9090/api/v1/query\?.*within 2s$"):
        prometheus.read(_config(timeout="2s"), tmp_path, at=END, client=_mock(handler))


def test_unreachable_server_is_an_evidence_error(tmp_path: Path) -> None:
    config = _config(url=f"http://127.0.0.1:{_free_port()}")
    with pytest.raises(EvidenceError, match=r"cannot reach Prometheus: ConnectError"):
        prometheus.read(config, tmp_path, at=END)


def test_step_needs_range() -> None:
    with pytest.raises(ValueError, match="'step' needs 'range'"):
        _config(step="1m")


# -- end to end against a real Prometheus ------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def prometheus_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Prometheus on loopback over deterministic backfilled data; stopped afterwards."""
    server, promtool = shutil.which("prometheus"), shutil.which("promtool")
    if server is None or promtool is None:
        pytest.skip("the prometheus and promtool binaries are not installed (apt: prometheus)")
    root = tmp_path_factory.mktemp("prometheus")
    subprocess.run(
        [promtool, "tsdb", "create-blocks-from", "openmetrics", str(DATA / "shop.om"), "tsdb"],
        cwd=root,
        check=True,
        capture_output=True,
        timeout=120,
    )
    (root / "prometheus.yml").write_text("global:\n  scrape_interval: 1h\n")
    port = _free_port()
    log = (root / "prometheus.log").open("wb")
    proc = subprocess.Popen(
        [
            server,
            "--config.file=prometheus.yml",
            "--storage.tsdb.path=tsdb",
            "--storage.tsdb.retention.time=100y",
            f"--web.listen-address=127.0.0.1:{port}",
        ],
        cwd=root,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/-/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"prometheus did not start: {(root / 'prometheus.log').read_text()}"
                )
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def test_real_instant_query(prometheus_url: str, tmp_path: Path) -> None:
    config = _config(url=prometheus_url, query="sum by (code) (rate(http_requests_total[5m]))")
    out = prometheus.read(config, tmp_path, at=END)
    assert sorted((r["code"], r["value"]) for r in out.rows) == [("200", 10.0), ("500", 1.0)]
    assert {r["time"] for r in out.rows} == {"2025-12-17T08:00:00Z"}
    assert out.evidence[0].records == 2
    assert out.evidence[0].path.startswith(f"{prometheus_url}/api/v1/query?query=sum")


def test_real_error_ratio_is_one_sample(prometheus_url: str, tmp_path: Path) -> None:
    query = 'sum(rate(http_requests_total{code="500"}[5m])) / sum(rate(http_requests_total[5m]))'
    [row] = prometheus.read(_config(url=prometheus_url, query=query), tmp_path, at=END).rows
    assert row["value"] == pytest.approx(1 / 11)


def test_real_range_query(prometheus_url: str, tmp_path: Path) -> None:
    config = _config(
        url=prometheus_url,
        query='shop_p95_seconds{route="/checkout"}',
        range="30m",
        step="5m",
    )
    out = prometheus.read(config, tmp_path, at=END)
    assert [r["time"] for r in out.rows] == [
        f"2025-12-17T07:{m:02d}:00Z" for m in range(30, 60, 5)
    ] + ["2025-12-17T08:00:00Z"]
    # Minute i of the data holds 0.1 + (i % 10) / 100; 07:30 is minute 90.
    assert [r["value"] for r in out.rows] == pytest.approx([0.1, 0.15, 0.1, 0.15, 0.1, 0.15, 0.1])
    assert {r["route"] for r in out.rows} == {"/checkout"}
    assert out.evidence[0].detail["result_type"] == "matrix"


def test_real_nan_is_invalid(prometheus_url: str, tmp_path: Path) -> None:
    out = prometheus.read(_config(url=prometheus_url, query="0/0"), tmp_path, at=END)
    assert out.rows == []
    assert (out.evidence[0].invalid, out.evidence[0].invalid_lines) == (1, (1,))


def test_real_bad_query_is_an_evidence_error(prometheus_url: str, tmp_path: Path) -> None:
    with pytest.raises(EvidenceError, match=r"query failed \(bad_data\)"):
        prometheus.read(_config(url=prometheus_url, query="sum(("), tmp_path, at=END)


def test_real_empty_result_before_the_data(prometheus_url: str, tmp_path: Path) -> None:
    at = datetime(2025, 1, 1, tzinfo=UTC)
    out = prometheus.read(_config(url=prometheus_url, query="http_requests_total"), tmp_path, at=at)
    assert out.rows == []
    assert out.evidence[0].records == 0
