"""Proof: evidence bundles, provenance (in-toto, DSSE), the sign-off document, the claims linter."""
