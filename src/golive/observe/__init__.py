"""golive watching itself and production: metrics, traces, logs, alert intake, watch mode."""
