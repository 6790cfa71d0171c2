"""golive.yaml loading: every problem as path:line:col: message."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from golive.errors import SpecError, UsageError
from golive.spec.loader import load_spec, load_spec_text, parse_spec
from golive.spec.models import Duration

SPEC_DATA = Path(__file__).parent.parent / "data" / "spec"

CHECK_KEYS = (
    "id, title, description, source, where, measure, of, field, expect, warn, window, every, "
    "required, weight"
)
EXPECT_HELP = (
    "expected '<op> <value>' with op one of == != < <= > >= and a number or a duration, "
    'such as ">= 30" or "<= 0.10" or ">= 7d"'
)
FUNCTIONS_HELP = (
    "startswith(field, text), endswith(field, text), contains(field, text), "
    "glob(field, text), matches(field, text)"
)

EXPECTED = {
    "bad_syntax.yaml": [
        "6:1: invalid YAML: found unexpected end of stream "
        "(while scanning a quoted scalar on line 5)",
    ],
    "bad_not_mapping.yaml": [
        "1:1: the spec must be a mapping with version, name, sources and checks, got a list",
    ],
    "bad_version.yaml": [
        "1:10: unsupported spec version 2; this golive reads version 1",
    ],
    "bad_unknown_key.yaml": [
        f"11:5: unknown key 'mesure' in check 'PR-7.volume'; expected one of: {CHECK_KEYS}; "
        "did you mean 'measure'?",
        f"14:5: unknown key 'colour' in check 'PR-7.volume'; expected one of: {CHECK_KEYS}",
    ],
    "bad_missing_key.yaml": [
        "1:1: the spec is missing 'name'",
        "4:5: source 'router' is missing 'path'",
        "7:5: check 'PR-7.volume' is missing 'expect'",
    ],
    "bad_wrong_type.yaml": [
        "6:24: item 2 of 'path' in source 'router' must be a string, got the number 7",
        "7:18: 'max_invalid' in source 'router' must be a whole number, got the string 'many'",
        "13:15: 'required' in check 'PR-7.volume' must be true or false, got the string 'maybe'",
        "14:13: 'weight' in check 'PR-7.volume' must be at least 0, got the number -1",
        "15:5: check #2 must be a mapping, got the string 'just a string'",
    ],
    "bad_measure.yaml": [
        "8:14: unknown measure 'p959'; expected one of count, ratio, sum, avg, min, max, "
        "p50, p90, p95, p99, distinct, span, age",
    ],
    "bad_source_type.yaml": [
        "5:11: unknown source type 'csvx'; expected one of jsonl, junit, benchmark, security, "
        "prometheus, traces, git, file, env, http, command, sql, parquet, csv, alerts, "
        "scorecards",
        "8:5: source 'untyped' is missing 'type'; expected one of jsonl, junit, benchmark, "
        "security, prometheus, traces, git, file, env, http, command, sql, parquet, csv, "
        "alerts, scorecards",
    ],
    "bad_duration.yaml": [
        "6:11: 'window' in defaults: invalid duration '7days'; expected a number and a unit "
        "s, m, h, d or w, such as 30s, 15m, 24h, 7d or 1h30m",
        "12:13: 'window' in check 'a': invalid duration '0s'; a duration must be longer than 0s",
    ],
    "bad_expectation.yaml": [
        f"9:13: 'expect' in check 'a': {EXPECT_HELP}; got 'at least 30'",
        f"10:11: 'warn' in check 'a': {EXPECT_HELP}; got '>= 3 apples'",
    ],
    "bad_expression.yaml": [
        "8:39: 'where' in check 'plain': method calls such as x.lower() are not allowed; "
        f"use one of {FUNCTIONS_HELP}",
        "13:36: 'where' in check 'single': expected a field name, got a subscript; "
        "use a dotted field path such as ctx.lane",
        "18:36: 'where' in check 'double': chained comparisons are not allowed; "
        "join them with 'and'",
        "25:14: 'where' in check 'block': expected a value "
        "(string, number, true, false or null), got 'm'",
        "31:23: 'of' in check 'regex': invalid regular expression: "
        "unterminated character set at position 0",
    ],
    "bad_semantic.yaml": [
        "10:13: unknown source 'rooter'; defined sources: router, bare; did you mean 'router'?",
        "15:14: check 'ratio-without-of' measures ratio but has no 'of'; add of: <condition>, "
        "the records counted over those matching where",
        "20:9: 'of' goes only with measure: ratio; check 'of-without-ratio' measures count",
        "24:14: check 'p95-without-field' measures p95 but has no 'field'; "
        "add field: <the record field to measure>",
        "29:12: 'field' does not go with measure: count; remove it",
        "34:12: every 5h does not divide the window 7d",
        "40:12: every needs a duration window, but its window is all; "
        "set window: to a duration such as 7d",
        "43:13: check 'no-time-default-window' uses a 7d window but source 'bare' has no "
        "'time' field; set sources.bare.time or use window: all",
        "49:13: check 'no-time-window' uses a 30d window but source 'bare' has no 'time' field; "
        "set sources.bare.time or use window: all",
        "53:14: check 'no-time-span' measures span, which reads record times, but source 'bare' "
        "has no 'time' field; set sources.bare.time",
        "56:9: duplicate check id 'unknown-source'; ids must be unique",
    ],
    "bad_yaml_features.yaml": [
        "3:1: duplicate key 'name'; it is already set on line 2",
        "5:11: unsupported tag '!custom'; golive.yaml is plain YAML without tags",
    ],
    "bad_many.yaml": [
        "7:5: unknown key 'tme' in source 'router'; expected one of: type, path, time, "
        "max_invalid; did you mean 'time'?",
        "11:19: 'where' in check 'volume': syntax error: '=' is not a comparison; use ==",
        "15:13: unknown source 'routr'; defined sources: router; did you mean 'router'?",
        "16:14: check 'latency' measures p95 but has no 'field'; "
        "add field: <the record field to measure>",
        "18:12: every needs a duration window, but the default window is all; "
        "set window: to a duration such as 7d",
        "20:13: unknown source 'routr'; defined sources: router; did you mean 'router'?",
        "21:14: unknown measure 'ratioo'; expected one of count, ratio, sum, avg, min, max, "
        "p50, p90, p95, p99, distinct, span, age",
        "22:18: 'of' in check 'rate': syntax error: the expression ends too early; "
        "is a value missing?",
        "23:13: 'window' in check 'rate': invalid duration '7x'; expected a number and a unit "
        "s, m, h, d or w, such as 30s, 15m, 24h, 7d or 1h30m",
        "29:12: 'field' in check 'size' must be a field name or a dotted path such as ctx.lane "
        "(no empty parts, quotes or backslashes), got the string 'a..b'",
    ],
}


def problems_of(path: Path) -> list[str]:
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    return str(caught.value).splitlines()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_spec_reports_every_problem_with_its_position(name: str) -> None:
    path = SPEC_DATA / name
    assert problems_of(path) == [f"{path}:{line}" for line in EXPECTED[name]]


def test_every_bad_fixture_has_expected_problems() -> None:
    assert sorted(p.name for p in SPEC_DATA.glob("bad_*.yaml")) == sorted(EXPECTED)


def test_problems_carry_path_line_and_column() -> None:
    with pytest.raises(SpecError) as caught:
        load_spec(SPEC_DATA / "bad_measure.yaml")
    [problem] = caught.value.problems
    assert (problem.path, problem.line, problem.col) == (str(SPEC_DATA / "bad_measure.yaml"), 8, 14)
    assert caught.value.exit_code == 2


def test_good_spec_loads_into_typed_models() -> None:
    loaded = load_spec(SPEC_DATA / "good.yaml")
    raw = (SPEC_DATA / "good.yaml").read_bytes()
    assert loaded.sha256 == hashlib.sha256(raw).hexdigest()
    assert loaded.text == raw.decode()
    assert loaded.path == SPEC_DATA / "good.yaml"
    assert loaded.base_dir == SPEC_DATA.resolve()
    spec = loaded.spec
    assert spec.name == "governance-v5-battle-tested"
    assert [c.id for c in spec.checks] == [
        "PR-7.volume",
        "PR-7.span",
        "PR-11.error-rate",
        "PR-11.daily-monitor",
    ]
    assert spec.defaults.window == Duration(7 * 86400, "7d")
    assert spec.window_of(spec.checks[1]) == Duration(30 * 86400, "30d")
    assert spec.checks[1].expect.value == 7 * 86400
    assert spec.checks[3].every == Duration(86400, "24h")
    assert spec.checks[3].weight == 0
    assert spec.sources["monitor"].paths == ["telemetry/monitor-*.jsonl", "telemetry/monitor.log"]


def test_relative_path_is_kept_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(SPEC_DATA)
    loaded = load_spec("good.yaml")
    assert loaded.path == Path("good.yaml")
    assert loaded.base_dir == SPEC_DATA.resolve()


def test_missing_file_says_how_to_write_one(tmp_path: Path) -> None:
    path = tmp_path / "golive.yaml"
    with pytest.raises(UsageError) as caught:
        load_spec(path)
    assert str(caught.value) == f"{path}: no such file; write one with `golive init`"


def test_directory_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError) as caught:
        load_spec(tmp_path)
    assert str(caught.value) == f"{tmp_path}: is a directory; give the path of a golive.yaml file"


def test_non_utf8_file_is_a_usage_error(tmp_path: Path) -> None:
    path = tmp_path / "golive.yaml"
    path.write_bytes(b"version: 1\nname: caf\xe9\n")
    with pytest.raises(UsageError) as caught:
        load_spec(path)
    assert str(caught.value) == (
        f"{path}: not UTF-8 text (invalid continuation byte at byte 20); save it as UTF-8"
    )


def test_empty_file_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "golive.yaml"
    path.write_text("# nothing yet\n")
    assert problems_of(path) == [
        f"{path}:1:1: the spec is empty; start it with version: 1 (golive init writes an example)"
    ]


def test_missing_version_is_reported_with_the_other_problems() -> None:
    text = "name: demo\nchecks: 3\n"
    with pytest.raises(SpecError) as caught:
        parse_spec(text, "golive.yaml")
    assert str(caught.value).splitlines() == [
        "golive.yaml:1:1: the spec is missing 'version'; add version: 1",
        "golive.yaml:2:9: 'checks' in the spec must be a list, got the number 3",
    ]


def test_version_as_string_is_unsupported() -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec('version: "1"\nname: x\n', "s.yaml")
    assert str(caught.value) == (
        "s.yaml:1:10: unsupported spec version the string '1'; this golive reads version 1"
    )


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "golive.yaml"
    path.write_bytes(b"\xef\xbb\xbfversion: 1\nname: demo\n")
    loaded = load_spec(path)
    assert loaded.spec.name == "demo"
    assert loaded.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_control_character_is_a_yaml_problem() -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec("version: 1\nname: a\x07b\n", "s.yaml")
    assert str(caught.value) == "s.yaml:2:8: invalid YAML: special characters are not allowed"


def test_two_documents_are_a_yaml_problem() -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec("version: 1\nname: a\n---\nversion: 1\n", "s.yaml")
    assert str(caught.value) == (
        "s.yaml:3:1: invalid YAML: but found another document "
        "(expected a single document in the stream on line 1)"
    )


ANCHORS = """\
version: 1
name: anchors
sources:
  router: {type: jsonl, path: r.log, time: ts}
