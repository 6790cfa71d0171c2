"""The restricted expression language: every node type, every rejection, positions."""

from __future__ import annotations

import pytest

from golive.spec.expr import (
    And,
    Call,
    Compare,
    Const,
    ExpressionError,
    Field,
    InList,
    IsTrue,
    Not,
    Or,
    Value,
    fields_of,
    parse_expression,
)

LANE = Field(("lane",))


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ('lane == "strict"', Compare(LANE, "==", Value("strict"))),
        ("n != 3", Compare(Field(("n",)), "!=", Value(3))),
        ("n < 2.5", Compare(Field(("n",)), "<", Value(2.5))),
        ("n <= -1", Compare(Field(("n",)), "<=", Value(-1))),
        ("n > +4", Compare(Field(("n",)), ">", Value(4))),
        ('n >= "b"', Compare(Field(("n",)), ">=", Value("b"))),
        # A literal on the left is moved to the right, mirroring the operator.
        ("5 > n", Compare(Field(("n",)), "<", Value(5))),
        ('"x" == lane', Compare(LANE, "==", Value("x"))),
        ("ctx.zone.name == null", Compare(Field(("ctx", "zone", "name")), "==", Value(None))),
        ("ok == true", Compare(Field(("ok",)), "==", Value(True))),
        ("ok != false", Compare(Field(("ok",)), "!=", Value(False))),
        (
            'lane in ["strict", "local", 3, null]',
            InList(LANE, (Value("strict"), Value("local"), Value(3), Value(None)), negated=False),
        ),
        ('lane not in ("a",)', InList(LANE, (Value("a"),), negated=True)),
        ('startswith(path, "core/")', Call("startswith", Field(("path",)), "core/")),
        ('endswith(path, ".py")', Call("endswith", Field(("path",)), ".py")),
        ('contains(ctx.msg, "timeout")', Call("contains", Field(("ctx", "msg")), "timeout")),
        ('glob(path, "bridge/*/x")', Call("glob", Field(("path",)), "bridge/*/x")),
        (r'matches(id, "^PR-\d+$")', Call("matches", Field(("id",)), r"^PR-\d+$")),
        ("flaky", IsTrue(Field(("flaky",)))),
        ("ctx.flag", IsTrue(Field(("ctx", "flag")))),
        ("true", Const(True)),
        ("false", Const(False)),
        ("not flaky", Not(IsTrue(Field(("flaky",))))),
        (
            "a == 1 and b == 2 and c == 3",
            And(
                tuple(
                    Compare(Field((n,)), "==", Value(v)) for n, v in [("a", 1), ("b", 2), ("c", 3)]
                )
            ),
        ),
        (
            "a == 1 or (b == 2 and not c)",
            Or(
                (
                    Compare(Field(("a",)), "==", Value(1)),
                    And((Compare(Field(("b",)), "==", Value(2)), Not(IsTrue(Field(("c",)))))),
                )
            ),
        ),
        ('  lane == "x"  ', Compare(LANE, "==", Value("x"))),
    ],
)
def test_parses_every_node_type(text: str, tree: object) -> None:
    assert parse_expression(text) == tree


