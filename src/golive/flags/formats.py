"""Reading flags from golive's export or an Unleash features export, told apart by shape."""

from __future__ import annotations

import json
import re
from pathlib import Path

from golive.errors import FlagsError
from golive.flags.model import (
    SCHEMA,
    SUPPORTED_STRATEGIES,
    Constraint,
    Flag,
    Override,
    Payload,
    Strategy,
    Variant,
)

_ROLLOUT_PARAMETER = {
    "flexibleRollout": "rollout",
    "gradualRolloutUserId": "percentage",
    "gradualRolloutSessionId": "percentage",
    "gradualRolloutRandom": "percentage",
}
_NEEDS_GROUP_ID = ("gradualRolloutUserId", "gradualRolloutSessionId")
_WHOLE = re.compile(r"[0-9]+")


def detect_format(data: object) -> str:
    """``"golive"`` or ``"unleash"`` from the document's shape, else a FlagsError."""
    if isinstance(data, dict):
        if "schema" in data:
            if data["schema"] == SCHEMA:
                return "golive"
            raise FlagsError(f"unsupported flags schema {data['schema']!r}; expected {SCHEMA!r}")
        if isinstance(data.get("features"), list):
            return "unleash"
    raise FlagsError(
        f'not a flags document: expected {{"schema": "{SCHEMA}", "flags": [...]}} '
        'or an Unleash features export {"version": ..., "features": [...]}'
    )


def parse_flags(data: object, *, source: str = "<flags>") -> tuple[Flag, ...]:
    """The flags of a golive export or an Unleash features export (validated)."""
    try:
        kind = detect_format(data)
    except FlagsError as exc:
        raise FlagsError(f"{source}: {exc}") from None
    assert isinstance(data, dict)
    reader = _Reader(source)
    if kind == "golive":
        raw_flags = data.get("flags")
        if not isinstance(raw_flags, list):
            raise FlagsError(f'{source}: "flags" must be a list of flags')
        segments: dict[object, tuple[Constraint, ...]] = {}
    else:
        raw_flags = data["features"]
        segments = reader.segments(data.get("segments", []))
    flags = tuple(reader.flag(raw, i, segments) for i, raw in enumerate(raw_flags))
    reader.finish(flags)
    return flags


