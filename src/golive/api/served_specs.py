"""The specs the server reads governance rules from: ``golive serve --spec PATH``.

The registry holds what happened (releases, signatures, events); the spec says
which keys are trusted and which items exist. Without the spec of a release, its
approvals and waivers cannot be verified, so the pages say so rather than trust
them. Workers are separate processes: they find the paths in ``$GOLIVE_SPECS``.
"""

from __future__ import annotations

import os

from golive.errors import UsageError
from golive.spec.loader import load_spec
from golive.spec.models import Spec

SPECS_ENV = "GOLIVE_SPECS"


def load_served_specs(paths: str) -> dict[str, Spec]:
    """The specs named in ``paths`` (separated by ``os.pathsep``), by spec name."""
    specs: dict[str, Spec] = {}
    for path in filter(None, (p.strip() for p in paths.split(os.pathsep))):
        spec = load_spec(path).spec
        if spec.name in specs:
            raise UsageError(
                f"--spec {path}: another served spec is also named {spec.name!r}; "
                "serve one spec per name"
            )
        specs[spec.name] = spec
    return specs


def specs_from_env() -> dict[str, Spec]:
    """The specs named in ``$GOLIVE_SPECS`` (none when it is unset)."""
    return load_served_specs(os.environ.get(SPECS_ENV, ""))
