"""The engine: checks over record tables -> results and scorecards (no registry, CLI or API)."""
