"""Evaluate a spec: plan each check's window, scan each source once, judge each check."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from golive.engine.compiler import (
    PlannedCheck,
    SourceScan,
    compile_json_objects,
    compile_json_source,
    needed_fields,
)
from golive.engine.duck import DuckSession, duck_session
from golive.engine.fields import object_keys
from golive.engine.measures import observe
from golive.engine.scorecard import BucketResult, CheckResult, EvidenceRef, Scorecard
from golive.engine.status import Status, judge, worst
from golive.engine.typed_scan import TypedScan, scan_files, scan_sql
from golive.engine.windows import Window
from golive.errors import EvidenceError, UsageError
from golive.sources._files import Match, sha256_file
from golive.sources.base import RecordReader, Records
from golive.sources.jsonl import expand_each, invalid_lines
from golive.spec.durations import format_duration
from golive.spec.models import Check, JsonlSource, Spec
from golive.spec.sql_sources import CsvSource, ParquetSource, SqlSource
from golive.times import epoch_us


@dataclass(frozen=True)
class Progress:
    """Callbacks for long scans; the CLI draws them on stderr."""

    started: Callable[[str, int], None]
    finished: Callable[[str], None]


def evaluate(
    spec: Spec,
    *,
    base_dir: Path,
    spec_path: str,
    spec_sha256: str,
    at: datetime,
    only: Sequence[str] | None = None,
    readers: Mapping[str, RecordReader] | None = None,
    progress: Progress | None = None,
) -> Scorecard:
    """Evaluate ``spec``'s checks at instant ``at`` over the evidence under ``base_dir``."""
    checks = _selected(spec, only)
    at_us = epoch_us(at)
    planned = [plan_check(spec, i, check, at_us) for i, check in enumerate(checks)]
    by_source: dict[str, list[PlannedCheck]] = {}
    for p in planned:
        by_source.setdefault(p.check.source, []).append(p)

    results: dict[int, CheckResult] = {}
    with duck_session() as duck:
        for number, (name, group) in enumerate(by_source.items()):
            config = spec.sources[name]
            evaluation = _SourceEvaluation(name, config, group, base_dir, at, f"src_{number}")
            if progress is not None:
                progress.started(name, evaluation.size_hint())
            results.update(evaluation.run(duck, readers or {}))
            if progress is not None:
                progress.finished(name)
    return Scorecard(
        spec_name=spec.name,
        spec_path=spec_path,
        spec_sha256=spec_sha256,
        evaluated_at=at,
        checks=tuple(results[p.index] for p in planned),
    )


def _selected(spec: Spec, only: Sequence[str] | None) -> list[Check]:
    if not only:
        return list(spec.checks)
    known = {c.id for c in spec.checks}
    unknown = [i for i in only if i not in known]
    if unknown:
        raise UsageError(
            f"unknown check id {', '.join(repr(u) for u in unknown)} in --only; "
            f"the spec has: {', '.join(sorted(known))}"
        )
    wanted = set(only)
    return [c for c in spec.checks if c.id in wanted]


def plan_check(spec: Spec, index: int, check: Check, at_us: int) -> PlannedCheck:
    """``check`` with its window resolved at ``at_us``."""
    window_spec = spec.window_of(check)
    seconds = None if window_spec == "all" else window_spec.seconds
    every = check.every.seconds if check.every is not None else None
    uses_time = seconds is not None or every is not None or check.measure in ("span", "age")
    return PlannedCheck(index, check, Window.ending_at(at_us, seconds), every, uses_time, at_us)


class _Raw(Mapping[str, Any]):
    """One check's aggregates out of a result row (missing ones read as None)."""

    def __init__(self, row: Mapping[str, Any] | None, prefix: str) -> None:
        self._row = row or {}
        self._prefix = prefix

    def __getitem__(self, key: str) -> Any:
        return self._row.get(self._prefix + key)

    def __iter__(self) -> Iterator[str]:
        return (k[len(self._prefix) :] for k in self._row if k.startswith(self._prefix))

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass(frozen=True)
class _Input:
    """One input of a source as the scorecard will name it."""

    path: str
    sha256: str | None
    records: int
    invalid: int = 0
    invalid_lines: tuple[int, ...] = ()
    detail: Mapping[str, str | int] = field(default_factory=dict)


