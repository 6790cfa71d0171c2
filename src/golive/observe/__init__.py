"""Watching production: golive's metrics, traces and logs, alert rules from SLOs, alert intake."""
