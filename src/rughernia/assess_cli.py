"""Placeholder: commands are registered here by their owner."""

import typer


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``rughernia`` app."""
