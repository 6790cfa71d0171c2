"""The restricted expression language of ``where`` and ``of``.

Python syntax, parsed with :mod:`ast` and checked against a whitelist::

    action == "process_v5" and lane in ["strict", "local"]
    not startswith(path, "core/") and ctx.zone != null

Semantics (every engine compiles to these): a missing field is null; comparing a
null field with a value is false (``x == null`` asks whether ``x`` is null or
missing, ``x != null`` whether it is present); values compare only with values of
their own JSON type (numbers with numbers, strings with strings, booleans with
booleans; ``true`` is not ``1``); a bare field is true only when it holds ``true``.
The string functions are false on anything that is not a string.
"""

from __future__ import annotations

import ast
import re
import warnings
from dataclasses import dataclass
from typing import Literal as TypingLiteral
from typing import TypeAlias

Scalar: TypeAlias = str | int | float | bool | None
CompareOp: TypeAlias = TypingLiteral["==", "!=", "<", "<=", ">", ">="]
FUNCTIONS = ("startswith", "endswith", "contains", "glob", "matches")


@dataclass(frozen=True)
class Field:
    """A (dotted) field path: ``ctx.lane`` is ``("ctx", "lane")``."""

    path: tuple[str, ...]

    @property
    def name(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class Value:
    """A literal: string, number, boolean or null."""

    value: Scalar


@dataclass(frozen=True)
class Compare:
    """``field <op> value``; a literal on the left is normalised to the right."""

    field: Field
    op: CompareOp
    value: Value


@dataclass(frozen=True)
class InList:
    """``field in [v, ...]`` or ``field not in [v, ...]``."""

    field: Field
    values: tuple[Value, ...]
    negated: bool


@dataclass(frozen=True)
class Call:
    """``startswith(field, "s")`` and the other string functions."""

    function: str
    field: Field
    argument: str


@dataclass(frozen=True)
class IsTrue:
    """A bare field used as a condition: true only when it holds ``true``."""

    field: Field


@dataclass(frozen=True)
class Const:
    """A bare ``true`` or ``false``."""

    value: bool


@dataclass(frozen=True)
class And:
    operands: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Expr, ...]


@dataclass(frozen=True)
class Not:
    operand: Expr


Expr: TypeAlias = Compare | InList | Call | IsTrue | Const | And | Or | Not


class ExpressionError(ValueError):
    """A syntax or whitelist error at ``offset`` (0-based, in characters) of the text."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


_OPS: dict[type[ast.cmpop], CompareOp] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}
_MIRROR: dict[CompareOp, CompareOp] = {
    "==": "==",
    "!=": "!=",
    "<": ">",
    "<=": ">=",
    ">": "<",
    ">=": "<=",
}


def parse_expression(text: str) -> Expr:
    """Parse ``text`` into an :data:`Expr`; raise :class:`ExpressionError` with a position."""
    if not text.strip():
        raise ExpressionError('empty expression; write a condition such as status == "ok"', 0)
    if "\0" in text:
        raise ExpressionError("the expression contains a NUL character", text.index("\0"))
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    try:
        with warnings.catch_warnings():
            # Regexes such as "^PR-\d+$" keep their backslash; Python only warns about it.
            warnings.simplefilter("ignore", (DeprecationWarning, SyntaxWarning))
            tree = ast.parse(stripped, mode="eval")
    except SyntaxError as exc:
        offset = _syntax_offset(stripped, exc)
        raise ExpressionError(_syntax_message(stripped, offset, exc.msg), lead + offset) from None
    try:
        return _Converter(text, lead).condition(tree.body)
    except RecursionError:
        raise ExpressionError("the expression is nested too deeply", lead) from None


def _syntax_message(text: str, offset: int, message: str) -> str:
    """Python's syntax message, with a hint for the two commonest slips."""
    if message == "invalid syntax" and offset >= len(text.rstrip()):
        return "syntax error: the expression ends too early; is a value missing?"
    if message == "invalid syntax" and text[offset : offset + 1] == "=":
        return "syntax error: '=' is not a comparison; use =="
    return f"syntax error: {message}"


def _syntax_offset(text: str, exc: SyntaxError) -> int:
    """The 0-based character offset in ``text`` of a syntax error (its line and column)."""
    lines = text.split("\n")
    line = min(max(exc.lineno or 1, 1), len(lines))
    before = sum(len(x) + 1 for x in lines[: line - 1])
    # An offset of 0 or none means "at the end of the line" (e.g. ``a ==`` runs out of input).
    column = (exc.offset or 0) - 1
    if column < 0 or column > len(lines[line - 1]):
        column = len(lines[line - 1])
    return before + column


