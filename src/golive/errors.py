"""The one error family of golive.

The library raises these; only the edges (``cli/_errors.py``, the API) turn them
into a message and an exit code or an HTTP status::

    GoliveError                 exit 2, HTTP 400
    ├── UsageError              exit 2   bad arguments or configuration
    │   └── FlagsError          exit 2   a flags file or flag definition is invalid or unsupported
    ├── SpecError               exit 2   golive.yaml is invalid (one or more problems)
    ├── EvidenceError           exit 2   evidence could not be read where reading is mandatory
    ├── RegistryError           exit 2, HTTP 503   the registry cannot be opened or written
    ├── NotFoundError           exit 2, HTTP 404
    └── SignatureError          exit 1, HTTP 403   a signature is not acceptable
        └── BadSignature        exit 1, HTTP 403   a signature does not verify

Anything else that escapes is a bug, not a message.
"""

from __future__ import annotations

from dataclasses import dataclass


class GoliveError(Exception):
    """Base of every error golive reports to a person."""

    exit_code: int = 2
    http_status: int = 400


class UsageError(GoliveError):
    """The command line or the configuration is wrong."""


class FlagsError(UsageError):
    """A flags file or flag definition is invalid, or uses something golive does not support."""


@dataclass(frozen=True)
class SpecProblem:
    """One problem in a spec file, with the position of the offending node."""

    path: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class SpecError(GoliveError):
    """golive.yaml is invalid; carries every problem found, not only the first."""

    def __init__(self, problems: list[SpecProblem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line, p.col, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class EvidenceError(GoliveError):
    """Evidence could not be read (the engine turns this into an ``error`` status)."""


class RegistryError(GoliveError):
    """The registry cannot be opened, migrated or written."""

    # Over HTTP the fault is the server's database, not the request (issue 6).
    http_status = 503


class NotFoundError(GoliveError):
    """Something named by the user does not exist."""

    http_status = 404


class SignatureError(GoliveError):
    """A signature does not verify against the key or the document."""

    exit_code = 1
    http_status = 403


class BadSignature(SignatureError):
    """The signature does not verify over what it claims to sign."""
