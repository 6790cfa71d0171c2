"""``FlagClient``: the object applications hold to ask whether a flag is on.

Evaluation is local. The flags come from a file or from an HTTP endpoint that
serves golive's export; the endpoint is polled in a background thread with
ETag / ``If-None-Match``, and when it fails the client keeps serving the last
good flags, counting the failure instead of raising it into the caller.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from golive.errors import FlagsError, UsageError
from golive.flags.context import EMPTY_CONTEXT, Context
from golive.flags.engine import UNKNOWN_FLAG, Evaluation, FlagSet
from golive.flags.formats import parse_flags, read_flags_file
from golive.flags.model import Flag, Variant

if TYPE_CHECKING:  # httpx is imported by from_url: reading flags from a file never loads it
    import httpx


@dataclass(frozen=True)
class SourceStatus:
    """How the flag source is doing: fetch counts, the last error, the last good fetch."""

    source: str
    flags: int
    fetches: int
    not_modified: int
    errors: int
    last_error: str | None
    last_success: float | None  # epoch seconds of the last 200 or 304
    etag: str | None


class FlagClient:
    """Evaluates flags locally from a file or a polled URL; never raises on evaluation."""

    def __init__(self, flags: FlagSet | tuple[Flag, ...] = (), *, source: str = "memory") -> None:
        self._set = flags if isinstance(flags, FlagSet) else FlagSet(flags)
        self._tests = self._set.tests
        self._source = source
        self._lock = threading.Lock()
        self._fetches = self._not_modified = self._errors = 0
        self._last_error: str | None = None
        self._last_success: float | None = None
        self._etag: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._http: httpx.Client | None = None
        self._owns_http = False
        self._url = ""
        self._headers: dict[str, str] = {}
        self.evaluation_errors = 0

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_file(cls, path: str | Path) -> FlagClient:
        """A client over the flags in ``path`` (golive export or Unleash features export)."""
        return cls(read_flags_file(path), source=str(path))

    @classmethod
    def from_url(
        cls,
        api_url: str,
        token: str | None = None,
        *,
        interval: float = 15.0,
        timeout: float = 5.0,
        client: httpx.Client | None = None,
    ) -> FlagClient:
        """A client polling ``api_url`` (a golive flags export) every ``interval`` seconds.

        The first fetch happens before this returns; if it fails the client starts
        empty (every flag answers its default) and keeps trying in the background.
        """
        if interval <= 0:
            raise UsageError(f"interval must be > 0 seconds, got {interval}")
        self = cls(source=api_url)
        self._url = api_url
        self._headers = {"Accept": "application/json"}
        if token:
            self._headers["Authorization"] = f"Bearer {token}"
        if client is None:
            import httpx

            client = httpx.Client(timeout=timeout)
            self._owns_http = True
        self._http = client
        self.refresh()
        self._thread = threading.Thread(
            target=self._poll, args=(interval,), name="golive-flags-poller", daemon=True
        )
        self._thread.start()
        return self

    # -- evaluation ---------------------------------------------------------------------------
    def is_enabled(self, name: str, context: Context | None = None, default: bool = False) -> bool:
        """Whether flag ``name`` is on for ``context``; ``default`` for an unknown flag."""
        test = self._tests.get(name)
        if test is None:
            return default
        try:
            return test(EMPTY_CONTEXT if context is None else context)
        except Exception:  # a malformed context must not break the caller
            self.evaluation_errors += 1
            return default

    def evaluate(self, name: str, context: Context | None = None) -> Evaluation:
        """The decision for flag ``name`` with its reason and deciding strategy."""
        try:
            return self._set.evaluate(name, context)
        except Exception as exc:
            self.evaluation_errors += 1
            return Evaluation(False, f"error: {type(exc).__name__}: {exc}")

    def variant(
        self, name: str, context: Context | None = None
    ) -> tuple[Evaluation, Variant | None, bool]:
        """The evaluation of flag ``name``, its variant for ``context`` when it is on, and
        whether a weighted split among several variants chose that variant."""
        compiled = self._set.by_name.get(name)
        if compiled is None:
            return Evaluation(False, UNKNOWN_FLAG), None, False
        ctx = EMPTY_CONTEXT if context is None else context
        evaluation = compiled.evaluate(ctx)
        return (evaluation, *compiled.variant(ctx, evaluation))

    @property
    def flags(self) -> tuple[Flag, ...]:
        """The flags currently served."""
        return self._set.flags

    def status(self) -> SourceStatus:
        """Counters and the last error of the flag source."""
        with self._lock:
            return SourceStatus(
                source=self._source,
                flags=len(self._set),
                fetches=self._fetches,
                not_modified=self._not_modified,
                errors=self._errors,
                last_error=self._last_error,
                last_success=self._last_success,
                etag=self._etag,
            )

    # -- polling ------------------------------------------------------------------------------
    def refresh(self) -> bool:
        """Fetch the source once; True if the flags changed. Failures are counted, not raised."""
        if self._http is None:
            return False
        headers = dict(self._headers)
        if self._etag:
            headers["If-None-Match"] = self._etag
        try:
            response = self._http.get(self._url, headers=headers)
            if response.status_code == 304:
                self._record(not_modified=True)
                return False
            if response.status_code != 200:
                raise FlagsError(f"{self._url}: HTTP {response.status_code}")
            flags = parse_flags(json.loads(response.content), source=self._url)
            new_set = FlagSet(flags)
        except Exception as exc:  # any failure of the source keeps the last good flags
            self._record(error=f"{type(exc).__name__}: {exc}")
            return False
        with self._lock:
            # Swap both references together; readers see the old or the new set, never a mix
            # that matters (each lookup uses one of them).
            self._set, self._tests = new_set, new_set.tests
            self._etag = response.headers.get("ETag")
        self._record()
        return True

    def _record(self, *, error: str | None = None, not_modified: bool = False) -> None:
        with self._lock:
            self._fetches += 1
            if error is not None:
                self._errors += 1
                self._last_error = error
                return
            self._not_modified += not_modified
            self._last_success = time.time()

    def _poll(self, interval: float) -> None:
        while not self._stop.wait(interval):
            self.refresh()

    # -- lifecycle ----------------------------------------------------------------------------
    def close(self) -> None:
        """Stop polling and release the HTTP client this object created."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._http is not None and self._owns_http:
            self._http.close()
        self._http = None

    def __enter__(self) -> FlagClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
