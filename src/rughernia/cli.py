"""The ``rughernia`` command. Each command lives with what it drives; this file gathers them."""

from __future__ import annotations

import typer

from rughernia import assess_cli, check_cli, server_cli

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


assess_cli.register(app)
check_cli.register(app)
server_cli.register(app)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
