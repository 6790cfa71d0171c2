"""golive's log lines: the schema, sampling, redaction, and stderr only."""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from golive.observe.logging import (
    FIELDS,
    REDACTED,
    Redactor,
    SampleFilter,
    configure_logging,
    logger,
    never_log,
    resolve_format,
    sample_ratio,
)
from golive.observe.tracing import configure_tracing, tracer

SPEC = Path(__file__).parents[1] / "data" / "observe" / "spec"
GOLIVE = Path(sys.executable).parent / "golive"
PRIVATE_KEY = (
    "-----BEGIN OPENSSH PRIVATE KEY-----\n"
    "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\n"
    "-----END OPENSSH PRIVATE KEY-----"
)
SIGNATURE = "MEUCIQDx3Vb7n2fQ9pX0aKZ8wq4r1YtLmHcG5uJkE7sN2oP4vAIgR8tY3u"
TOKEN = "glv_tok_5f3a9c2e7b1d4f6a8c0e"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """JSON logs of every golive logger into a buffer, all lines kept."""
    stream = io.StringIO()
    handler = configure_logging("json", command="test", stream=stream, ratio=1.0)
    yield stream
    logging.getLogger("golive").removeHandler(handler)


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_json_line_has_exactly_the_schema(
    captured: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GOLIVE_TENANT", "acme")
    monkeypatch.setenv("GOLIVE_ENVIRONMENT", "staging")
    logger("gate").warning(
        "release %s denied", "v1", extra={"artifact": "v1", "outcome": "denied", "duration_ms": 5}
    )
    (line,) = lines(captured)
    assert list(line) == list(FIELDS)
    assert set(FIELDS) == {
        "timestamp", "tenant", "environment", "component", "command", "artifact",
        "trace_id", "span_id", "outcome", "duration_ms", "error", "level", "message",
    }  # fmt: skip
    assert line["message"] == "release v1 denied"
    assert line["level"] == "warning"
    assert (line["tenant"], line["environment"]) == ("acme", "staging")
    assert (line["component"], line["command"], line["artifact"]) == ("gate", "test", "v1")
    assert (line["outcome"], line["duration_ms"], line["error"]) == ("denied", 5.0, None)
    assert str(line["timestamp"]).endswith("Z")
    assert line["trace_id"] is None


def test_lines_inside_a_span_carry_its_ids(captured: io.StringIO, tmp_path: Path) -> None:
    configure_tracing(tmp_path)
    with tracer().start_as_current_span("work") as span:
        logger("check").info("inside")
    (line,) = lines(captured)
    context = span.get_span_context()
    assert line["trace_id"] == f"{context.trace_id:032x}"
    assert line["span_id"] == f"{context.span_id:016x}"


def test_exceptions_become_the_error_field(captured: io.StringIO) -> None:
    try:
        raise ValueError("bad thing")
    except ValueError:
        logger("watch").exception("tick failed")
    (line,) = lines(captured)
    assert line["level"] == "error"
    assert line["error"] == "ValueError: bad thing"


def test_sampling_keeps_errors_and_a_share_of_healthy_requests() -> None:
    draws = iter([0.05, 0.5, 0.95, 0.09])
    keep = SampleFilter(0.1, draw=lambda: next(draws))

    def record(level: int, **extra: object) -> logging.LogRecord:
        rec = logging.LogRecord("golive.api", level, "", 0, "m", None, None)
        rec.__dict__.update(extra)
        return rec

    healthy = [keep.filter(record(logging.INFO, request=True, outcome="ok")) for _ in range(4)]
    assert healthy == [True, False, False, True]
    # Never sampled away: warnings, errors, failed requests, lines that are not requests.
    assert keep.filter(record(logging.WARNING, request=True, outcome="ok"))
    assert keep.filter(record(logging.ERROR, request=True))
    assert keep.filter(record(logging.INFO, request=True, outcome="failure"))
    assert keep.filter(record(logging.INFO))


def test_sample_ratio_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOLIVE_LOG_SAMPLE_RATIO", raising=False)
    assert sample_ratio() == 0.1
    monkeypatch.setenv("GOLIVE_LOG_SAMPLE_RATIO", "0.25")
    assert sample_ratio() == 0.25
    monkeypatch.setenv("GOLIVE_LOG_SAMPLE_RATIO", "2")
    with pytest.raises(ValueError, match="from 0 to 1, got '2'"):
        sample_ratio()


def test_format_resolution(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOLIVE_LOG_FORMAT", raising=False)
    assert resolve_format(None) == "text"
    monkeypatch.setenv("GOLIVE_LOG_FORMAT", "JSON")
    assert resolve_format(None) == "json"
    assert resolve_format("text") == "text"
    with pytest.raises(ValueError, match="'json' or 'text', got 'xml'"):
        resolve_format("xml")


def test_redactor_scrubs_every_kind_of_secret() -> None:
    redactor = Redactor.from_environment({"DEPLOY_TOKEN": TOKEN, "HOME": "/home/someone"})
    text = (
        f"token {TOKEN}; Authorization: Bearer abc.def.ghijklmnop; key {PRIVATE_KEY}; "
        f"sig {SIGNATURE}; url postgresql+psycopg://ci:hunter2secret@db/golive; "
        "password=swordfish123 api_key: 'k-123456789' "
        "sha256 " + "ab" * 32 + " home /home/someone"
    )
    scrubbed = redactor.scrub(text)
    for secret in (TOKEN, "abc.def.ghijklmnop", "b3BlbnNzaC1rZXkt", SIGNATURE, "hunter2secret"):
        assert secret not in scrubbed
    assert "swordfish123" not in scrubbed
    assert "k-123456789" not in scrubbed
    # Digests and ordinary values stay readable.
    assert "ab" * 32 in scrubbed
    assert "/home/someone" in scrubbed
    assert scrubbed.count(REDACTED) >= 7


def test_never_log_registers_a_secret(captured: io.StringIO) -> None:
    never_log("s3cr3t-api-token-value")
    logger("api").info(
        "auth with s3cr3t-api-token-value", extra={"error": "s3cr3t-api-token-value"}
    )
    (line,) = lines(captured)
    assert "s3cr3t" not in json.dumps(line)


def test_a_whole_scenario_logs_no_secret(tmp_path: Path) -> None:
    """Tokens, a signing key, env values: run real commands and search every log byte."""
    folder = tmp_path / "spec"
    shutil.copytree(SPEC, folder)
    (folder / "signing.key").write_text(PRIVATE_KEY + "\n")
    spec = folder / "golive.yaml"
    text = spec.read_text().replace(
        "defaults:",
        "  secrets:\n    type: env\n    names: [DEPLOY_TOKEN, RELEASE_SIGNATURE, PLAIN_VALUE]\n"
        "  keys:\n    type: file\n    path: signing.key\ndefaults:",
    )
    text += (
        "  - id: token-set\n    source: secrets\n    where: present == true\n"
        '    measure: count\n    expect: "== 3"\n    window: all\n'
    )
    spec.write_text(text)
    env = {
        **os.environ,
        "DEPLOY_TOKEN": TOKEN,
        "RELEASE_SIGNATURE": SIGNATURE,
        "PLAIN_VALUE": "plain-value-8c1f2e",
        "GOLIVE_LOG_FORMAT": "json",
        "GOLIVE_LOG_SAMPLE_RATIO": "1",
    }
    env.pop("OTEL_EXPORTER_OTLP_ENDPOINT", None)
    runs = [
        [str(GOLIVE), "check", str(spec), "--at", "2025-12-18T00:00:00Z", "--json"],
        [str(GOLIVE), "check", str(spec), "--registry", f"postgresql+psycopg://u:{TOKEN}@/x"],
        [str(GOLIVE), "history", "--registry", f"sqlite:///{folder}/.golive/registry.db"],
    ]
    logged = b""
    for argv in runs:
        done = subprocess.run(argv, capture_output=True, env=env, timeout=120, check=False)
        logged += done.stderr
        if "--json" in argv:
            json.loads(done.stdout)  # stdout holds the document and nothing else
    log_lines = [json.loads(line) for line in logged.decode().splitlines() if line.startswith("{")]
    assert any(line["component"] == "check" for line in log_lines)
    for secret in (TOKEN, SIGNATURE, "plain-value-8c1f2e", "b3BlbnNzaC1rZXkt"):
        assert secret.encode() not in logged


def test_bad_log_format_is_a_usage_error() -> None:
    from typer.testing import CliRunner

    from golive.cli.app import app

    result = CliRunner().invoke(app, ["--log-format", "xml", "history"])
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --log-format/GOLIVE_LOG_FORMAT: log format must be 'json' or 'text', got 'xml'\n"
    )