class _SourceEvaluation:
    """All checks on one source: gather its evidence, scan once, judge each check."""

    def __init__(
        self,
        name: str,
        config: Any,
        checks: list[PlannedCheck],
        base_dir: Path,
        at: datetime,
        view: str,
    ) -> None:
        self.name = name
        self.config = config
        self.checks = checks
        self.base_dir = base_dir
        self.at = at
        self.at_us = epoch_us(at)
        self.view = view
        self.time_field: str | None = getattr(config, "time", None)
        self.max_invalid: int = getattr(config, "max_invalid", 0)

    def size_hint(self) -> int:
        if isinstance(self.config, JsonlSource):
            found = expand_each(self.config.paths, self.base_dir)
            return sum(m.path.stat().st_size for m in found.files)
        return 0

    def run(self, duck: DuckSession, readers: Mapping[str, RecordReader]) -> dict[int, CheckResult]:
        if isinstance(self.config, JsonlSource):
            return self._run_jsonl(duck, self.config)
        if isinstance(self.config, SqlSource):
            return self._run_typed(scan_sql(self.config, self.checks, self.base_dir))
        if isinstance(self.config, ParquetSource | CsvSource):
            return self._run_typed(
                scan_files(self.config, self.checks, self.base_dir, duck, self.view)
            )
        reader = readers.get(self.config.type)
        if reader is None:
            return self._all(
                "error", f"source type '{self.config.type}' cannot be evaluated here", ()
            )
        try:
            records = reader(self.config, self.base_dir, self.at)
        except EvidenceError as exc:
            return self._all("error", f"cannot read source '{self.name}': {exc}", ())
        return self._run_records(duck, records)

    # -- gathering ---------------------------------------------------------------------

    def _run_jsonl(self, duck: DuckSession, config: JsonlSource) -> dict[int, CheckResult]:
        found = expand_each(config.paths, self.base_dir)
        if found.unmatched or not found.files:
            missing = ", ".join(found.unmatched) or ", ".join(config.paths)
            return self._all("no_data", f"no evidence: {missing} matched no file", ())
        with ThreadPoolExecutor(max_workers=1) as pool:
            hashes = pool.map(sha256_file, found.files)  # hashed while DuckDB scans
            try:
                scan = self._scan(duck, [m.path for m in found.files])
                digests = list(hashes)
            except sa.exc.DBAPIError as exc:
                return self._all("error", f"cannot read source '{self.name}': {_reason(exc)}", ())
            except EvidenceError as exc:
                return self._all("error", f"cannot read source '{self.name}': {exc}", ())
        return self._judge_files(found.files, digests, scan)

    def _run_records(self, duck: DuckSession, records: Records) -> dict[int, CheckResult]:
        inputs = tuple(
            _Input(e.path, e.sha256, e.records, e.invalid, tuple(e.invalid_lines))
            for e in records.evidence
        )
        if not inputs:
            return self._all("no_data", f"no evidence: source '{self.name}' read nothing", ())
        with _records_file(records.rows) as path:
            try:
                scan = self._scan(duck, [path])
            except sa.exc.DBAPIError as exc:
                return self._all(
                    "error", f"cannot evaluate source '{self.name}': {_reason(exc)}", ()
                )
        results = {}
        for planned in self.checks:
            extra = self._extra_invalid(planned, scan.total)
            invalid = sum(i.invalid for i in inputs) + extra
            results[planned.index] = self._judge(planned, scan, inputs, invalid)
        return results

    def _run_typed(self, typed: TypedScan) -> dict[int, CheckResult]:
        if typed.missing is not None:
            return self._all("no_data", typed.missing, ())
        if typed.failure is not None:
            return self._all("error", f"cannot read source '{self.name}': {typed.failure}", ())
        results = {}
        for planned in self.checks:
            problem = typed.problems.get(planned.index)
            if problem is not None or typed.scan is None:
                message = f"cannot evaluate on source '{self.name}': {problem}"
                results[planned.index] = self._result(planned, "error", None, message, ())
                continue
            inputs = tuple(
                _Input(e.path, e.sha256, e.records, e.invalid, detail=e.detail)
                for e in typed.inputs_for(planned)
            )
            invalid = sum(i.invalid for i in inputs)
            results[planned.index] = self._judge(planned, typed.scan, inputs, invalid)
        return results

    def _scan(self, duck: DuckSession, files: list[Path]) -> SourceScan:
        """One scan; with the cheaper object reader first where every line is an object."""
        per_file = len(files) > 1
        keys = object_keys(needed_fields(self.checks), self.time_field)
        if keys is not None:
            view = f"{self.view}_objects"
            fast = compile_json_objects(view, keys, self.checks, self.time_field, per_file=per_file)
            duck.add_json_objects_view(view, files, keys)
            scan = fast.read(duck.run(fast.statement))
            if scan.total.get("suspects") == 0:
                return scan
        compiled = compile_json_source(self.view, self.checks, self.time_field, per_file=per_file)
        duck.add_jsonl_view(self.view, files)
        return compiled.read(duck.run(compiled.statement))

    # -- judging -----------------------------------------------------------------------

    def _extra_invalid(self, planned: PlannedCheck, row: Mapping[str, Any]) -> int:
        """Records this check cannot use: malformed, no time where one is needed, non-numeric."""
        count = int(row.get("malformed") or 0)
        if planned.uses_time:
            count += int(row.get("badtime") or 0)
        return count + int(row.get(f"c{planned.index}_bad") or 0)

    def _judge_files(
        self, files: list[Match], digests: list[str], scan: SourceScan
    ) -> dict[int, CheckResult]:
        rows = {str(f.path): scan.files.get(str(f.path), {}) for f in files}
        if len(files) == 1:
            rows = {str(files[0].path): scan.total}
        line_cache: dict[tuple[Path, bool], tuple[int, ...]] = {}
        results = {}
        for planned in self.checks:
            inputs = []
            for match, sha in zip(files, digests, strict=True):
                path = match.path
                row = rows[str(path)]
                invalid = self._extra_invalid(planned, row)
                lines: tuple[int, ...] = ()
                if invalid:
                    key = (path, planned.uses_time)
                    if key not in line_cache:
                        time_field = self.time_field if planned.uses_time else None
                        line_cache[key] = tuple(invalid_lines(path, time_field))
                    lines = line_cache[key]
                records = int(row.get("rows") or 0) - int(row.get("malformed") or 0)
                inputs.append(_Input(match.name, sha, records, invalid, lines))
            total_invalid = sum(i.invalid for i in inputs)
            results[planned.index] = self._judge(planned, scan, tuple(inputs), total_invalid)
        return results

    def _judge(
        self,
        planned: PlannedCheck,
        scan: SourceScan,
        inputs: tuple[_Input, ...],
        invalid: int,
    ) -> CheckResult:
        check = planned.check
        evidence = self._evidence(planned, inputs)
        if invalid > self.max_invalid:
            where = "; ".join(
                f"{i.path} lines {', '.join(map(str, i.invalid_lines))}"
                for i in inputs
                if i.invalid_lines
            )
            detail = f" (first: {where})" if where else ""
            return self._result(
                planned,
                "error",
                None,
                f"{invalid} invalid records exceed max_invalid {self.max_invalid}{detail}",
                evidence,
            )
        prefix = f"c{planned.index}_"
        if planned.every_seconds is None:
            observed = observe(check.measure, _Raw(scan.total, prefix), self.at_us)
            status = judge(observed, check.expect, check.warn)
            return self._result(
                planned, status, observed, _message(check, status, observed), evidence
            )
        group_rows = scan.buckets.get(planned.index, {})
        buckets = []
        for k, window in enumerate(planned.buckets or []):
            value = observe(check.measure, _Raw(group_rows.get(k), prefix), self.at_us)
            window_json = window.as_json() or {"start": "", "end": ""}
            buckets.append(
                BucketResult(
                    window_json["start"],
                    window_json["end"],
                    value,
                    judge(value, check.expect, check.warn),
                )
            )
        status = worst(b.status for b in buckets)
        decider = _deciding_bucket(check, buckets, status)
        passing = sum(1 for b in buckets if b.status == "pass")
        message = (
            f"{_message(check, status, decider.observed)} in the bucket "
            f"{decider.start}..{decider.end}; {passing} of {len(buckets)} buckets pass"
        )
        return self._result(planned, status, decider.observed, message, evidence, tuple(buckets))

    def _evidence(
        self, planned: PlannedCheck, inputs: tuple[_Input, ...]
    ) -> tuple[EvidenceRef, ...]:
        window = planned.window.as_json()
        return tuple(
            EvidenceRef(
                self.name, i.path, i.sha256, i.records, i.invalid, i.invalid_lines, window, i.detail
            )
            for i in inputs
        )

    def _result(
        self,
        planned: PlannedCheck,
        status: Status,
        observed: float | int | None,
        message: str,
        evidence: tuple[EvidenceRef, ...],
        buckets: tuple[BucketResult, ...] | None = None,
    ) -> CheckResult:
        check = planned.check
        if planned.every_seconds is not None and buckets is None:
            buckets = ()
        return CheckResult(
            id=check.id,
            title=check.title,
            status=status,
            required=check.required,
            weight=check.weight,
            measure=check.measure,
            observed=observed,
            expect=check.expect.text,
            warn=None if check.warn is None else check.warn.text,
            message=message,
            evidence=evidence,
            buckets=buckets,
        )

    def _all(
        self, status: Status, message: str, inputs: tuple[_Input, ...]
    ) -> dict[int, CheckResult]:
        return {
            p.index: self._result(p, status, None, message, self._evidence(p, inputs))
            for p in self.checks
        }


