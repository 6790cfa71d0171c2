"""Who is acting: a label for audit entries and records, never a credential."""

from __future__ import annotations

import getpass
import os

ENV_VAR = "GOLIVE_USER"


def current_actor() -> str:
    """``$GOLIVE_USER``, else the OS login name, else ``unknown``."""
    named = os.environ.get(ENV_VAR, "").strip()
    if named:
        return named
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        # No login name (a container running as an unnamed uid): still a label, never a pass.
        return "unknown"
