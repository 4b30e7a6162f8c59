"""Web-application commands (``npp serve``, ``npp token``, ``npp audit``).

Heavy imports stay inside the commands."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the top-level ``npp`` app."""
