"""golive's own logs: JSON lines (or text) on stderr, sampled, with secrets redacted.

A JSON line has exactly the readiness programme's fields, plus ``level`` and ``message``:
``timestamp, tenant, environment, component, command, artifact, trace_id, span_id,
outcome, duration_ms, error``. Code sets the per-line ones with ``extra=``
(``log.info("...", extra={"artifact": path, "outcome": "ready"})``); tenant and
environment come from ``GOLIVE_TENANT`` / ``GOLIVE_ENVIRONMENT``; trace and span ids
from the current OpenTelemetry span. Every warning and error is kept; request logs
(``extra={"request": True}``) that went well are kept at ``GOLIVE_LOG_SAMPLE_RATIO``
(default 0.1). Logs never go to stdout, so ``--json`` output stays clean.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Literal, TextIO

from opentelemetry import trace

from golive.errors import UsageError

LogFormat = Literal["json", "text"]
FORMAT_ENV = "GOLIVE_LOG_FORMAT"
SAMPLE_ENV = "GOLIVE_LOG_SAMPLE_RATIO"
DEFAULT_SAMPLE_RATIO = 0.1
LOGGER = "golive"
FIELDS = (
    "timestamp",
    "level",
    "message",
    "tenant",
    "environment",
    "component",
    "command",
    "artifact",
    "trace_id",
    "span_id",
    "outcome",
    "duration_ms",
    "error",
)
_HEALTHY = (None, "ok", "success", "pass", "ready", "allowed")


_SECRET_NAME = re.compile(
    r"TOKEN|SECRET|PASSW|PASSPHRASE|PRIVATE|KEY|SIGNATURE|CREDENTIAL|AUTH|COOKIE|SESSION|DSN",
    re.IGNORECASE,
)
REDACTED = "[REDACTED]"
# (pattern, replacement): what stays of a match is kept by the replacement's groups.
_PATTERNS = (
    # PEM blocks of private keys, whole (and a truncated one up to the end of the text).
    (
        re.compile(
            r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|\Z)", re.S
        ),
        REDACTED,
    ),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}"), rf"\1 {REDACTED}"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*"), REDACTED),  # JWT
    (re.compile(r"(?<=://)[^/@\s:]+:[^/@\s]+(?=@)"), REDACTED),  # user:password@ in a URL
    (
        re.compile(
            r"(?i)\b([a-z_]*(?:token|secret|password|passwd|signature|api[_-]?key|private[_-]?key))"
            r"(\s*[=:]\s*)(\"[^\"]*\"|'[^']*'|[^\s,;&]+)"
        ),
        rf"\1\2{REDACTED}",
    ),
)
# Long base64 runs are signatures or keys; pure hex (digests, ids) is left alone.
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/_-]{40,}={0,2}")
_HEX = re.compile(r"[0-9a-f]+")


class Redactor:
    """Replaces tokens, signatures, private keys and secret environment values with a marker."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        for secret in secrets:
            self.add(secret)

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Redactor:
        """A redactor knowing the values of every variable whose name looks secret."""
        env = os.environ if environ is None else environ
        return cls(value for name, value in env.items() if _SECRET_NAME.search(name))

    def add(self, secret: str) -> None:
        """Never log ``secret`` (values shorter than 6 characters would scrub ordinary words)."""
        if len(secret.strip()) >= 6:
            self._secrets.add(secret.strip())

    def scrub(self, text: str) -> str:
        """``text`` with every known secret and secret-looking run replaced."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, REDACTED)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return _BASE64_RUN.sub(
            lambda m: REDACTED if _looks_encoded(m.group(0)) else m.group(0), text
        )


def _looks_encoded(run: str) -> bool:
    """A base64 signature or key: mixed case and digits, not a path of short parts, not hex."""
    if _HEX.fullmatch(run) or max(len(part) for part in run.split("/")) < 20:
        return False
    return (
        any(c.isupper() for c in run)
        and any(c.islower() for c in run)
        and any(c.isdigit() for c in run)
    )


_REDACTOR = Redactor()


def never_log(secret: str) -> None:
    """Register a secret (an API token, a signing key) that no log line may contain."""
    _REDACTOR.add(secret)


def logger(component: str) -> logging.Logger:
    """The logger of one golive component (``golive.<component>``)."""
    return logging.getLogger(f"{LOGGER}.{component}")


class SampleFilter(logging.Filter):
    """Keep every warning and error and every non-request line; a ratio of healthy requests."""

    def __init__(self, ratio: float, draw: Callable[[], float] = random.random) -> None:
        super().__init__()
        if not 0.0 <= ratio <= 1.0:
            raise ValueError(f"log sample ratio must be between 0 and 1, got {ratio}")
        self.ratio = ratio
        self._draw = draw

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING or not getattr(record, "request", False):
            return True
        if getattr(record, "outcome", None) not in _HEALTHY or getattr(record, "error", None):
            return True
        return self._draw() < self.ratio


class RedactFilter(logging.Filter):
    """Scrub secrets from the message, its arguments and every extra field of a record."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redactor.scrub(_REDACTOR.scrub(record.getMessage()))
        record.args = None
        if record.exc_info:
            record.exc_text = self.redactor.scrub(
                _REDACTOR.scrub(logging.Formatter().formatException(record.exc_info))
            )
            record.exc_info = None
        for name in ("artifact", "error", "command", "component", "outcome"):
            value = getattr(record, name, None)
            if isinstance(value, str):
                setattr(record, name, self.redactor.scrub(_REDACTOR.scrub(value)))
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line with exactly :data:`FIELDS`."""

    def __init__(self, command: str | None = None) -> None:
        super().__init__()
        self.command = command

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(line_fields(record, self.command), ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``timestamp level component: message key=value ...`` for people at a terminal."""

    def __init__(self, command: str | None = None) -> None:
        super().__init__()
        self.command = command

    def format(self, record: logging.LogRecord) -> str:
        fields = line_fields(record, self.command)
        head = f"{fields['timestamp']} {fields['level']} {fields['component']}: {fields['message']}"
        rest = " ".join(
            f"{k}={v}"
            for k, v in fields.items()
            if k not in ("timestamp", "level", "component", "message") and v is not None
        )
        return f"{head} {rest}".rstrip()


