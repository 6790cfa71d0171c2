"""Strict Semantic Versioning 2.0.0 parsing and precedence (build metadata ignored)."""

from __future__ import annotations

import re

# The regular expression published with the SemVer 2.0.0 specification: no leading "v",
# no leading zeros in numeric parts.
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$",
    re.ASCII,
)

#: A comparable precedence key: ``parse_semver(a) < parse_semver(b)`` iff a precedes b.
SemverKey = tuple[int, int, int, tuple[tuple[int, int, str], ...]]

_RELEASE = ((2, 0, ""),)  # sorts after every pre-release identifier list


def parse_semver(text: str) -> SemverKey | None:
    """The precedence key of a strict semantic version, or None if ``text`` is not one."""
    match = _SEMVER.match(text)
    if match is None:
        return None
    major, minor, patch, pre, _build = match.groups()
    if pre is None:
        return (int(major), int(minor), int(patch), _RELEASE)
    # Numeric identifiers sort numerically and before alphanumeric ones (SemVer 11.4).
    parts = tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in pre.split("."))
    return (int(major), int(minor), int(patch), ((0, 0, ""), *parts))
