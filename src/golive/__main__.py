"""``python -m golive``: the same as the ``golive`` command."""

from __future__ import annotations

from golive.cli.app import main

main()
