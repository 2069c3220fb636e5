"""The ``rughernia`` command. Each command lives with what it drives; this file gathers them."""

from __future__ import annotations

import typer

from rughernia.cli import assess, check, reassess, server

app = typer.Typer(
    name="rughernia",
    help="Rughernia: the care pathway for sciatica from a lumbar disc herniation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """Rughernia: the care pathway for sciatica from a lumbar disc herniation."""


assess.register(app)
check.register(app)
reassess.register(app)
server.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