def read_flags_file(path: str | Path) -> tuple[Flag, ...]:
    """Load a golive export or an Unleash features export from a JSON file."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FlagsError(f"{p}: no such flags file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FlagsError(f"{p}: cannot read flags file: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FlagsError(f"{p}:{exc.lineno}:{exc.colno}: invalid JSON: {exc.msg}") from None
    return parse_flags(data, source=str(p))


class _Reader:
    """Collects every problem of a document so that one error names them all."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[str] = []
        self.unsupported: list[tuple[str, str]] = []

    def finish(self, flags: tuple[Flag, ...]) -> None:
        seen: set[str] = set()
        for f in flags:
            if f.name in seen:
                self.problems.append(f"flag {f.name!r} is defined twice")
            seen.add(f.name)
        lines = [f"{self.source}: {p}" for p in self.problems]
        if self.unsupported:
            uses = ", ".join(f"{flag!r} uses {strategy!r}" for flag, strategy in self.unsupported)
            lines.append(
                f"{self.source}: unsupported strategies: {uses}; "
                f"golive supports {', '.join(SUPPORTED_STRATEGIES)}"
            )
        if lines:
            raise FlagsError("\n".join(lines))

    def segments(self, raw: object) -> dict[object, tuple[Constraint, ...]]:
        out: dict[object, tuple[Constraint, ...]] = {}
        if not isinstance(raw, list):
            self.problems.append('"segments" must be a list')
            return out
        for i, seg in enumerate(raw):
            if not isinstance(seg, dict) or "id" not in seg:
                self.problems.append(f"segments[{i}] must be an object with an id")
                continue
            out[seg["id"]] = self.constraints(seg.get("constraints"), f"segment {seg['id']}")
        return out

    def flag(self, raw: object, index: int, segments: dict[object, tuple[Constraint, ...]]) -> Flag:
        if not isinstance(raw, dict):
            self.problems.append(f"flag #{index} must be an object")
            return Flag(name=f"#{index}", enabled=False)
        name = raw.get("name")
        if not isinstance(name, str) or not name:
            self.problems.append(f"flag #{index} needs a non-empty string name")
            name = f"#{index}"
        enabled = raw.get("enabled", False)
        if not isinstance(enabled, bool):
            self.problems.append(f"flag {name!r}: enabled must be true or false")
            enabled = False
        description = raw.get("description") or ""
        if raw.get("dependencies"):
            self.problems.append(
                f"flag {name!r}: dependencies on other flags are not supported; remove them"
            )
        raw_strategies = raw.get("strategies") or []
        if not isinstance(raw_strategies, list):
            self.problems.append(f"flag {name!r}: strategies must be a list")
            raw_strategies = []
        strategies = tuple(
            s
            for i, rs in enumerate(raw_strategies)
            if (s := self.strategy(rs, name, i, segments)) is not None
        )
        variants = self.variants(raw.get("variants"), f"flag {name!r}")
        return Flag(
            name=name,
            enabled=enabled,
            description=str(description),
            strategies=strategies,
            variants=variants,
        )

    def strategy(
        self,
        raw: object,
        flag: str,
        index: int,
        segments: dict[object, tuple[Constraint, ...]],
    ) -> Strategy | None:
        where = f"flag {flag!r} strategy #{index}"
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            self.problems.append(f"{where} must be an object with a name")
            return None
        name: str = raw["name"]
        if name not in SUPPORTED_STRATEGIES:
            self.unsupported.append((flag, name))
            return None
        params = self.parameters(raw.get("parameters"), f"{where} ({name})")
        pct_key = _ROLLOUT_PARAMETER.get(name)
        if pct_key is not None:
            pct = params.get(pct_key)
            if pct is None or not _WHOLE.fullmatch(pct) or int(pct) > 100:
                self.problems.append(
                    f"{where} ({name}): parameters.{pct_key} must be a whole percentage "
                    f"0-100, got {pct!r}"
                )
        if name in _NEEDS_GROUP_ID and not params.get("groupId"):
            self.problems.append(f"{where} ({name}): parameters.groupId is required")
        constraints = self.constraints(raw.get("constraints"), where)
        for seg_id in raw.get("segments") or []:
            if seg_id not in segments:
                self.problems.append(f"{where}: unknown segment {seg_id!r}")
                continue
            constraints += segments[seg_id]
        variants = self.variants(raw.get("variants"), where)
        return Strategy(name=name, parameters=params, constraints=constraints, variants=variants)

    def parameters(self, raw: object, where: str) -> dict[str, str]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.problems.append(f"{where}: parameters must be an object")
            return {}
        out: dict[str, str] = {}
        for key, value in raw.items():
            if isinstance(value, bool) or not isinstance(value, str | int | float):
                self.problems.append(f"{where}: parameter {key!r} must be a string or number")
                continue
            out[str(key)] = str(value)
        return out

    def constraints(self, raw: object, where: str) -> tuple[Constraint, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.problems.append(f"{where}: constraints must be a list")
            return ()
        out: list[Constraint] = []
        for i, c in enumerate(raw):
            at = f"{where} constraint #{i}"
            if not isinstance(c, dict):
                self.problems.append(f"{at} must be an object")
                continue
            context_name, operator = c.get("contextName"), c.get("operator")
            if not isinstance(context_name, str) or not isinstance(operator, str):
                self.problems.append(f"{at} needs string contextName and operator")
                continue
            values = c.get("values") or []
            value = c.get("value")
            if not isinstance(values, list) or not all(
                isinstance(v, str | int | float) for v in values
            ):
                self.problems.append(f"{at}: values must be a list of strings")
                continue
            if value is not None and not isinstance(value, str | int | float):
                self.problems.append(f"{at}: value must be a string")
                continue
            out.append(
                Constraint(
                    context_name=context_name,
                    operator=operator,
                    values=tuple(str(v) for v in values),
                    value=None if value is None else str(value),
                    case_insensitive=bool(c.get("caseInsensitive", False)),
                    inverted=bool(c.get("inverted", False)),
                )
            )
        return tuple(out)

    def variants(self, raw: object, where: str) -> tuple[Variant, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.problems.append(f"{where}: variants must be a list")
            return ()
        out: list[Variant] = []
        for i, v in enumerate(raw):
            at = f"{where} variant #{i}"
            if not isinstance(v, dict) or not isinstance(v.get("name"), str):
                self.problems.append(f"{at} must be an object with a name")
                continue
            weight = v.get("weight", 0)
            if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
                self.problems.append(f"{at}: weight must be a whole number >= 0")
                continue
            payload = self.payload(v.get("payload"), at)
            overrides = self.overrides(v.get("overrides"), at)
            stickiness = v.get("stickiness")
            out.append(
                Variant(
                    name=v["name"],
                    weight=weight,
                    stickiness=stickiness if isinstance(stickiness, str) else None,
                    payload=payload,
                    overrides=overrides,
                )
            )
        return tuple(out)

    def payload(self, raw: object, where: str) -> Payload | None:
        if raw is None:
            return None
        if not isinstance(raw, dict) or not isinstance(raw.get("type"), str):
            self.problems.append(f"{where}: payload must be {{type, value}}")
            return None
        value = raw.get("value", "")
        if isinstance(value, dict | list):
            # A json payload written as JSON rather than as Unleash's string of JSON.
            value = json.dumps(value, separators=(",", ":"))
        elif isinstance(value, bool) or not isinstance(value, str | int | float):
            self.problems.append(f"{where}: payload value must be a string")
            return None
        return Payload(type=raw["type"], value=str(value))

    def overrides(self, raw: object, where: str) -> tuple[Override, ...]:
        if raw is None:
            return ()
        out: list[Override] = []
        for i, o in enumerate(raw if isinstance(raw, list) else [raw]):
            if (
                not isinstance(o, dict)
                or not isinstance(o.get("contextName"), str)
                or not isinstance(o.get("values"), list)
            ):
                self.problems.append(
                    f"{where} override #{i} must be {{contextName, values: [...]}}"
                )
                continue
            out.append(Override(context_name=o["contextName"], values=tuple(map(str, o["values"]))))
        return tuple(out)
