"""Rules that span several keys of a spec: ids, sources, measure options, windows.

:func:`problems` is pure: it returns each problem with the location (a tuple of
keys and list indexes into the YAML document) of the node to point at; the
loader turns locations into ``line:col``.
"""

from __future__ import annotations

import difflib
from typing import TypeAlias

from golive.spec import rollouts
from golive.spec.models import FIELD_MEASURES, Check, Duration, Spec

Loc: TypeAlias = tuple[str | int, ...]
Problem: TypeAlias = tuple[Loc, str]

# Measures that read the record time whatever the window.
TIME_MEASURES = ("span", "age")
NO_FIELD_MEASURES = ("count", "ratio", "span", "age")


def problems(spec: Spec) -> list[Problem]:
    """Every cross-key problem of ``spec``, each with the location of its node."""
    found: list[Problem] = []
    seen: set[str] = set()
    for index, check in enumerate(spec.checks):
        at: Loc = ("checks", index)
        if check.id in seen:
            found.append(((*at, "id"), f"duplicate check id '{check.id}'; ids must be unique"))
        seen.add(check.id)
        found.extend(((*at, *loc), message) for loc, message in _check_problems(spec, check))
    found.extend(rollouts.problems(spec))
    return found


def _check_problems(spec: Spec, check: Check) -> list[Problem]:
    found: list[Problem] = []
    name = f"check '{check.id}'"
    if check.source not in spec.sources:
        found.append((("source",), _unknown_source(check.source, list(spec.sources))))
    if check.measure == "ratio" and check.of is None:
        found.append(
            (
                ("measure",),
                f"{name} measures ratio but has no 'of'; add of: <condition>, "
                "the records counted over those matching where",
            )
        )
    if check.of is not None and check.measure != "ratio":
        found.append(
            (("of",), f"'of' goes only with measure: ratio; {name} measures {check.measure}")
        )
    if check.measure in FIELD_MEASURES and check.field is None:
        found.append(
            (
                ("measure",),
                f"{name} measures {check.measure} but has no 'field'; "
                "add field: <the record field to measure>",
            )
        )
    if check.field is not None and check.measure in NO_FIELD_MEASURES:
        found.append((("field",), f"'field' does not go with measure: {check.measure}; remove it"))
    window = spec.window_of(check)
    if check.every is not None:
        found.extend(_every_problems(check, check.every, window))
    found.extend(_time_problems(spec, check, window))
    return found


def _unknown_source(name: str, defined: list[str]) -> str:
    if not defined:
        return f"unknown source '{name}'; no sources are defined; add one under sources:"
    message = f"unknown source '{name}'; defined sources: {', '.join(defined)}"
    close = difflib.get_close_matches(name, defined, n=1)
    return message + (f"; did you mean '{close[0]}'?" if close else "")


def _every_problems(check: Check, every: Duration, window: Duration | str) -> list[Problem]:
    if not isinstance(window, Duration):
        where = "its window" if check.window is not None else "the default window"
        return [
            (
                ("every",),
                f"every needs a duration window, but {where} is all; "
                "set window: to a duration such as 7d",
            )
        ]
    if window.seconds % every.seconds:
        return [(("every",), f"every {every.text} does not divide the window {window.text}")]
    return []


def _time_problems(spec: Spec, check: Check, window: Duration | str) -> list[Problem]:
    source = spec.sources.get(check.source)
    # Source types added later expose ``time`` too; a source without the attribute has none.
    if source is None or getattr(source, "time", None) is not None:
        return []
    fix = f"set sources.{check.source}.time"
    lacks = f"but source '{check.source}' has no 'time' field"
    name = f"check '{check.id}'"
    if isinstance(window, Duration):
        loc: Loc = ("window",) if check.window is not None else ("source",)
        return [(loc, f"{name} uses a {window.text} window {lacks}; {fix} or use window: all")]
    if check.measure in TIME_MEASURES:
        return [
            (
                ("measure",),
                f"{name} measures {check.measure}, which reads record times, {lacks}; {fix}",
            )
        ]
    if check.every is not None:
        return [(("every",), f"{name} uses every {lacks}; {fix}")]
    return []
