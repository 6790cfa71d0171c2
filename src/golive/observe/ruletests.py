"""promtool unit tests that prove each SLO's burn-rate alerts fire when, and only when, they should.

For every SLO and burn window the tests feed synthetic counters whose error ratio
burns the budget slightly faster than the alert's factor (it must fire) and at the
budget rate (no alert may fire). Synthetic series need to know which series the
SLO's templates select, so ``golive alerts test`` accepts templates of the form
``sum(rate(<metric>{<matchers>}[{{window}}]))`` only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml

from golive.errors import UsageError
from golive.observe.rules import burn_alert_name, render_rules
from golive.observe.slo import BURN_WINDOWS, MINUTE, BurnWindow, budget, burn_factor, number
from golive.spec.durations import format_duration
from golive.spec.models import Spec
from golive.spec.observe import SLO

_METRIC = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
_TEMPLATE = re.compile(
    rf"\s*sum\s*\(\s*rate\s*\(\s*({_METRIC})\s*(?:\{{(.*?)\}})?\s*\[\s*\{{\{{window\}}\}}\s*\]"
    r"\s*\)\s*\)\s*",
    re.DOTALL,
)
_MATCHER = re.compile(
    r"\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"
    r"(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|`[^`]*`)\s*(?:,|$)",
    re.DOTALL,
)
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r"}
# Values tried for a label after those the matchers themselves suggest.
_FALLBACK_VALUES = ("", "golive", "x", "0", "200", "500", "error", "ok")
# Events per minute of the synthetic counters; ratios multiply it.
EVENTS_PER_MINUTE = 1000
# How far past the long window (and any ``for``) alerts are evaluated.
MARGIN = 10 * MINUTE
# promtool evaluates the rules this often; recorded series stay within the 5m lookback.
EVALUATION_INTERVAL = 5 * MINUTE
# "Slightly above" the alert's threshold.
ABOVE = Fraction(105, 100)


@dataclass(frozen=True)
class Matcher:
    """A PromQL label matcher: ``label op "value"``."""

    label: str
    op: str
    value: str

    def holds(self, candidate: str) -> bool:
        """Whether a series whose ``label`` is ``candidate`` ("" when absent) matches."""
        if self.op == "=":
            return candidate == self.value
        if self.op == "!=":
            return candidate != self.value
        try:
            found = re.fullmatch(self.value, candidate) is not None
        except re.error:
            return False
        return found if self.op == "=~" else not found

    def __str__(self) -> str:
        return f'{self.label}{self.op}"{self.value}"'


@dataclass(frozen=True)
class Selector:
    """The series one SLO template reads: a metric name and matchers."""

    metric: str
    matchers: tuple[Matcher, ...]


def _unquote(text: str) -> str:
    body = text[1:-1]
    if text[0] == "`":
        return body
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), body, flags=re.DOTALL)


def parse_template(key: str, template: str) -> Selector:
    """Parse ``sum(rate(<metric>{<matchers>}[{{window}}]))``; raise ``UsageError`` otherwise."""
    match = _TEMPLATE.fullmatch(template)
    if match is None:
        raise UsageError(
            f"{key}: golive alerts test needs templates of the form "
            "'sum(rate(<metric>{<matchers>}[{{window}}]))' to build synthetic series; "
            f"got {template!r}"
        )
    metric, inner = match.group(1), (match.group(2) or "").strip()
    matchers: list[Matcher] = []
    position = 0
    while position < len(inner):
        found = _MATCHER.match(inner, position)
        if found is None or found.end() == position:
            raise UsageError(f"{key}: cannot read the label matchers at {inner[position:]!r}")
        matchers.append(Matcher(found.group(1), found.group(2), _unquote(found.group(3))))
        position = found.end()
    return Selector(metric, tuple(matchers))


def _example(pattern: str) -> str:
    """A string the simple regex ``pattern`` probably matches (checked by the caller)."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            out.append({"d": "0", "w": "a", "s": " "}.get(nxt, nxt))
            i += 2
        elif c == "[":
            end = pattern.find("]", i + 2)
            body = pattern[i + 1 : end if end > 0 else len(pattern)]
            out.append("x" if body.startswith("^") or not body else body[0])
            i = end + 1 if end > 0 else len(pattern)
        elif c == "|":
            break  # the first alternative is enough
        elif c in "()^$":
            i += 1
        elif c in "*?":
            if out:
                out.pop()  # zero repetitions
            i += 1
        elif c == "{":
            end = pattern.find("}", i)
            count = pattern[i + 1 : end].split(",")[0] if end > 0 else ""
            if out and count.isdigit():
                out.append(out.pop() * int(count))
            i = end + 1 if end > 0 else len(pattern)
        elif c == "+":
            i += 1
        else:
            out.append("x" if c == "." else c)
            i += 1
    return "".join(out)