class _Converter:
    def __init__(self, text: str, lead: int) -> None:
        self.text = text
        self.lead = lead

    def _error(self, node: ast.AST, message: str) -> ExpressionError:
        col = getattr(node, "col_offset", 0)
        line = getattr(node, "lineno", 1)
        # ast columns are UTF-8 byte offsets within a line; map back to characters.
        lines = self.text.strip().splitlines() or [""]
        before = sum(len(x) + 1 for x in lines[: line - 1])
        chars = len(lines[line - 1].encode("utf-8")[:col].decode("utf-8", "replace"))
        return ExpressionError(message, self.lead + before + chars)

    def condition(self, node: ast.expr) -> Expr:
        if isinstance(node, ast.BoolOp):
            operands = tuple(self.condition(v) for v in node.values)
            return And(operands) if isinstance(node.op, ast.And) else Or(operands)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return Not(self.condition(node.operand))
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, ast.Constant) and isinstance(node.value, bool):
            return Const(node.value)
        if isinstance(node, ast.Name) and node.id in ("true", "false"):
            return Const(node.id == "true")
        if isinstance(node, ast.Name | ast.Attribute):
            return IsTrue(self.field(node))
        raise self._error(
            node,
            f"{_describe(node)} is not a condition; use a comparison (==, !=, <, <=, >, >=), "
            "in [...], not in [...], and/or/not, or one of "
            + ", ".join(f"{f}()" for f in FUNCTIONS),
        )

    def compare(self, node: ast.Compare) -> Expr:
        if len(node.ops) != 1:
            raise self._error(node, "chained comparisons are not allowed; join them with 'and'")
        op, left, right = node.ops[0], node.left, node.comparators[0]
        if isinstance(op, ast.In | ast.NotIn):
            if not isinstance(right, ast.List | ast.Tuple):
                raise self._error(right, '\'in\' needs a list of values, such as ["a", "b"]')
            values = tuple(self.value(v) for v in right.elts)
            return InList(self.field(left), values, negated=isinstance(op, ast.NotIn))
        if isinstance(op, ast.Is | ast.IsNot):
            word = "is" if isinstance(op, ast.Is) else "is not"
            fix = "==" if isinstance(op, ast.Is) else "!="
            raise self._error(
                node, f"'{word}' is not allowed; use {fix} (for example x {fix} null)"
            )
        symbol = _OPS[type(op)]
        if _is_field(left):
            field, value = self.field(left), self.value(right)
        elif _is_field(right):
            field, value, symbol = self.field(right), self.value(left), _MIRROR[symbol]
        else:
            # Point at the side that is neither a field nor a literal (x[0], a + 1, f"..").
            for side in (left, right):
                if not _is_literal(side):
                    self.field(side)
            raise self._error(
                node, "a comparison needs a field on one side and a value on the other"
            )
        if symbol not in ("==", "!=") and (value.value is None or isinstance(value.value, bool)):
            raise self._error(node, f"'{symbol}' compares numbers or strings, not {value.value!r}")
        return Compare(field, symbol, value)

    def call(self, node: ast.Call) -> Expr:
        name = node.func.id if isinstance(node.func, ast.Name) else None
        if isinstance(node.func, ast.Attribute):
            raise self._method_call(node)
        if name not in FUNCTIONS:
            raise self._error(
                node,
                f"unknown function {_describe(node.func)}; expected one of {', '.join(FUNCTIONS)}",
            )
        if node.keywords or len(node.args) != 2:
            raise self._error(node, f"{name}() takes two arguments: a field and a string")
        field = self.field(node.args[0])
        argument = node.args[1]
        if not (isinstance(argument, ast.Constant) and isinstance(argument.value, str)):
            raise self._error(argument, f"the second argument of {name}() must be a string literal")
        if name == "matches":
            try:
                with warnings.catch_warnings():
                    # POSIX classes such as [[:alpha:]] are valid RE2; Python only warns.
                    warnings.simplefilter("ignore", FutureWarning)
                    re.compile(argument.value)
            except re.error as exc:
                raise self._error(argument, f"invalid regular expression: {exc}") from None
            unsupported = _re2_unsupported(argument.value)
            if unsupported is not None:
                raise self._error(
                    argument,
                    f"invalid regular expression: {unsupported} is not supported "
                    "(matches() uses RE2 syntax, as the engines do)",
                )
        assert name is not None
        return Call(name, field, argument.value)

    def _method_call(self, node: ast.Call) -> ExpressionError:
        return self._error(
            node,
            f"method calls such as {ast.unparse(node.func)}() are not allowed; use one of "
            + ", ".join(f"{f}(field, text)" for f in FUNCTIONS),
        )

    def field(self, node: ast.expr) -> Field:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            raise self._method_call(node)
        parts: list[str] = []
        current = node
        while isinstance(current, ast.Attribute):
            parts.append(current.attr)
            current = current.value
        if not isinstance(current, ast.Name):
            raise self._error(
                node, f"expected a field name, got {_describe(node)}{_HINTS.get(type(node), '')}"
            )
        if current.id in ("true", "false", "null"):
            raise self._error(node, f"expected a field name, got the literal {current.id}")
        parts.append(current.id)
        return Field(tuple(reversed(parts)))

    def value(self, node: ast.expr) -> Value:
        if isinstance(node, ast.Name) and node.id in ("true", "false", "null"):
            return Value({"true": True, "false": False, "null": None}[node.id])
        sign = 1
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            sign = -1 if isinstance(node.op, ast.USub) else 1
            node = node.operand
            if not (isinstance(node, ast.Constant) and _is_number(node.value)):
                raise self._error(node, "a sign (+ or -) goes only before a number")
        if isinstance(node, ast.Constant):
            constant = node.value
            if isinstance(constant, int | float) and not isinstance(constant, bool):
                return Value(sign * constant)
            if isinstance(constant, str | bool) or constant is None:
                return Value(constant)
        raise self._error(
            node, f"expected a value (string, number, true, false or null), got {_describe(node)}"
        )


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_RE2_GROUPS = {
    "(?=": "look-ahead (?=",
    "(?!": "look-ahead (?!",
    "(?<=": "look-behind (?<=",
    "(?<!": "look-behind (?<!",
    "(?P=": "the back-reference (?P=",
    "(?(": "the conditional (?(",
    "(?>": "the atomic group (?>",
    "(?#": "the comment (?#",
}


