"""The governance and flag routers (issues 5 and 6), in the order the OpenAPI lists them."""

from __future__ import annotations

from golive.api.routes import (
    approvals,
    flags,
    gate,
    incidents,
    items,
    rehearsals,
    releases,
    waivers,
)

ROUTERS = tuple(
    module.router
    for module in (releases, approvals, gate, waivers, rehearsals, incidents, items, flags)
)
