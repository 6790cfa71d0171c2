"""Governance: releases and their manifests, signed approvals and waivers, rollback
rehearsals, incidents, the item register, and the gate that decides from all of them."""

from __future__ import annotations