def line_fields(record: logging.LogRecord, command: str | None) -> dict[str, Any]:
    """The schema's fields of one record, in schema order."""
    context = trace.get_current_span().get_span_context()
    component = getattr(record, "component", None) or record.name.removeprefix(f"{LOGGER}.")
    error = getattr(record, "error", None)
    if error is None and record.exc_text:
        error = record.exc_text.strip().splitlines()[-1]
    duration = getattr(record, "duration_ms", None)
    return {
        "timestamp": datetime.fromtimestamp(record.created, UTC)
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z"),
        "level": record.levelname.lower(),
        "message": record.getMessage(),
        "tenant": os.environ.get("GOLIVE_TENANT") or None,
        "environment": os.environ.get("GOLIVE_ENVIRONMENT") or None,
        "component": component,
        "command": getattr(record, "command", None) or command,
        "artifact": getattr(record, "artifact", None),
        "trace_id": getattr(record, "trace_id", None)
        or (f"{context.trace_id:032x}" if context.is_valid else None),
        "span_id": getattr(record, "span_id", None)
        or (f"{context.span_id:016x}" if context.is_valid else None),
        "outcome": getattr(record, "outcome", None),
        "duration_ms": None if duration is None else round(float(duration), 3),
        "error": error,
    }


def resolve_format(explicit: str | None) -> LogFormat:
    """``--log-format``, else ``GOLIVE_LOG_FORMAT``, else text; anything else is refused."""
    value = (explicit or os.environ.get(FORMAT_ENV) or "text").strip().lower()
    if value not in ("json", "text"):
        raise ValueError(f"log format must be 'json' or 'text', got {value!r}")
    return "json" if value == "json" else "text"


def sample_ratio() -> float:
    """The kept share of healthy request logs: ``GOLIVE_LOG_SAMPLE_RATIO``, default 0.1."""
    text = os.environ.get(SAMPLE_ENV, "").strip()
    if not text:
        return DEFAULT_SAMPLE_RATIO
    try:
        ratio = float(text)
    except ValueError:
        raise ValueError(f"{SAMPLE_ENV} must be a number from 0 to 1, got {text!r}") from None
    if not 0.0 <= ratio <= 1.0:
        raise ValueError(f"{SAMPLE_ENV} must be a number from 0 to 1, got {text!r}")
    return ratio


def configure_logging(
    fmt: LogFormat,
    *,
    command: str | None = None,
    stream: TextIO | None = None,
    ratio: float | None = None,
    redactor: Redactor | None = None,
    level: int = logging.INFO,
) -> logging.Handler:
    """Send the ``golive`` loggers to ``stream`` (stderr) in ``fmt``; replaces an earlier set-up."""
    root = logging.getLogger(LOGGER)
    for old in list(root.handlers):
        if getattr(old, "_golive", False):
            root.removeHandler(old)
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler._golive = True  # type: ignore[attr-defined]
    handler.addFilter(RedactFilter(redactor or Redactor.from_environment()))
    handler.addFilter(SampleFilter(sample_ratio() if ratio is None else ratio))
    handler.setFormatter(JsonFormatter(command) if fmt == "json" else TextFormatter(command))
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False
    return handler


_OUTCOMES = {0: "success", 1: "failure", 2: "error", 130: "interrupted"}


@contextmanager
def logged_command(command: str | None) -> Iterator[None]:
    """Log one line when a CLI command ends: its outcome (from the exit code) and duration."""
    started = time.perf_counter()
    code: int = 0
    try:
        yield
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        raise
    except BaseException:
        code = 3
        raise
    finally:
        if any(getattr(h, "_golive", False) for h in logging.getLogger(LOGGER).handlers):
            outcome = _OUTCOMES.get(code, "error")
            logger("cli").log(
                logging.ERROR if outcome == "error" else logging.INFO,
                "command finished with exit code %d",
                code,
                extra={
                    "command": command,
                    "outcome": outcome,
                    "duration_ms": (time.perf_counter() - started) * 1000,
                    "error": f"exit code {code}" if outcome == "error" else None,
                },
            )


def start_logging(explicit: str | None, command: str | None) -> None:
    """The CLI's set-up: no logs unless a format is asked for; then from info up."""
    try:
        fmt = resolve_format(explicit)
        ratio = sample_ratio()
    except ValueError as exc:
        raise UsageError(f"--log-format/{FORMAT_ENV}: {exc}") from None
    if explicit is None and not os.environ.get(FORMAT_ENV, "").strip():
        # Not asked for: stay silent, so stderr keeps only golive's messages and errors.
        logging.getLogger(LOGGER).addHandler(logging.NullHandler())
        logging.getLogger(LOGGER).propagate = False
        return
    configure_logging(fmt, command=command, ratio=ratio)
