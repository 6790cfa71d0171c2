"""Load golive.yaml into a :class:`Spec`, reporting every problem as ``path:line:col: message``.

YAML syntax errors stop the load (nothing else can be read); otherwise every
problem is collected: the version, the model's type and key errors, and the
cross-key rules of :mod:`golive.spec.semantic`, all in one :class:`SpecError`.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from golive.errors import SpecError, SpecProblem, UsageError
from golive.spec import semantic
from golive.spec.models import Check, Defaults, JsonlSource, Spec
from golive.spec.pydantic_errors import describe_errors, found, source_adapter
from golive.spec.yamlnodes import Document, Loc, compose


@dataclass(frozen=True)
class LoadedSpec:
    """A valid spec with what the engine and the scorecard need to know about its file."""

    spec: Spec
    path: Path
    base_dir: Path
    sha256: str
    text: str


def load_spec(path: str | Path) -> LoadedSpec:
    """Read and validate the spec at ``path``; raise ``UsageError`` or ``SpecError``."""
    given = Path(path)
    try:
        raw = given.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"{given}: no such file; write one with `golive init`") from None
    except IsADirectoryError:
        raise UsageError(f"{given}: is a directory; give the path of a golive.yaml file") from None
    except OSError as exc:
        raise UsageError(f"{given}: cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{given}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8"
        ) from None
    return load_spec_text(text, given)


def load_spec_text(text: str, path: str | Path) -> LoadedSpec:
    """Validate spec ``text`` as if read from ``path`` (which names it in problems)."""
    given = Path(path)
    spec = parse_spec(text, str(given))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return LoadedSpec(spec, given, given.resolve().parent, digest, text)


def parse_spec(text: str, path: str) -> Spec:
    """Turn spec ``text`` into a :class:`Spec`; raise ``SpecError`` with every problem found."""
    try:
        doc = compose(text)
    except yaml.MarkedYAMLError as exc:
        raise SpecError([_syntax_problem(exc, path)]) from None
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        raise SpecError([SpecProblem(path, line, col, f"invalid YAML: {exc.reason}")]) from None
    except RecursionError:
        raise SpecError([SpecProblem(path, 1, 1, "invalid YAML: nested too deeply")]) from None
    problems = [_at(node, message, path) for node, message in doc.problems]
    data = doc.data
    if data is None and problems:
        raise SpecError(problems)
    if not isinstance(data, dict):
        root = _root_position(doc)
        message = (
            "the spec is empty; start it with version: 1 (golive init writes an example)"
            if data is None
            else "the spec must be a mapping with version, name, sources and checks, "
            f"got {found(data)}"
        )
        raise SpecError([*problems, SpecProblem(path, root[0], root[1], message)])
    if "version" not in data:
        line, col = _root_position(doc)
        problems.append(
            SpecProblem(path, line, col, "the spec is missing 'version'; add version: 1")
        )
        data = {**data, "version": 1}
    _check_version(data["version"], doc, path)
    try:
        spec = Spec.model_validate(data, strict=True)
    except ValidationError as exc:
        for item in describe_errors(exc.errors(include_url=False), data):
            problems.append(
                _problem(doc, item.loc, item.message, path, on_key=item.on_key, offset=item.offset)
            )
        salvaged = _salvage(data)
        if salvaged is not None:
            problems.extend(_semantic_problems(doc, *salvaged, path))
    else:
        problems.extend(_semantic_problems(doc, spec, list(range(len(spec.checks))), path))
    if problems:
        raise SpecError(problems)
    return spec


def _root_position(doc: Document) -> tuple[int, int]:
    located = doc.nodes.get(())
    if located is None:
        return 1, 1
    mark = located.value.start_mark
    return mark.line + 1, mark.column + 1


def _syntax_problem(exc: yaml.MarkedYAMLError, path: str) -> SpecProblem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    message = f"invalid YAML: {exc.problem or exc.context}"
    if exc.context and exc.problem and exc.context_mark is not None:
        message += f" ({exc.context} on line {exc.context_mark.line + 1})"
    return SpecProblem(path, line, col, message)


def _line_col(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def _at(node: yaml.Node, message: str, path: str) -> SpecProblem:
    mark = node.start_mark
    return SpecProblem(path, mark.line + 1, mark.column + 1, message)


def _problem(
    doc: Document, loc: Loc, message: str, path: str, *, on_key: bool = False, offset: int = -1
) -> SpecProblem:
    # The nearest location the document has: a missing key points at its parent.
    while loc not in doc.nodes and loc:
        loc = loc[:-1]
        on_key = False
    located = doc.nodes.get(loc)
    if located is None:
        return SpecProblem(path, 1, 1, message)
    if offset >= 0 and not on_key:
        line, col = _column_inside(located.value, offset, doc.text)
        return SpecProblem(path, line, col, message)
    return _at(located.key if on_key else located.value, message, path)


def _column_inside(node: yaml.Node, offset: int, text: str) -> tuple[int, int]:
    """Line and column (1-based) of character ``offset`` of a scalar's value, in the file."""
    start, end = node.start_mark, node.end_mark
    style = getattr(node, "style", None)
    value = str(node.value)
    if start.line == end.line and style is None:
        # A plain scalar ends where its value ends (a tag may come before it).
        return start.line + 1, end.column - len(value) + offset + 1
    if start.line == end.line and style in ("'", '"'):
        opening = text.find(style, start.index)
        raw = text[opening + 1 : end.index - 1]
        column = start.column + (opening - start.index) + 1 + _raw_index(raw, style, offset)
        return start.line + 1, column + 1
    if style == "|":
        # A literal block keeps its lines as written, below the indicator line.
        before = value[:offset]
        row = before.count("\n")
        lines = text.splitlines()
        content = value.split("\n")[row]
        written = lines[start.line + 1 + row] if start.line + 1 + row < len(lines) else ""
        if content and written.endswith(content):
            column = len(written) - len(content) + len(before) - (before.rfind("\n") + 1)
            return start.line + 2 + row, column + 1
    return start.line + 1, start.column + 1


