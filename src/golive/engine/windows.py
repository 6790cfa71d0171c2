"""Windows and buckets: which records a check looks at.

Like a Prometheus range, a window of length ``w`` ending at ``at`` holds records
with ``at - w < time <= at``. With ``every: e`` the window splits into buckets;
bucket ``k`` holds ``start + k*e < time <= start + (k+1)*e``.
"""

from __future__ import annotations

from dataclasses import dataclass

from golive.times import from_epoch_us, rfc3339


@dataclass(frozen=True)
class Window:
    """A half-open time range ``(start_us, end_us]`` in epoch microseconds; None = unbounded."""

    start_us: int | None
    end_us: int | None

    @classmethod
    def ending_at(cls, at_us: int, seconds: int | None) -> Window:
        """The window of ``seconds`` ending at ``at_us``; ``None`` seconds means ``all``."""
        if seconds is None:
            return cls(None, None)
        return cls(at_us - seconds * 1_000_000, at_us)

    @property
    def bounded(self) -> bool:
        return self.start_us is not None

    def buckets(self, every_seconds: int) -> list[Window]:
        """The consecutive buckets of this (bounded) window."""
        if self.start_us is None or self.end_us is None:
            raise ValueError("only a bounded window splits into buckets")
        step = every_seconds * 1_000_000
        count = (self.end_us - self.start_us) // step
        return [
            Window(self.start_us + k * step, self.start_us + (k + 1) * step) for k in range(count)
        ]

    def as_json(self) -> dict[str, str] | None:
        """``{"start": ..., "end": ...}`` in RFC 3339, or None for an unbounded window."""
        if self.start_us is None or self.end_us is None:
            return None
        return {
            "start": rfc3339(from_epoch_us(self.start_us)),
            "end": rfc3339(from_epoch_us(self.end_us)),
        }
