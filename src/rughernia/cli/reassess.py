"""``rughernia reassess``: the nightly run that keeps every stored decision current.

See ``care/reassess.py``: as of today (the settings' time zone) or ``--today``, every
patient (or one team's) whose newest assessment is of an earlier day is re-assessed
and the result stored, in chunks, each committed; safe to stop and run again.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from rughernia.care import reassess as batch
from rughernia.care.errors import NotFound
from rughernia.cli.server import migrated_engine
from rughernia.settings import DEFAULT_DB_FILE
from rughernia.store.engine import session_factory

err = Console(stderr=True)


def reassess(
    team: Annotated[
        str | None, typer.Option(help="only this team's patients (its name); default: all")
    ] = None,
    today: Annotated[
        dt.datetime | None,
        typer.Option(
            help="assess as of this day; default: today in RUGHERNIA_TIMEZONE",
            formats=["%Y-%m-%d"],
            metavar="YYYY-MM-DD",
        ),
    ] = None,
) -> None:
    """Re-assess every patient whose newest assessment is of an earlier day (nightly)."""
    if not os.environ.get("RUGHERNIA_DATABASE_URL") and not Path(DEFAULT_DB_FILE).exists():
        # serve may start a new database; a nightly job that did so, in the wrong folder
        # or without its setting, reported "0 re-assessed" and looked healthy.
        typer.echo(
            "Configuration error: RUGHERNIA_DATABASE_URL is not set and there is no "
            f"{DEFAULT_DB_FILE} in {Path.cwd()}; set it to the database to re-assess",
            err=True,
        )
        raise typer.Exit(2)
    with migrated_engine() as (settings, engine), session_factory(engine)() as session:
        now = dt.datetime.now(dt.UTC)
        as_of = (today or now.astimezone(settings.zone)).date()
        try:
            plan = batch.plan(session, as_of, team=team)
        except NotFound:
            # Plain text on one line, as the settings' errors: the usage status, 2.
            typer.echo(f"Unknown team: there is no team named {team!r}", err=True)
            raise typer.Exit(2) from None
        with Progress(
            TextColumn("Re-assessing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=err,
            transient=True,
        ) as bar:
            task = bar.add_task("reassess", total=plan.stale)
            tally = batch.run(session, plan, at=now, progress=lambda done: bar.advance(task, done))
    scope = "all teams" if team is None else f"team {team}"
    typer.echo(
        f"As of {as_of.isoformat()} ({scope}): {tally.reassessed} re-assessed, "
        f"{plan.current + tally.unchanged} unchanged, "
        f"{plan.without_intake + tally.skipped} skipped"
    )
    if tally.skipped:
        typer.echo(f"{tally.skipped} record(s) make no valid case as stored", err=True)


def register(app: typer.Typer) -> None:
    app.command()(reassess)
