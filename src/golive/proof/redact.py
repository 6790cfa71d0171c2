"""Redaction of bundled evidence: a secret becomes ``[REDACTED:sha256:<12 hex>]``.

Works on bytes, in blocks of whole lines, so any file (text, JSON, XML, binary) is handled
in bounded memory. Every rule's matches in a block are found first, overlapping ones merged
(so no part of a secret survives a neighbour's match), then replaced in one pass, so a
replacement is never redacted again. Equal values get equal tokens, so they stay
correlatable across members. A value's line breaks follow its token (a private key block
is one value), so line numbers in the scorecard (``invalid_lines``) still hold.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Protocol

from golive.spec.proof import BUILTINS, Redact

# Redaction runs over blocks of whole lines; a line longer than MAX_LINE is cut there.
BLOCK = 1024 * 1024
MAX_LINE = 8 * 1024 * 1024
_KEY_BEGIN = re.compile(rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----")
_KEY_END = re.compile(rb"-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----")
# A key block, across lines; one never closed runs to the end (fail closed).
_KEY_BLOCK = re.compile(
    rb"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----.*?"
    rb"(?:-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|\Z)",
    re.DOTALL,
)


class Sink(Protocol):
    """Anything bytes can be written to."""

    def write(self, data: bytes, /) -> int: ...


@dataclass(frozen=True)
class _Rule:
    """A pattern; the ``secret`` group (else the whole match) is what gets replaced."""

    pattern: re.Pattern[bytes]
    accept: Callable[[bytes], bool] = lambda _: True
    json_value: bool = False


def _is_ipv4(value: bytes) -> bool:
    return all(int(octet) <= 255 for octet in value.split(b"."))


def _is_ipv6(value: bytes) -> bool:
    try:
        return isinstance(ipaddress.ip_address(value.decode("ascii")), ipaddress.IPv6Address)
    except ValueError:
        return False


BUILTIN_RULES: dict[str, tuple[_Rule, ...]] = {
    "email": (
        _Rule(re.compile(rb"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")),
    ),
    "bearer": (_Rule(re.compile(rb"(?i)bearer\s+(?P<secret>[A-Za-z0-9\-._~+/]{8,}=*)")),),
    "aws_key": (
        _Rule(re.compile(rb"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b")),
        _Rule(
            re.compile(
                rb"(?i)aws_?secret_?access_?key[\"']?\s*[:=]\s*[\"']?(?P<secret>[A-Za-z0-9/+=]{40})"
            )
        ),
    ),
    "private_key": (_Rule(_KEY_BLOCK),),
    "ipv4": (
        _Rule(
            re.compile(rb"(?<![0-9.])[0-9]{1,3}(?:\.[0-9]{1,3}){3}(?![0-9]|\.[0-9])"),
            accept=_is_ipv4,
        ),
    ),
    "ipv6": (
        _Rule(
            re.compile(
                rb"(?<![0-9A-Fa-f:])(?:(?:[0-9A-Fa-f]{1,4}:){7}[0-9A-Fa-f]{1,4}"
                rb"|(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?::"
                rb"(?:[0-9A-Fa-f]{1,4}(?::[0-9A-Fa-f]{1,4})*)?)(?![0-9A-Fa-f:])"
            ),
            accept=_is_ipv6,
        ),
    ),
}
DEFAULT = Redact()
_TEXT = _Rule(re.compile(b""))


def token(value: bytes) -> bytes:
    """The replacement for ``value``: ``[REDACTED:sha256:<first 12 hex of its sha256>]``."""
    return b"[REDACTED:sha256:" + hashlib.sha256(value).hexdigest()[:12].encode() + b"]"


@dataclass
class Redactor:
    """Applies one spec's ``redact`` rules (the built-ins when the spec has none)."""

    rules: Redact = DEFAULT
    _compiled: list[_Rule] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        compiled: list[_Rule] = []
        if self.rules.fields:
            names = b"|".join(re.escape(json.dumps(f)[1:-1].encode()) for f in self.rules.fields)
            compiled.append(
                _Rule(
                    re.compile(
                        rb'"(?:' + names + rb')"\s*:\s*(?P<secret>"(?:[^"\\\n]|\\[^\n])*"'
                        rb"|-?[0-9]+(?:\.[0-9]+)?(?:[eE][+\-]?[0-9]+)?|true|false)"
                    ),
                    json_value=True,
                )
            )
        compiled += [_Rule(re.compile(p.encode("utf-8"))) for p in self.rules.patterns]
        for name in BUILTINS:
            if name in self.rules.builtins:
                compiled += BUILTIN_RULES[name]
        self._compiled = compiled

    def redact(self, data: bytes) -> tuple[bytes, int]:
        """``data`` with every match replaced, and the number of values replaced."""
        spans: list[tuple[int, int, _Rule]] = []
        for rule in self._compiled:
            for match in rule.pattern.finditer(data):
                group = "secret" if "secret" in rule.pattern.groupindex else 0
                start, end = match.span(group)
                if end > start and rule.accept(data[start:end]):
                    spans.append((start, end, rule))
        if not spans:
            return data, 0
        spans.sort(key=lambda s: (s[0], -s[1]))
        merged: list[tuple[int, int, _Rule]] = []
        for start, end, rule in spans:
            if merged and start < merged[-1][1]:
                first, last, _ = merged[-1]
                if end > last:  # partly overlapping secrets: redact their union, as text
                    merged[-1] = (first, end, _TEXT)
                continue
            merged.append((start, end, rule))
        out: list[bytes] = []
        pos = 0
        for start, end, rule in merged:
            out += [data[pos:start], _replacement(data[start:end], rule)]
            pos = end
        out.append(data[pos:])
        return b"".join(out), len(merged)

    def stream(self, source: IO[bytes], sink: Sink) -> int:
        """Copy ``source`` to ``sink`` redacted, in blocks of whole lines; return the count."""
        total = 0
        carry = b""
        while chunk := source.read(BLOCK):
            carry += chunk
            cut = carry.rfind(b"\n") + 1
            if cut == 0 and len(carry) < MAX_LINE:
                continue
            piece, carry = (carry[:cut], carry[cut:]) if cut else (carry, b"")
            piece, held = _hold_open_key(piece)
            carry = held + carry
            redacted, count = self.redact(piece)
            sink.write(redacted)
            total += count
        redacted, count = self.redact(carry)
        sink.write(redacted)
        return total + count


def _hold_open_key(piece: bytes) -> tuple[bytes, bytes]:
    """Split off a private key block that starts in ``piece`` but ends after it."""
    begins = list(_KEY_BEGIN.finditer(piece))
    if not begins or _KEY_END.search(piece, begins[-1].end()) or len(piece) > MAX_LINE:
        return piece, b""
    start = piece.rfind(b"\n", 0, begins[-1].start()) + 1
    return piece[:start], piece[start:]


def _replacement(value: bytes, rule: _Rule) -> bytes:
    # The value's line breaks follow its token, so line numbers (the scorecard's
    # invalid_lines) still point at the same lines.
    breaks = b"\n" * value.count(b"\n")
    if not rule.json_value:
        return token(value) + breaks
    if value.startswith(b'"'):
        try:
            value = json.loads(value).encode("utf-8")
        except ValueError:
            value = value[1:-1]
    return b'"' + token(value) + b'"' + breaks