@pytest.mark.parametrize(
    ("text", "offset", "message"),
    [
        (
            'lane == "x" and x.lower() == "a"',
            16,
            "method calls such as x.lower() are not allowed; use one of startswith(field, text), "
            "endswith(field, text), contains(field, text), glob(field, text), matches(field, text)",
        ),
        (
            "tags[0] == 1",
            0,
            "expected a field name, got a subscript; use a dotted field path such as ctx.lane",
        ),
        (
            "n + 1 > 3",
            0,
            "expected a field name, got arithmetic; compare a field with a literal value instead",
        ),
        ("n == 1 + 2", 5, "expected a value (string, number, true, false or null), got arithmetic"),
        (
            "(lambda: 1)",
            1,
            "a lambda is not a condition; use a comparison (==, !=, <, <=, >, >=), in [...], "
            "not in [...], and/or/not, or one of startswith(), endswith(), contains(), glob(), "
            "matches()",
        ),
        (
            "[x for x in y]",
            0,
            "a comprehension is not a condition; use a comparison (==, !=, <, <=, >, >=), "
            "in [...], not in [...], and/or/not, or one of startswith(), endswith(), contains(), "
            "glob(), matches()",
        ),
        (
            'f"{lane}" == "x"',
            0,
            "expected a field name, got an f-string; write a plain string",
        ),
        (
            'lane == f"{x}"',
            8,
            "expected a value (string, number, true, false or null), got an f-string",
        ),
        ("1 < n < 3", 0, "chained comparisons are not allowed; join them with 'and'"),
        (
            'lower(lane) == "x"',
            0,
            "expected a field name, got a function call",
        ),
        (
            'upper(lane, "X")',
            0,
            "unknown function 'upper'; "
            "expected one of startswith, endswith, contains, glob, matches",
        ),
        (
            'matches(id, "[a-")',
            12,
            "invalid regular expression: unterminated character set at position 0",
        ),
        ("startswith(path)", 0, "startswith() takes two arguments: a field and a string"),
        ('glob(path, pattern="x")', 0, "glob() takes two arguments: a field and a string"),
        ("contains(path, other)", 15, "the second argument of contains() must be a string literal"),
        ('startswith("x", "y")', 11, "expected a field name, got the literal 'x'"),
        ("lane == other", 8, "expected a value (string, number, true, false or null), got 'other'"),
        ("lane in other", 8, '\'in\' needs a list of values, such as ["a", "b"]'),
        (
            "lane in [other]",
            9,
            "expected a value (string, number, true, false or null), got 'other'",
        ),
        ('"a" == "b"', 0, "a comparison needs a field on one side and a value on the other"),
        ("n < null", 0, "'<' compares numbers or strings, not None"),
        ("n >= true", 0, "'>=' compares numbers or strings, not True"),
        ("lane is null", 0, "'is' is not allowed; use == (for example x == null)"),
        ("lane is not null", 0, "'is not' is not allowed; use != (for example x != null)"),
        ('n == -"x"', 6, "a sign (+ or -) goes only before a number"),
        (
            "n == 1j",
            5,
            "expected a value (string, number, true, false or null), got the literal 1j",
        ),
        ("null", 0, "expected a field name, got the literal null"),
        (
            "3",
            0,
            "the literal 3 is not a condition; use a comparison (==, !=, <, <=, >, >=), "
            "in [...], not in [...], and/or/not, or one of startswith(), endswith(), contains(), "
            "glob(), matches()",
        ),
        (
            "n == (m := 2)",
            6,
            "expected a value (string, number, true, false or null), "
            "got an assignment expression (:=)",
        ),
    ],
)
def test_rejects_what_the_whitelist_does_not_allow(text: str, offset: int, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression(text)
    assert (caught.value.offset, caught.value.message) == (offset, message)


@pytest.mark.parametrize(
    ("text", "offset", "message"),
    [
        ("", 0, 'empty expression; write a condition such as status == "ok"'),
        ("   ", 0, 'empty expression; write a condition such as status == "ok"'),
        ("lane ==", 7, "syntax error: the expression ends too early; is a value missing?"),
        ("  lane ==", 9, "syntax error: the expression ends too early; is a value missing?"),
        ("a == 1 and", 10, "syntax error: the expression ends too early; is a value missing?"),
        ('lane = "x"', 5, "syntax error: '=' is not a comparison; use =="),
        ("a == 1 b == 2", 7, "syntax error: invalid syntax"),
        ("a == 1)", 6, "syntax error: unmatched ')'"),
        ('lane == "x', 8, "syntax error: unterminated string literal (detected at line 1)"),
        (
            "(lane == 1 and\n  n[ )",
            20,
            "syntax error: closing parenthesis ')' does not match opening parenthesis '['",
        ),
        ("lane == 1\x00", 9, "the expression contains a NUL character"),
    ],
)
def test_syntax_errors_have_offsets(text: str, offset: int, message: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression(text)
    assert (caught.value.offset, caught.value.message) == (offset, message)


def test_offsets_count_characters_not_bytes() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression('zone == "ünïcødé" and tags[0] == 1')
    assert caught.value.offset == 22


def test_offsets_on_later_lines_count_earlier_lines() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression("(a == 1 and\n b[0] == 2)")
    assert caught.value.offset == 13


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression("(" * 300 + "a" + ")" * 300)
    assert caught.value.message == "syntax error: too many nested parentheses"


def test_fields_of_lists_each_field_once_in_order() -> None:
    tree = parse_expression('a == 1 and (not startswith(ctx.p, "x") or b in [1]) and a != 2 and c')
    assert [f.name for f in fields_of(tree)] == ["a", "ctx.p", "b", "c"]


@pytest.mark.parametrize(
    ("pattern", "construct"),
    [
        ("(?=a)b", "look-ahead (?="),
        ("(?<!a)b", "look-behind (?<!"),
        (r"(a)\\1", "the back-reference \\1"),
        ("(?P<x>a)(?P=x)", "the back-reference (?P="),
        ("(?>a)", "the atomic group (?>"),
        ("a*+", "the possessive quantifier *+"),
        (r"a\\Z", "the escape \\Z"),
        ("(?#note)a", "the comment (?#"),
    ],
)
def test_matches_refuses_what_re2_engines_cannot_run(pattern: str, construct: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse_expression(f'matches(id, "{pattern}")')
    assert (caught.value.offset, caught.value.message) == (
        12,
        f"invalid regular expression: {construct} is not supported "
        "(matches() uses RE2 syntax, as the engines do)",
    )


@pytest.mark.parametrize(
    "pattern", [r"^PR-\d+$", "(?i)core/", "(?P<zone>[a-z]+)/", "[[:alpha:]]+", "[(?=]", r"\\(?"]
)
def test_matches_accepts_re2_patterns(pattern: str) -> None:
    assert parse_expression(f'matches(id, "{pattern}")') == Call(
        "matches", Field(("id",)), pattern.replace("\\\\", "\\")
    )
