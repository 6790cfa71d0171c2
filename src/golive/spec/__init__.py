"""The spec: pydantic models of golive.yaml, YAML loading with positions, expressions, durations."""