checks:
  - &base
    id: a
    source: router
    measure: count
    expect: ">= 1"
  - <<: *base
    id: b
    measure: distinct
    field: user
"""


def test_anchors_and_merge_keys_are_plain_yaml() -> None:
    spec = parse_spec(ANCHORS, "s.yaml")
    assert [(c.id, c.source, c.measure, c.field, c.expect.text) for c in spec.checks] == [
        ("a", "router", "count", None, ">= 1"),
        ("b", "router", "distinct", "user", ">= 1"),
    ]


def test_problem_in_a_merged_key_points_at_the_anchor() -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec(ANCHORS.replace("measure: count", "measure: cont"), "s.yaml")
    assert str(caught.value).splitlines() == [
        "s.yaml:9:14: unknown measure 'cont'; expected one of count, ratio, sum, avg, min, max, "
        "p50, p90, p95, p99, distinct, span, age"
    ]


def test_recursive_alias_is_a_problem() -> None:
    with pytest.raises(SpecError) as caught:
        parse_spec("version: 1\nname: x\ndescription: &a [*a]\n", "s.yaml")
    assert str(caught.value).splitlines() == [
        "s.yaml:3:14: 'description' in the spec must be a string, got a list",
        "s.yaml:3:14: recursive alias: this node contains itself",
    ]


def test_alias_bomb_is_stopped() -> None:
    lines = ["version: 1", "name: x", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 7)]
    with pytest.raises(SpecError) as caught:
        parse_spec("\n".join(lines) + "\n", "s.yaml")
    assert str(caught.value) == (
        "s.yaml:1:1: the document expands to more than 100000 nodes; check its aliases"
    )


@pytest.mark.parametrize(
    ("scalar", "column"),
    [
        ('lane == "strict" and ctx[0] == 1', 33),
        ("'lane == \"strict\" and ctx[0] == 1'", 34),
        ("\"lane == 'strict' and ctx[0] == 1\"", 34),
        ('"lane == \\"strict\\" and ctx[0] == 1"', 36),
        ("'lane == ''strict'' and ctx[0] == 1'", 36),
        ('!!str lane == "strict" and ctx[0] == 1', 39),
    ],
)
def test_expression_problem_points_inside_the_string(scalar: str, column: int) -> None:
    text = (
        "version: 1\nname: x\nsources:\n  r: {type: jsonl, path: r.log}\nchecks:\n"
        f"  - id: a\n    source: r\n    measure: count\n    expect: '>= 1'\n    where: {scalar}\n"
    )
    with pytest.raises(SpecError) as caught:
        parse_spec(text, "s.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.col) == (10, column)
    assert text.splitlines()[9][column - 1 : column + 2] == "ctx"


def test_folded_expression_problem_points_at_the_scalar() -> None:
    text = (
        "version: 1\nname: x\nsources:\n  r: {type: jsonl, path: r.log}\nchecks:\n"
        "  - id: a\n    source: r\n    measure: count\n    expect: '>= 1'\n"
        "    where: >\n      lane == 'strict'\n      and ctx[0] == 1\n"
    )
    with pytest.raises(SpecError) as caught:
        parse_spec(text, "s.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.col) == (10, 12)


def test_load_spec_text_names_the_given_path() -> None:
    loaded = load_spec_text("version: 1\nname: t\n", "configs/golive.yaml")
    assert loaded.path == Path("configs/golive.yaml")
    assert loaded.base_dir == Path("configs").resolve()
    assert loaded.sha256 == hashlib.sha256(b"version: 1\nname: t\n").hexdigest()


def test_field_and_time_must_be_field_paths() -> None:
    text = (
        "version: 1\nname: x\nsources:\n  r: {type: jsonl, path: r.log, time: '@timestamp'}\n"
        "  s: {type: jsonl, path: s.log, time: 'ctx..ts'}\nchecks:\n"
        "  - {id: a, source: r, measure: sum, field: 'a\"b', expect: '> 0'}\n"
        "  - {id: b, source: r, measure: max, field: ctx.duration-ms, expect: '> 0'}\n"
    )
    with pytest.raises(SpecError) as caught:
        parse_spec(text, "s.yaml")
    assert str(caught.value).splitlines() == [
        "s.yaml:5:39: 'time' in source 's' must be a field name or a dotted path such as "
        "ctx.lane (no empty parts, quotes or backslashes), got the string 'ctx..ts'",
        "s.yaml:7:45: 'field' in check 'a' must be a field name or a dotted path such as "
        "ctx.lane (no empty parts, quotes or backslashes), got the string 'a\"b'",
    ]


def test_a_broken_key_does_not_hide_the_rules_of_the_others() -> None:
    text = (
        "version: 1\nname: x\nsources:\n  r: {type: jsonl, path: r.log}\nchecks:\n"
        "  - {id: a, source: r, measure: count, field: 'a..b', expect: '> 0'}\n"
        "  - {id: b, source: r, measure: ratio, of: 'x ==', every: 1h, expect: '< 1'}\n"
    )
    with pytest.raises(SpecError) as caught:
        parse_spec(text, "s.yaml")
    assert str(caught.value).splitlines() == [
        "s.yaml:6:47: 'field' does not go with measure: count; remove it",
        "s.yaml:6:47: 'field' in check 'a' must be a field name or a dotted path such as "
        "ctx.lane (no empty parts, quotes or backslashes), got the string 'a..b'",
        "s.yaml:7:49: 'of' in check 'b': syntax error: the expression ends too early; "
        "is a value missing?",
        "s.yaml:7:59: check 'b' uses every but source 'r' has no 'time' field; set sources.r.time",
        "s.yaml:7:59: every needs a duration window, but the default window is all; "
        "set window: to a duration such as 7d",
    ]
