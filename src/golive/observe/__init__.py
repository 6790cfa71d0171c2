"""Watching production: metrics, traces, logs, alert rules from SLOs, alert intake, watch."""