def _value(label: str, wanted: list[tuple[Matcher, bool]]) -> str | None:
    """A value of ``label`` for which each matcher holds (or fails) as wanted."""
    candidates = [m.value for m, _ in wanted if m.op in ("=", "!=")]
    candidates += [_example(m.value) for m, _ in wanted if m.op in ("=~", "!~")]
    candidates += list(_FALLBACK_VALUES)
    for candidate in candidates:
        if all(m.holds(candidate) is want for m, want in wanted):
            return candidate
    return None


def _labels(wanted: list[tuple[Matcher, bool]]) -> dict[str, str] | None:
    """Series labels satisfying every (matcher, should-hold) pair, or None."""
    by_label: dict[str, list[tuple[Matcher, bool]]] = {}
    for matcher, want in wanted:
        by_label.setdefault(matcher.label, []).append((matcher, want))
    labels: dict[str, str] = {}
    for label in sorted(by_label):
        value = _value(label, by_label[label])
        if value is None:
            return None
        if value:  # an empty label is an absent label
            labels[label] = value
    return labels


@dataclass(frozen=True)
class SyntheticSeries:
    """The counters that make an SLO's error ratio anything we choose."""

    errors: tuple[str, dict[str, str]]
    others: tuple[str, dict[str, str]]
    # True when ``others`` counts the good events only (errors and total share a metric).
    shared: bool


def synthetic_series(name: str, slo: SLO) -> SyntheticSeries:
    """Series the SLO's ``errors`` and ``total`` templates select; ``UsageError`` if impossible."""
    errors = parse_template(f"slos.{name}.errors", slo.errors)
    total = parse_template(f"slos.{name}.total", slo.total)
    both = [(m, True) for m in errors.matchers]
    if errors.metric != total.metric:
        error_labels = _labels(both)
        total_labels = _labels([(m, True) for m in total.matchers])
        if error_labels is None or total_labels is None:
            raise UsageError(f"slos.{name}: the label matchers of errors or total contradict")
        return SyntheticSeries(
            (errors.metric, error_labels), (total.metric, total_labels), shared=False
        )
    in_total = [(m, True) for m in total.matchers]
    error_labels = _labels(both + in_total)
    if error_labels is None:
        raise UsageError(
            f"slos.{name}: no series matches both errors and total, so total does not count "
            "the errors; total must select every event, errors the bad ones among them"
        )
    for matcher in errors.matchers:
        good = _labels([*in_total, (matcher, False)])
        if good is not None:
            return SyntheticSeries((errors.metric, error_labels), (total.metric, good), shared=True)
    raise UsageError(
        f"slos.{name}: every series total selects is also an error, so the error ratio is "
        "always 1; errors must select fewer series than total"
    )


def _values(increases: list[tuple[Fraction, int]]) -> str:
    """promtool's expanding notation for a counter rising by ``inc`` for ``n`` samples, in turn."""
    parts: list[str] = []
    current = Fraction(0)
    for inc, n in increases:
        if not parts:
            parts.append(f"0+{number(inc)}x{n}")
        else:
            # A new segment starts one sample later, where the previous one left off.
            parts.append(f"{number(current + inc)}+{number(inc)}x{n - 1}")
        current += inc * n
    return " ".join(parts)