def _raw_index(raw: str, style: str, offset: int) -> int:
    """Index in the quoted text ``raw`` of the ``offset``-th character of its value."""
    index = decoded = 0
    while index < len(raw) and decoded < offset:
        if style == '"' and raw[index] == "\\":
            index += {"x": 4, "u": 6, "U": 10}.get(raw[index + 1 : index + 2], 2)
        elif style == "'" and raw.startswith("''", index):
            index += 2
        else:
            index += 1
        decoded += 1
    return index


def _check_version(version: Any, doc: Document, path: str) -> None:
    if type(version) is int and version == 1:
        return
    shown = version if type(version) is int else found(version)
    message = f"unsupported spec version {shown}; this golive reads version 1"
    # Another version is another language: its keys are not ours to judge.
    raise SpecError([_problem(doc, ("version",), message, path)])


def _salvage(data: dict[str, Any]) -> tuple[Spec, list[int]] | None:
    """The valid parts of an invalid spec, so the cross-key rules still run on them."""
    try:
        defaults = Defaults.model_validate(data.get("defaults", {}), strict=True)
    except ValidationError:
        return None
    raw_sources, raw_checks = data.get("sources", {}), data.get("checks", [])
    if not isinstance(raw_sources, dict) or not isinstance(raw_checks, list):
        return None
    adapter = source_adapter()
    sources: dict[str, Any] = {}
    for name, value in raw_sources.items():
        try:
            sources[name] = adapter.validate_python(value, strict=True)
        except ValidationError:
            # Checks on a broken source are judged once the source is fixed.
            sources[name] = None
    checks: list[Check] = []
    indexes: list[int] = []
    for index, value in enumerate(raw_checks):
        check = _salvage_check(value)
        if check is None or (check.source in sources and sources[check.source] is None):
            continue
        checks.append(check)
        indexes.append(index)
    # A broken source still counts as defined (checks on it were skipped above).
    valid = {
        name: source if source is not None else JsonlSource.model_construct(type="jsonl", path="")
        for name, source in sources.items()
    }
    spec = Spec.model_construct(version=1, name="", sources=valid, defaults=defaults, checks=checks)
    return spec, indexes


# Stand-ins for broken keys: each keeps the rules that read the key from firing on a guess.
_STAND_INS = {"of": "true", "field": "x"}


def _salvage_check(value: Any) -> Check | None:
    """The check, with each broken key replaced by a stand-in that silences its rules."""
    try:
        return Check.model_validate(value, strict=True)
    except ValidationError as exc:
        broken = {str(e["loc"][0]) for e in exc.errors() if e["loc"]}
    if not isinstance(value, dict) or broken & {"id", "source"}:
        return None
    kept = {k: v for k, v in value.items() if k in Check.model_fields and k not in broken}
    if "measure" in broken:
        # Whether 'of' and 'field' belong is unknowable without the measure.
        kept.update(measure="count")
        kept.pop("of", None)
        kept.pop("field", None)
    else:
        kept.update({key: _STAND_INS[key] for key in broken & set(_STAND_INS)})
    if "window" in broken:
        kept.update(window="all")
        kept.pop("every", None)
    # ``expect`` is required but no cross-key rule reads it.
    kept.setdefault("expect", ">= 0")
    try:
        return Check.model_validate(kept, strict=True)
    except ValidationError:
        return None


def _semantic_problems(
    doc: Document, spec: Spec, indexes: list[int], path: str
) -> list[SpecProblem]:
    result = []
    for loc, message in semantic.problems(spec):
        if loc[:1] == ("checks",) and len(loc) > 1 and isinstance(loc[1], int):
            loc = ("checks", indexes[loc[1]], *loc[2:])
        result.append(_problem(doc, loc, message, path))
    return result
