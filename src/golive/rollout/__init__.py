"""Rollouts: a flag widened in waves, promoted and rolled back by the spec's checks."""

from __future__ import annotations