def _input_series(
    series: SyntheticSeries, segments: list[tuple[Fraction, int]], step: int
) -> list[dict[str, str]]:
    """Counters sampled every ``step`` seconds whose errors / total is ``ratio`` for ``seconds``."""
    events = Fraction(EVENTS_PER_MINUTE * step, MINUTE)
    errors = [(ratio * events, seconds // step) for ratio, seconds in segments]
    others = [
        ((1 - ratio) * events if series.shared else events, seconds // step)
        for ratio, seconds in segments
    ]
    out = []
    for (metric, labels), increases in ((series.errors, errors), (series.others, others)):
        inner = ", ".join(f'{k}="{_escape(v)}"' for k, v in labels.items())
        out.append({"series": f"{metric}{{{inner}}}", "values": _values(increases)})
    return out


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _expected(rule: dict[str, Any]) -> dict[str, Any]:
    return {"exp_labels": rule["labels"], "exp_annotations": rule["annotations"]}


def _alert_rule(rules: dict[str, Any], slo_name: str, window: BurnWindow) -> dict[str, Any]:
    """The generated rule of one SLO's burn window, as promtool must see it fire."""
    for group in rules["groups"]:
        for rule in group["rules"]:
            if rule.get("alert") == burn_alert_name(window) and rule["labels"].get("slo") == (
                slo_name
            ):
                return dict(rule)
    raise UsageError(f"slos.{slo_name}: the rules hold no {burn_alert_name(window)} alert")


def _interval(window: BurnWindow) -> int:
    """Seconds between synthetic samples: six per short window, at least one a minute."""
    return max(MINUTE, window.short // 6 // MINUTE * MINUTE)


def _group(
    title: str,
    series: SyntheticSeries,
    window: BurnWindow,
    segments: list[tuple[Fraction, int]],
    checks: list[tuple[int, list[Any]]],
) -> dict[str, Any]:
    step = _interval(window)
    return {
        "name": title,
        "interval": format_duration(step),
        "input_series": _input_series(series, segments, step),
        "alert_rule_test": [
            {
                "eval_time": format_duration(at),
                "alertname": burn_alert_name(window),
                "exp_alerts": expected,
            }
            for at, expected in checks
        ],
    }


def slo_tests(spec: Spec, name: str, rules: dict[str, Any]) -> list[dict[str, Any]]:
    """promtool test groups for one SLO: each burn-rate alert fires just above its factor.

    Errors start after half a long window without any, so the alert must still be
    silent when three quarters of its long window burn (a window too short would
    fire) and fire once the whole window burns (a window too long would stay diluted).
    Each alert also stays silent at the budget rate (1x). An alert whose factor is 1
    or less (the 3d ticket for a period of 30d or less) exists to catch a budget
    burning at about the sustainable rate, so its silence is proven at 90% of its
    own threshold instead.
    """
    slo = spec.slos[name]
    series = synthetic_series(name, slo)
    slo_budget = budget(slo.objective)
    tests: list[dict[str, Any]] = []
    for window in BURN_WINDOWS:
        factor = burn_factor(window, slo.period.seconds)
        alert = burn_alert_name(window)
        fire = min(factor * slo_budget * ABOVE, (factor * slo_budget + 1) / 2)
        half = window.long // 2
        tests.append(
            _group(
                f"{name}: {alert} fires at {number(fire / slo_budget)}x",
                series,
                window,
                [(Fraction(0), half), (fire, window.long + MARGIN)],
                [
                    # Rule groups run in no fixed order in promtool (and in Prometheus), so
                    # an alert may see the ratio recorded one evaluation earlier: at three
                    # quarters the check stays clear of that lag either way.
                    (half + window.long * 3 // 4, []),
                    (half + window.long + MARGIN, [_expected(_alert_rule(rules, name, window))]),
                ],
            )
        )
        quiet = Fraction(1) if factor > 1 else factor * Fraction(9, 10)
        tests.append(
            _group(
                f"{name}: {alert} silent at {number(quiet)}x",
                series,
                window,
                [(quiet * slo_budget, window.long + MARGIN)],
                [(window.long + MARGIN, [])],
            )
        )
    return tests


def rule_tests(spec: Spec, rules: dict[str, Any], rule_file: str) -> dict[str, Any]:
    """The promtool test document for every SLO of ``spec`` over ``rule_file``."""
    tests: list[dict[str, Any]] = []
    for name in sorted(spec.slos):
        tests.extend(slo_tests(spec, name, rules))
    return {
        "rule_files": [rule_file],
        "evaluation_interval": format_duration(EVALUATION_INTERVAL),
        "tests": tests,
    }


RULES_FILE = "rules.yml"
TESTS_FILE = "tests.yml"


@dataclass(frozen=True)
class RuleTestFiles:
    """A rule file, its promtool unit-test file, and the names of the tests in it."""

    rules: Path
    tests: Path
    names: list[str]


def write_rule_tests(spec: Spec, rules: dict[str, Any], directory: Path) -> RuleTestFiles:
    """Write ``rules.yml`` and its promtool ``tests.yml`` into ``directory``."""
    files = RuleTestFiles(directory / RULES_FILE, directory / TESTS_FILE, [])
    files.rules.write_text(render_rules(rules, spec.name), encoding="utf-8")
    doc = rule_tests(spec, rules, RULES_FILE)
    files.tests.write_text(
        yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=1000), encoding="utf-8"
    )
    files.names.extend(t["name"] for t in doc["tests"])
    return files


__all__ = [
    "RULES_FILE",
    "TESTS_FILE",
    "Matcher",
    "RuleTestFiles",
    "Selector",
    "SyntheticSeries",
    "parse_template",
    "rule_tests",
    "slo_tests",
    "synthetic_series",
    "write_rule_tests",
]
