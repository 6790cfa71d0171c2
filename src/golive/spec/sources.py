"""Pydantic models of the evidence source types beyond JSON Lines (one per ``type``).

Each model's ``time`` is the record field holding each record's time (what windows
use); its default is the field the source fills, or None when its records have no
natural time. Paths are relative to the spec file; ``path`` takes globs where noted.
Durations (``timeout``, ``range``, ``step``) are written as in checks: ``10s``, ``1h``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from golive.spec.durations import parse_duration


def _check_duration(value: str) -> str:
    try:
        parse_duration(value)
    except ValueError as exc:
        raise PydanticCustomError("duration", str(exc)) from None
    return value.strip()


def _check_name(value: str) -> str:
    # An argument that starts with "-" would be read by git as an option.
    if value.startswith("-"):
        raise PydanticCustomError(
            "revision",
            "{value} must not start with '-'; name a revision such as HEAD or v1..HEAD",
            {"value": repr(value)},
        )
    return value


DurationText = Annotated[str, AfterValidator(_check_duration)]
PathField = Annotated[
    str | list[str],
    Field(description="File path or glob (`**` recursive), relative to the spec; or a list."),
]


class _Source(BaseModel):
    # Same config as golive.spec.models._Model (not imported: models imports this module).
    model_config = ConfigDict(extra="forbid", frozen=True)


class JunitSource(_Source):
    """JUnit/xUnit XML reports; one file is one test run."""

    type: Literal["junit"]
    path: PathField
    records: Literal["cases", "tests"] = Field(
        "cases",
        description="'cases': one record per testcase per run; "
        "'tests': one per distinct test (classname::name) across the runs read.",
    )
    time: str | None = Field("timestamp", description="Record field holding the record time.")


class BenchmarkSource(_Source):
    """Benchmark results: pytest-benchmark JSON, locust ``_stats.csv``, k6 summary JSON."""

    type: Literal["benchmark"]
    path: PathField
    format: Literal["auto", "pytest-benchmark", "locust", "k6"] = Field(
        "auto", description="Input format; 'auto' detects it from each file's content."
    )
    time: str | None = Field(None, description="Record field holding the record time.")


class SecuritySource(_Source):
    """Security findings: pip-audit JSON, bandit JSON, trivy JSON, SARIF 2.1.0."""

    type: Literal["security"]
    path: PathField
    format: Literal["auto", "pip-audit", "bandit", "trivy", "sarif"] = Field(
        "auto", description="Input format; 'auto' detects it from each file's content."
    )
    time: str | None = Field(None, description="Record field holding the record time.")


class PrometheusSource(_Source):
    """A PromQL query over the Prometheus HTTP API, instant or range."""

    type: Literal["prometheus"]
    url: str = Field(description="Base URL of the Prometheus server, e.g. http://prom:9090.")
    query: str = Field(min_length=1, description="The PromQL expression.")
    range: DurationText | None = Field(
        None, description="Range query over [at - range, at]; absent: an instant query at 'at'."
    )
    step: DurationText | None = Field(None, description="Resolution of a range query (default 1m).")
    timeout: DurationText = Field("10s", description="HTTP timeout.")
    max_invalid: int = Field(0, ge=0, description="NaN/Inf samples tolerated.")
    time: str | None = Field("time", description="Record field holding the record time.")

    @model_validator(mode="after")
    def _step_needs_range(self) -> PrometheusSource:
        if self.step is not None and self.range is None:
            raise PydanticCustomError(
                "step", "'step' needs 'range' (a range query); remove step or add range: 1h"
            )
        return self


class TracesSource(_Source):
    """OTLP JSON spans as written by the OpenTelemetry Collector file exporter."""

    type: Literal["traces"]
    path: PathField
    records: Literal["spans", "traces"] = Field(
        "spans", description="'spans': one record per span; 'traces': one per trace_id."
    )
    max_invalid: int = Field(0, ge=0, description="Malformed lines tolerated.")
    time: str | None = Field("start_time", description="Record field holding the record time.")


class GitSource(_Source):
    """Commits of a local git repository."""

    type: Literal["git"]
    path: str = Field(".", description="The repository (a folder inside it), relative to the spec.")
    rev: Annotated[str, AfterValidator(_check_name)] = Field(
        "HEAD", min_length=1, description="Revision or range as git log takes it, e.g. v1.2..HEAD."
    )
    paths: list[str] = Field(
        default_factory=list,
        description="Only commits touching these paths (relative to the folder in path).",
    )
    time: str | None = Field("time", description="Record field holding the record time.")


class FileSource(_Source):
    """Files matched by globs: their size, modification time and SHA-256."""

    type: Literal["file"]
    path: PathField
    time: str | None = Field("mtime", description="Record field holding the record time.")


class EnvSource(_Source):
    """Whether environment variables are set (values are never read into evidence)."""

    type: Literal["env"]
    names: list[Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")]] = Field(min_length=1)
    time: str | None = Field(None, description="Record field holding the record time.")


class HttpSource(_Source):
    """HTTP GET probes: status and latency of each URL."""

    type: Literal["http"]
    url: str | list[str] = Field(description="URL or list of URLs to GET.")
    timeout: DurationText = Field("10s", description="Timeout of each probe.")
    # Probes happen at evaluation time, so their records are not windowed by default.
    time: str | None = Field(None, description="Record field holding the record time.")

    @property
    def urls(self) -> list[str]:
        return [self.url] if isinstance(self.url, str) else list(self.url)


class CommandSource(_Source):
    """A command run without a shell: exit code, duration, output hashes and tail."""

    type: Literal["command"]
    argv: list[str] = Field(min_length=1, description="Program and arguments; no shell.")
    timeout: DurationText = Field("60s", description="Killed (with its children) after this.")
    cwd: str | None = Field(None, description="Working folder, relative to the spec.")
    time: str | None = Field(None, description="Record field holding the record time.")


RegistryField = Annotated[
    str | None,
    Field(
        description="Registry URL; default: $GOLIVE_REGISTRY, else "
        "sqlite:///<spec folder>/.golive/registry.db."
    ),
]


class AlertsSource(_Source):
    """Alerts Alertmanager delivered to golive's webhook, from the registry."""

    type: Literal["alerts"]
    registry: RegistryField = None
    records: Literal["alerts", "events"] = Field(
        "alerts",
        description="'alerts': one record per alert (fingerprint and start), in its latest "
        "state; 'events': one per firing or resolved notification recorded.",
    )
    time: str | None = Field("starts_at", description="Record field holding the record time.")


class ScorecardsSource(_Source):
    """The registry's scorecard history: one record per scorecard, or per check of each."""

    type: Literal["scorecards"]
    registry: RegistryField = None
    spec: str | None = Field(None, description="Only scorecards of the spec with this name.")
    records: Literal["scorecards", "checks"] = Field(
        "scorecards",
        description="'scorecards': one record per scorecard; 'checks': one per check result.",
    )
    time: str | None = Field("evaluated_at", description="Record field holding the record time.")


__all__ = [
    "AlertsSource",
    "BenchmarkSource",
    "CommandSource",
    "EnvSource",
    "FileSource",
    "GitSource",
    "HttpSource",
    "JunitSource",
    "PrometheusSource",
    "ScorecardsSource",
    "SecuritySource",
    "TracesSource",
]