def _deciding_bucket(check: Check, buckets: list[BucketResult], status: Status) -> BucketResult:
    """The bucket that decided the status: of those with it, the one nearest to failing."""
    candidates = [b for b in buckets if b.status == status]
    numeric = [b for b in candidates if b.observed is not None]
    if numeric and check.expect.op in (">=", ">"):
        return min(numeric, key=lambda b: b.observed or 0)
    if numeric and check.expect.op in ("<=", "<"):
        return max(numeric, key=lambda b: b.observed or 0)
    return candidates[0]


def _message(check: Check, status: Status, observed: float | int | None) -> str:
    if observed is None:
        if check.measure == "ratio":
            return "no data: the ratio is over zero records"
        return f"no data: no records to take the {check.measure} of"
    shown = _show(check.measure, observed)
    if status == "pass":
        return f"{shown} {check.expect.text}"
    if status == "warn" and check.warn is not None:
        return f"{shown} fails {check.expect.text} but holds warn {check.warn.text}"
    return f"{shown} fails {check.expect.text}"


def _show(measure: str, observed: float | int) -> str:
    if measure in ("span", "age") and observed >= 1 and float(observed).is_integer():
        return f"{observed} ({format_duration(int(observed))})"
    return str(observed)


def _reason(exc: sa.exc.DBAPIError) -> str:
    return str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)


@contextmanager
def _records_file(rows: list[dict[str, Any]]) -> Iterator[Path]:
    """Records made in Python, written as JSON Lines so the one compiler scans them."""
    with tempfile.TemporaryDirectory(prefix="golive-") as folder:
        path = Path(folder) / "records.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for row in rows:
                handle.write(json.dumps(row, separators=(",", ":"), default=str))
                handle.write("\n")
        yield path