def _re2_unsupported(pattern: str) -> str | None:
    """The first Python-only regex construct in ``pattern`` that RE2 rejects, if any."""
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            escaped = pattern[index + 1 : index + 2]
            if escaped and escaped in "123456789":
                return f"the back-reference \\{escaped}"
            if escaped in ("Z", "u", "U", "N"):
                return f"the escape \\{escaped}"
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            # A ']' right after '[' or '[^' is a literal, not the end of the class.
            index += 2 if pattern[index + 1 : index + 2] == "]" else 1
            continue
        elif char == "(":
            for opener, name in _RE2_GROUPS.items():
                if pattern.startswith(opener, index):
                    return name
        elif char in "*+?}" and pattern[index + 1 : index + 2] == "+":
            return f"the possessive quantifier {char}+"
        index += 1
    return None


def _is_literal(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in ("true", "false", "null")
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    return isinstance(node, ast.Constant)


def _is_field(node: ast.expr) -> bool:
    while isinstance(node, ast.Attribute):
        node = node.value
    return isinstance(node, ast.Name) and node.id not in ("true", "false", "null")


_KINDS: dict[type[ast.AST], str] = {
    ast.Subscript: "a subscript",
    ast.BinOp: "arithmetic",
    ast.UnaryOp: "arithmetic",
    ast.Lambda: "a lambda",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.JoinedStr: "an f-string",
    ast.IfExp: "a conditional expression",
    ast.NamedExpr: "an assignment expression (:=)",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Set: "a set",
    ast.Dict: "a mapping",
    ast.Call: "a function call",
    ast.Compare: "a comparison",
    ast.BoolOp: "a condition",
}
_HINTS: dict[type[ast.AST], str] = {
    ast.Subscript: "; use a dotted field path such as ctx.lane",
    ast.BinOp: "; compare a field with a literal value instead",
    ast.UnaryOp: "; compare a field with a literal value instead",
    ast.JoinedStr: "; write a plain string",
}


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.Constant):
        return f"the literal {node.value!r}"
    if isinstance(node, ast.Name | ast.Attribute):
        return f"'{ast.unparse(node)}'"
    return _KINDS.get(type(node), f"a Python {type(node).__name__} expression")


def fields_of(expr: Expr) -> list[Field]:
    """Every field an expression reads, in order of first appearance."""
    seen: dict[tuple[str, ...], Field] = {}

    def walk(node: Expr) -> None:
        if isinstance(node, And | Or):
            for operand in node.operands:
                walk(operand)
        elif isinstance(node, Not):
            walk(node.operand)
        elif isinstance(node, Compare | InList | Call | IsTrue):
            seen.setdefault(node.field.path, node.field)

    walk(expr)
    return list(seen.values())
