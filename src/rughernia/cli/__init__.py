"""The ``rughernia`` command. Each command lives with what it drives; this file gathers them."""

from __future__ import annotations

import sys

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
    # A terminal that is not UTF-8 (LC_ALL=C without Python's UTF-8 mode, a latin-1 pipe)
    # shows what it cannot write as "?": with the default "strict", rughernia check
    # stopped with a traceback before it showed what to do, an emergency too.
    for stream in (sys.stdout, sys.stderr):
        if (stream.encoding or "").lower().replace("-", "") not in ("utf8", "utf8sig"):
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
    app()


if __name__ == "__main__":
    main()
