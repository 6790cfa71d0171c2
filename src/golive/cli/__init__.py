"""Command-line interface: typer app, one module per command group, no business logic."""
