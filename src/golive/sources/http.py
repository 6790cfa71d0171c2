"""HTTP probes: one GET per URL with its status and latency.

A probe that gets no answer (refused, timed out, bad TLS) is a record with
``status: null`` and the reason in ``error``, so ``status == 200`` fails; it is not
an evidence error, because "the endpoint is down" is exactly what the check is for.
Redirects are not followed: a health endpoint that answers 301 is reported as 301.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Any

import httpx

from golive.sources.base import EvidenceItem, Records
from golive.spec.durations import parse_duration
from golive.spec.sources import HttpSource


def read(config: HttpSource, base_dir: Path, client: httpx.Client | None = None) -> Records:
    """GET every URL once; records url, status, latency_ms, error."""
    timeout = float(parse_duration(config.timeout))
    own = client is None
    http = httpx.Client(timeout=timeout, follow_redirects=False) if client is None else client
    rows: list[dict[str, Any]] = []
    evidence: list[EvidenceItem] = []
    try:
        for url in config.urls:
            row, sha = _probe(http, url, timeout)
            rows.append(row)
            evidence.append(EvidenceItem(url, sha, 1, detail={"status": row["status"]}))
    finally:
        if own:
            http.close()
    return Records(rows, evidence, config.time)


def _probe(http: httpx.Client, url: str, timeout: float) -> tuple[dict[str, Any], str | None]:
    started = time.perf_counter()
    try:
        response = http.get(url, timeout=timeout)
    except httpx.HTTPError as exc:
        latency = (time.perf_counter() - started) * 1000.0
        error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return {"url": url, "status": None, "latency_ms": latency, "error": error}, None
    latency = (time.perf_counter() - started) * 1000.0
    row = {"url": url, "status": response.status_code, "latency_ms": latency, "error": None}
    return row, hashlib.sha256(response.content).hexdigest()
